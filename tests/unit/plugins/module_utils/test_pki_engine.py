# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Every decision of the PKI engine, on real keys and certificates in a temporary directory."""

import datetime
import os
import re
import stat

import pytest

from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ansible_collections.scs.kolla.plugins.module_utils import pki_engine as engine
from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.pki_helpers import (
    NOW, make_ca, predict, rsa_key, run)

DAY = datetime.timedelta(days=1)


def values(tmp_path, certs=None, **kwargs):
    base = {
        "pki_dir": str(tmp_path / "pki"),
        "pki_key_type": "ECC",
        "pki_certificate_valid_days": 40,
        "pki_renew_before_days": 10,
        "pki_certificates": certs if certs is not None else [
            {"name": "web", "common_name": "web.test", "dns": ["web.test", "*.web.test"], "ip": ["192.0.2.1", "::1"]},
            {"name": "peer", "common_name": "peer", "dns": ["peer.test"], "key_usage": ["digitalSignature"],
             "extended_key_usage": ["clientAuth"]},
        ],
    }
    base.update(kwargs)
    return base


def by_name(summary):
    return dict((r["name"], (r["status"], r["reason"])) for r in summary["certificates"])


def load(path):
    with open(path, "rb") as handle:
        return x509.load_pem_x509_certificate(handle.read())


def snapshot(root):
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            found[path] = (stat.S_IMODE(st.st_mode), st.st_mtime_ns, st.st_size)
    return found


def assert_prediction_then_run(vals, now=NOW):
    """Check mode's summary equals the real run's; afterwards nothing is left to do."""
    predicted = predict(vals, now=now)
    done = run(vals, now=now)
    assert predicted == done
    again = predict(vals, now=now)
    assert not again["changed"], again
    return done


