# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "tools", "argspec_tables.py")
spec = importlib.util.spec_from_file_location("argspec_tables", SCRIPT)
tables = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tables)

ROLES = [name for name, dummy in tables.roles()]


@pytest.mark.parametrize("role", ROLES)
def test_readme_table_is_what_argument_specs_gives(role):
    role_dir = os.path.join(tables.ROOT, "roles", role)
    with open(os.path.join(role_dir, "README.md")) as handle:
        text = handle.read()
    assert tables.MARKER_RE.search(text), "roles/%s/README.md has no generated variable table" % role
    assert tables.generated(role_dir, text) == text, (
        "roles/%s/README.md: run tests/tools/argspec_tables.py to regenerate its variable table" % role)


def test_every_role_is_covered():
    assert set(ROLES) == {"certificate_metrics", "flavors", "ovn_ipsec", "pki", "proxysql_tls", "vpnaas"}


def test_table_rows():
    rows = tables.table({
        "b_var": {"type": "list", "elements": "str", "default": [], "description": ["Use C(x)", "or V(y)."]},
        "a_var": {"type": "str", "required": True, "choices": ["one", "two"], "description": "A | B"},
        "c_var": {"type": "str", "default": "", "description": "Empty."},
    }).splitlines()
    assert rows[2] == "| `a_var` | str: `one`, `two` | (required) | A \\| B |"
    assert rows[3] == "| `b_var` | list of str | `[]` | Use `x` or `y`. |"
    assert rows[4] == '| `c_var` | str | `""` | Empty. |'


def test_suboptions_are_listed():
    [row] = tables.table({"x_list": {"type": "list", "elements": "dict", "default": [], "description": "Items.",
                                     "options": {"name": {"required": True}, "dns": {"type": "list"}}}}).splitlines()[2:]
    assert row == "| `x_list` | list of dict | `[]` | Items. Keys: `dns`, `name` (required). |"


def test_marked_table_is_replaced(tmp_path):
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "argument_specs.yml").write_text(
        "argument_specs:\n  main:\n    options:\n      x_a:\n        type: int\n        default: 3\n        description: Three.\n")
    text = "intro\n<!-- argument_specs main begin -->\nold\n<!-- argument_specs main end -->\nrest\n"
    assert tables.generated(str(tmp_path), text) == (
        "intro\n<!-- argument_specs main begin -->\n| Variable | Type | Default | Description |\n"
        "| --- | --- | --- | --- |\n| `x_a` | int | `3` | Three. |\n<!-- argument_specs main end -->\nrest\n")
