#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: vpnaas_policies
short_description: Strong default IKE and IPsec policies for Neutron VPNaaS
version_added: 0.1.0
description:
  - Creates or updates one IKE policy and one IPsec policy with the same name in a project
    through the Networking API (openstacksdk).
  - Every value is checked against what the release's neutron-vpnaas stores and what the
    device driver can express, and weak values are refused, B(before) the cloud is contacted.
    Errors name the values allowed for that release and driver.
  - Defaults are strong and valid for the release - on 2024.1 and 2024.2 C(aes-256), C(sha256),
    C(group14); from 2025.1 C(aes-256-gcm-16) (strongSwan) or C(aes-256) (Libreswan), C(sha384), C(group20);
    always IKEv2, ESP, tunnel mode, 3600 s lifetimes.
  - neutron-vpnaas refuses to update or delete a policy that an IPsec site connection uses. The module
    checks both policies first and fails, changing nothing (also in check mode), naming the connections.
  - neutron-vpnaas has no C(shared) attribute for these policies and its default policy rule for
    reading them is admin_or_owner, so "default" policies are created per project (O(project)).
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  release:
    description: OpenStack release of the deployment (kolla-ansible 18 = 2024.1 ... 23 = 2026.2).
    type: str
    required: true
    choices: ["2024.1", "2024.2", "2025.1", "2025.2", "2026.1", "2026.2"]
  device_driver:
    description:
      - IKE daemon behind the VPN agent - C(strongswan) on Debian/Ubuntu images, C(libreswan) on RPM images.
    type: str
    required: true
    choices: [strongswan, libreswan]
  name:
    description: Name of both policies (at most 255 characters, no control characters, as Neutron accepts).
    type: str
    default: scs-default
  description:
    description: Description set on both policies.
    type: str
  project:
    description: Project name or ID owning the policies; the authenticated project when omitted.
    type: str
  ike_policy:
    description:
      - Keys of the IKE policy that differ from the release default - C(encryption_algorithm),
        C(auth_algorithm), C(pfs), C(ike_version), C(phase1_negotiation_mode), C(lifetime) (dict with C(units), C(value)).
    type: dict
    default: {}
  ipsec_policy:
    description:
      - Keys of the IPsec policy that differ from the release default - C(encryption_algorithm),
        C(auth_algorithm), C(pfs), C(transform_protocol), C(encapsulation_mode), C(lifetime).
    type: dict
    default: {}
  allow_weak:
    description: Accept values this collection refuses as weak (3DES, SHA-1, MODP-1024/1536, IKEv1, ...). Not recommended.
    type: bool
    default: false
  validate_only:
    description: Only validate and return the effective policies; do not contact the cloud.
    type: bool
    default: false
  state:
    description: C(present) creates or updates both policies, C(absent) deletes them.
    type: str
    default: present
    choices: [present, absent]
extends_documentation_fragment:
  - scs.kolla.openstack
attributes:
  check_mode:
    support: full
    description: Reports what would be created or changed without changing the cloud.
  diff_mode:
    support: full
    description: Shows both policies before and after.
notes:
  - Release facts are cited in C(plugins/module_utils/vpnaas_policy.py) and C(docs/vpnaas.md).
"""

EXAMPLES = r"""
- name: Strong default policies in the service project of a 2024.1 cloud
  scs.kolla.vpnaas_policies:
    cloud: admin
    release: "2024.1"
    device_driver: strongswan
    project: service

- name: Only check a wish list (no cloud contact)
  scs.kolla.vpnaas_policies:
    release: "2024.1"
    device_driver: strongswan
    ike_policy:
      pfs: group5
    validate_only: true
  # fails: pfs='group5' is refused as weak ...; allowed on OpenStack 2024.1 ...: group14
"""

RETURN = r"""
ike_policy:
  description: The IKE policy after the run (planned values in check mode; id null if it would be created).
  returned: always
  type: dict
  sample: {"encryption_algorithm": "aes-256", "auth_algorithm": "sha256", "pfs": "group14", "ike_version": "v2",
           "phase1_negotiation_mode": "main", "lifetime": {"units": "seconds", "value": 3600}}
ipsec_policy:
  description: The IPsec policy after the run.
  returned: always
  type: dict
  sample: {"encryption_algorithm": "aes-256", "auth_algorithm": "sha256", "pfs": "group14", "transform_protocol": "esp",
           "encapsulation_mode": "tunnel", "lifetime": {"units": "seconds", "value": 3600}}
allowed:
  description: Values allowed (and not refused as weak) for the release and device driver.
  returned: always
  type: dict
"""

from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_api, vpnaas_input
from ansible_collections.scs.kolla.plugins.module_utils.scs_openstack import OpenStackModule
from ansible_collections.scs.kolla.plugins.module_utils.vpnaas_policy import (
    RELEASES, VpnaasValidationError, strong_values, validate_policies)


class VpnaasPoliciesModule(OpenStackModule):
    argument_spec = dict(
        release=dict(type="str", required=True, choices=list(RELEASES)),
        device_driver=dict(type="str", required=True, choices=["strongswan", "libreswan"]),
        name=dict(type="str", default="scs-default"),
        description=dict(type="str"),
        project=dict(type="str"),
        ike_policy=dict(type="dict", default={}),
        ipsec_policy=dict(type="dict", default={}),
        allow_weak=dict(type="bool", default=False),
        validate_only=dict(type="bool", default=False),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    api_name = "Networking API"

    def run(self):
        p = self.params
        problems = vpnaas_input.module_option_problems(p)
        if problems:
            self.fail_json(msg="invalid options: " + "; ".join(problems), problems=list(problems))
        try:
            ike, ipsec = validate_policies(p["release"], p["device_driver"], p["ike_policy"],
                                           p["ipsec_policy"], p["allow_weak"])
        except VpnaasValidationError as exc:
            self.fail_json(msg=str(exc))
        allowed = dict((k, list(v)) for k, v in strong_values(p["release"], p["device_driver"]).items())
        if p["validate_only"]:
            return dict(changed=False, ike_policy=ike, ipsec_policy=ipsec, allowed=allowed)
        try:
            manager = vpnaas_api.PolicyManager(self.conn, self.check_mode)
            project_id = manager.project_id(p["project"])
            if p["state"] == "absent":
                (c_ike, b_ike), (c_ipsec, b_ipsec) = manager.absent_pair(p["name"], project_id)
                return dict(changed=c_ike or c_ipsec, ike_policy={}, ipsec_policy={}, allowed=allowed,
                            diff=dict(before=dict(ike_policy=b_ike or {}, ipsec_policy=b_ipsec or {}),
                                      after=dict(ike_policy={}, ipsec_policy={})))
            (c_ike, b_ike, a_ike), (c_ipsec, b_ipsec, a_ipsec) = manager.ensure_pair(
                p["name"], project_id, ike, ipsec, p["description"])
        except vpnaas_api.PolicyInUseError as exc:
            self.fail_json(msg=str(exc))
        return dict(changed=c_ike or c_ipsec, ike_policy=a_ike, ipsec_policy=a_ipsec, allowed=allowed,
                    diff=dict(before=dict(ike_policy=b_ike or {}, ipsec_policy=b_ipsec or {}),
                              after=dict(ike_policy=a_ike, ipsec_policy=a_ipsec)))


def main():
    VpnaasPoliciesModule()()


if __name__ == "__main__":
    main()
