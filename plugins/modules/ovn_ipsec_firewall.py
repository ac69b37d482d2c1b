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
  - With O(guard=true) (the default) a second chain, jumped to first from C(OUTPUT), drops UDP to
    the Geneve port 6081 of every peer endpoint when no IPsec policy applies to the packet
    (C(-m policy --dir out --pol none)), so Geneve never leaves the host unencrypted, also while the
    IKE daemon restarts or before it has installed its policies. Geneve that IPsec encrypts passes.
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
  guard:
    description:
      - With O(state=present), keep the guard chain (V(true)) or remove it (V(false)).
      - Switch it on only once the tunnels to O(peer_ips) are meant to be encrypted (OVN C(NB_Global)
        C(ipsec=true)); it drops plain Geneve to those peers.
    type: bool
    default: true
  guard_chain:
    description: Name of the guard chain (same rules as O(chain), different from it).
    type: str
    default: OVN-IPSEC-GUARD
  guard_only:
    description:
      - With O(state=absent), remove only the guard chain and its jump and keep the openings, so
        that tunnels may fall back to plain Geneve while IKE still reaches the peers.
    type: bool
    default: false
  state:
    description:
      - V(present) keeps the chain and the jump (and the guard, see O(guard)); V(absent) removes
        the jumps and the chains (only the guard with O(guard_only=true)).
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

- name: Before switching IPsec off, let plain Geneve leave again
  scs.kolla.ovn_ipsec_firewall:
    state: absent
    guard_only: true

- name: Remove the chains and their jumps again
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
guard:
  description: What changed (or would change) in the guard chain.
  returned: always
  type: dict
  contains:
    added:
      description: Rules appended, in C(iptables -S) spelling.
      type: list
      elements: str
    removed:
      description: Rules deleted, in C(iptables -S) spelling.
      type: list
      elements: str
    chain_created:
      description: Whether the guard chain was (or would be) created.
      type: bool
    jump_added:
      description: Whether the C(OUTPUT) jump was (or would be) inserted.
      type: bool
    chain_removed:
      description: Whether the guard chain and its jumps were (or would be) removed.
      type: bool
  sample:
    added:
      - -A OVN-IPSEC-GUARD -d 192.0.2.12/32 -p udp -m udp --dport 6081 -m policy --dir out --pol none
        -m comment --comment "scs.kolla.ovn_ipsec guard" -j DROP
    removed: []
    chain_created: true
    jump_added: true
    chain_removed: false
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.kolla.plugins.module_utils import ovn_ipsec_firewall as fw


def run(module, argv, check=True):
    rc, out, err = module.run_command(argv)
    if check and rc != 0:
        module.fail_json(msg="%s failed (rc %d): %s" % (" ".join(argv), rc, (err or out).strip()))
    return rc, out


