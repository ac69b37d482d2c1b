# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The input rules of scs.kolla.pki, table-driven: every bad value is refused, by name."""

import datetime
import os
import subprocess

import pytest

from cryptography.hazmat.primitives.asymmetric import ec

from ansible_collections.scs.kolla.plugins.module_utils import pki_input, scs_input
from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v
from ansible_collections.scs.kolla.tests.unit.plugins.module_utils.pki_helpers import NOW, make_ca, rsa_key, run

DAY = datetime.timedelta(days=1)
GOOD_CERT = {"name": "web", "common_name": "web.test", "dns": ["web.test"], "ip": ["192.0.2.1"]}


@pytest.fixture(name="files")
def fixture_files(tmp_path):
    """Operator CA files for the cases, by label."""
    made = {}
    (tmp_path / "src").mkdir()
    src = tmp_path / "src"
    made["ca"] = make_ca(src, "Good CA")
    made["expired"] = make_ca(src, "Expired CA", days=10, start=NOW - 20 * DAY)
    made["future"] = make_ca(src, "Future CA", start=NOW + 2 * DAY)
    made["short"] = make_ca(src, "Short CA", days=20)  # ends inside the 30-day renewal window
    made["leaf"] = make_ca(src, "Leaf cert", ca=False)
    made["no_constraints"] = make_ca(src, "No constraints", ca=None)
    made["no_sign"] = make_ca(src, "No keyCertSign", key_cert_sign=False)
    made["rsa1024"] = make_ca(src, "Weak RSA", key=rsa_key(1024))
    made["p224"] = make_ca(src, "Weak curve", key=ec.generate_private_key(ec.SECP224R1()))
    made["encrypted"] = make_ca(src, "Encrypted", encrypt=True)
    made["with_key"] = make_ca(src, "With key", extra_key=True)
    garbage = src / "garbage.pem"
    garbage.write_text("hello\n")
    made["garbage"] = (str(garbage), str(garbage))
    bundle = src / "bundle.pem"
    made["second"] = make_ca(src, "Second")
    bundle.write_bytes(open(made["ca"][0], "rb").read() + open(made["second"][0], "rb").read())
    made["bundle"] = (str(bundle), made["ca"][1])
    made["dir"] = (str(src), str(src))
    made["root"] = str(tmp_path)
    git = tmp_path / "repo"
    git.mkdir()
    subprocess.run(["git", "init", "-q", str(git)], check=True)
    (git / ".gitignore").write_text("/secrets/\n")
    made["git_ignored"] = str(git / "secrets" / "pki")
    made["git"] = str(git / "environments" / "kolla" / "pki")
    return made


def base(files, **kwargs):
    values = {"pki_dir": os.path.join(files["root"], "pki"), "pki_certificates": [dict(GOOD_CERT)]}
    values.update(kwargs)
    return values


def cert(**kwargs):
    c = dict(GOOD_CERT)
    c.update(kwargs)
    return {"pki_certificates": [dict((k, val) for k, val in c.items() if val is not Ellipsis)]}


def provided(files, label, key_label=None):
    return {"pki_ca_mode": "provided", "pki_ca_certificate_src": files[label][0],
            "pki_ca_privatekey_src": files[key_label or label][1]}


def external(files, label):
    return {"pki_ca_mode": "external", "pki_ca_certificate_src": files[label][0], "pki_certificates": []}