def test_first_run_creates_ca_and_certificates_with_modes(tmp_path):
    vals = values(tmp_path)
    done = assert_prediction_then_run(vals)
    assert done["changed"] and done["ca"]["status"] == engine.CREATED
    assert by_name(done) == {"web": ("created", "missing"), "peer": ("created", "missing")}
    pki = tmp_path / "pki"
    for d in (pki, pki / "ca", pki / "certs"):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700
    for key in (pki / "ca/ca.key", pki / "certs/web.key", pki / "certs/peer.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE((pki / "certs/web.crt").stat().st_mode) == 0o644
    web, ca = load(pki / "certs/web.crt"), load(pki / "ca/ca.crt")
    assert engine.issued_by(web, ca) and engine.is_ca(ca) and not engine.is_ca(web)
    assert engine.san_of(web) == ({"web.test", "*.web.test"}, {"192.0.2.1", "::1"})
    assert engine.not_after(web) == NOW + 40 * DAY
    assert engine.extended_key_usage_of(load(pki / "certs/peer.crt")) == {"1.3.6.1.5.5.7.3.2"}
    assert sorted(os.listdir(pki / "certs")) == ["peer.crt", "peer.key", "web.crt", "web.key"]  # no temp files


def test_rerun_changes_nothing_and_keeps_mtimes(tmp_path):
    vals = values(tmp_path)
    run(vals)
    before = snapshot(tmp_path)
    done = run(vals, now=NOW + DAY)
    assert not done["changed"] and done["counts"] == {"unchanged": 2}
    assert snapshot(tmp_path) == before


def reissue_case(tmp_path, change, edit):
    vals = values(tmp_path)
    run(vals)
    web_before = (tmp_path / "pki/certs/web.crt").read_bytes()
    peer = snapshot(tmp_path / "pki/certs")
    vals2 = edit(vals) or vals
    done = assert_prediction_then_run(vals2, now=NOW + DAY)
    assert by_name(done)["web"][0] == change[0], done
    assert change[1] in by_name(done)["web"][1], done
    assert by_name(done)["peer"] == ("unchanged", "")
    assert (tmp_path / "pki/certs/web.crt").read_bytes() != web_before
    peer_after = snapshot(tmp_path / "pki/certs")
    for path in peer:
        if "peer" in path:
            assert peer_after[path] == peer[path]
    return done


def _web(vals, **changes):
    vals["pki_certificates"][0].update(changes)


@pytest.mark.parametrize("change,edit", [
    (("reissued", "SAN changed"), lambda v: _web(v, dns=["web.test", "*.web.test", "www.web.test"])),
    (("reissued", "SAN changed"), lambda v: _web(v, ip=["192.0.2.2", "::1"])),
    (("reissued", "subject changed"), lambda v: _web(v, common_name="other.test")),
    (("reissued", "subject changed"), lambda v: _web(v, organization_name="SCS")),
    (("reissued", "usage changed"), lambda v: _web(v, key_usage=["digitalSignature"])),
    (("reissued", "usage changed"), lambda v: _web(v, extended_key_usage=["serverAuth"])),
], ids=["dns", "ip", "cn", "o", "key-usage", "eku"])
def test_request_changes_reissue_one_certificate(tmp_path, change, edit):
    done = reissue_case(tmp_path, change, edit)
    # same key: a SAN or usage change never makes a new key
    assert "key" not in by_name(done)["web"][1]


def test_subject_puts_the_cn_where_ovs_monitor_ipsec_finds_it(tmp_path):
    # ovs-monitor-ipsec (OVS 3.x) reads the CN with r"CN=(.+?)," from the RFC 2253 subject
    # (last RDN first): the CN must not be the last RDN printed.
    vals = values(tmp_path, certs=[{"name": "chassis", "common_name": "osec-alpha", "dns": ["osec-alpha"],
                                    "organization_name": "SCS OVN IPsec"}])
    run(vals)
    printed = load(tmp_path / "pki" / "certs" / "chassis.crt").subject.rfc4514_string()
    assert printed == "CN=osec-alpha,O=SCS OVN IPsec"
    assert re.search(r"CN=(.+?),", printed).group(1) == "osec-alpha"


def test_the_same_names_in_another_order_are_another_subject(tmp_path):
    vals = values(tmp_path, certs=[{"name": "chassis", "common_name": "osec-alpha", "dns": ["osec-alpha"],
                                    "organization_name": "SCS OVN IPsec"}])
    run(vals)
    reordered = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "osec-alpha"),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SCS OVN IPsec")])
    assert reordered != engine.make_subject("osec-alpha", "SCS OVN IPsec")
    assert engine.make_subject("osec-alpha", "SCS OVN IPsec").rfc4514_string() == "CN=osec-alpha,O=SCS OVN IPsec"


def test_san_order_alone_changes_nothing(tmp_path):
    vals = values(tmp_path)
    run(vals)
    _web(vals, dns=["*.web.test", "web.test"], ip=["::1", "192.0.2.1"])
    assert not predict(vals)["changed"]


def test_ip_spelling_alone_changes_nothing(tmp_path):
    vals = values(tmp_path)
    run(vals)
    _web(vals, ip=["192.0.2.1", "0:0:0:0:0:0:0:1"])
    assert not predict(vals)["changed"]


def test_key_missing_reissues_with_new_key(tmp_path):
    vals = values(tmp_path)
    run(vals)
    os.unlink(tmp_path / "pki/certs/web.key")
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("reissued", "key missing")


def test_unreadable_key_is_replaced(tmp_path):
    vals = values(tmp_path)
    run(vals)
    (tmp_path / "pki/certs/web.key").write_bytes(b"garbage")
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("reissued", "key unreadable")


def test_foreign_key_is_a_key_mismatch(tmp_path):
    vals = values(tmp_path)
    run(vals)
    (tmp_path / "pki/certs/web.key").write_bytes(engine.key_pem(ec.generate_private_key(ec.SECP256R1())))
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("reissued", "key mismatch")


def test_key_type_change_makes_new_keys_but_keeps_the_ca_key(tmp_path):
    vals = values(tmp_path)
    run(vals)
    ca_key = (tmp_path / "pki/ca/ca.key").read_bytes()
    vals["pki_key_curve"] = "secp384r1"
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("reissued", "key type changed (ECC secp256r1)")
    assert (tmp_path / "pki/ca/ca.key").read_bytes() == ca_key
    with open(tmp_path / "pki/certs/web.key", "rb") as handle:
        assert "secp384r1" in engine.describe_key(engine.load_private_key(handle.read())[0])


