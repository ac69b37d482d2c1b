# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The flavor_name module run as Ansible runs it: a subprocess reading JSON arguments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.scs.kolla.plugins.modules import flavor_name

MODULE = flavor_name.__file__


def run_module(**args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run(
        [sys.executable, MODULE],
        input=json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, _ansible_check_mode=args.pop("check_mode", False))}),
        capture_output=True, text=True, env=env, check=False,
    )
    return json.loads(proc.stdout)


def test_results_in_input_order_with_every_key():
    out = run_module(names=["SCS-2V-4-20s", "m1.small", "SCS-2C:4:10n"])
    assert not out.get("failed") and out["changed"] is False
    assert [r["name"] for r in out["results"]] == ["SCS-2V-4-20s", "m1.small", "SCS-2C:4:10n"]
    first = out["results"][0]
    for key in ("name", "scs", "valid", "error", "warnings", "syntax", "canonical", "short", "v1",
                "cpus", "ram", "disk", "extra_specs", "description"):
        assert key in first
    assert first["extra_specs"]["scs:disk0-type"] == "ssd"
    assert out["results"][1]["scs"] is False
    assert out["results"][2]["syntax"] == "v1"


def test_fails_listing_every_invalid_name_after_checking_all():
    out = run_module(names=["SCS-2V-4_i7", "SCS-2V-4", "SCS-0V-4"])
    assert out["failed"] is True
    assert "2 invalid" in out["msg"]
    assert "CPU generation 7 is not defined for Intel (allowed: 0-6)" in out["msg"]
    assert "vCPU count 0" in out["msg"]
    assert len(out["results"]) == 3 and out["results"][1]["valid"] is True


def test_fail_on_invalid_false_only_reports():
    out = run_module(names=["SCS-2V-4_i7"], fail_on_invalid=False)
    assert not out.get("failed")
    assert out["invalid"] == ["'SCS-2V-4_i7': CPU generation 7 is not defined for Intel (allowed: 0-6)"]


def test_require_scs():
    out = run_module(names=["m1.small"], require_scs=True)
    assert out["failed"] is True and "not an SCS name" in out["msg"]


def test_generation_from_attributes_and_gpu_model():
    out = run_module(flavors=[
        {"cpus": 16, "cpu_type": "C", "ram": 64, "disk": "200", "disk_type": "p", "gpu_model": "A30", "gpu_fraction": "1/4"},
        {"cpus": 8, "cpu_type": "shared-core", "ram": 32, "gpu_model": "L4", "gpu_type": "virtual"},
    ])
    assert [g["name"] for g in out["generated"]] == ["SCS-16C-64-200p_GNa-14-6", "SCS-8V-32_gNl-58-24"]
    assert out["generated"][0]["input"]["gpu_model"] == "A30"


def test_bad_attributes_always_fail_naming_the_entry():
    out = run_module(flavors=[{"cpus": 2, "cpu_type": "V", "ram": 4, "cpu_vendor": "i", "cpu_gen": 9}],
                     fail_on_invalid=False)
    assert out["failed"] is True
    assert "flavors[0]: CPU generation 9 is not defined for Intel (allowed: 0-6)" in out["msg"]


def test_argument_spec_rejects_bad_choices():
    out = run_module(flavors=[{"cpus": 2, "cpu_type": "V", "ram": 4, "hypervisor": "qemu"}])
    assert out["failed"] is True and "qemu" in out["msg"]


def test_check_mode_runs_fully():
    out = run_module(names=["SCS-2V-4"], check_mode=True)
    assert out["results"][0]["valid"] is True and out["changed"] is False


def test_standard_sets():
    out = run_module(standard=["mandatory", "recommended_part2"])
    assert sorted(out["standard_flavors"]) == ["mandatory", "recommended_part2"]
    assert len(out["standard_flavors"]["mandatory"]) == 15
    assert out["standard_flavors"]["recommended_part2"][2]["ram"] == 131072
    assert out["results"] == []


def test_fields_limit_output():
    out = run_module(names=["SCS-2V-4"], fields=["valid"])
    assert out["results"] == [{"name": "SCS-2V-4", "valid": True}]


@pytest.mark.parametrize("count", [100000])
def test_handles_a_hundred_thousand_names(count):
    names = ["SCS-%dV-%d-%ds" % (1 + i % 64, 1 + i % 512, 1 + i % 997) for i in range(count)]
    names[77777] = "SCS-2V-4_i7"
    out = run_module(names=names, fail_on_invalid=False, fields=["valid", "canonical"])
    assert len(out["results"]) == count
    assert out["results"][77777]["valid"] is False
    assert len(out["invalid"]) == 1
