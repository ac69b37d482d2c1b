# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The input rules of scs.kolla.pki (and of the module scs.kolla.pki_certificates).

:func:`check` takes the role's variables (``pki_*``) and returns every problem, before anything
is written: value formats and X.509 limits, the operator's CA files (``provided`` and
``external`` modes) and a CA that ``create`` mode made earlier, and where the CA key would be
kept. The engine (``pki_engine``) relies on it and refuses the same file states itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v
from ansible_collections.scs.kolla.plugins.module_utils import pki_engine as engine

MODES = ("create", "provided", "external")
KEY_TYPES = ("RSA", "ECC")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
OID_RE = re.compile(r"[0-2](\.(0|[1-9][0-9]*)){2,}")
CERT_KEYS = ("name", "common_name", "organization_name", "dns", "ip", "key_usage", "extended_key_usage")
GIT_OPT_IN = "pki_allow_git_work_tree"

DEFAULTS = {
    "pki_ca_mode": "create",
    "pki_ca_certificate_src": "",
    "pki_ca_privatekey_src": "",
    "pki_ca_rollover": "none",
    "pki_ca_next_certificate_src": "",
    "pki_ca_next_privatekey_src": "",
    "pki_ca_common_name": "SCS Kolla Internal CA",
    "pki_ca_organization": "",
    "pki_ca_valid_days": 3650,
    "pki_certificate_valid_days": 365,
    "pki_renew_before_days": 30,
    "pki_key_type": "RSA",
    "pki_key_size": 3072,
    "pki_key_curve": "secp256r1",
    "pki_certificates": [],
    "pki_no_log": True,
    GIT_OPT_IN: False,
}


def _add(problems, name, value, accepted):
    """A problem about a file's content or place: the path is shown whole."""
    problems.add(name, value, accepted, limit=4096)


def check(values, now=None):
    """Every problem of the role's variables ``values`` (a dict), as scs_validate.Problems."""
    problems = v.Problems()
    if not isinstance(values, dict):
        problems.add("values", values, "expected a mapping of the pki_* variables")
        return problems
    values = dict(DEFAULTS, **values)
    now = now or engine.utcnow()

    dir_ok = "pki_dir" in values and v.check_abs_path(problems, "pki_dir", values["pki_dir"], kind="dir")
    if "pki_dir" not in values:
        problems.note("pki_dir: is missing; expected the absolute controller directory of the PKI")
    mode_ok = v.check_choice(problems, "pki_ca_mode", values["pki_ca_mode"], MODES)
    mode = values["pki_ca_mode"] if mode_ok else None
    if not isinstance(values[GIT_OPT_IN], bool):
        problems.add(GIT_OPT_IN, values[GIT_OPT_IN], "expected a boolean")
    elif dir_ok and mode in ("create", "provided") and not values[GIT_OPT_IN]:
        v.check_outside_git(problems, "pki_dir", values["pki_dir"], GIT_OPT_IN)
    if not isinstance(values["pki_no_log"], bool):
        problems.add("pki_no_log", values["pki_no_log"], "expected a boolean")

    _check_key_settings(problems, values)
    days_ok = _check_lifetimes(problems, values)
    phase = values["pki_ca_rollover"] if v.check_choice(
        problems, "pki_ca_rollover", values["pki_ca_rollover"], engine.ROLLOVER_PHASES) else None
    if phase not in (None, "none") and mode == "external":
        problems.add("pki_ca_rollover", phase, "pki_ca_mode external has no CA private key to sign with; a CA "
                     "rollover needs pki_ca_mode create or provided (with external only none is accepted)")
        phase = None

    if mode == "create":
        cn_ok = v.check_text(problems, "pki_ca_common_name", values["pki_ca_common_name"], max_len=v.X509_CN_MAX,
                             what="the CA's subject CN")
        v.check_text(problems, "pki_ca_organization", values["pki_ca_organization"], max_len=v.X509_O_MAX,
                     allow_empty=True, what="the CA's subject O, or empty")
        if dir_ok:
            _check_created_ca(problems, values, now, days_ok, lifetime=phase in (None, "none", "trust"))
            if cn_ok and phase == "trust":
                _check_next_cn(problems, values)
    elif mode in ("provided", "external"):
        _check_operator_ca(problems, values, mode, now, days_ok and phase != "reissue")
        if mode == "provided" and phase in ("trust", "reissue"):
            _check_operator_ca(problems, values, mode, now, days_ok, names=NEXT_NAMES, needs=phase)

    certs = values["pki_certificates"]
    if v.check_list(problems, "pki_certificates", certs):
        names = {}
        for index, cert in enumerate(certs):
            _check_certificate(problems, "pki_certificates[%d]" % index, cert, names)
        if mode == "external" and certs:
            problems.note("pki_certificates: pki_ca_mode external has no CA private key, so it cannot issue %s; "
                          "use pki_ca_mode provided with pki_ca_privatekey_src, or create"
                          % ", ".join(str(c.get("name", "?")) if isinstance(c, dict) else "?" for c in certs))
    if dir_ok and not problems:
        _check_file_places(problems, values)
    if dir_ok and phase is not None and not problems:
        _check_rollover_files(problems, values, now)
    return problems