def test_unreadable_certificate_is_reissued(tmp_path):
    vals = values(tmp_path)
    run(vals)
    (tmp_path / "pki/certs/web.crt").write_bytes(b"not a certificate")
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("reissued", "certificate unreadable")


def test_renewal_window_renews_with_the_same_key(tmp_path):
    vals = values(tmp_path)
    run(vals)
    key = (tmp_path / "pki/certs/web.key").read_bytes()
    later = NOW + 31 * DAY  # 9 days left, window 10
    done = assert_prediction_then_run(vals, now=later)
    assert by_name(done) == {"web": ("renewed", "renewal window"), "peer": ("renewed", "renewal window")}
    assert (tmp_path / "pki/certs/web.key").read_bytes() == key
    assert engine.not_after(load(tmp_path / "pki/certs/web.crt")) == later + 40 * DAY


def test_one_day_outside_the_window_is_unchanged(tmp_path):
    vals = values(tmp_path)
    run(vals)
    assert not predict(vals, now=NOW + 29 * DAY)["changed"]


def test_expired_certificate_is_renewed(tmp_path):
    vals = values(tmp_path, pki_ca_valid_days=3650)
    run(vals)
    done = assert_prediction_then_run(vals, now=NOW + 41 * DAY)
    assert by_name(done)["web"] == ("renewed", "expired")


def test_not_yet_valid_certificate_is_renewed(tmp_path):
    vals = values(tmp_path)
    run(vals)
    os.unlink(tmp_path / "pki/certs/web.crt")
    run(vals, now=NOW + 5 * DAY)
    done = predict(vals, now=NOW + DAY)
    assert by_name(done)["web"] == ("renewed", "not valid yet")


def test_reasons_combine_and_reissue_wins_over_renewal(tmp_path):
    vals = values(tmp_path)
    run(vals)
    _web(vals, common_name="x.test")
    done = predict(vals, now=NOW + 31 * DAY)
    assert by_name(done)["web"] == ("reissued", "subject changed, renewal window")


def test_key_mode_is_fixed_without_rewriting(tmp_path):
    vals = values(tmp_path)
    run(vals)
    key = tmp_path / "pki/certs/web.key"
    key.chmod(0o644)
    content = key.read_bytes()
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("unchanged", "web.key mode 0644 -> 0600")
    assert done["certificates"][0]["changed"]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.read_bytes() == content


def test_directory_mode_is_fixed(tmp_path):
    vals = values(tmp_path)
    run(vals)
    (tmp_path / "pki/certs").chmod(0o755)
    done = assert_prediction_then_run(vals)
    assert done["changed"] and by_name(done)["web"] == ("unchanged", "")
    assert stat.S_IMODE((tmp_path / "pki/certs").stat().st_mode) == 0o700


def test_orphan_certificates_are_left_alone(tmp_path):
    vals = values(tmp_path)
    run(vals)
    vals["pki_certificates"] = vals["pki_certificates"][:1]
    assert not predict(vals)["changed"]
    assert (tmp_path / "pki/certs/peer.crt").exists()


# --- the CA ---------------------------------------------------------------------------------

def test_create_ca_subject_change_reissues_everything_with_the_same_ca_key(tmp_path):
    vals = values(tmp_path)
    run(vals)
    ca_key = (tmp_path / "pki/ca/ca.key").read_bytes()
    vals["pki_ca_common_name"] = "New CA"
    done = assert_prediction_then_run(vals)
    assert done["ca"]["status"] == "reissued" and done["ca"]["reason"] == "CA subject changed"
    assert by_name(done) == {"web": ("reissued", "CA changed"), "peer": ("reissued", "CA changed")}
    assert (tmp_path / "pki/ca/ca.key").read_bytes() == ca_key
    assert load(tmp_path / "pki/certs/web.crt").issuer.rfc4514_string() == "CN=New CA"


