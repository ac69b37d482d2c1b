# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Unit tests for the SCS flavor-name engine (spec: shared/spec/flavor-naming.md)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor as sf
from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_tables as tables
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_parse import v2_to_v1
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor import (
    FlavorNameError,
    analyse,
    generate,
    gpu_code,
)


def valid(name):
    result = analyse(name)
    assert result["valid"], (name, result["error"])
    return result


def invalid(name, *fragments):
    result = analyse(name)
    assert result["scs"] is True
    assert result["valid"] is False, name
    assert result["error"], name
    for fragment in fragments:
        assert fragment in result["error"], (name, result["error"])
    return result["error"]


# -- prefix ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["m1.small", "", "scs-2V-4", "SCS2V-4", "Scs-2V-4", " SCS-2V-4"])
def test_not_an_scs_name(name):
    result = analyse(name)
    assert result["scs"] is False
    assert result["valid"] is False
    assert result["error"] is None
    assert result["canonical"] is None and result["extra_specs"] is None


def test_lowercase_prefix_gets_a_hint():
    assert "case-sensitive" in analyse("scs-2V-4")["warnings"][0]


def test_non_string_is_not_an_scs_name():
    assert analyse(None)["scs"] is False


# -- CPU part --------------------------------------------------------------

@pytest.mark.parametrize("letter,cpu_type", sorted(tables.CPU_TYPES.items()))
def test_cpu_types(letter, cpu_type):
    result = valid("SCS-2%s-4" % letter)
    assert result["extra_specs"]["scs:cpu-type"] == cpu_type
    assert result["cpus"] == 2


def test_insecure_suffix():
    result = valid("SCS-2Li-4")
    assert result["attributes"]["insecure"] is True
    assert "insecure" in result["description"]


@pytest.mark.parametrize("name,fragment", [
    ("SCS-2iT-4", "CPU type 'i'"),
    ("SCS-2-4", "no CPU type"),
    ("SCS-V-4", "must start with the number of vCPUs"),
    ("SCS-0V-4", "vCPU count 0"),
    ("SCS-2X-4", "allowed: L, V, T, C"),
    ("SCS-2Vx-4", "only the insecure suffix"),
    ("SCS-2Vii-4", "only the insecure suffix"),
])
def test_cpu_errors(name, fragment):
    invalid(name, fragment)


# -- RAM part --------------------------------------------------------------

@pytest.mark.parametrize("spelling,mib,canonical", [
    ("4", 4096, "4"), ("0.5", 512, "0.5"), ("3.5", 3584, "3.5"), ("04", 4096, "4"),
    ("4.0", 4096, "4"), ("15.", 15360, "15"), (".5", 512, "0.5"), ("1.50", 1536, "1.5"),
])
def test_ram_amounts(spelling, mib, canonical):
    result = valid("SCS-1V-" + spelling)
    assert result["ram"] == mib
    assert result["canonical"] == "SCS-1V-" + canonical
    assert (result["warnings"] == []) == (spelling == canonical)


@pytest.mark.parametrize("suffix,no_ecc,over", [("u", True, False), ("o", False, True), ("uo", True, True)])
def test_ram_suffixes(suffix, no_ecc, over):
    attrs = valid("SCS-2V-4" + suffix)["attributes"]
    assert (attrs["ram_no_ecc"], attrs["ram_oversubscribed"]) == (no_ecc, over)


@pytest.mark.parametrize("name,fragment", [
    ("SCS-2V-4ou", "'uo', not 'ou'"),
    ("SCS-2V-1.3", "multiple of 0.5"),
    ("SCS-2V-0", "multiple of 0.5"),
    ("SCS-2V-.", "not a number"),
    ("SCS-2V-1.2.3", "not a number"),
    ("SCS-2V-", "must start with the amount"),
    ("SCS-2V", "CPU part and a RAM part"),
    ("SCS-2V-4x", "allowed suffixes: u = no ECC, o = oversubscribed"),
])
def test_ram_errors(name, fragment):
    invalid(name, fragment)


def test_uneven_ram_at_ten_gib_and_above_warns():
    assert any("discouraged" in w for w in valid("SCS-4V-10.5")["warnings"])
    assert valid("SCS-4V-9.5")["warnings"] == []


