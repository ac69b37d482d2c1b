# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.scs.kolla.plugins.filter.scs_flavor import FilterModule

FILTERS = FilterModule().filters()


def test_filter_names():
    assert sorted(FILTERS) == sorted([
        "flavor_analysis", "flavor_spec", "flavor_canonical", "flavor_short", "flavor_v1",
        "flavor_describe", "flavor_name", "flavor_gpu"])


def test_flavor_spec():
    spec = FILTERS["flavor_spec"]("SCS-2V-4-20s")
    assert (spec["cpus"], spec["ram"], spec["disk"]) == (2, 4096, 20)
    assert spec["extra_specs"]["scs:name-v1"] == "SCS-2V:4:20s"


def test_spellings_and_description():
    assert FILTERS["flavor_canonical"]("SCS-2C:4:10n") == "SCS-2C-4-10n"
    assert FILTERS["flavor_short"]("SCS-16C-64_kvm_i3h") == "SCS-16C-64"
    assert FILTERS["flavor_v1"]("SCS-2V-4-20s") == "SCS-2V:4:20s"
    assert FILTERS["flavor_describe"]("SCS-2V-4-20s") == "2 shared vCPUs, 4 GiB RAM, 20 GB local SSD"


@pytest.mark.parametrize("name", ["flavor_spec", "flavor_canonical", "flavor_short", "flavor_v1", "flavor_describe"])
def test_invalid_and_non_scs_names_fail_with_the_reason(name):
    with pytest.raises(AnsibleFilterError, match="CPU generation 7 is not defined for Intel"):
        FILTERS[name]("SCS-2V-4_i7")
    with pytest.raises(AnsibleFilterError, match="not an SCS flavor name"):
        FILTERS[name]("m1.small")
    with pytest.raises(AnsibleFilterError, match="expects a flavor name string"):
        FILTERS[name](42)


def test_analysis_never_fails():
    assert FILTERS["flavor_analysis"]("SCS-2V-4_i7")["valid"] is False
    assert FILTERS["flavor_analysis"]("m1.small")["scs"] is False


def test_flavor_name_and_gpu():
    attrs = {"cpus": 4, "cpu_type": "C", "ram": 16, "disk": 100, "disk_type": "p", "gpu_model": "A30", "gpu_fraction": "1/4"}
    assert FILTERS["flavor_name"](attrs) == "SCS-4C-16-100p_GNa-14-6"
    assert FILTERS["flavor_gpu"]("A30", "1/4") == "GNa-14-6"
    assert FILTERS["flavor_gpu"]("L4", virtual=True) == "gNl-58-24"
    with pytest.raises(AnsibleFilterError, match="flavor_name: cpus 0"):
        FILTERS["flavor_name"](dict(attrs, cpus=0))
    with pytest.raises(AnsibleFilterError, match="unknown GPU model"):
        FILTERS["flavor_gpu"]("B9000")
