# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The base of every scs.kolla module that talks to OpenStack: options, connection, errors.

A module is a subclass of ``OpenStackModule`` (the contract of openstack.cloud's class of the
same name): it declares its own ``argument_spec`` and implements ``run()`` with ``self.conn``
and ``self.params``; the base adds the common options (documented once, in the doc fragment
``scs.kolla.openstack``), connects on first use and turns every exception into ``fail_json``
with a message, never a traceback. The connection is made once per module run and then reused
for every request: that is the point of reconciling a whole list in one module.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import sys
import threading
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import openstack
    from keystoneauth1 import exceptions as ksa_exceptions
    HAS_OPENSTACKSDK = True
    OPENSTACKSDK_IMPORT_ERROR = None
except ImportError:
    HAS_OPENSTACKSDK = False
    OPENSTACKSDK_IMPORT_ERROR = traceback.format_exc()

# Option names and aliases as in openstack.cloud, so clouds.yaml / OS_* / vars files carry over.
# Documented in plugins/doc_fragments/openstack.py.
_COMMON_OPTIONS = dict(
    cloud=dict(type='raw'),
    auth=dict(type='dict', no_log=True),
    auth_type=dict(type='str'),
    region_name=dict(type='str'),
    interface=dict(type='str', default='public', choices=['admin', 'internal', 'public'],
                   aliases=['endpoint_type']),
    validate_certs=dict(type='bool', aliases=['verify']),
    ca_cert=dict(type='str', aliases=['cacert']),
    client_cert=dict(type='str', aliases=['cert']),
    client_key=dict(type='str', aliases=['key'], no_log=False),
    api_timeout=dict(type='int'),
)

_CONNECT_KEYS = (
    # module option -> openstack.connect() keyword
    ('auth', 'auth'),
    ('auth_type', 'auth_type'),
    ('region_name', 'region_name'),
    ('interface', 'interface'),
    ('validate_certs', 'verify'),
    ('ca_cert', 'cacert'),
    ('client_cert', 'cert'),
    ('client_key', 'key'),
    ('api_timeout', 'api_timeout'),
)


class OpenStackError(Exception):
    """A failed API call or connection, with a message fit for an operator."""


def openstack_argument_spec(**options):
    """The common options plus a module's own ``options`` (also used by flavor_sync's action plugin)."""
    spec = dict((name, dict(option)) for name, option in _COMMON_OPTIONS.items())
    spec.update(options)
    return spec


def connection_kwargs(params):
    """The openstack.connect() keywords for the module parameters (pure; unit tested)."""
    cloud = params.get('cloud')
    if isinstance(cloud, dict):
        # A complete cloud configuration in place of a clouds.yaml entry.
        kwargs = dict(cloud)
    else:
        kwargs = {}
        if cloud is not None:
            kwargs['cloud'] = str(cloud)
    for option, keyword in _CONNECT_KEYS:
        value = params.get(option)
        if value is not None:
            kwargs[keyword] = value
    return kwargs


def open_connection(params, app_name='scs.kolla'):
    """Authenticated openstack.connection.Connection for validated parameters.

    Raises OpenStackError with a message fit for an operator. Used by ``OpenStackModule.conn``
    and by flavor_sync's action plugin, which runs on the controller without a module.
    """
    if not HAS_OPENSTACKSDK:
        raise OpenStackError('openstacksdk is required and cannot be imported by %s' % sys.executable)
    try:
        conn = openstack.connect(app_name=app_name, **connection_kwargs(params))
        # Authenticate now: a bad password or an unreachable Keystone is reported as such,
        # not as the failure of the first flavor request.
        conn.authorize()
        return conn
    except Exception as exc:  # openstack.config and keystoneauth raise many types
        raise OpenStackError('Cannot connect to the cloud: %s' % describe_exception(exc))


