# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.scs.kolla.plugins.filter.kolla_config import FilterModule

FILTERS = FilterModule().filters()


def test_filter_names():
    assert sorted(FILTERS) == ["kolla_comment", "kolla_config", "kolla_ini", "kolla_releases"]


def test_releases_and_refusals():
    assert list(FILTERS["kolla_releases"]("proxysql_tls"))[-1] == "2026.2"
    assert "2024.1" in FILTERS["kolla_releases"]("proxysql_tls", unsupported=True)
    with pytest.raises(AnsibleFilterError, match="no release table"):
        FILTERS["kolla_releases"]("nope")


def test_config_dispatch_and_errors():
    fragment = FILTERS["kolla_config"]({"release": "2026.1", "neutron_plugin_agent": "ovn",
                                        "base_distro": "ubuntu"}, "vpnaas", "globals")
    assert "neutron_ovn_vpn_agent_default_volumes" in fragment["data"]
    with pytest.raises(AnsibleFilterError, match="2027.1"):
        FILTERS["kolla_config"]({"release": "2027.1"}, "vpnaas", "globals")
    with pytest.raises(AnsibleFilterError, match="inputs must be a dict"):
        FILTERS["kolla_config"]("2026.1", "vpnaas", "globals")


def test_comment_and_ini_refuse_line_breaks():
    assert FILTERS["kolla_comment"](["a", "b"]) == "# a\n# b"
    assert FILTERS["kolla_comment"]("one") == "# one"
    with pytest.raises(AnsibleFilterError, match="line break"):
        FILTERS["kolla_comment"](["a\nenable_x: yes"])
    assert FILTERS["kolla_ini"]({"sections": {"s": {"k": "v"}}}) == "[s]\nk = v\n"
    with pytest.raises(AnsibleFilterError, match="line break"):
        FILTERS["kolla_ini"]({"sections": {"s": {"k": "v\n[evil]"}}})
