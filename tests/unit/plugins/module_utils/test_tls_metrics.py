# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Textfile metrics: real certificates from openssl, real ovs-monitor-ipsec output from the test bed."""

import os
import stat
import subprocess

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import tls_metrics as m

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def openssl(*args, data=None):
    proc = subprocess.run(["openssl"] + list(args), input=data, capture_output=True, text=True, check=True)
    return proc.stdout


def make_cert(tmp_path, name, days=30, subject=None):
    key, cert = tmp_path / (name + ".key"), tmp_path / (name + ".pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", str(days),
            "-subj", subject or "/O=SCS OVN IPsec/CN=%s" % name)
    return cert


def real_run(args, data):
    proc = subprocess.run(["openssl"] + args, input=data, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_openssl_date_forms():
    assert m.openssl_date("notAfter=Dec  3 10:00:57 2027 GMT") == 1827828057
    assert m.openssl_date("Jan 1 00:00:00 1970 GMT") == 0
    for bad in ("", "notAfter=", "2027-12-03T10:00:57Z", "Foo  3 10:00:57 2027 GMT"):
        with pytest.raises(m.MetricsError):
            m.openssl_date(bad)


def test_read_certificate_file_agrees_with_openssl(tmp_path):
    cert = make_cert(tmp_path, "node-a", days=10)
    result = m.read_certificate_file(str(cert), real_run)
    assert result["readable"] and result["error"] is None
    [info] = result["certificates"]
    end = openssl("x509", "-noout", "-enddate", "-in", str(cert))
    assert info["not_after"] == m.openssl_date(end)
    assert info["not_after"] - info["not_before"] == 10 * 86400
    assert info["subject"] == "CN=node-a,O=SCS OVN IPsec"
    assert info["serial"] == openssl("x509", "-noout", "-serial", "-in", str(cert)).strip().split("=")[1].lower()


def test_bundle_gives_one_entry_per_certificate(tmp_path):
    old, new = make_cert(tmp_path, "old-ca", days=5), make_cert(tmp_path, "new-ca", days=400)
    bundle = tmp_path / "bundle.pem"
    bundle.write_text(old.read_text() + new.read_text())
    result = m.read_certificate_file(str(bundle), real_run)
    assert [c["subject"] for c in result["certificates"]] == ["CN=old-ca,O=SCS OVN IPsec", "CN=new-ca,O=SCS OVN IPsec"]


def test_missing_empty_and_broken_files_are_unreadable(tmp_path):
    assert m.read_certificate_file(str(tmp_path / "none.pem"), real_run)["readable"] is False
    empty = tmp_path / "empty.pem"
    empty.write_text("")
    assert "no PEM certificate" in m.read_certificate_file(str(empty), real_run)["error"]
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    result = m.read_certificate_file(str(broken), real_run)
    assert result["readable"] is False and "openssl cannot read" in result["error"]


def test_certificate_metrics_text(tmp_path):
    cert = make_cert(tmp_path, "node-a")
    entries = [
        {"path": str(cert), "role": "ovn_ipsec_chassis", "renew_before_seconds": 30 * 86400,
         "result": m.read_certificate_file(str(cert), real_run)},
        {"path": "/nonexistent.pem", "role": "ovn_ipsec_ca", "renew_before_seconds": None,
         "result": m.read_certificate_file("/nonexistent.pem", real_run)},
    ]
    text = m.render(m.certificate_families(entries))
    info = entries[0]["result"]["certificates"][0]
    labels = 'path="%s",role="ovn_ipsec_chassis",serial="%s",subject="CN=node-a,O=SCS OVN IPsec"' % (cert, info["serial"])
    assert "scs_kolla_certificate_not_after_timestamp_seconds{%s} %d\n" % (labels, info["not_after"]) in text
    assert 'scs_kolla_certificate_readable{path="/nonexistent.pem",role="ovn_ipsec_ca"} 0\n' in text
    assert 'scs_kolla_certificate_readable{path="%s",role="ovn_ipsec_chassis"} 1\n' % cert in text
    assert 'scs_kolla_certificate_renew_before_seconds{path="%s",role="ovn_ipsec_chassis"} 2592000\n' % cert in text
    assert "renew_before_seconds{path=\"/nonexistent.pem\"" not in text
    assert "# TYPE scs_kolla_certificate_not_after_timestamp_seconds gauge\n" in text
    # Same state, same text: nothing in it changes between runs.
    assert m.render(m.certificate_families(list(reversed(entries)))) == text


def test_duplicate_entries_and_bad_labels_are_refused():
    entry = {"path": "/a.pem", "role": "x", "result": {"readable": False, "certificates": []}}
    with pytest.raises(m.MetricsError):
        m.certificate_families([entry, dict(entry)])
    with pytest.raises(m.MetricsError):
        m.Family("scs_x", "x").add({"bad-name": "1"}, 1)
    with pytest.raises(m.MetricsError):
        m.Family("bad name", "x")


def test_label_values_are_escaped():
    fam = m.Family("scs_x", "help").add({"subject": 'CN=a"b\\c\nd'}, 1)
    assert m.render([fam]) == '# HELP scs_x help\n# TYPE scs_x gauge\nscs_x{subject="CN=a\\"b\\\\c\\nd"} 1\n'


def test_write_textfile_atomic_only_on_change(tmp_path):
    target = tmp_path / "sub" / "x.prom"
    assert m.write_textfile(str(target), "a 1\n", check_mode=True) == (True, "")
    assert not target.exists()
    assert m.write_textfile(str(target), "a 1\n") == (True, "")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    inode = target.stat().st_ino
    assert m.write_textfile(str(target), "a 1\n") == (False, "a 1\n")
    assert target.stat().st_ino == inode
    assert m.write_textfile(str(target), "a 2\n") == (True, "a 1\n")
    # Replaced by rename (new inode), no temporary file left behind.
    assert target.stat().st_ino != inode
    assert sorted(os.listdir(str(target.parent))) == ["x.prom"]
    target.chmod(0o600)
    assert m.write_textfile(str(target), "a 2\n")[0] is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def fake_tools(show_rc, show, status):
    """Stands in for ovs-appctl and ipsec with outputs recorded on the test bed."""
    def run(argv):
        if "tunnels/show" in argv:
            return show_rc, show, "" if show_rc == 0 else "cannot connect to ovs-monitor-ipsec"
        if argv[-1] == "status":
            return 0, status, ""
        raise AssertionError(argv)
    return run


def test_tunnel_metrics_from_real_testbed_output():
    run = fake_tools(0, fixture("tunnels_show_strongswan.txt"), fixture("ipsec_status_strongswan.txt"))
    text = m.render(m.collect_tunnels("osec-alpha", ["osec-alpha", "osec-beta"], run=run))
    assert 'scs_kolla_ovn_ipsec_monitor_up{chassis="osec-alpha"} 1\n' in text
    assert 'scs_kolla_ovn_ipsec_tunnel_up{chassis="osec-alpha",peer="osec-beta",remote_ip="198.18.77.22"} 1\n' in text
    assert 'scs_kolla_ovn_ipsec_tunnel_ike_established{chassis="osec-alpha",peer="osec-beta",remote_ip="198.18.77.22"} 1\n' in text


def test_tunnel_metrics_monitor_down_marks_every_expected_peer_down():
    run = fake_tools(1, "", "")
    text = m.render(m.collect_tunnels("osec-alpha", ["osec-beta", "osec-gamma"], run=run))
    assert 'scs_kolla_ovn_ipsec_monitor_up{chassis="osec-alpha"} 0\n' in text
    assert 'scs_kolla_ovn_ipsec_tunnel_up{chassis="osec-alpha",peer="osec-beta",remote_ip=""} 0\n' in text
    assert 'scs_kolla_ovn_ipsec_tunnel_up{chassis="osec-alpha",peer="osec-gamma",remote_ip=""} 0\n' in text


def test_tunnel_metrics_without_sas_is_down():
    # The real output with the IKE daemon's SAs gone: tunnels CONFIGURED, nothing established.
    run = fake_tools(0, fixture("tunnels_show_strongswan.txt"), "")
    show = fixture("tunnels_show_strongswan.txt")
    stripped = show.split("Kernel security associations installed:")[0] + \
        "Kernel security associations installed:\nIPsec connections that are active:\n"
    run = fake_tools(0, stripped, "")
    text = m.render(m.collect_tunnels("osec-alpha", ["osec-beta"], run=run))
    assert 'scs_kolla_ovn_ipsec_tunnel_up{chassis="osec-alpha",peer="osec-beta",remote_ip="198.18.77.22"} 0\n' in text


def test_cli_writes_the_file(tmp_path, monkeypatch):
    run = fake_tools(0, fixture("tunnels_show_strongswan.txt"), fixture("ipsec_status_strongswan.txt"))
    monkeypatch.setattr(m, "_run", lambda argv, timeout, data=None: run(argv))
    out = tmp_path / "t.prom"
    assert m.main(["tunnels", "--output", str(out), "--chassis", "osec-alpha", "--peer", "osec-beta"]) == 0
    assert "scs_kolla_ovn_ipsec_tunnel_up" in out.read_text()