def test_create_ca_lost_certificate_is_remade_and_leaves_follow(tmp_path):
    vals = values(tmp_path)
    run(vals)
    os.unlink(tmp_path / "pki/ca/ca.crt")
    done = assert_prediction_then_run(vals)
    assert done["ca"]["status"] == "created" and "CA certificate missing" in done["ca"]["reason"]
    assert by_name(done)["web"] == ("reissued", "CA changed")


def test_create_ca_lost_key_makes_a_new_ca(tmp_path):
    vals = values(tmp_path)
    run(vals)
    os.unlink(tmp_path / "pki/ca/ca.key")
    done = assert_prediction_then_run(vals)
    assert done["ca"]["reason"] == "CA key missing"
    assert by_name(done)["web"] == ("reissued", "CA changed")


def test_create_ca_key_type_setting_never_replaces_the_ca(tmp_path):
    vals = values(tmp_path)
    run(vals)
    vals.update(pki_key_type="RSA", pki_key_size=2048)
    done = predict(vals)
    assert done["ca"]["status"] == "unchanged"
    assert by_name(done)["web"][1].startswith("key type changed")


def test_create_ca_unreadable_key_is_refused(tmp_path):
    vals = values(tmp_path)
    run(vals)
    (tmp_path / "pki/ca/ca.key").write_bytes(b"junk")
    with pytest.raises(engine.PkiError, match="never replaces a CA key"):
        engine.plan(vals, now=NOW)


def test_create_ca_expiring_is_refused(tmp_path):
    vals = values(tmp_path, pki_ca_valid_days=100)
    run(vals)
    with pytest.raises(engine.PkiError, match="within pki_renew_before_days"):
        engine.plan(vals, now=NOW + 95 * DAY)
    with pytest.raises(engine.PkiError, match="expired"):
        engine.plan(vals, now=NOW + 101 * DAY)


def test_leaf_lifetime_is_capped_at_the_ca_and_said(tmp_path):
    vals = values(tmp_path, pki_ca_valid_days=20, pki_renew_before_days=5)
    done = run(vals)
    assert done["warnings"] and "before the 40 days" in done["warnings"][0]
    ca, web = load(tmp_path / "pki/ca/ca.crt"), load(tmp_path / "pki/certs/web.crt")
    assert engine.not_after(web) == engine.not_after(ca)
    assert not predict(vals, now=NOW + DAY)["changed"]


def test_provided_ca_is_copied_byte_for_byte(tmp_path):
    crt, key = make_ca(tmp_path)
    vals = values(tmp_path, pki_ca_mode="provided", pki_ca_certificate_src=crt, pki_ca_privatekey_src=key)
    done = assert_prediction_then_run(vals)
    assert done["ca"]["status"] == "created"
    assert (tmp_path / "pki/ca/ca.crt").read_bytes() == open(crt, "rb").read()
    assert (tmp_path / "pki/ca/ca.key").read_bytes() == open(key, "rb").read()
    assert stat.S_IMODE((tmp_path / "pki/ca/ca.key").stat().st_mode) == 0o600
    assert engine.issued_by(load(tmp_path / "pki/certs/web.crt"), load(crt))


def test_provided_ca_switch_reissues_everything(tmp_path):
    crt, key = make_ca(tmp_path)
    vals = values(tmp_path, pki_ca_mode="provided", pki_ca_certificate_src=crt, pki_ca_privatekey_src=key)
    run(vals)
    crt2, key2 = make_ca(tmp_path, name="Second CA")
    vals.update(pki_ca_certificate_src=crt2, pki_ca_privatekey_src=key2)
    done = assert_prediction_then_run(vals)
    assert done["ca"]["status"] == "reissued"
    assert "differs from the source" in done["ca"]["reason"]
    assert by_name(done) == {"web": ("reissued", "CA changed"), "peer": ("reissued", "CA changed")}


