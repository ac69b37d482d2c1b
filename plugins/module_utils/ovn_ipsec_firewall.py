# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The IKE/ESP openings and the plain-Geneve guard of one OVN chassis as iptables rules, and
what to change to get them.

The guard is a chain jumped to from ``OUTPUT``: per peer tunnel endpoint, one rule drops UDP to
the Geneve port of that peer when no IPsec policy applies to the packet (``-m policy --dir out
--pol none``). Geneve that an IPsec policy encrypts passes (the ESP packet that leaves is not UDP
6081); plain Geneve never leaves, whatever the IKE daemon does (restart, missing policy).

Pure Python (no Ansible imports): the input is what ``iptables -S CHAIN`` prints, the output
the rules to append and to delete, in ``iptables -S`` spelling. Comparing whole lines in that
spelling needs one listing per run instead of one ``iptables -C`` call per rule, which matters
on a chassis with hundreds of peers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import shlex

# Comment on every rule the role writes; rules without it are the operator's and stay.
MARKER = "scs.kolla.ovn_ipsec"
# (comment suffix, match) per opening, as iptables -S prints the match.
SERVICES = (
    ("esp", "-p esp"),
    ("ike", "-p udp -m udp --dport 500"),
    ("ike-natt", "-p udp -m udp --dport 4500"),
)
# iptables chain names: at most 28 characters; no spaces or shell-special characters here,
# and never a leading '-' (iptables would read the name as an option). Applied with fullmatch.
CHAIN_RE = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,27}")
# The Geneve port OVN tunnels use (OVS's default for type=geneve).
GENEVE_PORT = 6081
GUARD_NAME = "guard"
BUILTIN_CHAINS = ("INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING")
# iptables targets are not chain names either.
RESERVED_CHAINS = BUILTIN_CHAINS + ("ACCEPT", "DROP", "REJECT", "RETURN", "QUEUE", "LOG")


def chain_problem(chain):
    """None for a name the role may create a chain with, else what is accepted."""
    if not isinstance(chain, str) or not CHAIN_RE.fullmatch(chain) or chain.upper() in RESERVED_CHAINS:
        return ("expected a name for a chain of its own: 1-28 letters, digits, '_', '.', '-', not starting "
                "with '-', not a built-in chain or target such as INPUT or ACCEPT")
    return None


class FirewallInputError(ValueError):
    """Bad module input; ``problems`` lists every problem found."""

    def __init__(self, problems):
        self.problems = problems
        super(FirewallInputError, self).__init__("; ".join(problems))


def _address(value, label, problems):
    try:
        return ipaddress.ip_address(u"%s" % value)
    except ValueError:
        problems.append("%s %r is not an IPv4 or IPv6 address" % (label, value))
        return None


def validate(chain, local_ip, peer_ips, state="present", guard_chain=None):
    """(address family 4 or 6, local address, sorted unique peer addresses) for good input.

    Raises FirewallInputError naming every bad value.
    """
    problems = []
    message = chain_problem(chain)
    if message:
        problems.append("chain %r is not accepted; %s" % (chain, message))
    if guard_chain is not None:
        message = chain_problem(guard_chain)
        if message:
            problems.append("guard_chain %r is not accepted; %s" % (guard_chain, message))
        elif guard_chain == chain:
            problems.append("guard_chain %r is the chain of the openings; expected a chain of its own" % guard_chain)
    local = _address(local_ip, "local_ip", problems) if local_ip else None
    if state == "absent":
        if problems:
            raise FirewallInputError(problems)
        # local_ip only picks iptables or ip6tables here.
        return (local.version if local is not None else 4), local, []
    if not local_ip:
        problems.append("local_ip is required with state=present")
    peers = []
    for index, value in enumerate(peer_ips or []):
        address = _address(value, "peer_ips[%d]" % index, problems)
        if address is None:
            continue
        if local is not None and address.version != local.version:
            problems.append("peer_ips[%d] %s is IPv%d, local_ip %s is IPv%d: one address family per chain"
                            % (index, address, address.version, local, local.version))
        elif local is not None and address == local:
            problems.append("peer_ips[%d] %s is the local address itself" % (index, address))
        elif address not in peers:
            peers.append(address)
    if problems:
        raise FirewallInputError(problems)
    return local.version, local, sorted(peers)


def desired_rules(chain, local, peers):
    """The chain's rules in iptables -S spelling, peer by peer."""
    prefix = 32 if local.version == 4 else 128
    return ['-A %s -s %s/%d -d %s/%d %s -m comment --comment "%s %s" -j ACCEPT'
            % (chain, peer, prefix, local, prefix, match, MARKER, name)
            for peer in peers for name, match in SERVICES]


def guard_rules(chain, peers):
    """The guard chain's rules in iptables -S spelling: drop unencrypted Geneve to each peer."""
    prefix = 32 if not peers or peers[0].version == 4 else 128
    return ['-A %s -d %s/%d -p udp -m udp --dport %d -m policy --dir out --pol none -m comment --comment "%s %s" -j DROP'
            % (chain, peer, prefix, GENEVE_PORT, MARKER, GUARD_NAME) for peer in peers]


def chain_rules(listing, chain):
    """The rule lines of ``chain`` in an ``iptables -S CHAIN`` listing."""
    head = "-A %s " % chain
    return [line.strip() for line in listing.splitlines() if line.startswith(head)]


def is_ours(rule):
    return '--comment "%s ' % MARKER in rule or "--comment %s " % MARKER in rule


def plan(current, desired):
    """(rules to append, rules to delete): missing wanted ones; own ones not wanted or repeated."""
    add = [rule for rule in desired if rule not in current]
    remove = []
    seen = set()
    for rule in current:
        if not is_ours(rule):
            continue
        if rule in desired and rule not in seen:
            seen.add(rule)
            continue
        remove.append(rule)
    return add, remove


def rule_argv(rule, operation):
    """iptables arguments for ``-A CHAIN ...`` with -A replaced by ``operation`` (-A or -D)."""
    words = shlex.split(rule)
    return [operation] + words[1:]


def jump_argv(operation, chain, builtin="INPUT"):
    """The rule of ``builtin`` (INPUT for the openings, OUTPUT for the guard) that sends traffic through ``chain``."""
    return [operation, builtin, "-m", "comment", "--comment", MARKER, "-j", chain]
