# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Departed certificates and the CRL (pki_revocation), on a real PKI made by the pki engine."""

import datetime
import os

import pytest

from cryptography import x509

from ansible_collections.scs.kolla.plugins.module_utils import pki_revocation as revocation
from ansible_collections.scs.kolla.plugins.module_utils import scs_files
from ansible_collections.scs.kolla.plugins.modules import pki_revocation as module
from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.pki_helpers import NOW, ansible_module
from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.pki_helpers import run as run_pki
from ansible_collections.scs.kolla.tests.unit.plugins.modules.module_runner import run_module_process

PREFIX = "ovn-ipsec-"
DAY = datetime.timedelta(days=1)


def pki(tmp_path, names, **kwargs):
    values = {"pki_dir": str(tmp_path / "pki"), "pki_key_type": "ECC", "pki_certificate_valid_days": 40,
              "pki_renew_before_days": 10,
              "pki_certificates": [{"name": name, "common_name": name[len(PREFIX):] if name.startswith(PREFIX) else name,
                                    "dns": [name]} for name in names]}
    values.update(kwargs)
    run_pki(values)
    return values["pki_dir"]


def revoke(pki_dir, keep, now=NOW):
    mod = ansible_module()
    plan = revocation.plan(pki_dir, PREFIX, keep, now=now)
    revocation.execute(plan,
                       write_file=lambda p, c, m: scs_files.write_file(mod, p, c, m),
                       remove_file=lambda p: module.remove_file(mod, p),
                       ensure_directory=lambda p, m: scs_files.ensure_directory(mod, p, m))
    return revocation.summary(plan)


def predict(pki_dir, keep, now=NOW):
    return revocation.summary(revocation.plan(pki_dir, PREFIX, keep, now=now))


def serial_of(path):
    with open(path, "rb") as handle:
        return x509.load_pem_x509_certificate(handle.read()).serial_number


def load_crl(pki_dir):
    with open(os.path.join(pki_dir, "crl", "ovn-ipsec.crl.pem"), "rb") as handle:
        return x509.load_pem_x509_crl(handle.read())


def ca_cert(pki_dir):
    with open(os.path.join(pki_dir, "ca", "ca.crt"), "rb") as handle:
        return x509.load_pem_x509_certificate(handle.read())