# (id, overrides(files) -> dict, words every message must contain)
CASES = [
    # pki_dir
    ("dir-relative", lambda f: {"pki_dir": "pki"}, ["pki_dir", "'pki'", "absolute"]),
    ("dir-dotdot", lambda f: {"pki_dir": "/etc/../tmp/pki"}, ["pki_dir", "'/etc/../tmp/pki'"]),
    ("dir-newline", lambda f: {"pki_dir": "/tmp/pki\n"}, ["pki_dir", "'/tmp/pki\\n'"]),
    ("dir-number", lambda f: {"pki_dir": 5}, ["pki_dir", "5 (an integer)"]),
    ("dir-is-file", lambda f: {"pki_dir": f["ca"][0]}, ["pki_dir", "Good_CA.crt", "found a file"]),
    ("dir-in-git", lambda f: {"pki_dir": f["git"]}, ["pki_dir", "git work tree", "pki_allow_git_work_tree"]),
    ("git-opt-in-not-bool", lambda f: {"pki_allow_git_work_tree": "yes"}, ["pki_allow_git_work_tree", "'yes'"]),
    ("no-log-not-bool", lambda f: {"pki_no_log": "no"}, ["pki_no_log", "'no'"]),
    # modes and keys
    ("mode-unknown", lambda f: {"pki_ca_mode": "self"}, ["pki_ca_mode", "'self'", "create, provided, external"]),
    ("mode-list", lambda f: {"pki_ca_mode": ["create"]}, ["pki_ca_mode", "['create']"]),
    ("key-type-dsa", lambda f: {"pki_key_type": "DSA"}, ["pki_key_type", "'DSA'", "RSA, ECC"]),
    ("key-type-lower", lambda f: {"pki_key_type": "rsa"}, ["pki_key_type", "'rsa'"]),
    ("key-size-1024", lambda f: {"pki_key_size": 1024}, ["pki_key_size", "1024", ">= 2048"]),
    ("key-size-huge", lambda f: {"pki_key_size": 65536}, ["pki_key_size", "65536", "<= 8192"]),
    ("key-size-odd", lambda f: {"pki_key_size": 3000}, ["pki_key_size", "3000", "multiple of 256"]),
    ("key-size-string", lambda f: {"pki_key_size": "3072"}, ["pki_key_size", "'3072'"]),
    ("key-size-bool", lambda f: {"pki_key_size": True}, ["pki_key_size", "True (a boolean)"]),
    ("curve-weak", lambda f: {"pki_key_type": "ECC", "pki_key_curve": "secp192r1"}, ["pki_key_curve", "'secp192r1'"]),
    ("curve-prime256v1", lambda f: {"pki_key_type": "ECC", "pki_key_curve": "prime256v1"},
     ["pki_key_curve", "'prime256v1'", "secp256r1"]),
    # lifetimes
    ("valid-99999999", lambda f: {"pki_certificate_valid_days": 99999999},
     ["pki_certificate_valid_days", "99999999", "<= 36500"]),
    ("ca-valid-99999999", lambda f: {"pki_ca_valid_days": 99999999}, ["pki_ca_valid_days", "99999999"]),
    ("valid-zero", lambda f: {"pki_certificate_valid_days": 0}, ["pki_certificate_valid_days", "0 (an integer)"]),
    ("valid-negative", lambda f: {"pki_certificate_valid_days": -5}, ["pki_certificate_valid_days", "-5"]),
    ("valid-float", lambda f: {"pki_certificate_valid_days": 36.5}, ["pki_certificate_valid_days", "36.5 (a float)"]),
    ("valid-string", lambda f: {"pki_certificate_valid_days": "365"}, ["pki_certificate_valid_days", "'365'"]),
    ("ca-valid-zero", lambda f: {"pki_ca_valid_days": 0}, ["pki_ca_valid_days", "0 (an integer)"]),
    ("window-equal", lambda f: {"pki_certificate_valid_days": 10, "pki_renew_before_days": 10},
     ["pki_renew_before_days", "10 (an integer)", "<= 9"]),
    ("window-negative", lambda f: {"pki_renew_before_days": -1}, ["pki_renew_before_days", "-1", ">= 0"]),
    ("window-string", lambda f: {"pki_renew_before_days": "30"}, ["pki_renew_before_days", "'30'"]),
    ("window-with-bad-validity", lambda f: {"pki_certificate_valid_days": "x", "pki_renew_before_days": None},
     ["pki_renew_before_days", "None (a null)"]),
    ("ca-shorter-than-window", lambda f: {"pki_ca_valid_days": 30, "pki_renew_before_days": 30,
                                          "pki_certificate_valid_days": 40},
     ["pki_ca_valid_days", "30 (an integer)", "renewal window"]),
    # created CA subject
    ("ca-cn-empty", lambda f: {"pki_ca_common_name": ""}, ["pki_ca_common_name", "''", "non-empty"]),
    ("ca-cn-long", lambda f: {"pki_ca_common_name": "C" * 65}, ["pki_ca_common_name", "CCCC", "at most 64"]),
    ("ca-cn-newline", lambda f: {"pki_ca_common_name": "CA\n"}, ["pki_ca_common_name", "'CA\\n'"]),
    ("ca-cn-number", lambda f: {"pki_ca_common_name": 42}, ["pki_ca_common_name", "42 (an integer)"]),
    ("ca-o-long", lambda f: {"pki_ca_organization": "O" * 65}, ["pki_ca_organization", "OOOO", "at most 64"]),
    ("ca-o-control", lambda f: {"pki_ca_organization": "SCS\x00"}, ["pki_ca_organization", "'SCS\\x00'"]),
    # certificates: shape
    ("certs-not-list", lambda f: {"pki_certificates": "web"}, ["pki_certificates", "'web'", "list"]),
    ("certs-dict", lambda f: {"pki_certificates": {"name": "web"}}, ["pki_certificates", "expected a list"]),
    ("cert-not-mapping", lambda f: {"pki_certificates": ["web"]}, ["pki_certificates[0]", "'web'", "mapping"]),
    ("cert-no-name", lambda f: cert(name=Ellipsis), ["pki_certificates[0]", "'name'", "missing"]),
    ("cert-no-cn", lambda f: cert(common_name=Ellipsis), ["pki_certificates[0]", "'common_name'", "missing"]),
    ("cert-unknown-key", lambda f: cert(sans=["x"]), ["pki_certificates[0]", "'sans'", "not known"]),
    ("cert-typo-key", lambda f: cert(extended_key_usages=["serverAuth"]),
     ["pki_certificates[0]", "'extended_key_usages'"]),
    # names
    ("name-slash", lambda f: cert(name="../web"), ["pki_certificates[0].name", "'../web'"]),
    ("name-space", lambda f: cert(name="web server"), ["pki_certificates[0].name", "'web server'"]),
    ("name-newline", lambda f: cert(name="web\n"), ["pki_certificates[0].name", "'web\\n'"]),
    ("name-dot-start", lambda f: cert(name=".web"), ["pki_certificates[0].name", "'.web'"]),
    ("name-empty", lambda f: cert(name=""), ["pki_certificates[0].name", "''"]),
    ("name-number", lambda f: cert(name=7), ["pki_certificates[0].name", "7 (an integer)"]),
    ("name-long", lambda f: cert(name="n" * 201), ["pki_certificates[0].name", "nnnn"]),
    ("name-twice", lambda f: {"pki_certificates": [dict(GOOD_CERT), dict(GOOD_CERT)]},
     ["pki_certificates[1].name", "'web'", "pki_certificates[0] uses it already"]),
    # subject
    ("cn-empty", lambda f: cert(common_name=""), ["pki_certificates[0].common_name", "''"]),
    ("cn-long", lambda f: cert(common_name="h" * 65), ["pki_certificates[0].common_name", "hhhh", "at most 64"]),
    ("cn-newline", lambda f: cert(common_name="web\n"), ["pki_certificates[0].common_name", "'web\\n'"]),
    ("cn-tab", lambda f: cert(common_name="a\tb"), ["pki_certificates[0].common_name", "'a\\tb'"]),
    ("cn-list", lambda f: cert(common_name=["web"]), ["pki_certificates[0].common_name", "['web']"]),
    ("cn-del", lambda f: cert(common_name="web\x7f"), ["pki_certificates[0].common_name", "'web\\x7f'"]),
    ("o-long", lambda f: cert(organization_name="o" * 65), ["pki_certificates[0].organization_name", "oooo"]),
    ("o-newline", lambda f: cert(organization_name="SCS\n"), ["pki_certificates[0].organization_name", "'SCS\\n'"]),
    ("o-number", lambda f: cert(organization_name=1), ["pki_certificates[0].organization_name", "1 (an integer)"]),
    # DNS SANs
    ("dns-not-list", lambda f: cert(dns="web.test"), ["pki_certificates[0].dns", "'web.test'", "list"]),
    ("dns-underscore", lambda f: cert(dns=["bad_name.test"]), ["pki_certificates[0].dns[0]", "'bad_name.test'"]),
    ("dns-bang", lambda f: cert(dns=["ok.test", "bad!.test"]), ["pki_certificates[0].dns[1]", "'bad!.test'"]),
    ("dns-ipv4", lambda f: cert(dns=["192.0.2.1"]), ["pki_certificates[0].dns[0]", "'192.0.2.1'", "IP list"]),
    ("dns-ipv6", lambda f: cert(dns=["::1"]), ["pki_certificates[0].dns[0]", "'::1'"]),
    ("dns-trailing-newline", lambda f: cert(dns=["web.test\n"]), ["pki_certificates[0].dns[0]", "'web.test\\n'"]),
    ("dns-trailing-dot", lambda f: cert(dns=["web.test."]), ["pki_certificates[0].dns[0]", "'web.test.'"]),
    ("dns-empty", lambda f: cert(dns=[""]), ["pki_certificates[0].dns[0]", "''"]),
    ("dns-long-label", lambda f: cert(dns=["a" * 64 + ".test"]), ["pki_certificates[0].dns[0]", "aaaa"]),
    ("dns-long-name", lambda f: cert(dns=[".".join(["a" * 63] * 4) + ".test"]), ["pki_certificates[0].dns[0]"]),
    ("dns-hyphen-start", lambda f: cert(dns=["-web.test"]), ["pki_certificates[0].dns[0]", "'-web.test'"]),
    ("dns-inner-wildcard", lambda f: cert(dns=["a.*.test"]), ["pki_certificates[0].dns[0]", "'a.*.test'"]),
    ("dns-bare-wildcard", lambda f: cert(dns=["*"]), ["pki_certificates[0].dns[0]", "'*'"]),
    ("dns-number", lambda f: cert(dns=[42]), ["pki_certificates[0].dns[0]", "42 (an integer)"]),
    ("dns-space", lambda f: cert(dns=["web test"]), ["pki_certificates[0].dns[0]", "'web test'"]),
    # IP SANs
    ("ip-not-list", lambda f: cert(ip="192.0.2.1"), ["pki_certificates[0].ip", "'192.0.2.1'", "list"]),
    ("ip-octet", lambda f: cert(ip=["10.0.0.300"]), ["pki_certificates[0].ip[0]", "'10.0.0.300'"]),
    ("ip-cidr", lambda f: cert(ip=["10.0.0.0/24"]), ["pki_certificates[0].ip[0]", "'10.0.0.0/24'"]),
    ("ip-name", lambda f: cert(ip=["web.test"]), ["pki_certificates[0].ip[0]", "'web.test'"]),
    ("ip-number", lambda f: cert(ip=[3232235777]), ["pki_certificates[0].ip[0]", "3232235777 (an integer)"]),
    ("ip-newline", lambda f: cert(ip=["192.0.2.1\n"]), ["pki_certificates[0].ip[0]", "'192.0.2.1\\n'"]),
    ("ip-empty", lambda f: cert(ip=[""]), ["pki_certificates[0].ip[0]", "''"]),
    ("ip-v6-zone", lambda f: cert(ip=["fe80::1%eth0"]), ["pki_certificates[0].ip[0]", "'fe80::1%eth0'"]),
    # usages
    ("ku-unknown", lambda f: cert(key_usage=["sign"]), ["pki_certificates[0].key_usage[0]", "'sign'"]),
    ("ku-long-form", lambda f: cert(key_usage=["Digital Signature"]),
     ["pki_certificates[0].key_usage[0]", "'Digital Signature'", "digitalSignature"]),
    ("ku-empty", lambda f: cert(key_usage=[]), ["pki_certificates[0].key_usage", "[]", "non-empty"]),
    ("ku-string", lambda f: cert(key_usage="digitalSignature"), ["pki_certificates[0].key_usage", "'digitalSignature'"]),
    ("eku-unknown", lambda f: cert(extended_key_usage=["webAuth"]),
     ["pki_certificates[0].extended_key_usage[0]", "'webAuth'", "dotted OID"]),
    ("eku-bad-oid", lambda f: cert(extended_key_usage=["1.3.6.1.5.5.7.3.01"]),
     ["pki_certificates[0].extended_key_usage[0]", "'1.3.6.1.5.5.7.3.01'"]),
    ("eku-string", lambda f: cert(extended_key_usage="serverAuth"),
     ["pki_certificates[0].extended_key_usage", "'serverAuth'"]),
    # provided / external: the operator's CA
    ("provided-no-cert", lambda f: {"pki_ca_mode": "provided", "pki_ca_privatekey_src": f["ca"][1]},
     ["pki_ca_certificate_src", "pki_ca_mode provided needs pki_ca_certificate_src"]),
    ("provided-no-key", lambda f: {"pki_ca_mode": "provided", "pki_ca_certificate_src": f["ca"][0]},
     ["pki_ca_privatekey_src", "pki_ca_mode provided needs pki_ca_privatekey_src"]),
    ("external-no-cert", lambda f: {"pki_ca_mode": "external", "pki_certificates": []},
     ["pki_ca_mode external needs pki_ca_certificate_src"]),
    ("external-with-certs", lambda f: dict(external(f, "ca"), pki_certificates=[dict(GOOD_CERT)]),
     ["pki_ca_mode external has no CA private key, so it cannot issue web"]),
    ("ca-relative", lambda f: dict(provided(f, "ca"), pki_ca_certificate_src="ca.crt"),
     ["pki_ca_certificate_src", "'ca.crt'", "absolute"]),
    ("ca-missing", lambda f: dict(provided(f, "ca"), pki_ca_certificate_src="/nonexistent/ca.crt"),
     ["pki_ca_certificate_src", "'/nonexistent/ca.crt'", "existing"]),
    ("ca-is-dir", lambda f: dict(provided(f, "ca"), pki_ca_certificate_src=f["dir"][0]),
     ["pki_ca_certificate_src", "found a directory"]),
    ("ca-garbage", lambda f: provided(f, "garbage", "ca"), ["pki_ca_certificate_src", "garbage.pem", "PEM"]),
    ("ca-expired", lambda f: provided(f, "expired"), ["pki_ca_certificate_src", "Expired_CA.crt", "expired on"]),
    ("ca-not-yet-valid", lambda f: provided(f, "future"), ["pki_ca_certificate_src", "Future_CA.crt", "not valid before"]),
    ("ca-inside-window", lambda f: provided(f, "short"),
     ["pki_ca_certificate_src", "Short_CA.crt", "more than 30 more days"]),
    ("ca-is-leaf", lambda f: provided(f, "leaf"), ["pki_ca_certificate_src", "Leaf_cert.crt", "not a CA"]),
    ("ca-no-constraints", lambda f: provided(f, "no_constraints"),
     ["pki_ca_certificate_src", "No_constraints.crt", "CA:TRUE"]),
    ("ca-no-keycertsign", lambda f: provided(f, "no_sign"), ["pki_ca_certificate_src", "keyCertSign"]),
    ("ca-rsa-1024", lambda f: provided(f, "rsa1024"), ["pki_ca_certificate_src", "Weak_RSA.crt", "RSA 1024"]),
    ("ca-weak-curve", lambda f: provided(f, "p224"), ["pki_ca_certificate_src", "Weak_curve.crt", "secp224r1"]),
    ("ca-with-private-key", lambda f: provided(f, "with_key"),
     ["pki_ca_certificate_src", "With_key.crt", "found a private key"]),
    ("ca-bundle", lambda f: provided(f, "bundle"), ["pki_ca_certificate_src", "bundle.pem", "found 2"]),
    ("external-expired", lambda f: external(f, "expired"), ["pki_ca_certificate_src", "Expired_CA.crt", "expired"]),
    ("external-leaf", lambda f: external(f, "leaf"), ["pki_ca_certificate_src", "Leaf_cert.crt", "not a CA"]),
    ("external-weak", lambda f: external(f, "rsa1024"), ["pki_ca_certificate_src", "RSA 1024"]),
    ("key-encrypted", lambda f: provided(f, "encrypted"),
     ["pki_ca_privatekey_src", "Encrypted.key", "encrypted", "openssl pkey"]),
    ("key-foreign", lambda f: provided(f, "ca", "leaf"),
     ["pki_ca_privatekey_src", "Leaf_cert.key", "does not belong"]),
    ("key-garbage", lambda f: dict(provided(f, "ca"), pki_ca_privatekey_src=f["garbage"][1]),
     ["pki_ca_privatekey_src", "garbage.pem", "readable unencrypted PEM private key"]),
    ("key-missing", lambda f: dict(provided(f, "ca"), pki_ca_privatekey_src="/nonexistent/ca.key"),
     ["pki_ca_privatekey_src", "'/nonexistent/ca.key'", "existing"]),
    ("key-relative", lambda f: dict(provided(f, "ca"), pki_ca_privatekey_src="ca.key"),
     ["pki_ca_privatekey_src", "'ca.key'"]),
    ("key-certificate-file", lambda f: provided(f, "ca", "garbage"),
     ["pki_ca_privatekey_src", "garbage.pem"]),
    # CA rollover (the phases against the files: test_pki_rollover.py)
    ("rollover-unknown", lambda f: {"pki_ca_rollover": "switch"},
     ["pki_ca_rollover", "'switch'", "none, trust, reissue, finish"]),
    ("rollover-bool", lambda f: {"pki_ca_rollover": True}, ["pki_ca_rollover", "True (a boolean)"]),
    ("rollover-upper", lambda f: {"pki_ca_rollover": "Trust"}, ["pki_ca_rollover", "'Trust'"]),
    ("rollover-external", lambda f: dict(external(f, "ca"), pki_ca_rollover="trust"),
     ["pki_ca_rollover", "'trust'", "pki_ca_mode external", "only none is accepted"]),
    ("rollover-trust-fresh", lambda f: {"pki_ca_rollover": "trust"},
     ["pki_ca_rollover", "'trust'", "needs the current CA", "run with pki_ca_rollover none first"]),
    ("rollover-next-missing", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust"),
     ["pki_ca_next_certificate_src", "pki_ca_rollover trust with pki_ca_mode provided needs"]),
    ("rollover-next-key-missing", lambda f: dict(provided(f, "ca"), pki_ca_rollover="reissue",
                                                 pki_ca_next_certificate_src=f["second"][0]),
     ["pki_ca_next_privatekey_src", "pki_ca_rollover reissue", "next CA's unencrypted private key"]),
    ("rollover-next-relative", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust",
                                              pki_ca_next_certificate_src="next.crt",
                                              pki_ca_next_privatekey_src=f["second"][1]),
     ["pki_ca_next_certificate_src", "'next.crt'"]),
    ("rollover-next-expired", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust",
                                             pki_ca_next_certificate_src=f["expired"][0],
                                             pki_ca_next_privatekey_src=f["expired"][1]),
     ["pki_ca_next_certificate_src", "Expired_CA.crt"]),
    ("rollover-next-not-ca", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust",
                                            pki_ca_next_certificate_src=f["leaf"][0],
                                            pki_ca_next_privatekey_src=f["leaf"][1]),
     ["pki_ca_next_certificate_src", "Leaf_cert.crt"]),
    ("rollover-next-encrypted", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust",
                                               pki_ca_next_certificate_src=f["encrypted"][0],
                                               pki_ca_next_privatekey_src=f["encrypted"][1]),
     ["pki_ca_next_privatekey_src", "Encrypted.key", "encrypted"]),
    ("rollover-next-foreign-key", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust",
                                                 pki_ca_next_certificate_src=f["second"][0],
                                                 pki_ca_next_privatekey_src=f["ca"][1]),
     ["pki_ca_next_privatekey_src", "Good_CA.key", "does not belong"]),
    ("rollover-next-rsa1024", lambda f: dict(provided(f, "ca"), pki_ca_rollover="trust",
                                             pki_ca_next_certificate_src=f["rsa1024"][0],
                                             pki_ca_next_privatekey_src=f["rsa1024"][1]),
     ["pki_ca_next_certificate_src", "RSA 1024"]),
]


