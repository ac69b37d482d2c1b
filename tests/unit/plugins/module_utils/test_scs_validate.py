# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
import os

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v


def run(check, *args, **kwargs):
    problems = v.Problems()
    ok = check(problems, "x", *args, **kwargs)
    assert ok == (not problems), "the return value must say whether a problem was added"
    assert len(problems) <= 1
    return list(problems)


@pytest.mark.parametrize("value", ["a", "SCS Kolla CA", "ü-name", "x" * 64])
def test_text_accepts(value):
    assert run(v.check_text, value, max_len=64) == []


@pytest.mark.parametrize("value", ["", "a\n", "a\tb", "nul\x00", "del\x7f", "c1\x85", "x" * 65, 5, None, ["a"]])
def test_text_refuses_and_names_the_value(value):
    [problem] = run(v.check_text, value, max_len=64)
    assert problem.startswith("x: %s is not accepted;" % v.show(value))
    assert "at most 64 characters" in problem


def test_text_allow_empty():
    assert run(v.check_text, "", allow_empty=True) == []


@pytest.mark.parametrize("value", ["a", "db.example.org", "a-b.c1", "x" * 63 + ".org", ".".join(["a" * 61] * 4)])
def test_dns_accepts(value):
    assert len(value) <= 253
    assert run(v.check_dns_name, value) == []


@pytest.mark.parametrize("value", [
    "", "a.", ".a", "-a", "a-", "a_b", "a b", "a\n", "x" * 64 + ".org", ".".join(["a" * 63] * 4),
    "192.0.2.1", "2001:db8::1", "*.example.org", 7, None,
])
def test_dns_refuses(value):
    [problem] = run(v.check_dns_name, value)
    assert "IP addresses go in the IP list" in problem


def test_dns_wildcard_only_when_allowed():
    assert run(v.check_dns_name, "*.example.org", allow_wildcard=True) == []
    assert run(v.check_dns_name, "*", allow_wildcard=True)


@pytest.mark.parametrize("value,version", [("192.0.2.1", None), ("2001:db8::1", 6), ("10.0.0.1", 4)])
def test_ip_accepts(value, version):
    assert run(v.check_ip_address, value, version=version) == []


@pytest.mark.parametrize("value,version", [("300.1.1.1", None), ("192.0.2.1\n", None), (3232235777, None),
                                           ("192.0.2.1", 6), ("2001:db8::1", 4), ("host", None)])
def test_ip_refuses(value, version):
    assert run(v.check_ip_address, value, version=version)


@pytest.mark.parametrize("value", [True, "10", 1.0, 0, 99999999])
def test_int_refuses(value):
    [problem] = run(v.check_int, value, minimum=1, maximum=36500)
    assert "expected an integer >= 1 and <= 36500" in problem


def test_int_accepts_bounds():
    assert run(v.check_int, 1, minimum=1, maximum=2) == []
    assert run(v.check_int, 2, minimum=1, maximum=2) == []


def test_choice():
    assert run(v.check_choice, "RSA", ["RSA", "ECC"]) == []
    [problem] = run(v.check_choice, "rsa", ["RSA", "ECC"])
    assert "expected one of: RSA, ECC" in problem
    assert run(v.check_choice, True, [True, 1])


@pytest.mark.parametrize("value,hint", [(2025.1, True), (2025, True), ("2025.10", False), ("2023.2", False), (None, False)])
def test_release_refuses_numbers_with_a_hint(value, hint):
    [problem] = run(v.check_release, value, ["2025.1", "2025.2"])
    assert "2025.1, 2025.2" in problem
    assert ("quote it" in problem) == hint


def test_release_accepts():
    assert run(v.check_release, "2025.2", ["2025.1", "2025.2"]) == []


def test_abs_path(tmp_path):
    afile = tmp_path / "f"
    afile.write_text("x")
    assert run(v.check_abs_path, str(tmp_path), kind="dir") == []
    assert run(v.check_abs_path, str(tmp_path / "new"), kind="dir") == []
    assert "found a file" in run(v.check_abs_path, str(afile), kind="dir")[0]
    assert "found a directory" in run(v.check_abs_path, str(tmp_path), kind="file")[0]
    assert "expected an existing" in run(v.check_abs_path, str(tmp_path / "new"), kind="file", must_exist=True)[0]
    for bad in ["relative/path", "/a/../b", "/a\n", "", 5]:
        assert run(v.check_abs_path, bad), bad


def test_abs_path_symlink_to_nothing_exists(tmp_path):
    link = tmp_path / "l"
    os.symlink(str(tmp_path / "missing"), str(link))
    assert run(v.check_abs_path, str(link), kind="file", must_exist=True) == []


@pytest.mark.parametrize("value,secret,ok", [
    ("0600", True, True), ("0400", True, True), ("600", True, True), ("0640", True, False), ("0644", True, False),
    ("0644", False, True), ("0755", False, True), ("0664", False, False), ("0666", False, False),
    (0o600, True, False), (420, False, False), ("u=rw", True, False), ("0999", True, False), (True, False, False),
])
def test_mode(value, secret, ok):
    problems = run(v.check_mode, value, secret=secret)
    assert (problems == []) == ok, problems
    if isinstance(value, int) and not isinstance(value, bool):
        assert "quote it" in problems[0]


def test_list_names_elements():
    problems = v.Problems()
    assert not v.check_list(problems, "dns", ["ok.example", "bad name", "also_bad"], v.check_dns_name)
    assert [p.split(":")[0] for p in problems] == ["dns[1]", "dns[2]"]
    assert run(v.check_list, "a,b")
    assert run(v.check_list, [], allow_empty=False)


def test_mapping_keys():
    problems = v.Problems()
    assert not v.check_mapping(problems, "cert", {"name": "a", "nmae": "b"}, allowed_keys={"name", "dns"},
                               required_keys=("name", "common_name"))
    assert any("'common_name' is missing" in p for p in problems)
    assert any("'nmae' is not known" in p for p in problems)
    assert run(v.check_mapping, ["name"])


def test_group_name():
    assert run(v.check_group_name, "neutron-ovn-vpn-agent") == []
    assert run(v.check_group_name, ["network"])
    assert run(v.check_group_name, "network\n")


def test_show_shortens_and_escapes():
    assert v.show("a\nb") == "'a\\nb'"
    assert v.show(2025.1) == "2025.1 (a float)"
    assert v.show(1) == "1 (an integer)"
    assert len(v.show("x" * 500)) <= 160
    # The end stays visible: a trailing newline of a long path is not cut off.
    assert v.show("/" + "d" * 300 + "\n").endswith("d\\n'")
    assert len(v.show(list(range(500)))) <= 160


def test_warnings_do_not_count_as_problems():
    problems = v.Problems()
    problems.warn("capped")
    assert not problems and problems.warnings == ["capped"]
