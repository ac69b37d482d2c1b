# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
import ipaddress

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import ovn_ipsec_firewall as fw

# What iptables 1.8.9 (nft) printed on a test bed guest for the role's rules.
LISTING = """-N OVN-IPSEC
-A OVN-IPSEC -s 198.18.77.22/32 -d 198.18.77.21/32 -p esp -m comment --comment "scs.kolla.ovn_ipsec esp" -j ACCEPT
-A OVN-IPSEC -s 198.18.77.22/32 -d 198.18.77.21/32 -p udp -m udp --dport 500 -m comment --comment "scs.kolla.ovn_ipsec ike" -j ACCEPT
-A OVN-IPSEC -s 198.18.77.22/32 -d 198.18.77.21/32 -p udp -m udp --dport 4500 -m comment --comment "scs.kolla.ovn_ipsec ike-natt" -j ACCEPT
"""


def addr(text):
    return ipaddress.ip_address(text)


def test_desired_rules_are_spelt_as_iptables_lists_them():
    rules = fw.desired_rules("OVN-IPSEC", addr("198.18.77.21"), [addr("198.18.77.22")])
    assert rules == fw.chain_rules(LISTING, "OVN-IPSEC")


def test_ipv6_rules_use_128_bit_prefixes():
    rules = fw.desired_rules("OVN-IPSEC", addr("fd00::1"), [addr("fd00::2")])
    assert rules[0] == '-A OVN-IPSEC -s fd00::2/128 -d fd00::1/128 -p esp -m comment --comment "scs.kolla.ovn_ipsec esp" -j ACCEPT'
    assert len(rules) == 3


def test_converged_chain_needs_nothing():
    current = fw.chain_rules(LISTING, "OVN-IPSEC")
    assert fw.plan(current, list(current)) == ([], [])


def test_new_peer_added_departed_peer_removed_operator_rule_kept():
    current = fw.chain_rules(LISTING + "-A OVN-IPSEC -s 10.0.0.9/32 -p icmp -j ACCEPT\n", "OVN-IPSEC")
    local = addr("198.18.77.21")
    desired = fw.desired_rules("OVN-IPSEC", local, [addr("198.18.77.23")])
    add, remove = fw.plan(current, desired)
    assert add == desired
    assert remove == fw.chain_rules(LISTING, "OVN-IPSEC")
    assert not any("10.0.0.9" in rule for rule in remove)


def test_duplicate_own_rule_is_removed_once():
    current = fw.chain_rules(LISTING, "OVN-IPSEC")
    add, remove = fw.plan(current + [current[0]], list(current))
    assert add == [] and remove == [current[0]]


def test_rule_argv_keeps_the_quoted_comment_as_one_word():
    rule = fw.chain_rules(LISTING, "OVN-IPSEC")[1]
    assert fw.rule_argv(rule, "-D") == ["-D", "OVN-IPSEC", "-s", "198.18.77.22/32", "-d", "198.18.77.21/32", "-p", "udp",
                                        "-m", "udp", "--dport", "500", "-m", "comment", "--comment",
                                        "scs.kolla.ovn_ipsec ike", "-j", "ACCEPT"]


def test_validate_sorts_and_deduplicates_peers():
    family, local, peers = fw.validate("OVN-IPSEC", "192.0.2.1", ["192.0.2.3", "192.0.2.2", "192.0.2.3"])
    assert family == 4 and local == addr("192.0.2.1")
    assert peers == [addr("192.0.2.2"), addr("192.0.2.3")]