@pytest.mark.parametrize("overrides,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_naming_the_value(files, overrides, words):
    problems = pki_input.check(base(files, **overrides(files)), now=NOW)
    assert problems, "accepted"
    text = "\n".join(problems)
    for word in words:
        assert word in text, "%r not in: %s" % (word, text)
    assert not os.path.exists(os.path.join(files["root"], "pki"))


def test_there_are_enough_cases():
    assert len(CASES) >= 80


@pytest.mark.parametrize("overrides", [
    lambda f: {},
    lambda f: {"pki_key_type": "ECC", "pki_key_curve": "secp384r1"},
    lambda f: {"pki_key_size": 4096},
    lambda f: provided(f, "ca"),
    lambda f: external(f, "ca"),
    lambda f: {"pki_dir": f["git"], "pki_allow_git_work_tree": True},
    lambda f: {"pki_dir": f["git_ignored"]},
    lambda f: dict(external(f, "ca"), pki_dir=f["git"]),  # no CA key is kept in external mode
    lambda f: cert(dns=["*.web.test", "xn--bcher-kva.test"], ip=["2001:db8::1"], organization_name="SCS",
                   key_usage=["digitalSignature"], extended_key_usage=["1.3.6.1.5.5.7.3.17", "ipsecIKE"]),
    lambda f: cert(dns=None, ip=None, key_usage=None, extended_key_usage=None),
    lambda f: cert(extended_key_usage=[]),
    lambda f: {"pki_certificate_valid_days": 36500, "pki_ca_valid_days": 36500},
    lambda f: {"pki_certificates": []},
    lambda f: external(f, "short"),  # issues nothing: the renewal window does not matter
    lambda f: {"pki_ca_rollover": "none"},
], ids=["defaults", "ecc", "rsa4096", "provided", "external", "git-opt-in", "git-ignored", "external-in-git", "full-cert",
        "nulls", "no-eku", "long-lifetimes", "no-certs", "external-short", "rollover-none"])
def test_good_input_is_accepted(files, overrides):
    assert list(pki_input.check(base(files, **overrides(files)), now=NOW)) == []


def test_registered_for_validate_input(files):
    assert scs_input.CHECKS["pki"] is pki_input.check
    assert list(scs_input.run_check("pki", base(files))) == []


def test_not_a_mapping():
    assert "values" in list(pki_input.check(["pki_dir"]))[0]


def test_pki_dir_missing():
    assert any("pki_dir: is missing" in p for p in pki_input.check({}))


def test_all_problems_are_reported_together(files):
    problems = pki_input.check(base(files, pki_key_type="DSA", pki_certificate_valid_days=0,
                                    **cert(ip=["x"], dns=["y_"])), now=NOW)
    assert len(problems) == 4


def test_created_ca_with_a_broken_key_is_refused(files, tmp_path):
    values = base(files, pki_key_type="ECC")
    run(values)
    (tmp_path / "pki/ca/ca.key").write_bytes(b"oops")
    [problem] = pki_input.check(values, now=NOW)
    assert "ca.key" in problem and "never replaces a CA key" in problem


def test_created_ca_expiring_is_refused_before_anything(files, tmp_path):
    values = base(files, pki_key_type="ECC", pki_ca_valid_days=100)
    run(values)
    [problem] = pki_input.check(values, now=NOW + 80 * DAY)
    assert "pki_dir" in problem and "within pki_renew_before_days (30)" in problem
    # a new subject makes a new CA certificate: nothing to refuse then
    values["pki_ca_common_name"] = "Next CA"
    assert list(pki_input.check(values, now=NOW + 80 * DAY)) == []


def test_a_directory_where_a_certificate_goes(files, tmp_path):
    (tmp_path / "pki/certs/web.key").mkdir(parents=True)
    [problem] = pki_input.check(base(files), now=NOW)
    assert "web.key" in problem and "directory" in problem


def test_ca_dir_is_a_file(files, tmp_path):
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki/ca").write_text("x")
    [problem] = pki_input.check(base(files), now=NOW)
    assert "is a file" in problem


# --- the generic helpers in scs_validate ------------------------------------------------------

def test_git_unsure_is_refused(tmp_path):
    (tmp_path / "fake/.git").mkdir(parents=True)  # not a repository git can read
    problems = v.Problems()
    assert not v.check_outside_git(problems, "d", str(tmp_path / "fake/pki"), "opt_in")
    assert "could not tell" in list(problems)[0]


def test_git_work_tree_of(tmp_path):
    (tmp_path / "repo/.git").mkdir(parents=True)
    assert v.git_work_tree_of(str(tmp_path / "repo/a/b")) == str(tmp_path / "repo")
    (tmp_path / "worktree").mkdir()
    (tmp_path / "worktree/.git").write_text("gitdir: /elsewhere\n")  # a linked worktree
    assert v.git_work_tree_of(str(tmp_path / "worktree/x")) == str(tmp_path / "worktree")


def test_ca_certificate_file_returns_the_certificates(files):
    problems = v.Problems()
    certs = v.check_ca_certificate_file(problems, "extra", files["bundle"][0], now=NOW)
    assert not problems and len(certs) == 2


@pytest.mark.parametrize("label,word", [("with_key", "private key"), ("leaf", "not a CA"), ("garbage", "PEM"),
                                        ("expired", "expired")])
def test_ca_certificate_file_refuses(files, label, word):
    problems = v.Problems()
    assert v.check_ca_certificate_file(problems, "extra[0]", files[label][0], now=NOW) == []
    [problem] = problems
    assert problem.startswith("extra[0]: %s" % v.show(files[label][0], 4096)) and word in problem


def test_foreign_key_is_reported_with_a_short_lived_ca(files):
    problems = list(pki_input.check(base(files, **provided(files, "short", "ca")), now=NOW))
    assert len(problems) == 2
    assert "more than 30 more days" in problems[0] and "does not belong" in problems[1]