def _check_next_cn(problems, values):
    """The CN of the next created CA (configured CN + " G<n>") must fit into the X.509 limit."""
    cert = engine.load_certificate(engine.read_bytes(engine.paths(values["pki_dir"])["ca_crt"]))
    generation = (engine.ca_generation(cert, values["pki_ca_common_name"], values["pki_ca_organization"] or None)
                  or 1) if cert is not None else 1
    cn = engine.generation_cn(values["pki_ca_common_name"], generation + 1)
    if len(cn) > v.X509_CN_MAX:
        problems.add("pki_ca_common_name", values["pki_ca_common_name"],
                     "expected a CN of which the next CA's CN %r (the CN plus a generation suffix that tells the two "
                     "trusted CAs apart) fits into %d characters" % (cn, v.X509_CN_MAX))


def _check_rollover_files(problems, values, now):
    """The rollover phase against the CA files below pki_dir (the engine's own decision)."""
    s = engine.settings(values)
    try:
        engine.plan_rollover(s, engine.paths(s["pki_dir"]), now)
    except engine.RolloverRefused as exc:
        problems.add("pki_ca_rollover", exc.phase, exc.detail, limit=4096)
    except engine.PkiError:
        pass  # a state of the CA files that the engine reports itself (and the checks above mostly)


def _check_key_settings(problems, values):
    if not v.check_choice(problems, "pki_key_type", values["pki_key_type"], KEY_TYPES):
        return
    if values["pki_key_type"] == "RSA":
        v.check_int(problems, "pki_key_size", values["pki_key_size"], engine.MIN_RSA_BITS, engine.MAX_RSA_BITS)
        size = values["pki_key_size"]
        if isinstance(size, int) and not isinstance(size, bool) and engine.MIN_RSA_BITS <= size <= engine.MAX_RSA_BITS \
                and size % 256:
            problems.add("pki_key_size", size, "expected a multiple of 256 bits (2048, 3072, 4096, ...)")
    else:
        v.check_choice(problems, "pki_key_curve", values["pki_key_curve"], engine.CURVES)


def _check_lifetimes(problems, values):
    ok = v.check_int(problems, "pki_ca_valid_days", values["pki_ca_valid_days"], 1, engine.MAX_VALID_DAYS)
    ok = v.check_int(problems, "pki_certificate_valid_days", values["pki_certificate_valid_days"], 1,
                     engine.MAX_VALID_DAYS) and ok
    if not ok:
        v.check_int(problems, "pki_renew_before_days", values["pki_renew_before_days"], 0)
        return False
    leaf = values["pki_certificate_valid_days"]
    if not v.check_int(problems, "pki_renew_before_days", values["pki_renew_before_days"], 0, leaf - 1):
        return False
    if values["pki_ca_mode"] == "create" and values["pki_ca_valid_days"] <= values["pki_renew_before_days"]:
        problems.add("pki_ca_valid_days", values["pki_ca_valid_days"],
                     "expected more than pki_renew_before_days (%d): a CA that ends inside the renewal window would "
                     "renew every certificate on every run" % values["pki_renew_before_days"])
        return False
    return True