# -- disk part -------------------------------------------------------------

@pytest.mark.parametrize("letter,disk_type", sorted(tables.DISK_TYPES.items()))
def test_disk_types(letter, disk_type):
    result = valid("SCS-2V-4-10" + letter)
    assert result["disk"] == 10
    assert result["extra_specs"]["scs:disk0-type"] == disk_type


def test_disk_without_type_counts_as_network():
    assert valid("SCS-1V-4-10")["extra_specs"]["scs:disk0-type"] == "network"


def test_no_disk_part_has_no_disk_type():
    result = valid("SCS-2V-4")
    assert result["disk"] == 0
    assert not [k for k in result["extra_specs"] if k.startswith("scs:disk")]
    assert "boot from volume" in result["description"]


def test_bare_dash_disk():
    result = valid("SCS-2V-4-")
    assert result["disk"] == 0
    assert result["canonical"] == "SCS-2V-4-"
    assert result["extra_specs"]["scs:disk0-type"] == "network"
    assert result["attributes"]["disk"] == "auto"


def test_type_without_size():
    result = valid("SCS-2V-4-n")
    assert result["disk"] == 0 and result["extra_specs"]["scs:disk0-type"] == "network"


def test_multiple_disks():
    result = valid("SCS-16T-64-3x10s")
    assert result["disk"] == 10
    specs = result["extra_specs"]
    assert [specs["scs:disk%d-type" % i] for i in range(3)] == ["ssd"] * 3
    assert "scs:disk3-type" not in specs
    assert "3 \u00d7 10 GB local SSD" in result["description"]


def test_one_x_is_dropped_in_canonical_form():
    result = valid("SCS-2V-4-1x10s")
    assert result["canonical"] == "SCS-2V-4-10s"
    assert "not canonical" in result["warnings"][0]


@pytest.mark.parametrize("name, canonical", [
    ("SCS-4V-8-x10n", "SCS-4V-8-10n"),
    ("SCS-4V-8-x10", "SCS-4V-8-10"),
    ("SCS-4V:8:x10n", "SCS-4V-8-10n"),
    ("SCS-16V-64-x500s_GNa-14-6h", "SCS-16V-64-500s_GNa-14-6h"),
])
def test_x_without_count_means_one_disk(name, canonical):
    """The reference reads the count with ([0-9]*)x: an empty count is one disk."""
    result = valid(name)
    assert result["canonical"] == canonical
    assert result["disk"] == int("".join(c for c in canonical.split("-")[3].split("_")[0] if c.isdigit()))
    assert "scs:disk1-type" not in result["extra_specs"]
    assert any(repr(canonical) in w for w in result["warnings"]), result["warnings"]


@pytest.mark.parametrize("name,fragment", [
    ("SCS-2C-4-3x", "a disk count needs a size"),     # deliberate difference 2
    ("SCS-2C-4-3xs", "a disk count needs a size"),    # deliberate difference 2
    ("SCS-2V-4-1.5n", "whole GB"),
    ("SCS-2V-4-10q", "disk type 'q'"),
    ("SCS-2V-4-10ss", "disk type 'ss'"),
    ("SCS-2V-4-0s", "disk size 0"),
    ("SCS-2V-4-0x10s", "disk count 0"),
    ("SCS-2V-4-xs", "a disk count needs a size"),    # empty count = 1 disk, still no size
    ("SCS-2V-4-x", "a disk count needs a size"),
    ("SCS-2V-4-10s-5", "after the disk part"),
])
def test_disk_errors(name, fragment):
    invalid(name, fragment)


# -- extensions ------------------------------------------------------------

@pytest.mark.parametrize("hypervisor", sorted(tables.HYPERVISORS))
def test_hypervisors(hypervisor):
    result = valid("SCS-2V-4_" + hypervisor)
    assert result["attributes"]["hypervisor"] == hypervisor
    assert result["short"] == "SCS-2V-4"


def test_hwv():
    result = valid("SCS-2V-4_kvm_hwv")
    assert result["attributes"]["hwv"] is True
    assert result["short"] == "SCS-2V-4"
    assert "nested virtualisation" in result["description"]