def test_nothing_departed_means_no_crl_and_no_change(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b", "db-a"])
    result = revoke(pki_dir, ["ovn-ipsec-a", "ovn-ipsec-b"])
    assert result["changed"] is False
    assert result["departed"] == [] and result["revoked"] == []
    assert result["crl"]["action"] == "none" and result["crl"]["present"] is False
    assert not os.path.exists(os.path.join(pki_dir, "crl"))


def test_departed_certificate_is_archived_key_deleted_and_revoked(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b", "db-b"])
    serial = serial_of(os.path.join(pki_dir, "certs", "ovn-ipsec-b.crt"))
    prediction = predict(pki_dir, ["ovn-ipsec-a"])
    result = revoke(pki_dir, ["ovn-ipsec-a"])
    assert prediction == result
    assert result["changed"] is True
    assert result["departed"] == [{"name": "ovn-ipsec-b", "serial": "%x" % serial, "revoked": True,
                                   "common_name": "b"}]
    assert [r["serial"] for r in result["revoked"]] == ["%x" % serial]
    assert result["crl"]["action"] == "write" and result["crl"]["reason"] == "CRL missing"
    certs = sorted(os.listdir(os.path.join(pki_dir, "certs")))
    # Another group's certificate with the same chassis name stays.
    assert certs == ["db-b.crt", "db-b.key", "ovn-ipsec-a.crt", "ovn-ipsec-a.key"]
    archived = os.path.join(pki_dir, "revoked", "ovn-ipsec-b.%x.crt" % serial)
    assert serial_of(archived) == serial
    assert oct(os.stat(archived).st_mode & 0o777) == "0o644"
    crl = load_crl(pki_dir)
    ca = ca_cert(pki_dir)
    assert crl.is_signature_valid(ca.public_key())
    assert crl.issuer == ca.subject
    assert [r.serial_number for r in crl] == [serial]
    assert crl.get_revoked_certificate_by_serial_number(serial_of(os.path.join(pki_dir, "certs", "ovn-ipsec-a.crt"))) is None
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 1
    # nextUpdate: the end of the revoked certificate (40 days), nothing to revoke after it.
    assert revocation._revocation_date(list(crl)[0]) == NOW
    next_update = crl.next_update_utc if hasattr(crl, "next_update_utc") else \
        crl.next_update.replace(tzinfo=datetime.timezone.utc)
    with open(archived, "rb") as handle:
        assert next_update == revocation.pki_engine.not_after(x509.load_pem_x509_certificate(handle.read()))
    # Second run: nothing to do.
    again = revoke(pki_dir, ["ovn-ipsec-a"], now=NOW + DAY)
    assert again["changed"] is False and again["crl"]["action"] == "none"
    assert [r["serial"] for r in again["revoked"]] == ["%x" % serial]


def test_check_mode_writes_nothing(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    before = sorted(os.walk(pki_dir))
    result = predict(pki_dir, ["ovn-ipsec-a"])
    assert result["changed"] is True and result["crl"]["action"] == "write"
    assert sorted(os.walk(pki_dir)) == before


def test_a_chassis_added_back_gets_a_new_certificate_and_the_old_serial_stays_revoked(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    old = serial_of(os.path.join(pki_dir, "certs", "ovn-ipsec-b.crt"))
    revoke(pki_dir, ["ovn-ipsec-a"])
    pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    new = serial_of(os.path.join(pki_dir, "certs", "ovn-ipsec-b.crt"))
    assert new != old
    result = revoke(pki_dir, ["ovn-ipsec-a", "ovn-ipsec-b"], now=NOW + DAY)
    assert result["changed"] is False
    assert [r.serial_number for r in load_crl(pki_dir)] == [old]
    # It leaves a second time: both of its serials are on the CRL, the first keeps its date.
    result = revoke(pki_dir, ["ovn-ipsec-a"], now=NOW + 2 * DAY)
    assert result["crl"]["reason"] == "revoked serials changed"
    crl = load_crl(pki_dir)
    dates = dict((r.serial_number, revocation._revocation_date(r)) for r in crl)
    assert dates == {old: NOW, new: NOW + 2 * DAY}
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 2


def test_expired_entries_leave_the_crl_and_the_last_one_removes_it(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    revoke(pki_dir, ["ovn-ipsec-a"])
    result = revoke(pki_dir, ["ovn-ipsec-a"], now=NOW + 41 * DAY)
    assert result["revoked"] == []
    assert result["crl"] == {"path": os.path.join(pki_dir, "crl", "ovn-ipsec.crl.pem"), "action": "remove",
                             "present": False, "reason": "nothing left to revoke"}
    assert not os.path.exists(result["crl"]["path"])


def test_a_crl_of_another_ca_is_replaced(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    revoke(pki_dir, ["ovn-ipsec-a"])
    other = pki(tmp_path / "other", ["ovn-ipsec-x", "ovn-ipsec-y"])
    revoke(other, ["ovn-ipsec-x"])
    crl_path = os.path.join(pki_dir, "crl", "ovn-ipsec.crl.pem")
    with open(os.path.join(other, "crl", "ovn-ipsec.crl.pem"), "rb") as src, open(crl_path, "wb") as dst:
        dst.write(src.read())
    result = revoke(pki_dir, ["ovn-ipsec-a"])
    assert result["crl"]["action"] == "write"
    assert "CRL not signed by the current CA" in result["crl"]["reason"]
    assert load_crl(pki_dir).is_signature_valid(ca_cert(pki_dir).public_key())


def test_departed_certificate_of_another_ca_is_removed_not_listed(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a"])
    other = pki(tmp_path / "other", ["ovn-ipsec-z"])
    for ext in ("crt", "key"):
        with open(os.path.join(other, "certs", "ovn-ipsec-z." + ext), "rb") as src, \
                open(os.path.join(pki_dir, "certs", "ovn-ipsec-z." + ext), "wb") as dst:
            dst.write(src.read())
    plan = revocation.plan(pki_dir, PREFIX, ["ovn-ipsec-a"], now=NOW)
    assert plan["warnings"] == ["ovn-ipsec-z: not revoked (expired or not issued by the current CA); "
                                "its files are removed"]
    result = revoke(pki_dir, ["ovn-ipsec-a"])
    assert result["departed"][0]["revoked"] is False
    assert result["crl"]["action"] == "none" and result["revoked"] == []
    assert not os.path.exists(os.path.join(pki_dir, "certs", "ovn-ipsec-z.key"))


def test_without_ca_key_nothing_is_changed(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    os.unlink(os.path.join(pki_dir, "ca", "ca.key"))
    with pytest.raises(revocation.RevocationError, match="no CA private key"):
        revocation.plan(pki_dir, PREFIX, ["ovn-ipsec-a"], now=NOW)
    assert os.path.exists(os.path.join(pki_dir, "certs", "ovn-ipsec-b.key"))


def test_input_problems_name_the_value():
    assert revocation.check("ovn-ipsec-", ["ovn-ipsec-a"]) == []
    assert revocation.check("", []) == [
        "prefix: '' is not accepted; expected a certificate name prefix such as 'ovn-ipsec-' "
        "(letters, digits, '.', '_', '-')"]
    assert revocation.check("ovn-ipsec-", ["db-a"]) == [
        "keep: 'db-a' is not accepted; expected certificate names that start with 'ovn-ipsec-'"]


def test_module_process_check_mode_then_real_run(tmp_path):
    pki_dir = pki(tmp_path, ["ovn-ipsec-a", "ovn-ipsec-b"])
    args = {"dir": pki_dir, "prefix": PREFIX, "keep": ["ovn-ipsec-a"]}
    checked, checked_output = run_module_process(module, check_mode=True, diff=True, **args)
    assert checked["changed"] is True
    assert checked["diff"]["after"].startswith("ovn-ipsec-b: revoked (serial ")
    assert os.path.exists(os.path.join(pki_dir, "certs", "ovn-ipsec-b.key"))
    real, output = run_module_process(module, **args)
    assert real["changed"] is True, output
    assert real["departed"] == checked["departed"] and real["crl"] == checked["crl"]
    again, again_output = run_module_process(module, **args)
    assert again["changed"] is False
    bad, bad_output = run_module_process(module, dir=pki_dir, prefix=PREFIX, keep=["db-a"])
    assert bad["failed"] is True and "nothing was changed" in bad["msg"]
    assert "PRIVATE KEY" not in checked_output + output + again_output + bad_output
    with open(real["crl"]["path"], "rb") as handle:
        assert handle.read().startswith(b"-----BEGIN X509 CRL-----")
