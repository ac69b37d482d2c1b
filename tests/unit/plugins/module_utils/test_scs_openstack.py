# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
import contextlib
import io
import json

import pytest

from ansible.module_utils import basic

from ansible_collections.scs.kolla.plugins.module_utils import scs_openstack


def test_option_names_follow_openstack_cloud():
    spec = scs_openstack.openstack_argument_spec(flavors=dict(type='list'))
    for name in ('cloud', 'auth', 'auth_type', 'region_name', 'interface', 'validate_certs', 'ca_cert',
                 'client_cert', 'client_key', 'api_timeout', 'flavors'):
        assert name in spec
    assert spec['auth']['no_log'] is True
    assert spec['validate_certs']['aliases'] == ['verify']
    assert spec['ca_cert']['aliases'] == ['cacert']


def test_connection_kwargs_named_cloud_and_overrides():
    params = dict((k, None) for k in scs_openstack.openstack_argument_spec())
    params.update(cloud='admin', interface='internal', validate_certs=False, ca_cert='/ca.pem', api_timeout=30)
    assert scs_openstack.connection_kwargs(params) == {
        'cloud': 'admin', 'interface': 'internal', 'verify': False, 'cacert': '/ca.pem', 'api_timeout': 30}


def test_connection_kwargs_cloud_dict_and_environment():
    params = dict((k, None) for k in scs_openstack.openstack_argument_spec())
    params['cloud'] = {'auth': {'auth_url': 'https://k:5000/v3'}, 'region_name': 'R1'}
    assert scs_openstack.connection_kwargs(params) == {'auth': {'auth_url': 'https://k:5000/v3'}, 'region_name': 'R1'}
    # Nothing given: openstack.connect() falls back to OS_CLOUD / OS_* variables.
    assert scs_openstack.connection_kwargs(dict((k, None) for k in scs_openstack.openstack_argument_spec())) == {}


class Response(object):
    def __init__(self, status, body=None, text=''):
        self.status_code = status
        self.body = body
        self.text = text
        self.reason = 'Reason'

    def json(self):
        if self.body is None:
            raise ValueError('no json')
        return self.body


def test_api_error_message_uses_novas_message():
    assert scs_openstack.api_error_message(Response(409, {'conflictingRequest': {
        'code': 409, 'message': 'Flavor with name SCS-1V-4 already exists.'}})) == \
        'HTTP 409: Flavor with name SCS-1V-4 already exists.'
    assert scs_openstack.api_error_message(Response(502, text='Bad gateway\n')) == 'HTTP 502: Bad gateway'


# --------------------------------------------------------------------------- OpenStackModule

def _module_class(run, **attributes):
    attributes['run'] = run
    return type('Probe', (scs_openstack.OpenStackModule,), attributes)


def _call(module_class, **args):
    """Run an OpenStackModule subclass as Ansible would; (exit code, result)."""
    basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
    basic._ANSIBLE_PROFILE = 'legacy'
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as end:
        module_class()()
    return end.value.code, json.loads(out.getvalue())


def test_base_adds_the_common_options_to_the_modules_own():
    seen = {}

    def run(self):
        seen.update(self.params)
        return dict(changed=False, answer=42)

    code, result = _call(_module_class(run, argument_spec=dict(flavors=dict(type='list', default=[]))),
                         cloud='admin', verify=False)
    assert code == 0 and result['answer'] == 42 and result['changed'] is False
    assert seen['cloud'] == 'admin' and seen['validate_certs'] is False and seen['flavors'] == []
    assert seen['interface'] == 'public'


def test_base_fails_a_result_that_says_failed():
    code, result = _call(_module_class(lambda self: dict(failed=True, msg='2 problems', changed=False, problems=[1, 2])))
    assert code == 1 and result['failed'] and result['msg'] == '2 problems' and result['problems'] == [1, 2]


def test_base_turns_exceptions_into_messages():
    def openstack_error(self):
        raise scs_openstack.OpenStackError('Cannot connect to the cloud: endpoint unreachable (x)')

    def other(self):
        raise KeyError('port_id')

    code, result = _call(_module_class(openstack_error))
    assert code == 1 and result['msg'] == 'Cannot connect to the cloud: endpoint unreachable (x)'
    code, result = _call(_module_class(other, api_name='Networking API'))
    assert code == 1 and result['msg'] == "Networking API: 'port_id'"
    assert 'exception' not in result


def test_base_connects_once_and_reports_a_bad_endpoint(monkeypatch):
    calls = []

    def run(self):
        calls.append(1)
        return dict(changed=False, same=self.conn is self.conn)

    monkeypatch.setattr(scs_openstack, 'open_connection', lambda params: calls.append(params['cloud']) or object())
    code, result = _call(_module_class(run), cloud='admin')
    assert code == 0 and result['same'] is True and calls == [1, 'admin']
    monkeypatch.undo()
    # The real connection code against a port nobody listens on: a message, no traceback.
    code, result = _call(_module_class(run), auth=dict(auth_url='http://127.0.0.1:1/v3', username='operator', password='secret-pw',
                                                       project_name='admin-project', user_domain_name='Default',
                                                       project_domain_name='Default'), api_timeout=5)
    assert code == 1 and result['msg'].startswith('Cannot connect to the cloud: ')
    assert 'secret-pw' not in json.dumps(result)