class Chain(object):
    """One chain of the module and the jump to it from a built-in chain, read once."""

    def __init__(self, module, binary, name, builtin):
        self.module, self.binary, self.name, self.builtin = module, binary, name, builtin
        rc, listing = run(module, [binary, "-S", name], check=False)
        self.exists = rc == 0
        self.current = fw.chain_rules(listing, name) if self.exists else []
        self.jump = self.exists and run(module, [binary] + fw.jump_argv("-C", name, builtin), check=False)[0] == 0

    def diff(self, after):
        return dict(before_header=self.name, after_header=self.name,
                    before="".join(r + "\n" for r in self.current), after="".join(r + "\n" for r in after))

    def plan_absent(self):
        return dict(changed=self.exists, added=[], removed=list(self.current), chain_created=False,
                    jump_added=False, chain_removed=self.exists)

    def apply_absent(self):
        if not self.exists:
            return
        # A jump inserted twice (by hand, or by an older version) is removed as well.
        while run(self.module, [self.binary] + fw.jump_argv("-D", self.name, self.builtin), check=False)[0] == 0:
            pass
        run(self.module, [self.binary, "-F", self.name])
        run(self.module, [self.binary, "-X", self.name])

    def plan_present(self, desired):
        add, remove = fw.plan(self.current, desired)
        return dict(changed=bool(add or remove or not self.exists or not self.jump), added=add, removed=remove,
                    chain_created=not self.exists, jump_added=not self.jump, chain_removed=False)

    def apply_present(self, plan, desired):
        if not plan["changed"]:
            return
        if not self.exists:
            run(self.module, [self.binary, "-N", self.name])
        for rule in plan["removed"]:
            run(self.module, [self.binary] + fw.rule_argv(rule, "-D"))
        for rule in plan["added"]:
            run(self.module, [self.binary] + fw.rule_argv(rule, "-A"))
        if not self.jump:
            run(self.module, [self.binary, "-I", self.builtin, "1"] + fw.jump_argv("-A", self.name, self.builtin)[2:])
        # The comparison relies on iptables -S printing the rules as they are spelt here; if this
        # iptables prints them otherwise, every run would append them again. Fail instead.
        listed = fw.chain_rules(run(self.module, [self.binary, "-S", self.name])[1], self.name)
        missing = [rule for rule in desired if rule not in listed]
        if missing:
            self.module.fail_json(msg="%s lists the rules it was given differently, e.g. %s is not in the output of %s -S %s"
                                  % (self.binary, missing[0], self.binary, self.name))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            chain=dict(type="str", default="OVN-IPSEC"),
            local_ip=dict(type="str"),
            peer_ips=dict(type="list", elements="str", default=[]),
            guard=dict(type="bool", default=True),
            guard_chain=dict(type="str", default="OVN-IPSEC-GUARD"),
            guard_only=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        family, local, peers = fw.validate(params["chain"], params["local_ip"], params["peer_ips"], params["state"],
                                           guard_chain=params["guard_chain"])
    except fw.FirewallInputError as exc:
        module.fail_json(msg="invalid input: %s" % exc, problems=exc.problems)
    absent = params["state"] == "absent"
    unchanged = dict(changed=False, added=[], removed=[], chain_created=False, jump_added=False, chain_removed=False)
    result = dict(unchanged, guard=dict(unchanged))
    result["guard"].pop("changed")
    # Without iptables there is nothing to remove.
    binary = module.get_bin_path("ip6tables" if family == 6 else "iptables", required=not absent)
    if binary is None:
        module.exit_json(**result)

    guard = Chain(module, binary, params["guard_chain"], "OUTPUT")
    openings = None if absent and params["guard_only"] else Chain(module, binary, params["chain"], "INPUT")
    diffs = []
    if absent:
        guard_plan = guard.plan_absent()
        open_plan = openings.plan_absent() if openings else dict(unchanged)
        if module._diff:
            diffs = [c.diff([]) for c in (guard, openings) if c is not None and c.exists]
    else:
        guard_desired = fw.guard_rules(guard.name, peers) if params["guard"] else []
        guard_plan = guard.plan_present(guard_desired) if params["guard"] else guard.plan_absent()
        open_desired = fw.desired_rules(openings.name, local, peers)
        open_plan = openings.plan_present(open_desired)
        if module._diff:
            diffs = [openings.diff([r for r in openings.current if r not in open_plan["removed"]] + open_plan["added"]),
                     guard.diff([r for r in guard.current if r not in guard_plan["removed"]] + guard_plan["added"])]
    result.update((k, v) for k, v in open_plan.items())
    result["guard"] = dict((k, v) for k, v in guard_plan.items() if k != "changed")
    result["changed"] = bool(open_plan["changed"] or guard_plan["changed"])
    if diffs:
        result["diff"] = diffs
    if module.check_mode or not result["changed"]:
        module.exit_json(**result)

    if absent:
        # The guard first: without it plain Geneve may leave, without the openings IKE may not arrive.
        guard.apply_absent()
        if openings:
            openings.apply_absent()
    else:
        # The openings first: the guard drops plain Geneve, IKE must be able to set up the SAs.
        openings.apply_present(open_plan, open_desired)
        if params["guard"]:
            guard.apply_present(guard_plan, guard_desired)
        else:
            guard.apply_absent()
    module.exit_json(**result)


if __name__ == "__main__":
    main()
