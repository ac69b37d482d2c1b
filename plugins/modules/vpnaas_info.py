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
extends_documentation_fragment:
  - scs.kolla.openstack
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

from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_api, vpnaas_input
from ansible_collections.scs.kolla.plugins.module_utils.scs_openstack import OpenStackModule


class VpnaasInfoModule(OpenStackModule):
    argument_spec = dict(agent_binary=dict(type="str", default="neutron-ovn-vpn-agent"))
    api_name = "Networking API"

    def run(self):
        problems = vpnaas_input.info_option_problems(self.params)
        if problems:
            self.fail_json(msg="invalid options: " + "; ".join(problems), problems=list(problems))
        extensions, agents = vpnaas_api.vpnaas_status(self.conn, self.params["agent_binary"])
        return dict(changed=False, extensions=extensions, agents=agents)


def main():
    VpnaasInfoModule()()


if __name__ == "__main__":
    main()
