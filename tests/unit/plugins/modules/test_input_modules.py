# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Option validation of the modules, run as Ansible runs them (a subprocess reading JSON
arguments): bad options fail with a message naming the value, before any change and
without a traceback; secret contents never appear in the result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import os
import pwd

import pytest

from ansible_collections.scs.kolla.tests.unit.plugins.modules.module_runner import run_module_process
from ansible_collections.scs.kolla.plugins.modules import (
    mysql_tls_probe,
    ovn_ipsec_files,
    ovn_ipsec_firewall,
    ovn_ipsec_info,
    validate_input,
    vpnaas_info,
    vpnaas_policies,
)

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name
KEY = "-----BEGIN PRIVATE KEY-----\nSECRETKEYMATERIALxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----\n"


def run_module(module, check_mode=False, diff=False, **args):
    result, output = run_module_process(module, check_mode=check_mode, diff=diff, **args)
    assert "Traceback" not in output, output
    return result, output


def spec(path, content="x\n", mode="0644", secret=False, owner=USER, group=GROUP):
    return {"path": str(path), "content": content, "mode": mode, "owner": owner, "group": group, "secret": secret}


def listing(path):
    return sorted(os.path.relpath(os.path.join(d, f), str(path)) for d, dirs, files in os.walk(str(path))
                  for f in files + dirs)


@pytest.mark.parametrize("case,expected", [
    ("secret 0644", "files[1].mode: '0644' is not accepted; expected an octal mode string without group or other"),
    ("secret 0640", "files[1].mode: '0640'"),
    ("secret 0604", "files[1].mode: '0604'"),
    ("mode symbolic", "files[1].mode: 'u=rw' is not accepted"),
    ("mode not octal", "files[1].mode: '0999'"),
    ("relative path", "files[1].path: 'key.pem' is not accepted; expected an absolute path"),
    ("path newline", "key.pem\\n' is not accepted; expected a non-empty string of at most 4096 characters (an absolute path)"),
    ("path is a directory", "is not accepted; expected a file, found a directory"),
    ("path is a symlink", "found a symbolic link"),
    ("missing directory", "to exist"),
    ("duplicate path", "expected every path once"),
    ("path with dotdot", "no '..'"),
    ("unknown owner", "unknown owner 'nosuchuser'"),
    ("owner with nul", "files[1].owner: 'ro\\x00ot'"),
    ("unknown group", "unknown group 'nosuchgroup'"),
])
def test_files_refuses_before_writing(tmp_path, case, expected):
    good = tmp_path / "cert.pem"
    key = tmp_path / "key.pem"
    second = {
        "secret 0644": spec(key, KEY, "0644", secret=True),
        "secret 0640": spec(key, KEY, "0640", secret=True),
        "secret 0604": spec(key, KEY, "0604", secret=True),
        "mode symbolic": spec(key, mode="u=rw"),
        "mode not octal": spec(key, mode="0999"),
        "relative path": dict(spec(key), path="key.pem"),
        "path newline": dict(spec(key), path=str(key) + "\n"),
        "path is a directory": spec(tmp_path),
        "path is a symlink": spec(tmp_path / "link"),
        "missing directory": spec(tmp_path / "missing" / "key.pem"),
        "duplicate path": spec(good),
        "path with dotdot": spec(str(tmp_path / "sub" / ".." / "key.pem")),
        "unknown owner": spec(key, owner="nosuchuser"),
        "owner with nul": spec(key, owner="ro\x00ot"),
        "unknown group": spec(key, group="nosuchgroup"),
    }[case]
    if case == "path is a symlink":
        os.symlink(str(tmp_path / "elsewhere"), str(tmp_path / "link"))
    before = listing(tmp_path)
    out, text = run_module(ovn_ipsec_files, files=[spec(good), second])
    assert out.get("failed"), out
    assert expected in out["msg"], out["msg"]
    assert "nothing was written" in out["msg"]
    assert listing(tmp_path) == before
    assert "SECRETKEYMATERIAL" not in text


@pytest.mark.parametrize("check_mode,diff", [(False, False), (True, True), (False, True)])
def test_files_masks_secret_content_in_the_result(tmp_path, check_mode, diff):
    out, text = run_module(ovn_ipsec_files, check_mode=check_mode, diff=diff,
                           files=[spec(tmp_path / "cert.pem", "PUBLIC\n"), spec(tmp_path / "key.pem", KEY, "0600", secret=True)])
    assert not out.get("failed"), out
    assert "SECRETKEYMATERIAL" not in text
    # The invocation in the result (what -vvv prints) shows the public content, not the secret.
    contents = [f["content"] for f in out["invocation"]["module_args"]["files"]]
    assert contents[0] == "PUBLIC\n" and contents[1] != KEY
    if not check_mode:
        assert (tmp_path / "key.pem").read_text() == KEY


def test_files_masks_secret_content_when_failing(tmp_path):
    out, text = run_module(ovn_ipsec_files, files=[spec(tmp_path / "key.pem", KEY, "0644", secret=True)])
    assert out["failed"] and "SECRETKEYMATERIAL" not in text