@pytest.mark.parametrize("vendor", sorted(tables.CPU_VENDORS))
def test_every_cpu_generation_of_every_vendor(vendor):
    for gen, gen_name in enumerate(tables.CPU_GENERATIONS[vendor]):
        result = valid("SCS-2C-4_%s%d" % (vendor, gen))
        assert result["attributes"]["cpu_gen"] == gen
        expected = "SCS-2C-4_%s%s" % (vendor, gen or "")
        assert result["canonical"] == expected
        if gen and gen_name:
            assert gen_name in result["description"]
    top = len(tables.CPU_GENERATIONS[vendor])
    allowed = "0" if top == 1 else "0-%d" % (top - 1)
    invalid("SCS-2C-4_%s%d" % (vendor, top),
            "CPU generation %d is not defined for %s (allowed: %s)" % (top, tables.CPU_VENDORS[vendor], allowed))


def test_issue_example_error_message():
    assert invalid("SCS-2V-4_i7") == "CPU generation 7 is not defined for Intel (allowed: 0-6)"


@pytest.mark.parametrize("freq,text", [("h", ">2.75 GHz"), ("hh", ">3.25 GHz"), ("hhh", ">3.75 GHz")])
def test_cpu_frequency(freq, text):
    result = valid("SCS-4C-16_z4" + freq)
    assert result["attributes"]["cpu_frequency"] == len(freq)
    assert text in result["description"]


def test_cpu_frequency_too_long():
    invalid("SCS-4C-16_z4hhhh", "too long")


def test_generation_zero_is_dropped():
    result = valid("SCS-2V-4_i0")
    assert result["canonical"] == "SCS-2V-4_i"
    assert "not canonical" in result["warnings"][0]


def test_short_form_keeps_arm_and_riscv_but_drops_x86_vendors():
    assert valid("SCS-2V-4_i3h")["short"] == "SCS-2V-4"
    assert valid("SCS-2V-4_z4hh")["short"] == "SCS-2V-4"
    assert valid("SCS-2V-4_a3h")["short"] == "SCS-2V-4_a"
    assert valid("SCS-2V-4_r")["short"] == "SCS-2V-4_r"


@pytest.mark.parametrize("vendor", sorted(tables.GPU_VENDORS))
def test_every_gpu_generation_of_every_vendor(vendor):
    for gen, gen_name in tables.GPU_GENERATIONS[vendor].items():
        result = valid("SCS-8V-32_G%s%s-16-8" % (vendor, gen))
        attrs = result["attributes"]
        assert (attrs["gpu_vendor"], attrs["gpu_gen"], attrs["gpu_units"], attrs["gpu_vram"]) == (vendor, gen, 16, 8)
        assert gen_name in result["description"]
        assert tables.GPU_UNIT_NAMES[vendor] in result["description"]
    invalid("SCS-8V-32_G%sz-16" % vendor, "GPU generation 'z' is not defined for %s" % tables.GPU_VENDORS[vendor])


@pytest.mark.parametrize("part", ["GN", "gN", "GNa", "GNa-14", "GNa-14h", "GNa-14hh", "GNa-14-6",
                                  "GNa-14-6h", "GNa-14h-6hh", "GA3.5-64-32", "GI0.95-24"])
def test_gpu_part_shapes(part):
    assert valid("SCS-4V-16_" + part)["canonical"] == "SCS-4V-16_" + part


@pytest.mark.parametrize("name,fragment", [
    ("SCS-2V-4_GNah", "needs a compute unit count"),       # deliberate difference 3
    ("SCS-2V-4_GN-14", "needs a GPU generation"),           # deliberate difference 3
    ("SCS-2V-4_GX", "GPU vendor 'X'"),
    ("SCS-2V-4_G", "GPU vendor ''"),
    ("SCS-2V-4_GNa-14hhh", "suffix 'hhh'"),
    ("SCS-2V-4_GNa-14-6hhh", "suffix 'hhh'"),
    ("SCS-2V-4_GNa-14-6-2", "too many"),
    ("SCS-2V-4_GNa-", "missing"),
    ("SCS-2V-4_GNa-0", "GPU compute unit count 0"),
])
def test_gpu_errors(name, fragment):
    invalid(name, fragment)


