#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ovn_ipsec_firewall
short_description: Open IKE and ESP between OVN tunnel endpoints in an iptables chain of its own
version_added: 0.1.0
description:
  - Keeps an iptables (IPv4) or ip6tables (IPv6) chain that accepts ESP, IKE (UDP 500) and
    NAT traversal (UDP 4500) from each peer's tunnel endpoint to the local one, and a rule at
    the top of C(INPUT) that jumps to it.
  - Reads the chain once, appends what is missing and deletes the module's own rules for
    endpoints that are no longer peers. Rules in the chain without the module's comment
    C(scs.kolla.ovn_ipsec) are left alone.
  - Made for scs.kolla.ovn_ipsec; one module run replaces one iptables module run per rule.
  - Rules are not persisted across reboots; that is the host firewall tooling's job.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  chain:
    description: Name of the chain (1-28 letters, digits, C(_), C(.), C(-); not a built-in chain).
    type: str
    default: OVN-IPSEC
  local_ip:
    description:
      - This chassis' tunnel endpoint (OVS C(external_ids:ovn-encap-ip)). Required with O(state=present).
      - With O(state=absent) it only selects iptables or ip6tables (iptables when not given).
    type: str
  peer_ips:
    description: The other chassis' tunnel endpoints, of the same address family as O(local_ip).
    type: list
    elements: str
    default: []
  state:
    description: V(present) keeps the chain and the jump; V(absent) removes the jump and the chain.
    type: str
    choices: [present, absent]
    default: present
requirements:
  - iptables (ip6tables for IPv6 endpoints)
attributes:
  check_mode:
    support: full
    description: Reports the rules it would add and delete without changing them.
  diff_mode:
    support: full
    description: Shows the chain's rules before and after.
"""

EXAMPLES = r"""
- name: Accept IKE and ESP from the other chassis
  scs.kolla.ovn_ipsec_firewall:
    local_ip: 192.0.2.11
    peer_ips: [192.0.2.12, 192.0.2.13]

- name: Remove the chain and its jump again
  scs.kolla.ovn_ipsec_firewall:
    state: absent
"""

RETURN = r"""
added:
  description: Rules appended (or in check mode to be appended), in C(iptables -S) spelling.
  returned: always
  type: list
  elements: str
  sample: ['-A OVN-IPSEC -s 192.0.2.12/32 -d 192.0.2.11/32 -p esp -m comment --comment "scs.kolla.ovn_ipsec esp" -j ACCEPT']
removed:
  description: Rules deleted (or to be deleted), in C(iptables -S) spelling.
  returned: always
  type: list
  elements: str
chain_created:
  description: Whether the chain was (or would be) created.
  returned: always
  type: bool
jump_added:
  description: Whether the C(INPUT) jump was (or would be) inserted.
  returned: always
  type: bool
chain_removed:
  description: Whether the chain and its jumps were (or would be) removed (O(state=absent)).
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.kolla.plugins.module_utils import ovn_ipsec_firewall as fw


def run(module, argv, check=True):
    rc, out, err = module.run_command(argv)
    if check and rc != 0:
        module.fail_json(msg="%s failed (rc %d): %s" % (" ".join(argv), rc, (err or out).strip()))
    return rc, out


def main():
    module = AnsibleModule(
        argument_spec=dict(
            chain=dict(type="str", default="OVN-IPSEC"),
            local_ip=dict(type="str"),
            peer_ips=dict(type="list", elements="str", default=[]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    chain = params["chain"]
    try:
        family, local, peers = fw.validate(chain, params["local_ip"], params["peer_ips"], params["state"])
    except fw.FirewallInputError as exc:
        module.fail_json(msg="invalid input: %s" % exc, problems=exc.problems)
    absent = params["state"] == "absent"
    result = dict(changed=False, added=[], removed=[], chain_created=False, jump_added=False, chain_removed=False)
    # Without iptables there is nothing to remove.
    binary = module.get_bin_path("ip6tables" if family == 6 else "iptables", required=not absent)
    if binary is None:
        module.exit_json(**result)

    rc, listing = run(module, [binary, "-S", chain], check=False)
    exists = rc == 0
    current = fw.chain_rules(listing, chain) if exists else []

    def diff(after):
        return dict(before_header=chain, after_header=chain,
                    before="".join(r + "\n" for r in current), after="".join(r + "\n" for r in after))

    if absent:
        result.update(changed=exists, chain_removed=exists, removed=current)
        if module._diff and exists:
            result["diff"] = diff([])
        if exists and not module.check_mode:
            # A jump inserted twice (by hand, or by an older version) is removed as well.
            while run(module, [binary] + fw.jump_argv("-D", chain), check=False)[0] == 0:
                pass
            run(module, [binary, "-F", chain])
            run(module, [binary, "-X", chain])
        module.exit_json(**result)

    jump = exists and run(module, [binary] + fw.jump_argv("-C", chain), check=False)[0] == 0
    desired = fw.desired_rules(chain, local, peers)
    add, remove = fw.plan(current, desired)
    result.update(changed=bool(add or remove or not exists or not jump), added=add, removed=remove,
                  chain_created=not exists, jump_added=not jump)
    if module._diff:
        result["diff"] = diff([rule for rule in current if rule not in remove] + add)
    if module.check_mode or not result["changed"]:
        module.exit_json(**result)

    if not exists:
        run(module, [binary, "-N", chain])
    for rule in remove:
        run(module, [binary] + fw.rule_argv(rule, "-D"))
    for rule in add:
        run(module, [binary] + fw.rule_argv(rule, "-A"))
    if not jump:
        run(module, [binary, "-I", "INPUT", "1"] + fw.jump_argv("-A", chain)[2:])
    # The comparison relies on iptables -S printing the rules as they are spelt here; if this
    # iptables prints them otherwise, every run would append them again. Fail instead.
    missing = [rule for rule in desired if rule not in fw.chain_rules(run(module, [binary, "-S", chain])[1], chain)]
    if missing:
        module.fail_json(msg="%s lists the rules it was given differently, e.g. %s is not in the output of %s -S %s"
                         % (binary, missing[0], binary, chain), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