@pytest.mark.parametrize("args,expected", [
    ({"ovsdb": "db.sock"}, "ovsdb: 'db.sock' is not accepted"),
    ({"ovsdb": "tcp:host"}, "ovsdb: 'tcp:host'"),
    ({"timeout": 0}, "timeout: 0 (an integer)"),
    ({"timeout": 100000}, "timeout: 100000"),
    ({"ovs_appctl": "--help"}, "ovs_appctl: '--help'"),
    ({"ipsec": "ipsec\n"}, "ipsec: 'ipsec\\n'"),
    ({"files": ["relative"]}, "files[0]: 'relative'"),
    ({"files": ["/etc/x\n"]}, "files[0]: '/etc/x\\n'"),
    ({"units": ["--all"]}, "units[0]: '--all'"),
    ({"units": ["foo"]}, "units[0]: 'foo'"),
    ({"packages": ["-oAPT::x=1"]}, "packages[0]: '-oAPT::x=1'"),
    ({"expected_peers": ["a\nb"]}, "expected_peers[0]: 'a\\nb'"),
])
def test_info_refuses_bad_options(tmp_path, args, expected):
    args = dict({"ovsdb": "unix:%s" % (tmp_path / "db.sock"), "monitor": False, "timeout": 2}, **args)
    out = run_module(ovn_ipsec_info, **args)[0]
    assert out.get("failed") and expected in out["msg"], out


def test_info_reports_unreadable_files_without_traceback(tmp_path):
    if os.getuid() == 0:
        pytest.skip("root reads every file")
    f = tmp_path / "f"
    f.write_text("x")
    f.chmod(0)
    out = run_module(ovn_ipsec_info, ovsdb="unix:%s" % (tmp_path / "db.sock"), monitor=False, files=[str(f)])[0]
    assert out["files"][str(f)]["sha256"] == "unreadable"


@pytest.mark.parametrize("chain", ["-F", "--flush", "OVN\n", "INPUT", "accept", "", "C" * 29, "a;b"])
def test_firewall_refuses_chain_names(chain):
    out = run_module(ovn_ipsec_firewall, chain=chain, local_ip="192.0.2.1", peer_ips=["192.0.2.2"])[0]
    assert out.get("failed") and "chain %r is not accepted" % chain in out["msg"], out


@pytest.mark.parametrize("peer,expected", [("192.0.2.300", "'192.0.2.300'"), ("10", "'10'"), ("192.0.2.2\n", "'192.0.2.2\\n'")])
def test_firewall_refuses_addresses(peer, expected):
    out = run_module(ovn_ipsec_firewall, chain="OVN-IPSEC", local_ip="192.0.2.1", peer_ips=[peer])[0]
    assert out.get("failed") and expected in out["msg"], out


@pytest.mark.parametrize("args,expected", [
    ({"name": "n" * 256}, "name: 'nnnn"),
    ({"name": "scs\ndefault"}, "name: 'scs\\ndefault'"),
    ({"description": "d" * 256}, "description: 'dddd"),
    ({"project": "service\n"}, "project: 'service\\n'"),
    ({"ike_policy": {"pfs": "group5"}}, "pfs='group5' is refused as weak"),
    ({"ipsec_policy": {"lifetime": {"value": 5}}}, "lifetime value 5"),
])
def test_vpnaas_policies_refuses_before_the_cloud(args, expected):
    out = run_module(vpnaas_policies, release="2026.1", device_driver="strongswan", validate_only=False,
                     cloud="nonexistent-cloud", **args)[0]
    assert out.get("failed") and expected in out["msg"], out


@pytest.mark.parametrize("binary", ["-x", "agent\n", "a b"])
def test_vpnaas_info_refuses_before_the_cloud(binary):
    out = run_module(vpnaas_info, agent_binary=binary, cloud="nonexistent-cloud")[0]
    assert out.get("failed") and "agent_binary: %r" % binary in out["msg"], out


@pytest.mark.parametrize("args,expected", [
    ({"host": "db\n"}, "host: 'db\\n'"),
    ({"host": "db_1"}, "host: 'db_1'"),
    ({"host": "-h"}, "host: '-h'"),
    ({"user": "u" * 81}, "user: 'uuuu"),
    ({"user": "nova\n"}, "user: 'nova\\n'"),
    ({"port": 70000}, "port must be 1..65535"),
    ({"connect_timeout": 100000}, "connect_timeout"),
    ({"ca_cert": "/nonexistent/ca.pem"}, "ca_cert /nonexistent/ca.pem is not a readable file"),
])
def test_mysql_tls_probe_refuses_before_connecting(args, expected):
    args = dict({"host": "127.0.0.1", "user": "admin", "tls": False, "port": 1}, **args)
    out = run_module(mysql_tls_probe, **args)[0]
    assert out.get("failed") and expected in out["msg"], out


def test_validate_input_unknown_role():
    out = run_module(validate_input, role="nosuchrole", values={})[0]
    assert out["failed"] and "role 'nosuchrole' has no input rules" in out["msg"]


def test_validate_input_reports_every_problem():
    out = run_module(validate_input, role="ovn_ipsec", values={"ovn_ipsec_state": "on"})[0]
    assert out["failed"] and "ovn_ipsec_state: 'on' is not accepted" in out["msg"]
    assert len(out["problems"]) > 1 and "nothing was changed" in out["msg"]