def _check_certificate(problems, label, cert, names):
    if not v.check_mapping(problems, label, cert, allowed_keys=CERT_KEYS, required_keys=("name", "common_name")):
        if not isinstance(cert, dict):
            return
    name = cert.get("name")
    if "name" in cert and v.check_pattern(
            problems, label + ".name", name, NAME_RE,
            "expected a file base name of 1-200 letters, digits, '.', '_' and '-', starting with a letter or digit"):
        if name in names:
            problems.add(label + ".name", name, "expected a unique name; %s uses it already" % names[name])
        else:
            names[name] = label
    if "common_name" in cert:
        v.check_text(problems, label + ".common_name", cert["common_name"], max_len=v.X509_CN_MAX, what="subject CN")
    if cert.get("organization_name") not in (None, ""):
        v.check_text(problems, label + ".organization_name", cert["organization_name"], max_len=v.X509_O_MAX,
                     what="subject O")
    if cert.get("dns") is not None:
        v.check_list(problems, label + ".dns", cert["dns"],
                     lambda p, n, e: v.check_dns_name(p, n, e, allow_wildcard=True))
    if cert.get("ip") is not None:
        v.check_list(problems, label + ".ip", cert["ip"], _check_san_ip)
    if cert.get("key_usage") is not None:
        v.check_list(problems, label + ".key_usage", cert["key_usage"],
                     lambda p, n, e: v.check_choice(p, n, e, sorted(engine.KEY_USAGES)), allow_empty=False)
    if cert.get("extended_key_usage") is not None:
        v.check_list(problems, label + ".extended_key_usage", cert["extended_key_usage"], _check_eku)


def _check_san_ip(problems, name, value):
    """An IP address for a SAN: no IPv6 zone ('%eth0'), which a certificate cannot carry."""
    if not v.check_ip_address(problems, name, value):
        return False
    if "%" in value:
        problems.add(name, value, "expected an IPv4 or IPv6 address without a zone index (a certificate "
                     "holds the bare address)")
        return False
    return True


def _check_eku(problems, name, value):
    if isinstance(value, str) and (value in engine.EXTENDED_KEY_USAGES or OID_RE.fullmatch(value)):
        return True
    problems.add(name, value, "expected one of %s or a dotted OID such as 1.3.6.1.5.5.7.3.17"
                 % ", ".join(sorted(engine.EXTENDED_KEY_USAGES)))
    return False


def _key_strength(problems, name, value, public):
    described = engine.describe_key(public)
    if described.startswith("RSA "):
        if public.key_size < engine.MIN_RSA_BITS:
            _add(problems, name, value, "expected a CA key of RSA >= %d bits or ECC on %s; found %s"
                 % (engine.MIN_RSA_BITS, ", ".join(engine.CURVES), described))
            return False
        return True
    if described.startswith("ECC ") and public.curve.name in engine.CURVES:
        return True
    _add(problems, name, value, "expected a CA key of RSA >= %d bits or ECC on %s; found %s"
         % (engine.MIN_RSA_BITS, ", ".join(engine.CURVES), described))
    return False


def _usable_ca(problems, name, value, cert):
    """Key usage of a CA certificate, when present, must allow signing certificates."""
    usage = engine._extension(cert, engine.x509.KeyUsage)  # pylint: disable=protected-access
    if usage is not None and not usage.key_cert_sign:
        _add(problems, name, value, "expected a CA whose key usage allows keyCertSign; this one does not")
        return False
    return True


NEXT_NAMES = ("pki_ca_next_certificate_src", "pki_ca_next_privatekey_src")