def test_gpu_generation_without_units_followed_by_extension_is_valid():
    # Deliberate difference 1: the reference parser wrongly rejects this.
    result = valid("SCS-2V-4_GNa_ib")
    assert result["attributes"]["ib"] is True and result["attributes"]["gpu_gen"] == "a"


def test_gpu_short_form_drops_h_modifiers():
    assert valid("SCS-16V-64-500s_GNa-14h-6h")["short"] == "SCS-16V-64-500s_GNa-14-6"


@pytest.mark.parametrize("name,fragment", [
    ("SCS-2V-4_hwv_xen", "must come before"),
    ("SCS-2V-4_ib_kvm", "must come before"),
    ("SCS-2V-4_GNa_i3", "must come before"),
    ("SCS-2V-4_kvm_xen", "more than one hypervisor"),
    ("SCS-2V-4_ib_ib", "more than one ib"),
    ("SCS-2V-4_foo", "unknown extension 'foo'"),
    ("SCS-2V-4_", "empty extension"),
    ("SCS-2V-4__kvm", "empty extension"),
    ("SCS-2V-4_ibh", "not valid"),
])
def test_extension_errors(name, fragment):
    invalid(name, fragment)


def test_chy_exists_in_v3_only():
    assert valid("SCS-2V-4_chy")["attributes"]["hypervisor"] == "chy"
    invalid("SCS-2V:4-chy", "does not exist in the v1 syntax")


# -- spec examples ---------------------------------------------------------

def test_spec_gpu_example():
    result = valid("SCS-16V-64-500s_GNa-14-6h")
    assert (result["cpus"], result["ram"], result["disk"]) == (16, 65536, 500)
    assert result["extra_specs"] == {
        "scs:cpu-type": "shared-core",
        "scs:disk0-type": "ssd",
        "scs:name-v1": "SCS-16V:64:500s-GNa:14:6h",
        "scs:name-v2": "SCS-16V-64-500s_GNa-14-6h",
        "scs:name-v3": "SCS-16V:64:500s-GNa:14:6",
        "scs:name-v4": "SCS-16V-64-500s_GNa-14-6",
    }


def test_spec_simple_example():
    assert valid("SCS-2V-4-20s")["extra_specs"] == {
        "scs:cpu-type": "shared-core",
        "scs:disk0-type": "ssd",
        "scs:name-v1": "SCS-2V:4:20s",
        "scs:name-v2": "SCS-2V-4-20s",
    }


def test_spec_v1_example():
    result = valid("SCS-2C:4:10n-bms-z3h-GNa:64-ib")
    assert result["syntax"] == "v1"
    assert result["canonical"] == "SCS-2C-4-10n_bms_z3h_GNa-64_ib"
    assert result["v1"] == "SCS-2C:4:10n-bms-z3h-GNa:64-ib"
    assert "legacy v1 syntax" in result["warnings"][0]


def test_issue_description_example():
    description = valid("SCS-16C-64-3x10s_bms_i3hh_GNa-14-6h_ib")["description"]
    assert description == (
        "16 dedicated Intel Ice Lake cores (all-core >3.25 GHz), 64 GiB RAM, 3 \u00d7 10 GB local SSD, "
        "bare metal, pass-through Nvidia Ampere GPU with 14 SMs and 6 GiB HBM, InfiniBand")


def test_model_style_gpu_names_are_invalid():
    invalid("SCS-2V-4_GN-A100-40g")


def test_name_variants_are_sorted_longest_first_and_unique():
    specs = valid("SCS-4C-16-2x50p_kvm_hwv_a3hh_gNl-20h-8hh_ib")["extra_specs"]
    names = [specs["scs:name-v%d" % i] for i in range(1, 5)]
    assert [len(n) for n in names] == sorted((len(n) for n in names), reverse=True)
    assert len(set(names)) == 4
    assert names[0] == "SCS-4C:16:2x50p-kvm-hwv-a3hh-gNl:20h:8hh-ib"
    assert names[3] == "SCS-4C-16-2x50p_a_gNl-20-8_ib"


# -- v1 <-> v2 --------------------------------------------------------------

