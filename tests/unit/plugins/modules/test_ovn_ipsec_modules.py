# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""ovn_ipsec_files and ovn_ipsec_info run as Ansible runs them: a subprocess reading JSON arguments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import grp
import hashlib
import json
import os
import pwd
import resource
import signal
import stat
import subprocess
import sys

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


def _limited_file_size():
    # Files may grow to 64 bytes; a longer write fails with EFBIG (SIGXFSZ ignored, as the limit
    # and the ignored signal carry over into the module's process).
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_files_failed_write_leaves_no_temp_file_and_no_key_in_the_output(tmp_path):
    """A real fault midway: the key does not fit under the process' file size limit."""
    cert = tmp_path / "cert.pem"
    key = tmp_path / "key.pem"
    secret = "-----BEGIN PRIVATE KEY-----\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n" * 4 + "-----END PRIVATE KEY-----\n"
    args = {"files": [spec(cert, "CERT\n", "0644"), spec(key, secret, "0600", secret=True)],
            "_ansible_check_mode": False, "_ansible_diff": False}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, ovn_ipsec_files.__file__], input=json.dumps({"ANSIBLE_MODULE_ARGS": args}),
                          capture_output=True, text=True, env=env, check=False, preexec_fn=_limited_file_size)
    out = json.loads(proc.stdout)
    assert out["failed"] and str(key) in out["msg"]
    assert "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" not in proc.stdout + proc.stderr
    # The first file is in place; no key, no temporary file (which held part of it) is left.
    assert cert.read_text() == "CERT\n"
    assert sorted(os.listdir(tmp_path)) == ["cert.pem"]


def test_files_in_place_means_content_mode_owner_and_group(tmp_path):
    cert = tmp_path / "cert.pem"
    files = [spec(cert, "CERT\n", "0644")]
    assert run_module(ovn_ipsec_files, files=files)["changed_paths"] == [str(cert)]
    assert run_module(ovn_ipsec_files, files=files)["changed"] is False
    cert.write_text("OTHER\n")
    out = run_module(ovn_ipsec_files, check_mode=True, files=files)
    assert out["changed_paths"] == [str(cert)] and cert.read_text() == "OTHER\n"
    assert run_module(ovn_ipsec_files, files=files)["changed_paths"] == [str(cert)]
    assert cert.read_text() == "CERT\n"
