# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""ovn_ipsec_files, ovn_ipsec_info and ovn_ipsec_tunnels run as Ansible runs them: a subprocess reading JSON arguments."""

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
from ansible_collections.scs.kolla.plugins.modules import ovn_ipsec_files, ovn_ipsec_info, ovn_ipsec_tunnels

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


def test_info_has_no_initiate_option_and_changes_nothing(tmp_path):
    out = run_module(ovn_ipsec_info, ovsdb="unix:%s" % (tmp_path / "db.sock"), monitor=False, initiate=True)
    assert out["failed"] and "Unsupported parameters" in out["msg"] and "initiate" in out["msg"]
    out = run_module(ovn_ipsec_info, ovsdb="unix:%s" % (tmp_path / "db.sock"), timeout=1,
                     ovs_appctl=str(tmp_path / "missing-ovs-appctl"))
    assert out["changed"] is False and out["monitor"]["running"] is False
    assert out["broken_pairs"] == ["? -> *: ovs-monitor-ipsec not running (%s not found on this host)"
                                   % (tmp_path / "missing-ovs-appctl")]


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


# --- ovn_ipsec_tunnels against stand-ins for ovs-monitor-ipsec and the IKE daemon ----------
# Scripted programs (named stand-ins, not strongSwan): tunnels/show comes from a file, `ipsec
# status` prints the ROUTED state until `ipsec stroke up-nb` was called, then the established
# one (unless the stand-in is told to ignore requests). The real daemons run in molecule/ovn_ipsec.

FAKE_APPCTL = """#!/bin/sh
cat "$(dirname "$0")/tunnels_show.txt"
"""
FAKE_IPSEC = """#!/bin/sh
dir=$(dirname "$0")
case "$1" in
  status) if [ -e "$dir/up" ]; then cat "$dir/status_up.txt"; else cat "$dir/status_idle.txt"; fi ;;
  --version) echo "Linux Libreswan U4.10/K6.1.0 (XFRM)" ;;
  *) echo "$*" >> "$dir/calls.log"; [ -e "$dir/ignore" ] || touch "$dir/up" ;;
esac
"""


def fake_chassis(tmp_path):
    from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.test_ovn_ipsec import STRONGSWAN_STATUS, tunnel
    show = tunnel(ifname="ovn-osec-b-0", remote="osec-beta", local="osec-alpha", established=True)
    # OVS 3.1 leaves the connections section empty; the rating comes from `ipsec status`.
    show = show[:show.index("IPsec connections that are active:")] + "IPsec connections that are active:\n"
    (tmp_path / "tunnels_show.txt").write_text(show)
    (tmp_path / "status_up.txt").write_text(STRONGSWAN_STATUS)
    (tmp_path / "status_idle.txt").write_text("Routed Connections:\novn-osec-b-0-out-1{2}:  ROUTED, TRANSPORT, reqid 2\n"
                                              "ovn-osec-b-0-in-1{1}:  ROUTED, TRANSPORT, reqid 1\n")
    for name, text in (("ovs-appctl", FAKE_APPCTL), ("ipsec", FAKE_IPSEC)):
        (tmp_path / name).write_text(text)
        (tmp_path / name).chmod(0o755)


def run_tunnels(tmp_path, check_mode=False, **args):
    from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.test_ovn_ipsec import serve_once
    import json
    import tempfile
    row = {"external_ids": ["map", [["system-id", "osec-alpha"]]], "other_config": ["map", []]}
    answer = json.dumps({"id": 1, "error": None, "result": [{"rows": [row]}]})
    sock_dir = tempfile.mkdtemp()
    path = os.path.join(sock_dir, "db.sock")
    thread, _seen = serve_once(path, [answer])
    try:
        args = dict(dict(ovsdb="unix:" + path, ovs_appctl=str(tmp_path / "ovs-appctl"), ipsec=str(tmp_path / "ipsec"),
                         expected_peers=["osec-alpha", "osec-beta"], wait_timeout=20), **args)
        return run_module(ovn_ipsec_tunnels, check_mode=check_mode, **args)
    finally:
        thread.join(5)
        os.unlink(path)
        os.rmdir(sock_dir)


def calls(tmp_path):
    log = tmp_path / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_tunnels_check_mode_predicts_then_up_then_idempotent(tmp_path):
    fake_chassis(tmp_path)
    out = run_tunnels(tmp_path, check_mode=True)
    assert out["changed"] and out["initiated"] == ["ovn-osec-b-0-out-1"] and calls(tmp_path) == []
    assert not out.get("failed"), out

    out = run_tunnels(tmp_path)
    assert not out.get("failed"), out
    assert out["changed"] and out["initiated"] == ["ovn-osec-b-0-out-1"] and out["established"]
    assert calls(tmp_path) == ["stroke up-nb ovn-osec-b-0-out-1"]
    assert out["problems"] == [] and out["broken_pairs"] == [] and out["peers"]["osec-beta"]["healthy"]

    for check_mode in (True, False):
        out = run_tunnels(tmp_path, check_mode=check_mode)
        assert out["changed"] is False and out["initiated"] == [] and out["established"], out
    assert calls(tmp_path) == ["stroke up-nb ovn-osec-b-0-out-1"]


def test_tunnels_libreswan_command(tmp_path):
    fake_chassis(tmp_path)
    out = run_tunnels(tmp_path, ike_daemon="libreswan")
    assert out["changed"] and calls(tmp_path) == ["auto --asynchronous --up ovn-osec-b-0-out-1"], out