def test_provided_ca_with_the_same_subject_but_another_key_is_a_ca_change(tmp_path):
    crt, key = make_ca(tmp_path)
    vals = values(tmp_path, pki_ca_mode="provided", pki_ca_certificate_src=crt, pki_ca_privatekey_src=key)
    run(vals)
    (tmp_path / "again").mkdir()
    crt2, key2 = make_ca(tmp_path / "again")  # same name, new key
    vals.update(pki_ca_certificate_src=crt2, pki_ca_privatekey_src=key2)
    done = assert_prediction_then_run(vals)
    assert by_name(done)["web"] == ("reissued", "CA changed")


def test_provided_ca_foreign_key_is_refused(tmp_path):
    crt, _key = make_ca(tmp_path)
    _crt2, key2 = make_ca(tmp_path, name="Other")
    vals = values(tmp_path, pki_ca_mode="provided", pki_ca_certificate_src=crt, pki_ca_privatekey_src=key2)
    with pytest.raises(engine.PkiError, match="does not belong"):
        engine.plan(vals, now=NOW)
    assert not (tmp_path / "pki").exists()


def test_external_ca_installs_the_certificate_only(tmp_path):
    crt, _key = make_ca(tmp_path)
    vals = values(tmp_path, [], pki_ca_mode="external", pki_ca_certificate_src=crt)
    done = assert_prediction_then_run(vals)
    assert done["ca"]["status"] == "created" and done["issued"] == {}
    assert sorted(os.listdir(tmp_path / "pki")) == ["ca", "certs"]
    # no key; the trust bundle holds the one trusted CA
    assert sorted(os.listdir(tmp_path / "pki/ca")) == ["ca.crt", "trust-bundle.pem"]
    assert (tmp_path / "pki/ca/trust-bundle.pem").read_bytes() == (tmp_path / "pki/ca/ca.crt").read_bytes()


def test_expired_operator_ca_is_refused(tmp_path):
    crt, key = make_ca(tmp_path, days=10, start=NOW - 20 * DAY)
    vals = values(tmp_path, pki_ca_mode="provided", pki_ca_certificate_src=crt, pki_ca_privatekey_src=key)
    with pytest.raises(engine.PkiError, match="expired"):
        engine.plan(vals, now=NOW)


def test_rsa_ca_and_rsa_leaves(tmp_path):
    vals = values(tmp_path, pki_key_type="RSA", pki_key_size=2048)
    done = assert_prediction_then_run(vals)
    with open(tmp_path / "pki/ca/ca.key", "rb") as handle:
        assert isinstance(engine.load_private_key(handle.read())[0], rsa.RSAPrivateKey)
    assert done["counts"] == {"created": 2}


def test_rsa_keys_on_the_process_pool_are_distinct():
    keys = engine.generate_keys(engine.POOL_MIN_RSA_KEYS, "RSA", 2048, None, workers=2)
    assert len(keys) == engine.POOL_MIN_RSA_KEYS
    assert len(set(engine.public_der(k) for k in keys)) == len(keys)
    assert all(isinstance(k, rsa.RSAPrivateKey) and k.key_size == 2048 for k in keys)


def test_existing_rsa_key_from_an_older_tool_is_kept(tmp_path):
    """Keys in PKCS#8 (as other tools write them) are read and kept, not rewritten."""
    vals = values(tmp_path, pki_key_type="RSA", pki_key_size=2048)
    (tmp_path / "pki/certs").mkdir(parents=True)
    from cryptography.hazmat.primitives import serialization
    pem = rsa_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    (tmp_path / "pki/certs/web.key").write_bytes(pem)
    (tmp_path / "pki/certs/web.key").chmod(0o600)
    done = run(vals)
    assert by_name(done)["web"] == ("created", "missing")
    assert (tmp_path / "pki/certs/web.key").read_bytes() == pem


def test_a_directory_where_a_certificate_goes_is_refused(tmp_path):
    vals = values(tmp_path)
    (tmp_path / "pki/certs/web.crt").mkdir(parents=True)
    with pytest.raises(engine.PkiError, match="is a directory"):
        engine.plan(vals, now=NOW)


def test_diff_names_changes_and_never_key_material(tmp_path):
    vals = values(tmp_path)
    done = run(vals)
    assert "web: created (missing)" in done["diff"]["after"]
    assert "PRIVATE" not in repr(done)
