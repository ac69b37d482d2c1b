# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Which ovs-monitor-ipsec fixes an Open vSwitch version carries, and what the role does about it."""

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import ovs_version as m


@pytest.mark.parametrize("text, expected", [
    ("3.1.0", (3, 1, 0)),
    ("3.1.0-2+deb12u1", (3, 1, 0)),
    ("1:3.3.0-1ubuntu1", (3, 3, 0)),
    ("3.3.0~git20240118.e802fe0-3", (3, 3, 0)),
    ("2.17.9-0ubuntu0.22.04.1", (2, 17, 9)),
    ("3.5", (3, 5, 0)),
    ("ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n", (3, 1, 0)),
    ("ovs-vsctl (Open vSwitch) 3.4.1\n", (3, 4, 1)),
    ("", None),
    (None, None),
    ("not a version", None),
])
def test_parse_version(text, expected):
    assert m.parse_version(text) == expected


# (version, has --command-timeout, has the NSS stale-certificate fix)
TABLE = [
    ("2.17.9", False, False),
    ("3.0.7", False, False),
    ("3.1.0", False, False),   # Debian 12
    ("3.1.5", False, False),
    ("3.1.6", True, False),    # --command-timeout backport; 3.1 never got the NSS fix
    ("3.1.7", True, False),
    ("3.2.3", False, False),
    ("3.2.4", True, False),
    ("3.2.5", True, False),
    ("3.2.6", True, True),
    ("3.3.0", False, False),   # Ubuntu 24.04
    ("3.3.2", False, False),
    ("3.3.3", True, False),
    ("3.3.5", True, False),
    ("3.3.6", True, True),
    ("3.4.0", False, False),
    ("3.4.1", True, False),
    ("3.4.3", True, False),
    ("3.4.4", True, True),
    ("3.5.0", True, False),
    ("3.5.1", True, False),
    ("3.5.2", True, True),
    ("3.6.0", True, True),
    ("3.7.1", True, True),
    ("4.0.0", True, True),
]


@pytest.mark.parametrize("version, timeout, nss", TABLE)
def test_feature_table(version, timeout, nss):
    v = m.parse_version(version)
    assert m.COMMAND_TIMEOUT.present(v) is timeout
    assert m.NSS_STALE_CERT.present(v) is nss


@pytest.mark.parametrize("version, timeout, nss", TABLE)
def test_libreswan_decision_follows_the_table(version, timeout, nss):
    d = m.decide(m.parse_version(version), "libreswan")
    assert d["command_timeout"] is timeout
    assert d["whack_release_timer"] is (not timeout)
    assert d["nss_remove_replaced"] is (not nss)
    # Warn exactly where a workaround is needed, never fail.
    assert len(d["warnings"]) == (not timeout) + (not nss)
    assert all("Open vSwitch %s lacks" % m.format_version(m.parse_version(version)) in w for w in d["warnings"])


@pytest.mark.parametrize("version, timeout, nss", TABLE)
def test_strongswan_needs_no_libreswan_workaround(version, timeout, nss):
    d = m.decide(m.parse_version(version), "strongswan")
    assert d["command_timeout"] is timeout
    assert d["whack_release_timer"] is False and d["nss_remove_replaced"] is False
    assert d["warnings"] == []


def test_unknown_version_turns_every_workaround_on_and_warns():
    d = m.decide(None, "libreswan")
    assert d["version"] == "unknown" and not d["known"]
    assert d["whack_release_timer"] and d["nss_remove_replaced"] and not d["command_timeout"]
    assert len(d["warnings"]) == 1 and "ovn_ipsec_ovs_version" in d["warnings"][0]
    assert m.decide(None, "strongswan")["warnings"]


def test_warning_names_the_releases_with_the_fix():
    [timeout, nss] = m.decide((3, 1, 0), "libreswan")["warnings"]
    assert "3.5.0, 3.1.6, 3.2.4, 3.3.3, 3.4.1" in timeout and "whack release timer" in timeout
    assert "3.6.0, 3.2.6, 3.3.6, 3.4.4, 3.5.2" in nss and "NSS" in nss


def test_monitor_arguments():
    assert m.monitor_arguments(m.decide((3, 1, 0), "libreswan"), "libreswan", "/var/lib/ipsec/nss", 60) == [
        "--ipsec-d=/var/lib/ipsec/nss"]
    assert m.monitor_arguments(m.decide((3, 4, 1), "libreswan"), "libreswan", "/var/lib/ipsec/nss", 45) == [
        "--ipsec-d=/var/lib/ipsec/nss", "--command-timeout=45"]
    assert m.monitor_arguments(m.decide((3, 6, 0), "strongswan"), "strongswan", "/var/lib/ipsec/nss", 60) == []