def test_tunnels_fail_bounded_with_the_broken_pairs(tmp_path):
    fake_chassis(tmp_path)
    (tmp_path / "ignore").write_text("")
    out = run_tunnels(tmp_path, wait_timeout=3)
    assert out["failed"] and out["changed"] and not out["established"]
    assert out["msg"] == ("IPsec tunnels not established within 3 s: "
                          "osec-alpha -> osec-beta: tunnel ovn-osec-b-0 has no established IKE SA")
    out = run_tunnels(tmp_path, wait=False)
    assert not out.get("failed") and out["broken_pairs"] == out_pairs(out)


def out_pairs(out):
    return ["osec-alpha -> %s: %s" % (peer, out["peers"][peer]["reason"]) for peer in out["problems"]]


def test_tunnels_refuse_bad_options(tmp_path):
    out = run_module(ovn_ipsec_tunnels, ovsdb="db.sock", wait_timeout=-1, ipsec="-x")
    assert out["failed"]
    for text in ("ovsdb: 'db.sock'", "wait_timeout: -1", "ipsec: '-x'"):
        assert text in out["msg"], out["msg"]


# --- ovn_ipsec_info loaded_certificate: is the certificate at the path the one charon loaded? ---
# `ipsec listcerts` is a stand-in printing a file (charon's own output, captured on a test-bed
# chassis: every certificate loaded since charon started, the renewed one beside the old).

LISTCERTS = """
List of X.509 End Entity Certificates

  subject:  "O=SCS OVN IPsec, CN=osec-beta"
  issuer:   "CN=SCS OVN IPsec CA G2"
  validity:  not before Dec 03 16:50:31 2026, ok
             not after  Dec 03 16:55:31 2027, ok (expires in 364 days)
  serial:    29:f4:7c:56:19:2e:84:99:36:b6:41:d6:fa:34:8d:5f:dc:fc:a0:0c
  altNames:  osec-beta
  flags:     serverAuth clientAuth
  authkeyId: cf:2f:a3:06:ec:f9:f0:78:d8:ac:e0:00:1a:4f:9e:5a:09:87:ce:dc
  pubkey:    RSA 3072 bits, has private key

  subject:  "O=SCS OVN IPsec, CN=osec-beta"
  issuer:   "CN=SCS OVN IPsec CA"
  serial:    05:6a:be:4a:5e:1c:3a:6c:4e:3c:e4:55:be:41:c8:83:e5:20:6b:12
  subjkeyId: db:53:83:a0:29:ca:33:0a:ff:e6:7b:c5:ef:07:1d:2e:34:38:eb:e2
"""


def _certificate(path, serial):
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "osec-beta")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(serial).not_valid_before(datetime.datetime(2026, 1, 1))
            .not_valid_after(datetime.datetime(2027, 1, 1)).sign(key, hashes.SHA256()))
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _listcerts_standin(tmp_path, text, rc=0):
    ipsec = tmp_path / "ipsec"
    (tmp_path / "listcerts.txt").write_text(text)
    ipsec.write_text('#!/bin/sh\n[ "$1" = listcerts ] || exit 9\ncat "$(dirname "$0")/listcerts.txt"\nexit %d\n' % rc)
    ipsec.chmod(0o755)
    return str(ipsec)


def run_info_loaded(tmp_path, path, ipsec):
    return run_module(ovn_ipsec_info, ovsdb="unix:%s" % (tmp_path / "db.sock"), monitor=False, timeout=2,
                      ipsec=ipsec, loaded_certificate=str(path))


def test_info_tells_whether_charon_loaded_the_certificate(tmp_path):
    ipsec = _listcerts_standin(tmp_path, LISTCERTS)
    cert = tmp_path / "chassis.pem"
    _certificate(cert, 0x056ABE4A5E1C3A6C4E3CE455BE41C883E5206B12)  # loaded, listed second
    out = run_info_loaded(tmp_path, cert, ipsec)
    assert out["changed"] is False
    assert out["loaded_certificate"] == {"path": str(cert), "serial": "56abe4a5e1c3a6c4e3ce455be41c883e5206b12",
                                         "loaded": True, "error": None}
    # the file renewed by a run that stopped before its reload: charon has the old ones only
    _certificate(cert, 0x120D9B95C0842A5116587086DA1DE5E8247459A7)
    out = run_info_loaded(tmp_path, cert, ipsec)
    assert out["loaded_certificate"]["loaded"] is False
    assert out["loaded_certificate"]["serial"] == "120d9b95c0842a5116587086da1de5e8247459a7"


def test_info_loaded_certificate_unknown_when_charon_is_down_or_no_certificate(tmp_path):
    cert = tmp_path / "chassis.pem"
    _certificate(cert, 0x29F47C56192E849936B641D6FA348D5FDCFCA00C)
    down = _listcerts_standin(tmp_path, "connect to stroke failed\n", rc=7)
    out = run_info_loaded(tmp_path, cert, down)
    assert out["loaded_certificate"]["loaded"] is None and "connect to stroke failed" in out["loaded_certificate"]["error"]
    out = run_info_loaded(tmp_path, tmp_path / "none.pem", _listcerts_standin(tmp_path, LISTCERTS))
    assert out["loaded_certificate"]["loaded"] is None and "cannot read" in out["loaded_certificate"]["error"]
    (tmp_path / "garbage.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    out = run_info_loaded(tmp_path, tmp_path / "garbage.pem", _listcerts_standin(tmp_path, LISTCERTS))
    assert out["loaded_certificate"]["loaded"] is None and "openssl cannot read" in out["loaded_certificate"]["error"]
    out = run_info_loaded(tmp_path, "relative.pem", down)
    assert out["failed"] and "loaded_certificate" in out["msg"]
