# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_policy as vp
from ansible_collections.scs.kolla.plugins.module_utils.vpnaas_policy import VpnaasValidationError

ALL = [(r, d) for r in vp.RELEASES for d in vp.DEVICE_DRIVERS]


@pytest.mark.parametrize("release,driver", ALL)
def test_defaults_are_valid_and_strong_everywhere(release, driver):
    ike, ipsec = vp.validate_policies(release, driver)
    assert ike["ike_version"] == "v2" and ipsec["transform_protocol"] == "esp"
    assert ike["encryption_algorithm"].startswith("aes-256")
    for policy in (ike, ipsec):
        for key in ("encryption_algorithm", "auth_algorithm", "pfs"):
            assert policy[key] in vp.strong_values(release, driver)[key]


@pytest.mark.parametrize("release", ["2024.1", "2024.2"])
def test_2024_defaults_match_the_issue(release):
    ike, ipsec = vp.validate_policies(release, "strongswan")
    assert (ike["encryption_algorithm"], ike["auth_algorithm"], ike["pfs"]) == ("aes-256", "sha256", "group14")
    assert ipsec["pfs"] == "group14"


def test_stronger_defaults_from_2025_1():
    ike, ipsec = vp.validate_policies("2025.1", "strongswan")
    assert (ike["encryption_algorithm"], ike["pfs"]) == ("aes-256-gcm-16", "group20")
    ike = vp.validate_policies("2026.1", "libreswan")[0]
    # Libreswan's DIALECT_MAP has no GCM: stay with CBC there.
    assert (ike["encryption_algorithm"], ike["pfs"]) == ("aes-256", "group20")


def test_weak_pfs_on_2024_1_names_the_allowed_values():
    with pytest.raises(VpnaasValidationError) as err:
        vp.validate_policies("2024.1", "strongswan", ike={"pfs": "group5"})
    msg = str(err.value)
    assert "pfs='group5' is refused as weak" in msg
    assert "OpenStack 2024.1 (neutron-vpnaas 24)" in msg
    assert msg.endswith("allowed on OpenStack 2024.1 (neutron-vpnaas 24) with the strongswan device driver: group14")


def test_group20_unsupported_on_2024_but_fine_on_2025():
    with pytest.raises(VpnaasValidationError, match=r"pfs='group20' is not supported on OpenStack 2024.2.*allowed: group2, group5, group14$"):
        vp.validate_policies("2024.2", "strongswan", ipsec={"pfs": "group20"})
    ike, ipsec = vp.validate_policies("2025.1", "strongswan", ipsec={"pfs": "group20"})
    assert ipsec["pfs"] == "group20"


def test_gcm_depends_on_release_and_driver():
    with pytest.raises(VpnaasValidationError, match="aes-256-gcm-16' is not supported on OpenStack 2024.1"):
        vp.validate_policies("2024.1", "strongswan", ike={"encryption_algorithm": "aes-256-gcm-16"})
    with pytest.raises(VpnaasValidationError, match="with the libreswan device driver; allowed: 3des, aes-128, aes-192, aes-256"):
        vp.validate_policies("2026.1", "libreswan", ike={"encryption_algorithm": "aes-256-gcm-16"})
    vp.validate_policies("2026.1", "strongswan", ike={"encryption_algorithm": "aes-128-gcm-16"})


def test_libreswan_lacks_brainpool_groups():
    assert "group29" in vp.allowed_values("2025.2", "strongswan")["pfs"]
    assert "group29" not in vp.allowed_values("2025.2", "libreswan")["pfs"]
    assert "group31" in vp.allowed_values("2025.2", "libreswan")["pfs"]