def describe_exception(exc):
    """A one-line description of an openstacksdk/keystoneauth exception."""
    if HAS_OPENSTACKSDK and isinstance(exc, ksa_exceptions.ConnectFailure):
        return 'endpoint unreachable (%s)' % exc
    text = str(exc) or exc.__class__.__name__
    return '%s: %s' % (exc.__class__.__name__, text) if exc.__class__.__name__ not in text else text


def api_error_message(response):
    """Nova's own message from an error response body, else the status line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and len(body) == 1:
        inner = list(body.values())[0]
        if isinstance(inner, dict) and inner.get('message'):
            return 'HTTP %s: %s' % (response.status_code, inner['message'])
    text = (response.text or '').strip().replace('\n', ' ')
    return 'HTTP %s: %s' % (response.status_code, text[:300] or response.reason)


class ComputeAPI(object):
    """Raw compute API calls at one fixed microversion on one connection.

    The sdk's resource layer adds lookups and conversions per call; this talks REST directly so
    the number of requests is exactly what the caller asks for. Calls may come from several
    threads at once (keystoneauth sessions are thread-safe once authenticated).
    """

    def __init__(self, conn, microversion):
        self.adapter = conn.compute
        self.microversion = microversion
        self.requests = {'GET': 0, 'POST': 0, 'PUT': 0, 'DELETE': 0}
        self._count_lock = threading.Lock()

    def call(self, method, url, body=None, ok=(200, 201, 202, 204)):
        with self._count_lock:
            self.requests[method] = self.requests.get(method, 0) + 1
        kwargs = dict(microversion=self.microversion, raise_exc=False)
        if body is not None:
            kwargs['data'] = json.dumps(body)
            kwargs['headers'] = {'Content-Type': 'application/json'}
        try:
            response = self.adapter.request(url, method, **kwargs)
        except Exception as exc:
            raise OpenStackError('%s %s failed: %s' % (method, url, describe_exception(exc)))
        if response.status_code not in ok:
            raise OpenStackError('%s %s failed: %s' % (method, url, api_error_message(response)))
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise OpenStackError('%s %s returned no JSON: %s' % (method, url, response.text[:200]))


class OpenStackModule(object):
    """Base class of the OpenStack modules.

    A subclass sets ``argument_spec`` (its own options; the common ones are added),
    optionally ``module_kwargs`` (more AnsibleModule keywords) and ``api_name`` (what an
    unexpected exception of its API calls is reported as), and implements ``run()``. ``run()``
    returns the result: ``exit_json`` follows, or ``fail_json`` when the result holds
    ``failed=True``. An ``OpenStackError`` ends the task with its message; any other exception
    with ``API_NAME: description``; ``self.fail_json`` may also be called directly.
    """

    argument_spec = {}
    module_kwargs = {}
    api_name = 'OpenStack API'

    def __init__(self):
        kwargs = dict(supports_check_mode=True)
        kwargs.update(self.module_kwargs)
        self.ansible = AnsibleModule(argument_spec=openstack_argument_spec(**self.argument_spec), **kwargs)
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self._conn = None

    @property
    def conn(self):
        """The authenticated connection, made on first use (raises OpenStackError)."""
        if self._conn is None:
            if not HAS_OPENSTACKSDK:
                self.fail_json(msg=missing_required_lib('openstacksdk'), exception=OPENSTACKSDK_IMPORT_ERROR)
            self._conn = open_connection(self.params)
        return self._conn

    def fail_json(self, **result):
        self.ansible.fail_json(**result)

    def exit_json(self, **result):
        self.ansible.exit_json(**result)

    def run(self):
        raise NotImplementedError('%s.run()' % self.__class__.__name__)

    def __call__(self):
        try:
            result = dict(self.run() or {})
        except OpenStackError as exc:
            self.fail_json(msg=str(exc))
        except Exception as exc:  # pylint: disable=broad-except
            # openstacksdk raises many exception types; all end the task the same way.
            self.fail_json(msg='%s: %s' % (self.api_name, exc))
        if result.pop('failed', False):
            self.fail_json(**result)
        self.exit_json(**result)
