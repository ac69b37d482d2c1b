# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""scs.kolla.ovn_ipsec_firewall against real iptables, inside a network namespace of its own.

Skipped without root, ip netns or iptables; the host's own firewall is never touched.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest

from ansible_collections.scs.kolla.plugins.modules import ovn_ipsec_firewall

GUARD = ('-A OVN-IPSEC-GUARD -d %s/32 -p udp -m udp --dport 6081 -m policy --dir out --pol none '
         '-m comment --comment "scs.kolla.ovn_ipsec guard" -j DROP')


def _usable():
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("iptables"):
        return False
    name = "scs-probe-%s" % uuid.uuid4().hex[:8]
    if subprocess.run(["ip", "netns", "add", name], capture_output=True, check=False).returncode != 0:
        return False
    try:
        probe = subprocess.run(["ip", "netns", "exec", name, "iptables", "-m", "policy", "-h"],
                               capture_output=True, check=False)
        return probe.returncode == 0
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)


pytestmark = pytest.mark.skipif(not _usable(), reason="needs root, ip netns and iptables with the policy match")


@pytest.fixture
def netns():
    name = "scs-fw-%s" % uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    yield name
    subprocess.run(["ip", "netns", "del", name], check=False)


def run(netns, check_mode=False, **args):
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=False)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run(["ip", "netns", "exec", netns, sys.executable, ovn_ipsec_firewall.__file__],
                          input=json.dumps({"ANSIBLE_MODULE_ARGS": args}), capture_output=True, text=True,
                          env=env, check=False)
    return json.loads(proc.stdout)


def rules(netns):
    out = subprocess.run(["ip", "netns", "exec", netns, "iptables", "-S"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_guard_lifecycle(netns):
    peers = dict(local_ip="198.51.100.1", peer_ips=["198.51.100.2", "198.51.100.3"])
    # Before the NB switch: openings only.
    out = run(netns, guard=False, **peers)
    assert out["changed"] and out["chain_created"] and not out["guard"]["chain_created"]
    assert not [r for r in rules(netns) if "GUARD" in r]
    assert run(netns, guard=False, **peers)["changed"] is False
    # Check mode predicts the guard, a real run adds exactly that, then nothing changes.
    predicted = run(netns, check_mode=True, **peers)
    assert predicted["guard"]["added"] == [GUARD % "198.51.100.2", GUARD % "198.51.100.3"]
    assert not [r for r in rules(netns) if "GUARD" in r]
    out = run(netns, **peers)
    assert out["guard"] == predicted["guard"]
    listed = rules(netns)
    assert GUARD % "198.51.100.2" in listed and GUARD % "198.51.100.3" in listed
    assert [r for r in listed if r.startswith("-A OUTPUT ")][0].endswith("-j OVN-IPSEC-GUARD")
    assert run(netns, **peers)["changed"] is False
    # A peer leaves: its opening and its guard rule go.
    out = run(netns, local_ip="198.51.100.1", peer_ips=["198.51.100.2"])
    assert out["guard"]["removed"] == [GUARD % "198.51.100.3"] and len(out["removed"]) == 3
    # The way back: the guard first (openings stay), then everything.
    out = run(netns, state="absent", guard_only=True, local_ip="198.51.100.1")
    assert out["guard"]["chain_removed"] and not out["chain_removed"]
    assert not [r for r in rules(netns) if "GUARD" in r] and [r for r in rules(netns) if r.startswith("-A OVN-IPSEC ")]
    out = run(netns, state="absent")
    assert out["chain_removed"] and not [r for r in rules(netns) if "OVN-IPSEC" in r]
    assert run(netns, state="absent")["changed"] is False