@pytest.mark.parametrize("chain, local_ip, peer_ips, expected", [
    ("INPUT", "192.0.2.1", [], "chain 'INPUT' is not accepted; expected a name for a chain of its own"),
    ("has space", "192.0.2.1", [], "chain 'has space'"),
    ("X" * 29, "192.0.2.1", [], "expected a name for a chain of its own"),
    ("OVN\n", "192.0.2.1", [], "chain 'OVN\\n' is not accepted"),
    ("-F", "192.0.2.1", [], "chain '-F' is not accepted"),
    ("ACCEPT", "192.0.2.1", [], "chain 'ACCEPT' is not accepted"),
    ("OVN-IPSEC", None, [], "local_ip is required with state=present"),
    ("OVN-IPSEC", "192.0.2.300", [], "local_ip '192.0.2.300' is not an IPv4 or IPv6 address"),
    ("OVN-IPSEC", "192.0.2.1", ["fd00::2"], "peer_ips[0] fd00::2 is IPv6, local_ip 192.0.2.1 is IPv4"),
    ("OVN-IPSEC", "192.0.2.1", ["192.0.2.1"], "peer_ips[0] 192.0.2.1 is the local address itself"),
    ("OVN-IPSEC", "192.0.2.1", ["node-2"], "peer_ips[0] 'node-2' is not an IPv4 or IPv6 address"),
])
def test_validate_names_the_bad_value(chain, local_ip, peer_ips, expected):
    with pytest.raises(fw.FirewallInputError) as caught:
        fw.validate(chain, local_ip, peer_ips)
    assert expected in str(caught.value)


def test_validate_lists_every_problem():
    with pytest.raises(fw.FirewallInputError) as caught:
        fw.validate("INPUT", "nope", ["also-nope"])
    assert len(caught.value.problems) == 3


def test_absent_needs_no_addresses_and_picks_the_family_from_local_ip():
    assert fw.validate("OVN-IPSEC", None, [], state="absent")[0] == 4
    assert fw.validate("OVN-IPSEC", "fd00::1", [], state="absent")[0] == 6


# What iptables 1.8.9 (nft) printed on a test bed guest for the guard chain.
GUARD_LISTING = """-N OVN-IPSEC-GUARD
-A OVN-IPSEC-GUARD -d 198.18.77.22/32 -p udp -m udp --dport 6081 -m policy --dir out --pol none -m comment --comment "scs.kolla.ovn_ipsec guard" -j DROP
"""


def test_guard_rules_are_spelt_as_iptables_lists_them():
    rules = fw.guard_rules("OVN-IPSEC-GUARD", [addr("198.18.77.22")])
    assert rules == fw.chain_rules(GUARD_LISTING, "OVN-IPSEC-GUARD")
    assert fw.is_ours(rules[0])


def test_guard_follows_the_peers():
    current = fw.chain_rules(GUARD_LISTING, "OVN-IPSEC-GUARD")
    desired = fw.guard_rules("OVN-IPSEC-GUARD", [addr("198.18.77.23"), addr("198.18.77.24")])
    add, remove = fw.plan(current, desired)
    assert add == desired and remove == current
    assert fw.plan(current, []) == ([], current)


def test_guard_ipv6_and_no_peers():
    assert fw.guard_rules("G", [addr("fd00::2")]) == [
        '-A G -d fd00::2/128 -p udp -m udp --dport 6081 -m policy --dir out --pol none -m comment --comment "scs.kolla.ovn_ipsec guard" -j DROP']
    assert fw.guard_rules("G", []) == []


def test_guard_jump_is_in_output():
    assert fw.jump_argv("-C", "OVN-IPSEC-GUARD", "OUTPUT") == ["-C", "OUTPUT", "-m", "comment", "--comment",
                                                               "scs.kolla.ovn_ipsec", "-j", "OVN-IPSEC-GUARD"]


@pytest.mark.parametrize("guard_chain, expected", [
    ("OUTPUT", "guard_chain 'OUTPUT' is not accepted"),
    ("OVN-IPSEC", "guard_chain 'OVN-IPSEC' is the chain of the openings"),
])
def test_validate_guard_chain(guard_chain, expected):
    with pytest.raises(fw.FirewallInputError) as caught:
        fw.validate("OVN-IPSEC", "192.0.2.1", [], guard_chain=guard_chain)
    assert expected in str(caught.value)
