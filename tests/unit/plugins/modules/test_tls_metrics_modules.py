# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""tls_metrics and ovs_version_info run as Ansible runs them: a subprocess reading JSON arguments."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

from ansible_collections.scs.kolla.tests.unit.plugins.modules.module_runner import run_module_process
from ansible_collections.scs.kolla.plugins.modules import ovs_version_info, tls_metrics


def run_module(module, check_mode=False, diff=False, **args):
    return run_module_process(module, check_mode=check_mode, diff=diff, **args)[0]


def make_cert(tmp_path, name, days):
    cert = tmp_path / (name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(tmp_path / (name + ".key")), "-out", str(cert), "-days", str(days),
                    "-subj", "/O=SCS/CN=%s" % name], check=True, capture_output=True)
    return cert


def test_tls_metrics_check_mode_write_rerun_renewal(tmp_path):
    cert, ca = make_cert(tmp_path, "node-a", 30), make_cert(tmp_path, "ca", 3650)
    prom = tmp_path / "textfile" / "certs.prom"
    certs = [{"path": str(cert), "role": "ovn_ipsec_chassis", "renew_before_days": 10},
             {"path": str(ca), "role": "ovn_ipsec_ca"}]

    out = run_module(tls_metrics, check_mode=True, diff=True, path=str(prom), certificates=certs)
    assert out["changed"] is True and not prom.exists()
    assert out["diff"]["before"] == "" and "scs_kolla_certificate_not_after_timestamp_seconds" in out["diff"]["after"]

    out = run_module(tls_metrics, path=str(prom), certificates=certs)
    assert out["changed"] is True and prom.read_text() == out["content"]
    assert out["certificates"][str(cert)]["readable"] is True
    assert 'scs_kolla_certificate_renew_before_seconds{path="%s",role="ovn_ipsec_chassis"} 864000' % cert in out["content"]

    # Rerun: same file, no change, in check mode too.
    assert run_module(tls_metrics, path=str(prom), certificates=certs)["changed"] is False
    assert run_module(tls_metrics, check_mode=True, path=str(prom), certificates=certs)["changed"] is False

    # Renewal: a new certificate at the same path changes the file.
    before = prom.read_text()
    make_cert(tmp_path, "node-a", 60)
    out = run_module(tls_metrics, path=str(prom), certificates=certs)
    assert out["changed"] is True and prom.read_text() != before


def test_tls_metrics_missing_certificate_is_a_metric_not_a_failure(tmp_path):
    prom = tmp_path / "x.prom"
    out = run_module(tls_metrics, path=str(prom), certificates=[{"path": str(tmp_path / "none.pem"), "role": "ovn_ipsec_ca"}])
    assert out.get("failed") is not True
    assert 'scs_kolla_certificate_readable{path="%s",role="ovn_ipsec_ca"} 0' % (tmp_path / "none.pem") in prom.read_text()


def test_tls_metrics_refuses_a_name_node_exporter_ignores(tmp_path):
    out = run_module(tls_metrics, path=str(tmp_path / "x.txt"), certificates=[])
    assert out["failed"] is True and "must end in .prom" in out["msg"]


def test_ovs_version_info_from_parameter_warns_for_libreswan():
    out = run_module(ovs_version_info, ike_daemon="libreswan", version="3.1.0-2+deb12u1", command_timeout=45)
    assert out["changed"] is False and out["version"] == "3.1.0" and out["source"] == "parameter"
    assert out["whack_release_timer"] is True and out["nss_remove_replaced"] is True
    assert out["monitor_arguments"] == ["--ipsec-d=/var/lib/ipsec/nss"]
    assert len(out["warnings"]) == 2

    out = run_module(ovs_version_info, ike_daemon="libreswan", version="3.4.1", command_timeout=45)
    assert out["monitor_arguments"] == ["--ipsec-d=/var/lib/ipsec/nss", "--command-timeout=45"]
    assert out["whack_release_timer"] is False and out["nss_remove_replaced"] is True


def test_ovs_version_info_unknown_without_packages_or_tools(tmp_path):
    env_path = os.environ.get("PATH")
    try:
        os.environ["PATH"] = str(tmp_path)  # no dpkg-query, no ovs-vsctl
        out = run_module(ovs_version_info, ike_daemon="libreswan")
    finally:
        os.environ["PATH"] = env_path
    assert out["known"] is False and out["version"] == "unknown" and out["source"] is None
    assert out["whack_release_timer"] is True and out["warnings"]


def test_ovs_version_info_rejects_a_bad_version():
    out = run_module(ovs_version_info, version="banana")
    assert out["failed"] is True and "banana" in out["msg"]
