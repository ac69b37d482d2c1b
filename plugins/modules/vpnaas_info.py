#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpnaas_info
short_description: VPNaaS state of a live Neutron - API extensions and VPN agents
version_added: 0.1.0
description:
  - Lists the Networking API extensions and the agents with the given binary
    (C(neutron-ovn-vpn-agent) with OVN, C(neutron-l3-agent) with the openvswitch agent).
  - Used by the C(verify) entry point of the C(scs.kolla.vpnaas) role.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  agent_binary:
    description: Agent binary to list.
    type: str
    default: neutron-ovn-vpn-agent
  cloud:
    description: Named cloud from clouds.yaml or a dict of connection settings (as in openstack.cloud).
    type: raw
  auth:
    description: Authentication settings (auth_url, username, password, project_name, ...).
    type: dict
  auth_type:
    description: Keystone authentication plugin name.
    type: str
  region_name:
    description: Region of the cloud.
    type: str
  interface:
    description: Endpoint interface.
    type: str
    default: public
    choices: [public, internal, admin]
    aliases: [endpoint_type]
  validate_certs:
    description: Verify TLS certificates of the API.
    type: bool
    aliases: [verify]
  ca_cert:
    description: CA bundle to verify the API with.
    type: str
    aliases: [cacert]
  client_cert:
    description: Client certificate for TLS client authentication.
    type: str
    aliases: [cert]
  client_key:
    description: Client key for TLS client authentication.
    type: str
    aliases: [key]
  api_timeout:
    description: Seconds to wait for an API response.
    type: int
requirements:
  - openstacksdk
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
  diff_mode:
    support: none
    description: Read-only module.
"""

EXAMPLES = r"""
- name: Read the VPNaaS state
  scs.kolla.vpnaas_info:
    cloud: admin
  register: vpnaas

- name: The API offers VPNaaS and every OVN VPN agent is alive
  ansible.builtin.assert:
    that:
      - "'vpnaas' in vpnaas.extensions"
      - vpnaas.agents | length > 0
      - vpnaas.agents | rejectattr('alive') | list | length == 0
"""

RETURN = r"""
extensions:
  description: Aliases of all Networking API extensions, sorted.
  returned: always
  type: list
  elements: str
  sample: ["router", "vpn-endpoint-groups", "vpnaas"]
agents:
  description: Agents with O(agent_binary), sorted by host.
  returned: always
  type: list
  elements: dict
  sample: [{"host": "net1", "binary": "neutron-ovn-vpn-agent", "agent_type": "VPN Agent", "alive": true, "admin_state_up": true}]
"""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_api


def main():
    argument_spec = dict(agent_binary=dict(type="str", default="neutron-ovn-vpn-agent"))
    argument_spec.update(vpnaas_api.CLOUD_ARGSPEC)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not vpnaas_api.HAS_OPENSTACKSDK:
        module.fail_json(msg=missing_required_lib("openstacksdk"),
                         exception=vpnaas_api.OPENSTACKSDK_IMPORT_ERROR)
    try:
        extensions, agents = vpnaas_api.vpnaas_status(vpnaas_api.connect(module.params),
                                                      module.params["agent_binary"])
        module.exit_json(changed=False, extensions=extensions, agents=agents)
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_json(msg="Networking API: %s" % exc)


if __name__ == "__main__":
    main()
