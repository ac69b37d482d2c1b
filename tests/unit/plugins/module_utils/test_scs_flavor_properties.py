# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Property-based tests: generated canonical names parse back to the same attributes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor as sf
from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_tables as tables


@st.composite
def attribute_sets(draw):
    attrs = {
        "cpus": draw(st.integers(1, 512)),
        "cpu_type": draw(st.sampled_from(sorted(tables.CPU_TYPES))),
        "insecure": draw(st.booleans()),
        "ram": draw(st.integers(1, 4096)) / 2,
        "ram_no_ecc": draw(st.booleans()),
        "ram_oversubscribed": draw(st.booleans()),
        "hwv": draw(st.booleans()),
        "ib": draw(st.booleans()),
    }
    disk = draw(st.sampled_from(["none", "auto", "typed", "sized", "multi"]))
    if disk != "none":
        attrs["disk_type"] = draw(st.sampled_from([None] + sorted(tables.DISK_TYPES)))
    if disk == "auto":
        attrs["disk"] = "auto"
    elif disk == "typed":
        attrs["disk_type"] = draw(st.sampled_from(sorted(tables.DISK_TYPES)))
    elif disk in ("sized", "multi"):
        attrs["disk"] = draw(st.integers(1, 10000))
        if disk == "multi":
            attrs["disk_count"] = draw(st.integers(2, 8))
    attrs["hypervisor"] = draw(st.sampled_from([None] + sorted(tables.HYPERVISORS)))
    vendor = draw(st.sampled_from([None] + sorted(tables.CPU_VENDORS)))
    if vendor:
        attrs["cpu_vendor"] = vendor
        attrs["cpu_gen"] = draw(st.sampled_from([None] + list(range(1, len(tables.CPU_GENERATIONS[vendor])))))
        attrs["cpu_frequency"] = draw(st.integers(0, 3))
    gpu_vendor = draw(st.sampled_from([None] + sorted(tables.GPU_VENDORS)))
    if gpu_vendor:
        attrs["gpu_vendor"] = gpu_vendor
        attrs["gpu_type"] = draw(st.sampled_from(sorted(tables.GPU_TYPES)))
        gen = draw(st.sampled_from([None] + sorted(tables.GPU_GENERATIONS[gpu_vendor])))
        if gen:
            attrs["gpu_gen"] = gen
            if draw(st.booleans()):
                attrs["gpu_units"] = draw(st.integers(1, 1000))
                attrs["gpu_units_frequency"] = draw(st.integers(0, 2))
                if draw(st.booleans()):
                    attrs["gpu_vram"] = draw(st.integers(1, 1000))
                    attrs["gpu_vram_bandwidth"] = draw(st.integers(0, 2))
    return attrs


def _normalised(attrs):
    """What the parser reports back for a generated attribute set."""
    expected = dict((k, v) for k, v in attrs.items() if v is not None)
    if expected.get("disk_count") is None and ("disk" in expected or "disk_type" in expected):
        expected["disk_count"] = 1
    if "disk_type" in expected and "disk" not in expected:
        expected["disk"] = "auto"
    return expected


@settings(max_examples=400, deadline=None)
@given(attribute_sets())
def test_generated_names_parse_back_to_the_same_attributes(attrs):
    name = sf.generate(attrs)
    result = sf.analyse(name)
    assert result["valid"], (name, result["error"])
    assert result["canonical"] == name
    assert result["warnings"] == [] or all("discouraged" in w for w in result["warnings"])
    parsed = result["attributes"]
    for key, value in _normalised(attrs).items():
        assert parsed[key] == value, (key, name)
    # generate -> parse -> generate is a fixed point, and so is the short form
    assert sf.generate(parsed) == name
    assert sf.analyse(result["short"])["short"] == result["short"]
    # the v1 spelling carries the same meaning (except chy, which v1 lacks)
    if attrs.get("hypervisor") != "chy":
        v1 = sf.analyse(result["v1"])
        assert v1["syntax"] == "v1" and v1["canonical"] == name
    # figures
    assert result["cpus"] == attrs["cpus"]
    assert result["ram"] == int(attrs["ram"] * 1024)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="SC-_:0123456789.VLTCiuoxnhspkvmbzarGgNAIlwy", max_size=30))
def test_analyse_never_raises_and_errors_are_specific(text):
    result = sf.analyse("SCS-" + text)
    assert result["scs"] is True
    if not result["valid"]:
        assert result["error"] and "parse error" not in result["error"]
    else:
        assert sf.analyse(result["canonical"])["canonical"] == result["canonical"]
