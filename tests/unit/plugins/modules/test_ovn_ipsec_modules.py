# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""ovn_ipsec_files and ovn_ipsec_info run as Ansible runs them: a subprocess reading JSON arguments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import hashlib
import os
import pwd
import stat

from ansible_collections.scs.kolla.tests.unit.plugins.modules.module_runner import run_module_process
from ansible_collections.scs.kolla.plugins.modules import ovn_ipsec_files, ovn_ipsec_info

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def run_module(module, check_mode=False, diff=False, **args):
    return run_module_process(module, check_mode=check_mode, diff=diff, **args)[0]


def spec(path, content, mode, secret=False):
    return {"path": str(path), "content": content, "mode": mode, "owner": USER, "group": GROUP, "secret": secret}


def test_files_check_mode_then_write_then_idempotent(tmp_path):
    key = tmp_path / "key.pem"
    cert = tmp_path / "cert.pem"
    files = [spec(cert, "CERT\n", "0644"), spec(key, "KEY\n", "0600", secret=True)]

    out = run_module(ovn_ipsec_files, check_mode=True, diff=True, files=files)
    assert out["changed"] and sorted(out["changed_paths"]) == sorted([str(cert), str(key)])
    assert not key.exists() and not cert.exists()
    assert all("KEY" not in d["after"] for d in out["diff"])  # secret content stays out of the diff

    out = run_module(ovn_ipsec_files, files=files)
    assert out["changed"]
    assert key.read_text() == "KEY\n" and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(cert.stat().st_mode) == 0o644

    out = run_module(ovn_ipsec_files, files=files)
    assert out["changed"] is False and out["changed_paths"] == []


def test_files_fixes_mode_only(tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("KEY\n")
    key.chmod(0o644)
    out = run_module(ovn_ipsec_files, files=[spec(key, "KEY\n", "0600")])
    assert out["changed_paths"] == [str(key)] and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_files_validates_everything_before_writing(tmp_path):
    good = tmp_path / "good.pem"
    files = [spec(good, "x", "0644"), spec(tmp_path / "bad", "x", "rw-r--r--"),
             spec(tmp_path / "missing" / "f", "x", "0644")]
    out = run_module(ovn_ipsec_files, files=files)
    assert out["failed"]
    assert "files[1].mode: 'rw-r--r--' is not accepted" in out["msg"] and "to exist" in out["msg"]
    assert not good.exists()


def test_info_reports_missing_ovs_and_describes_files(tmp_path):
    f = tmp_path / "f.pem"
    f.write_text("abc")
    f.chmod(0o600)
    out = run_module(ovn_ipsec_info, ovsdb="unix:%s" % (tmp_path / "db.sock"), monitor=False,
                     files=[str(f), str(tmp_path), str(tmp_path / "nope")], timeout=2)
    assert not out.get("failed"), out
    assert out["ovs"]["reachable"] is False and "cannot connect" in out["ovs"]["error"]
    assert out["files"][str(f)] == {"exists": True, "type": "file", "mode": "0600", "owner": USER, "group": GROUP,
                                    "sha256": hashlib.sha256(b"abc").hexdigest()}
    assert out["files"][str(tmp_path)]["type"] == "directory"
    assert out["files"][str(tmp_path / "nope")]["exists"] is False
    assert out["problems"] == [] and out["monitor"]["running"] is False


def test_info_rejects_initiate_without_monitor(tmp_path):
    out = run_module(ovn_ipsec_info, ovsdb="unix:%s" % (tmp_path / "db.sock"), monitor=False, initiate=True)
    assert out["failed"] and "initiate=true needs monitor=true" in out["msg"]
