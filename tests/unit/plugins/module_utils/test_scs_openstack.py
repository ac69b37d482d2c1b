# -*- coding: utf-8 -*-
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
    params = dict((k, None) for k in scs_openstack.AUTH_ARGUMENT_SPEC)
    params.update(cloud='admin', interface='internal', validate_certs=False, ca_cert='/ca.pem', api_timeout=30)
    assert scs_openstack.connection_kwargs(params) == {
        'cloud': 'admin', 'interface': 'internal', 'verify': False, 'cacert': '/ca.pem', 'api_timeout': 30}


def test_connection_kwargs_cloud_dict_and_environment():
    params = dict((k, None) for k in scs_openstack.AUTH_ARGUMENT_SPEC)
    params['cloud'] = {'auth': {'auth_url': 'https://k:5000/v3'}, 'region_name': 'R1'}
    assert scs_openstack.connection_kwargs(params) == {'auth': {'auth_url': 'https://k:5000/v3'}, 'region_name': 'R1'}
    # Nothing given: openstack.connect() falls back to OS_CLOUD / OS_* variables.
    assert scs_openstack.connection_kwargs(dict((k, None) for k in scs_openstack.AUTH_ARGUMENT_SPEC)) == {}


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