def v1_to_v2(name):
    """The spec's 1:1 mapping back (v1 -> v2: ':' -> '-', then '-' -> '_')."""
    return "SCS-" + name[4:].translate({ord(":"): "-", ord("-"): "_"})


@pytest.mark.parametrize("v3", ["SCS-2V-4", "SCS-2V-4-20s", "SCS-16T-64-3x10s_bms_hwv_i3h_GNa-64_ib",
                                "SCS-1L-1u-5h_xen_a2_gI3-24-12hh"])
def test_v1_round_trip(v3):
    v1 = v2_to_v1(v3)
    assert v1_to_v2(v1) == v3
    result = valid(v1)
    assert result["syntax"] == "v1" and result["canonical"] == v3 and result["v1"] == v1
    assert result["extra_specs"] == valid(v3)["extra_specs"]


def test_v1_invalid_is_reported_in_v1_terms():
    invalid("SCS-2V:4:1.5n", "'1.5n'")


# -- standard flavors ------------------------------------------------------

def test_standard_flavor_sets():
    assert len(sf.STANDARD_FLAVORS["mandatory"]) == 15
    assert len(sf.STANDARD_FLAVORS["recommended_part1"]) == 13
    assert len(sf.STANDARD_FLAVORS["recommended_part2"]) == 3
    everything = sum((list(v) for v in sf.STANDARD_FLAVORS.values()), [])
    assert len(set(everything)) == 31
    for name in everything:
        result = valid(name)
        assert result["canonical"] == name and not result["warnings"]


@pytest.mark.parametrize("name,cpus,ram,disk", [
    ("SCS-1L-1", 1, 1024, 0), ("SCS-4V-16-100s", 4, 16384, 100), ("SCS-16V-128", 16, 131072, 0),
    ("SCS-1L-1-5", 1, 1024, 5), ("SCS-2V-16-50", 2, 16384, 50),
])
def test_standard_figures(name, cpus, ram, disk):
    result = valid(name)
    assert (result["cpus"], result["ram"], result["disk"]) == (cpus, ram, disk)


# -- generation ------------------------------------------------------------

def test_generate_full_example():
    name = generate({
        "cpus": 16, "cpu_type": "dedicated-core", "ram": 64, "disk": 10, "disk_count": 3, "disk_type": "ssd",
        "hypervisor": "bms", "cpu_vendor": "intel", "cpu_gen": 3, "cpu_frequency": "hh",
        "gpu_vendor": "nvidia", "gpu_gen": "a", "gpu_units": 14, "gpu_vram": 6, "gpu_vram_bandwidth": 1,
        "ib": True,
    })
    assert name == "SCS-16C-64-3x10s_bms_i3hh_GNa-14-6h_ib"


@pytest.mark.parametrize("attrs,expected", [
    ({"cpus": 2, "cpu_type": "V", "ram": 4}, "SCS-2V-4"),
    ({"cpus": 1, "cpu_type": "L", "ram": 0.5, "insecure": True, "ram_no_ecc": True, "ram_oversubscribed": True},
     "SCS-1Li-0.5uo"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "disk": "auto"}, "SCS-2V-4-"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "disk_type": "n"}, "SCS-2V-4-n"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "disk": 10, "disk_count": 1}, "SCS-2V-4-10"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "cpu_vendor": "z", "cpu_gen": 0}, "SCS-2V-4_z"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "hwv": True, "hypervisor": "kvm"}, "SCS-2V-4_kvm_hwv"),
    ({"cpus": 8, "cpu_type": "V", "ram": 32, "gpu_model": "L4", "gpu_type": "virtual"}, "SCS-8V-32_gNl-58-24"),
    ({"cpus": 8, "cpu_type": "V", "ram": 32, "gpu_vendor": "A", "gpu_gen": 3.5}, "SCS-8V-32_GA3.5"),
])
def test_generate(attrs, expected):
    assert generate(attrs) == expected