def _check_operator_ca(problems, values, mode, now, days_ok, names=("pki_ca_certificate_src", "pki_ca_privatekey_src"),
                       needs=None):
    """The operator's CA files (``names``: the certificate and key variables); ``needs`` is the
    rollover phase when they are the next CA's."""
    cert_var, key_var = names
    src = values[cert_var]
    why = "pki_ca_rollover %s with pki_ca_mode provided" % needs if needs else "pki_ca_mode %s" % mode
    if src in ("", None):
        problems.note("%s: %s needs %s (the %sCA certificate on the controller)"
                      % (cert_var, why, cert_var, "next " if needs else ""))
        cert = None
    else:
        # external mode issues nothing: the renewal window does not apply to its CA
        renew = values["pki_renew_before_days"] if days_ok and mode == "provided" else 0
        certs = v.check_ca_certificate_file(problems, cert_var, src, now=now, min_remaining_days=renew)
        cert = None
        if len(certs) > 1:
            _add(problems, cert_var, src, "expected exactly one CA certificate (the issuing CA); "
                 "found %d: put the rest of the chain into the consumers' trust bundle" % len(certs))
        elif certs:
            cert = certs[0]
            if not (_key_strength(problems, cert_var, src, cert.public_key())
                    and _usable_ca(problems, cert_var, src, cert)):
                cert = None
    if mode == "external":
        return
    key_src = values[key_var]
    if key_src in ("", None):
        if needs:
            problems.note("%s: %s needs %s (the next CA's unencrypted private key)" % (key_var, why, key_var))
        else:
            problems.note("pki_ca_privatekey_src: pki_ca_mode provided needs pki_ca_privatekey_src to issue "
                          "certificates; with a CA certificate only use pki_ca_mode external and issue the "
                          "certificates elsewhere")
        return
    if not v.check_abs_path(problems, key_var, key_src, kind="file", must_exist=True):
        return
    key, problem = engine.load_private_key(engine.read_bytes(key_src))
    if problem == "encrypted":
        _add(problems, key_var, key_src, "expected an unencrypted PEM private key; this one is "
             "encrypted (decrypt it with 'openssl pkey -in KEY -out PLAIN' into a 0600 file)")
        return
    if key is None:
        _add(problems, key_var, key_src, "expected a readable unencrypted PEM private key")
        return
    if cert is None and isinstance(src, str) and os.path.isabs(src):
        # the certificate has another problem (reported); a foreign key is worth saying too
        cert = engine.load_certificate(engine.read_bytes(src) if os.path.isfile(src) else None)
    if cert is not None:
        if engine.public_der(key) != engine.public_der(cert.public_key()):
            _add(problems, key_var, key_src, "expected the private key of the CA certificate %s; "
                 "this key does not belong to it" % src)
            return


def _check_created_ca(problems, values, now, days_ok, lifetime=True):
    """A CA made by an earlier run: its key must be readable, the CA not expiring (``lifetime``:
    not for a CA that signs nothing in this run, in the rollover phases reissue and finish)."""
    p = engine.paths(values["pki_dir"])
    for path in (p["ca_dir"], p["certs_dir"]):
        if os.path.lexists(path) and not os.path.isdir(path):
            _add(problems, "pki_dir", values["pki_dir"], "expected a directory holding ca/ and certs/ directories; "
                 "%s is a file" % path)
            return
    key_data = engine.read_bytes(p["ca_key"])
    if os.path.isdir(p["ca_key"]) or os.path.isdir(p["ca_crt"]):
        _add(problems, "pki_dir", values["pki_dir"], "expected %s and %s to be files (or absent), found a directory"
             % (p["ca_key"], p["ca_crt"]))
        return
    if key_data is None:
        return
    key, problem = engine.load_private_key(key_data)
    if key is None:
        state = "encrypted" if problem == "encrypted" else "not a readable PEM private key"
        _add(problems, "pki_dir", values["pki_dir"], "expected %s to be the readable unencrypted CA key made by an "
             "earlier run; it is %s. scs.kolla.pki never replaces a CA key: move it away to make a new "
             "CA (docs/pki.md, Replacing the CA)" % (p["ca_key"], state))
        return
    cert = engine.load_certificate(engine.read_bytes(p["ca_crt"]))
    if cert is None or engine.public_der(cert.public_key()) != engine.public_der(key):
        return  # the engine makes a new CA certificate for the key
    if engine.ca_generation(cert, values["pki_ca_common_name"], values["pki_ca_organization"] or None) is None:
        return  # a new CA certificate (new subject, same key) is made now
    if not lifetime:
        return
    renew = values["pki_renew_before_days"] if days_ok else 0
    try:
        engine.check_ca_lifetime("the CA %s" % p["ca_crt"], cert, now, renew)
    except engine.PkiError as exc:
        _add(problems, "pki_dir", values["pki_dir"], "expected a usable CA; %s" % exc)


def _check_file_places(problems, values):
    """A directory where a certificate or key file must go."""
    for cert in values["pki_certificates"]:
        for path in engine.leaf_paths(values["pki_dir"], cert["name"]):
            if os.path.isdir(path):
                problems.add("pki_certificates[name=%s]" % cert["name"], cert["name"],
                             "expected %s to be a file (or absent); it is a directory" % path)
