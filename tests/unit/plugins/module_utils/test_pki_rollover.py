# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""CA rollover (pki_ca_rollover) in the PKI engine and its input rules, on real files: every
phase and transition, reruns that change nothing, check mode = real run, refusals."""

import datetime
import os
import stat
import subprocess

import pytest

from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible_collections.scs.kolla.plugins.module_utils import pki_engine as engine
from ansible_collections.scs.kolla.plugins.module_utils import pki_input
from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.pki_helpers import (
    NOW, make_ca, predict, run)

DAY = datetime.timedelta(days=1)
CN = "Rollover Test CA"


def values(tmp_path, phase="none", certs=None, **kwargs):
    base = {
        "pki_dir": str(tmp_path / "pki"),
        "pki_key_type": "ECC",
        "pki_ca_common_name": CN,
        "pki_ca_organization": "SCS",
        "pki_certificate_valid_days": 40,
        "pki_renew_before_days": 10,
        "pki_ca_rollover": phase,
        "pki_certificates": certs if certs is not None else [
            {"name": "a", "common_name": "a.test", "dns": ["a.test"]},
            {"name": "b", "common_name": "b.test", "ip": ["192.0.2.2"]},
        ],
    }
    base.update(kwargs)
    return base


def load(path):
    with open(str(path), "rb") as handle:
        return x509.load_pem_x509_certificate(handle.read())


def cn_of(cert):
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def snapshot(root):
    found = {}
    for dirpath, dirnames, filenames in os.walk(str(root)):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            with open(path, "rb") if os.path.isfile(path) else open(os.devnull, "rb") as handle:
                content = handle.read()
            found[path] = (stat.S_IMODE(st.st_mode), st.st_mtime_ns, content)
    return found


def phase_run(vals, now=NOW):
    """Check mode's prediction equals the real run; the input rules accept the phase; a rerun
    (prediction and real run) changes nothing and writes nothing."""
    assert not pki_input.check(vals, now=now), list(pki_input.check(vals, now=now))
    predicted = predict(vals, now=now)
    done = run(vals, now=now)
    assert predicted == done
    before = snapshot(vals["pki_dir"])
    again = run(vals, now=now)
    assert not again["changed"], again
    assert snapshot(vals["pki_dir"]) == before
    return done


def statuses(summary):
    return dict((r["name"], (r["status"], r["reason"])) for r in summary["certificates"])


def issuer_cn(pki, name):
    return load(pki / "certs" / (name + ".crt")).issuer.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def assert_refused(vals, words, now=NOW):
    """The input rules and the engine refuse, naming ``words``; nothing on disk changes."""
    before = snapshot(vals["pki_dir"]) if os.path.exists(vals["pki_dir"]) else None
    problems = list(pki_input.check(vals, now=now))
    assert problems, "expected a refusal"
    text = "\n".join(problems)
    for word in words:
        assert word in text, text
    with pytest.raises(engine.PkiError):
        engine.plan(vals, now=now)
    after = snapshot(vals["pki_dir"]) if os.path.exists(vals["pki_dir"]) else None
    assert before == after
    return text


def test_create_mode_none_trust_reissue_finish_none(tmp_path):
    pki = tmp_path / "pki"
    done = phase_run(values(tmp_path))
    assert done["trusted"] == [str(pki / "ca/ca.crt")] and done["rollover"] == "none"
    assert (pki / "ca/trust-bundle.pem").read_bytes() == (pki / "ca/ca.crt").read_bytes()
    old_ca = load(pki / "ca/ca.crt")
    assert cn_of(old_ca) == CN
    old_ca_key = (pki / "ca/ca.key").read_bytes()

    # trust: a next CA of generation 2; the current CA still signs; both are trusted
    done = phase_run(values(tmp_path, "trust"))
    assert done["ca_next"]["status"] == "created" and done["ca_next"]["reason"] == "next CA key missing"
    assert done["signing_ca"] == str(pki / "ca/ca.crt")
    assert done["trusted"] == [str(pki / "ca/ca.crt"), str(pki / "ca-next/ca.crt")]
    assert done["trust_bundle"] == {"path": str(pki / "ca/trust-bundle.pem"), "changed": True}
    assert statuses(done) == {"a": ("unchanged", ""), "b": ("unchanged", "")}
    next_ca = load(pki / "ca-next/ca.crt")
    assert cn_of(next_ca) == CN + " G2" and next_ca.subject != old_ca.subject
    assert engine.ca_generation(next_ca, CN, "SCS") == 2 and engine.is_ca(next_ca)
    assert engine.public_der(next_ca.public_key()) != engine.public_der(old_ca.public_key())
    assert (pki / "ca/trust-bundle.pem").read_bytes() == \
        (pki / "ca/ca.crt").read_bytes() + (pki / "ca-next/ca.crt").read_bytes()
    assert stat.S_IMODE((pki / "ca-next").stat().st_mode) == 0o700
    assert stat.S_IMODE((pki / "ca-next/ca.key").stat().st_mode) == 0o600
    # a certificate added during trust is issued by the current CA
    more = values(tmp_path, "trust")["pki_certificates"] + [{"name": "c", "common_name": "c.test"}]
    done = phase_run(values(tmp_path, "trust", certs=more))
    assert statuses(done)["c"] == ("created", "missing") and issuer_cn(pki, "c") == CN

    # reissue: every certificate from the next CA, with the reason; both still trusted
    done = phase_run(values(tmp_path, "reissue", certs=more))
    assert statuses(done) == dict((n, ("reissued", "not issued by the next CA")) for n in "abc")
    assert done["signing_ca"] == str(pki / "ca-next/ca.crt") and done["ca_next"]["status"] == "unchanged"
    assert done["trusted"] == [str(pki / "ca/ca.crt"), str(pki / "ca-next/ca.crt")]
    assert not done["trust_bundle"]["changed"]
    for name in "abc":
        assert engine.issued_by(load(pki / "certs" / (name + ".crt")), next_ca)
    # a certificate added during reissue comes from the next CA too
    more.append({"name": "d", "common_name": "d.test"})
    done = phase_run(values(tmp_path, "reissue", certs=more))
    assert statuses(done)["d"] == ("created", "missing") and issuer_cn(pki, "d") == CN + " G2"

    # finish: ca-next/ becomes ca/, the old CA is retired with its key 0600 in a 0700 directory
    done = phase_run(values(tmp_path, "finish", certs=more))
    retired = pki / "ca-retired" / ("%x" % old_ca.serial_number)
    assert done["retired"] == str(retired) and done["ca"]["status"] == "promoted"
    assert "retired to %s" % retired in done["ca"]["reason"]
    assert statuses(done) == dict((n, ("unchanged", "")) for n in "abcd")
    assert done["trusted"] == [str(pki / "ca/ca.crt")] and done["ca_next"] is None
    assert not (pki / "ca-next").exists()
    assert load(pki / "ca/ca.crt") == next_ca
    assert (pki / "ca/trust-bundle.pem").read_bytes() == (pki / "ca/ca.crt").read_bytes()
    assert sorted(os.listdir(str(retired))) == ["ca.crt", "ca.key"]
    assert load(retired / "ca.crt") == old_ca and (retired / "ca.key").read_bytes() == old_ca_key
    assert stat.S_IMODE(retired.stat().st_mode) == 0o700
    assert stat.S_IMODE((retired / "ca.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((pki / "ca-retired").stat().st_mode) == 0o700
    # a second finish changes nothing (phase_run ran it twice); none afterwards is normal operation
    done = phase_run(values(tmp_path, "none", certs=more))
    assert not done["changed"] and done["trusted"] == [str(pki / "ca/ca.crt")]
    assert not done["warnings"]

    # the next rollover makes generation 3
    phase_run(values(tmp_path, "trust", certs=more))
    assert cn_of(load(pki / "ca-next/ca.crt")) == CN + " G3"
    phase_run(values(tmp_path, "reissue", certs=more))
    phase_run(values(tmp_path, "finish", certs=more))
    assert len(engine.retired_cas(str(pki))) == 2 and cn_of(load(pki / "ca/ca.crt")) == CN + " G3"


def test_finish_reissues_what_the_old_ca_signed(tmp_path):
    """Safety net: trust straight to finish re-issues every certificate (reason CA changed)."""
    pki = tmp_path / "pki"
    phase_run(values(tmp_path))
    phase_run(values(tmp_path, "trust"))
    next_ca = load(pki / "ca-next/ca.crt")
    done = phase_run(values(tmp_path, "finish"))
    assert statuses(done) == {"a": ("reissued", "CA changed"), "b": ("reissued", "CA changed")}
    assert engine.issued_by(load(pki / "certs/a.crt"), next_ca)


def test_renewal_during_trust_and_reissue(tmp_path):
    """Renewal keeps working in every phase, from the CA that signs in it."""
    pki = tmp_path / "pki"
    phase_run(values(tmp_path))
    phase_run(values(tmp_path, "trust"))
    later = NOW + 35 * DAY
    done = phase_run(values(tmp_path, "trust"), now=later)
    assert statuses(done)["a"] == ("renewed", "renewal window") and issuer_cn(pki, "a") == CN
    done = phase_run(values(tmp_path, "reissue"), now=later)
    assert statuses(done)["a"] == ("reissued", "not issued by the next CA")
    done = phase_run(values(tmp_path, "reissue"), now=later + 35 * DAY)
    assert statuses(done)["a"] == ("renewed", "renewal window") and issuer_cn(pki, "a") == CN + " G2"


def test_none_with_a_next_ca_warns_and_trusts_only_the_ca(tmp_path):
    pki = tmp_path / "pki"
    phase_run(values(tmp_path))
    phase_run(values(tmp_path, "trust"))
    done = phase_run(values(tmp_path, "none"))
    assert done["trusted"] == [str(pki / "ca/ca.crt")] and done["trust_bundle"]["changed"]
    assert any("not trusted" in w for w in done["warnings"])
    assert (pki / "ca-next/ca.crt").exists()  # left for the operator; trust again goes on
    done = phase_run(values(tmp_path, "trust"))
    assert done["ca_next"]["status"] == "unchanged" and done["trust_bundle"]["changed"]


def test_check_mode_of_each_phase_writes_nothing(tmp_path):
    phase_run(values(tmp_path))
    for phase in ("trust", "reissue", "finish"):
        before = snapshot(tmp_path / "pki")
        predicted = predict(values(tmp_path, phase))
        assert predicted["changed"]
        assert snapshot(tmp_path / "pki") == before
        assert predicted == run(values(tmp_path, phase))


def test_next_ca_files_are_repaired_or_refused(tmp_path):
    pki = tmp_path / "pki"
    phase_run(values(tmp_path))
    phase_run(values(tmp_path, "trust"))
    key = (pki / "ca-next/ca.key").read_bytes()
    (pki / "ca-next/ca.crt").unlink()
    (pki / "ca-next/ca.key").chmod(0o644)
    done = phase_run(values(tmp_path, "trust"))
    assert done["ca_next"]["status"] == "created"
    assert "next CA certificate missing" in done["ca_next"]["reason"] and "ca.key mode 0644 -> 0600" in \
        done["ca_next"]["reason"]
    assert (pki / "ca-next/ca.key").read_bytes() == key  # a CA key is never replaced
    # reissue refuses a next CA that trust did not roll out as it is now
    (pki / "ca-next/ca.crt").unlink()
    text = assert_refused(values(tmp_path, "reissue"), ["pki_ca_rollover", "'reissue'", "run trust first"])
    assert "next CA certificate missing" in text
    (pki / "ca-next/ca.key").write_bytes(b"garbage")
    assert_refused(values(tmp_path, "trust"), ["ca-next/ca.key", "never replaces a CA key"])


@pytest.mark.parametrize("setup, phase, words", [
    ("fresh", "trust", ["pki_ca_rollover: 'trust'", "needs the current CA", "run with pki_ca_rollover none first"]),
    ("fresh", "reissue", ["pki_ca_rollover: 'reissue'", "needs the current CA"]),
    ("fresh", "finish", ["pki_ca_rollover: 'finish'", "needs a next CA", "accepted phases here: none or trust"]),
    ("ca", "reissue", ["pki_ca_rollover: 'reissue'", "run trust first", "next CA key missing"]),
    ("ca", "finish", ["pki_ca_rollover: 'finish'", "needs a next CA"]),
])
def test_phases_without_their_ca_files_are_refused(tmp_path, setup, phase, words):
    if setup == "ca":
        phase_run(values(tmp_path))
    else:
        os.makedirs(str(tmp_path / "pki"))
    assert_refused(values(tmp_path, phase), words)


def test_finish_refuses_an_occupied_retired_directory_and_a_changed_ca(tmp_path):
    pki = tmp_path / "pki"
    phase_run(values(tmp_path))
    phase_run(values(tmp_path, "trust"))
    target = pki / "ca-retired" / ("%x" % load(pki / "ca/ca.crt").serial_number)
    target.mkdir(parents=True)
    assert_refused(values(tmp_path, "finish"), ["exists already", str(target)])
    target.rmdir()
    # trust refuses when the current CA would change in the same run
    assert_refused(values(tmp_path, "trust", pki_ca_common_name="Another CA"),
                   ["the current CA", "would change", "CA subject changed"])


def test_next_cn_must_fit_the_x509_limit(tmp_path):
    long_cn = "C" * 63
    phase_run(values(tmp_path, pki_ca_common_name=long_cn))
    text = assert_refused(values(tmp_path, "trust", pki_ca_common_name=long_cn), ["pki_ca_common_name", long_cn])
    assert "G2" in text


def test_external_mode_refuses_every_phase(tmp_path):
    crt, _key = make_ca(tmp_path)
    for phase in ("trust", "reissue", "finish"):
        vals = values(tmp_path, phase, [], pki_ca_mode="external", pki_ca_certificate_src=crt)
        assert_refused(vals, ["pki_ca_rollover: %r" % phase, "pki_ca_mode external", "only none is accepted"])


def test_unknown_phase_is_refused(tmp_path):
    problems = list(pki_input.check(values(tmp_path, "switch")))
    assert problems and "pki_ca_rollover: 'switch'" in problems[0] and "finish" in problems[0]


def test_git_work_tree_check_covers_the_rollover(tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    vals = values(tmp_path, "trust", pki_dir=str(repo / "pki"))
    problems = "\n".join(pki_input.check(vals))
    assert "git work tree" in problems and "pki_allow_git_work_tree" in problems


# --- provided mode --------------------------------------------------------------------------

def provided(tmp_path, phase, cur, nxt=None, **kwargs):
    extra = {"pki_ca_mode": "provided", "pki_ca_certificate_src": cur[0], "pki_ca_privatekey_src": cur[1]}
    if nxt:
        extra.update(pki_ca_next_certificate_src=nxt[0], pki_ca_next_privatekey_src=nxt[1])
    extra.update(kwargs)
    return values(tmp_path, phase, **extra)


def test_provided_mode_none_trust_reissue_finish_none(tmp_path):
    pki = tmp_path / "pki"
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = make_ca(tmp_path / "old", name="Operator CA 2030")
    new = make_ca(tmp_path / "new", name="Operator CA 2031", days=800)
    phase_run(provided(tmp_path, "none", old))
    done = phase_run(provided(tmp_path, "trust", old, new))
    assert done["ca_next"]["status"] == "created" and done["signing_ca"] == str(pki / "ca/ca.crt")
    assert (pki / "ca-next/ca.crt").read_bytes() == open(new[0], "rb").read()
    assert (pki / "ca-next/ca.key").read_bytes() == open(new[1], "rb").read()
    assert issuer_cn(pki, "a") == "Operator CA 2030"
    done = phase_run(provided(tmp_path, "reissue", old, new))
    assert statuses(done)["a"] == ("reissued", "not issued by the next CA") and issuer_cn(pki, "a") == "Operator CA 2031"
    # finish wants pki_ca_certificate_src / pki_ca_privatekey_src at the next CA's files
    assert_refused(provided(tmp_path, "finish", old, new), ["still the current CA", "pki_ca_certificate_src"])
    done = phase_run(provided(tmp_path, "finish", new))
    assert done["ca"]["status"] == "promoted" and statuses(done)["a"] == ("unchanged", "")
    assert (pki / "ca/ca.crt").read_bytes() == open(new[0], "rb").read()
    assert done["trusted"] == [str(pki / "ca/ca.crt")]
    phase_run(provided(tmp_path, "none", new))
    # the retired CA as source again would switch back: refused
    assert_refused(provided(tmp_path, "none", old), ["pki_ca_rollover: 'none'", "retired", old[0]])


def test_provided_mode_refusals(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "other").mkdir()
    old = make_ca(tmp_path / "old", name="Operator CA")
    same_subject = make_ca(tmp_path / "new", name="Operator CA")
    other = make_ca(tmp_path / "other", name="Other CA")
    phase_run(provided(tmp_path, "none", old))
    assert_refused(provided(tmp_path, "trust", old), ["pki_ca_next_certificate_src", "needs"])
    assert_refused(provided(tmp_path, "trust", old, same_subject),
                   ["pki_ca_rollover: 'trust'", "subject", "needs a subject (CN) and a key of its own"])
    assert_refused(provided(tmp_path, "trust", old, (other[0], old[1])),
                   ["pki_ca_next_privatekey_src", "does not belong"])
    assert_refused(provided(tmp_path, "reissue", old, other), ["pki_ca_rollover: 'reissue'", "run trust first"])
    phase_run(provided(tmp_path, "trust", old, other))
    (tmp_path / "third").mkdir()
    third = make_ca(tmp_path / "third", name="Third CA")
    assert_refused(provided(tmp_path, "reissue", old, third),
                   ["run trust first", "differs from pki_ca_next_certificate_src"])
    assert_refused(provided(tmp_path, "finish", third), ["not the one to finish with", "pki_ca_certificate_src"])