@pytest.mark.parametrize("attrs,fragment", [
    ({"cpu_type": "V", "ram": 4}, "'cpus' is required"),
    ({"cpus": 2, "cpu_type": "Q", "ram": 4}, "cpu_type 'Q' is not allowed"),
    ({"cpus": 0, "cpu_type": "V", "ram": 4}, "cpus 0 is not allowed"),
    ({"cpus": 2, "cpu_type": "V", "ram": 1.3}, "multiple of 0.5"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "disk_count": 3}, "needs a disk size"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "cpu_vendor": "i", "cpu_gen": 7}, "CPU generation 7 is not defined for Intel"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "cpu_gen": 3}, "need cpu_vendor"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "hypervisor": "qemu"}, "hypervisor 'qemu' is not allowed"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "gpu_vendor": "N", "gpu_units": 4}, "gpu_units needs gpu_gen"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "gpu_model": "A30", "gpu_units": 4}, "cannot be combined"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "gpu_model": "B9000"}, "unknown GPU model 'B9000'"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "colour": "red"}, "unknown flavor attribute(s) colour"),
    ({"cpus": 2, "cpu_type": "V", "ram": 4, "cpu_vendor": "i", "cpu_frequency": 4}, "cpu_frequency 4"),
])
def test_generate_errors(attrs, fragment):
    with pytest.raises(FlavorNameError) as exc:
        generate(attrs)
    assert fragment in str(exc.value)


# -- GPU model table -------------------------------------------------------

@pytest.mark.parametrize("model", sorted(tables.GPU_MODELS))
def test_every_gpu_model_code_is_valid(model):
    code = gpu_code(model)
    assert code == tables.GPU_MODELS[model]
    assert valid("SCS-8V-32_" + code)["canonical"] == "SCS-8V-32_" + code
    assert gpu_code(model, virtual=True) == "g" + code[1:]


@pytest.mark.parametrize("key", sorted(tables.GPU_SLICES, key=str))
def test_published_slices_win(key):
    model, fraction = key
    assert gpu_code(model, "%d/%d" % (fraction.numerator, fraction.denominator)) == tables.GPU_SLICES[key]


def test_spec_slice_examples():
    assert gpu_code("A30", "1/4") == "GNa-14-6"
    assert gpu_code("A30", 4) == "GNa-14-6"
    assert gpu_code("GB200", "2/7") == "GNb-44-45h"


def test_unpublished_slice_is_divided_and_rounded_down_keeping_modifiers():
    assert gpu_code("L40S", "1/2") == "GNl-71hh-24"
    assert gpu_code("A100-80", "1/3") == "GNa-36h-26h"
    assert gpu_code("MI300X", 8) == "GA3-38-24h"


def test_model_lookup_is_forgiving_about_case_and_dashes():
    assert gpu_code("rtx6000 ada") == gpu_code("RTX6000-Ada")
    assert gpu_code("a100-80") == "GNa-108h-80h"


@pytest.mark.parametrize("fraction", ["0", "3/2", "x", "1/0", -2, True])
def test_bad_fractions(fraction):
    with pytest.raises(FlavorNameError):
        gpu_code("A30", fraction)


def test_too_small_slice():
    with pytest.raises(FlavorNameError) as exc:
        gpu_code("L4", "1/100")
    assert "no whole" in str(exc.value)


# -- batch helpers ---------------------------------------------------------

def test_check_names_lists_every_problem_in_order():
    results, problems = sf.check_names(["SCS-2V-4", "SCS-2V-4_i7", "m1.small", "SCS-0V-4"])
    assert [r["valid"] for r in results] == [True, False, False, False]
    assert len(problems) == 2 and "SCS-2V-4_i7" in problems[0] and "SCS-0V-4" in problems[1]
    _results, problems = sf.check_names(["m1.small"], require_scs=True)
    assert "not an SCS name" in problems[0]


def test_check_names_fields_and_duplicates():
    results, _problems = sf.check_names(["SCS-2V-4", "SCS-2V-4"], fields=["valid"])
    assert results == [{"name": "SCS-2V-4", "valid": True}] * 2
    results, _problems = sf.check_names(["SCS-2V-4", "SCS-2V-4"])
    assert results[0] is not results[1]


def test_generate_many_reports_the_bad_index():
    results, problems = sf.generate_many([{"cpus": 1, "cpu_type": "V", "ram": 2}, {"cpus": 1}])
    assert results[0]["name"] == "SCS-1V-2"
    assert problems == ["flavors[1]: flavor attribute 'cpu_type' is required"]