@pytest.mark.parametrize("policy,fragment", [
    ({"encryption_algorithm": "3des"}, "64-bit block cipher"),
    ({"auth_algorithm": "sha1"}, "SHA-1"),
    ({"ike_version": "v1"}, "IKEv1 is deprecated"),
    ({"phase1_negotiation_mode": "aggressive"}, "aggressive mode"),
])
def test_weak_ike_values_refused(policy, fragment):
    with pytest.raises(VpnaasValidationError, match=fragment):
        vp.validate_policies("2025.1", "strongswan", ike=policy)


def test_weak_values_pass_only_with_allow_weak():
    ike = vp.validate_policies("2024.1", "libreswan", ike={"pfs": "group5", "auth_algorithm": "sha1"}, allow_weak=True)[0]
    assert ike["pfs"] == "group5"
    with pytest.raises(VpnaasValidationError, match="not supported"):
        vp.validate_policies("2024.1", "libreswan", ike={"pfs": "group19"}, allow_weak=True)


def test_ipsec_specific_checks():
    with pytest.raises(VpnaasValidationError, match="transform_protocol='ah-esp' is not supported.*allowed: esp, ah"):
        vp.validate_policies("2025.1", "strongswan", ipsec={"transform_protocol": "ah-esp"})
    with pytest.raises(VpnaasValidationError, match="AH authenticates only"):
        vp.validate_policies("2025.1", "strongswan", ipsec={"transform_protocol": "ah"})
    with pytest.raises(VpnaasValidationError, match="8-octet ICV"):
        vp.validate_policies("2025.1", "strongswan", ipsec={"encryption_algorithm": "aes-256-gcm-8"})


def test_every_error_is_reported_at_once():
    with pytest.raises(VpnaasValidationError) as err:
        vp.validate_policies("2024.1", "strongswan", ike={"pfs": "group2", "bogus": 1},
                             ipsec={"auth_algorithm": "md5"})
    msg = str(err.value)
    assert "IKE policy: unknown keys bogus" in msg
    assert "IKE policy: pfs='group2'" in msg
    assert "IPsec policy: auth_algorithm='md5' is not supported" in msg


@pytest.mark.parametrize("lifetime,fragment", [
    ({"units": "kilobytes", "value": 3600}, "allowed: seconds"),
    ({"value": 30}, "from 60 to 86400"),
    ({"value": "3600"}, "must be an integer"),
    ({"value": True}, "must be an integer"),
    ("3600", "must be a dict"),
])
def test_lifetime(lifetime, fragment):
    with pytest.raises(VpnaasValidationError, match=fragment):
        vp.validate_policies("2026.1", "strongswan", ipsec={"lifetime": lifetime})


def test_lifetime_is_merged_with_defaults():
    ike = vp.validate_policies("2026.1", "strongswan", ike={"lifetime": {"value": 7200}})[0]
    assert ike["lifetime"] == {"units": "seconds", "value": 7200}


@pytest.mark.parametrize("release", ["", None, "2023.2", "2027.1", "master", "22.2.0"])
def test_unknown_release(release):
    with pytest.raises(VpnaasValidationError, match=r"unknown OpenStack release .*supports 2024.1, 2024.2, 2025.1, 2025.2, 2026.1, 2026.2"):
        vp.validate_policies(release, "strongswan")


def test_unknown_device_driver():
    with pytest.raises(VpnaasValidationError, match="unknown device driver 'openswan'"):
        vp.validate_policies("2024.1", "openswan")


def test_policy_must_be_dict():
    with pytest.raises(VpnaasValidationError, match="ike_policy must be a dict"):
        vp.validate_policies("2024.1", "strongswan", ike=["pfs", "group14"])


def test_release_tables_cover_every_release():
    for table in (vp.API_VALUES, vp.KOLLA_ANSIBLE_MAJOR, vp.NEUTRON_VPNAAS_MAJOR):
        assert sorted(table) == list(vp.RELEASES)
    assert vp.API_VALUES["2024.1"]["pfs"] == ("group2", "group5", "group14")
    assert len(vp.API_VALUES["2025.1"]["pfs"]) == 20  # group2, 5, 14..31
