# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""scs.kolla.pki_certificates and scs_files as Ansible runs them: a subprocess reading JSON arguments."""

import json
import os
import stat

import pytest

from ansible_collections.scs.kolla.tests.unit.plugins.modules.module_runner import run_module_process
from ansible_collections.scs.kolla.plugins.modules import pki_certificates


def run_module(check_mode=False, diff=False, **args):
    result, output = run_module_process(pki_certificates, check_mode=check_mode, diff=diff, **args)
    assert "Traceback" not in output, output
    return result


def certs(n, **extra):
    return [dict({"name": "c%d" % i, "common_name": "c%d" % i, "dns": ["c%d.test" % i], "ip": ["10.0.0.%d" % (i % 250 + 1)]},
                 **extra) for i in range(n)]


def listing(root):
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            out[path] = (stat.S_IMODE(st.st_mode), st.st_mtime_ns)
    return out


def comparable(result):
    return dict((k, result[k]) for k in ("changed", "ca", "certificates", "issued", "counts"))


def test_check_mode_predicts_the_run_exactly_then_nothing_to_do(tmp_path):
    args = dict(dir=str(tmp_path / "pki"), key_type="ECC", certificates=certs(20))
    predicted = run_module(check_mode=True, diff=True, **args)
    assert not (tmp_path / "pki").exists()
    done = run_module(diff=True, **args)
    assert comparable(predicted) == comparable(done) and predicted["diff"] == done["diff"]
    assert done["counts"] == {"created": 20}
    before = listing(tmp_path)
    again = run_module(**args)
    assert not again["changed"] and again["counts"] == {"unchanged": 20}
    assert listing(tmp_path) == before

    # one SAN more, one certificate less, a renewal window that catches everything
    args["certificates"] = certs(19)
    args["certificates"][3]["dns"].append("extra.test")
    predicted = run_module(check_mode=True, **args)
    done = run_module(**args)
    assert comparable(predicted) == comparable(done)
    assert [r["name"] for r in done["certificates"] if r["changed"]] == ["c3"]
    assert done["certificates"][3]["reason"] == "SAN changed"
    args.update(certificate_valid_days=400, renew_before_days=370)
    predicted = run_module(check_mode=True, **args)
    done = run_module(**args)
    assert comparable(predicted) == comparable(done) and done["counts"] == {"renewed": 19}


def test_rsa_on_the_process_pool(tmp_path):
    args = dict(dir=str(tmp_path / "pki"), key_type="RSA", key_size=2048, certificates=certs(5), workers=2)
    done = run_module(**args)
    assert done["counts"] == {"created": 5}
    keys = set((tmp_path / "pki" / "certs" / ("c%d.key" % i)).read_bytes() for i in range(5))
    assert len(keys) == 5 and all(b"BEGIN RSA PRIVATE KEY" in k for k in keys)
    assert not run_module(**args)["changed"]


@pytest.mark.parametrize("args,words", [
    (dict(certificate_valid_days=99999999), ["certificate_valid_days", "99999999"]),
    (dict(key_size=1024, key_type="RSA"), ["pki_key_size", "1024"]),
    (dict(certificates=[{"name": "a", "common_name": "x" * 65}]), ["common_name", "xxxx"]),
    (dict(certificates=[{"name": "a", "common_name": "a", "dns": ["10.0.0.1"]}]), ["dns[0]", "'10.0.0.1'"]),
    (dict(ca_common_name=""), ["pki_ca_common_name", "''"]),
    (dict(ca_mode="external", ca_certificate_src="/nonexistent"), ["pki_ca_certificate_src", "'/nonexistent'"]),
], ids=["validity", "rsa-1024", "cn-64", "ip-as-dns", "empty-ca-cn", "external-missing"])
def test_bad_input_fails_before_any_write(tmp_path, args, words):
    out = run_module(dir=str(tmp_path / "pki"), **args)
    assert out.get("failed") and "nothing was changed" in out["msg"]
    for word in words:
        assert word in out["msg"]
    assert not (tmp_path / "pki").exists()


def test_refused_file_state_writes_nothing(tmp_path):
    args = dict(dir=str(tmp_path / "pki"), key_type="ECC", certificates=certs(2))
    run_module(**args)
    (tmp_path / "pki/certs/c1.crt").unlink()
    (tmp_path / "pki/certs/c1.crt").mkdir()
    before = listing(tmp_path)
    out = run_module(**args)
    assert out.get("failed") and "c1.crt" in out["msg"]
    assert listing(tmp_path) == before


def test_output_never_holds_key_material(tmp_path):
    out = run_module(diff=True, dir=str(tmp_path / "pki"), key_type="ECC", certificates=certs(3))
    assert "PRIVATE KEY" not in json.dumps(out)


def test_ca_rollover_phases_through_the_module(tmp_path):
    """Each phase as Ansible runs the module: check mode predicts it, the rerun changes nothing,
    finish moves the directories."""
    pki = tmp_path / "pki"
    args = dict(dir=str(pki), key_type="ECC", certificates=certs(3))
    run_module(**args)
    keys = ("changed", "ca", "certificates", "counts", "signing_ca", "ca_next", "retired", "trusted", "trust_bundle")
    for phase in ("trust", "reissue", "finish", "none"):
        args["ca_rollover"] = phase
        predicted = run_module(check_mode=True, diff=True, **args)
        done = run_module(diff=True, **args)
        assert dict((k, predicted[k]) for k in keys) == dict((k, done[k]) for k in keys)
        assert predicted["diff"] == done["diff"]
        assert done["changed"] == (phase != "none") and done["rollover"] == phase
        again = run_module(**args)
        assert not again["changed"]
    assert done["trusted"] == [str(pki / "ca/ca.crt")] and not (pki / "ca-next").exists()
    assert len(os.listdir(str(pki / "ca-retired"))) == 1


def test_ca_rollover_refusal_through_the_module(tmp_path):
    args = dict(dir=str(tmp_path / "pki"), key_type="ECC", certificates=certs(1), ca_rollover="none")
    run_module(**args)
    before = listing(tmp_path)
    args["ca_rollover"] = "reissue"
    result = run_module(**args)
    assert result.get("failed") and "pki_ca_rollover: 'reissue'" in result["msg"] and "nothing was changed" in \
        result["msg"]
    assert listing(tmp_path) == before
