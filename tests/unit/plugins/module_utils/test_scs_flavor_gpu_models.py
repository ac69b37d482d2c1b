# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Every row of the standard's GPU implementation table (scs-0100-w1) comes out as listed.

The rows are a verbatim copy of the table in the spec (shared/spec/gpu-models.md); a ``+``
marks a lower bound there, and the code is generated without it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor as sf
from ansible_collections.scs.kolla.plugins.modules import flavor_name

TABLE = """\
| A10 | 1/1 | `GNa-72-24` |
| A40 | 1/1 | `GNa-84-48` |
| A30 | 1/1 | `GNa-56-24` |
| A30 | 1/2 | `GNa-28-12` |
| A30 | 1/4 | `GNa-14-6` |
| A30X | 1/1 | `GNa-56h-24h` |
| A100 | 1/1 | `GNa-108h-80h` |
| A100 | 1/2 | `GNa-54h-40h` |
| A100 | 1/4 | `GNa-27h-20h` |
| A100 | 1/7 | `GNa-15h-10h+` |
| A100X | 1/1 | `GNa-108-80h` |
| L4 | 1/1 | `GNl-58-24` |
| L40 | 1/1 | `GNl-142-48` |
| L40G | 1/1 | `GNl-142h-48` |
| L40S | 1/1 | `GNl-142hh-48` |
| RTX2000 Ada | 1/1 | `GNl-22-16` |
| RTX4000 Ada | 1/1 | `GNl-48-20` |
| RTX4500 Ada | 1/1 | `GNl-60-24` |
| RTX5000 Ada | 1/1 | `GNl-100-32` |
| RTX5880 Ada | 1/1 | `GNl-110-48` |
| RTX6000 Ada | 1/1 | `GNl-142-48` |
| H100 | 1/1 | `GNg-132-80h` |
| H100 | 1/2 | `GNg-66-40h` |
| H100 | 1/4 | `GNg-33-20h` |
| H100 | 1/7 | `GNg-18-10h+` |
| H200 | 1/1 | `GNg-132-141h` |
| H200 | 1/2 | `GNg-66-70h` |
| GB200 | 1/1 | `GNb-160-192h` |
| GB200 | 1/2 | `GNb-80-96h` |
| GB200 | 2/7 | `GNb-44-45h+` |
| GB200 | 1/7 | `GNb-22-23h+` |
| GB300 | 1/1 | `GNu-160-288h` |
| GB300 | 1/2 | `GNu-80-144h` |
| RTX Pro2000 Blackwell | 1/1 | `GNb-34-16` |
| RTX Pro4000 Blackwell | 1/1 | `GNb-70-24` |
| RTX Pro4500 Blackwell | 1/1 | `GNb-82-32` |
| RTX Pro5000 Blackwell | 1/1 | `GNb-110-72` |
| RTX Pro5000 Blackwell | 1/2 | `GNb-55-36` |
| RTX Pro6000 Blackwell | 1/1 | `GNb-188-96` |
| RTX Pro6000 Blackwell | 1/2 | `GNb-94-48` |
| RTX Pro6000 Blackwell | 1/4 | `GNb-47-24` |
| Inst MI210 | 1/1 | `GA2-104-64h` |
| Inst MI250 | 1/1 | `GA2-208-128h` |
| Inst MI250X | 1/1 | `GA2-220-128h` |
| Inst MI300X | 1/1 | `GA3-304-192h` |
| Inst MI325X | 1/1 | `GA3-304-288h` |
| Inst MI350X | 1/1 | `GA4-256-288h` |
| Inst MI355X | 1/1 | `GA4-256h-288h` |
| Pro W7900 | 1/1 | `GA3.1-96-48` |
| AI Pro R9700 | 1/1 | `GA4.1-64-32` |
| Max 1100 | 1/1 | `GI3-56-48h` |
| Max 1550 | 1/1 | `GI3-128-128h` |
| Arc Pro B50 | 1/1 | `GI4-128-16` |
| Arc Pro B60 | 1/1 | `GI4-160-24` |
| Arc Pro B65 | 1/1 | `GI4-160-32` |
| Arc Pro B70 | 1/1 | `GI4-256-32` |
"""


def table_rows():
    rows = []
    for line in TABLE.splitlines():
        model, fraction, code = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((model, fraction, code.strip("`").rstrip("+")))
    return rows


ROWS = table_rows()


def test_the_table_has_all_56_rows():
    assert len(ROWS) == 56
    assert len(set((model, fraction) for model, fraction, _code in ROWS)) == 56


@pytest.mark.parametrize("model, fraction, code", ROWS)
def test_row(model, fraction, code):
    assert sf.gpu_code(model, None if fraction == "1/1" else fraction) == code
    name = sf.generate({"cpus": 8, "cpu_type": "V", "ram": 32, "gpu_model": model, "gpu_fraction": fraction})
    assert name == "SCS-8V-32_" + code
    assert sf.generate({"cpus": 8, "cpu_type": "V", "ram": 32, "gpu_model": model, "gpu_fraction": fraction,
                        "gpu_type": "virtual"}) == "SCS-8V-32_g" + code[1:]


@pytest.mark.parametrize("model, spelling", [
    ("A100", "A100-80"), ("Inst MI210", "MI210"), ("Inst MI355X", "MI355X"), ("RTX2000 Ada", "RTX2000-Ada"),
    ("RTX Pro6000 Blackwell", "RTXPro6000-Blackwell"), ("Pro W7900", "ProW7900"),
    ("AI Pro R9700", "AIProR9700"), ("Max 1550", "Max1550"), ("Arc Pro B50", "ArcProB50"),
    ("instinct-mi300x", "MI300X"), ("arc pro b70", "ArcProB70"),
])
def test_table_spellings_and_collection_spellings_agree(model, spelling):
    assert sf.gpu_code(model) == sf.gpu_code(spelling)
    assert sf.gpu_code(model, "1/2") == sf.gpu_code(spelling, "1/2")


def test_the_module_generates_every_row():
    """One run of scs.kolla.flavor_name as Ansible runs it, with all 56 rows."""
    flavors = [{"cpus": 8, "cpu_type": "V", "ram": 32, "gpu_model": model, "gpu_fraction": fraction}
               for model, fraction, _code in ROWS]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, flavor_name.__file__],
                          input=json.dumps({"ANSIBLE_MODULE_ARGS": {"flavors": flavors}}),
                          capture_output=True, text=True, env=env, check=False)
    out = json.loads(proc.stdout)
    assert not out.get("failed"), out.get("msg")
    assert [g["name"] for g in out["generated"]] == ["SCS-8V-32_" + code for _m, _f, code in ROWS]
    assert all(g["valid"] for g in out["generated"])
