# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The certificate engine behind scs.kolla.pki: one process, the whole PKI.

:func:`plan` reads what exists below ``pki_dir`` (the CA and every requested certificate) and
decides, without generating or writing anything, what has to happen to each file and why.
:func:`execute` then makes the keys (RSA keys on a process pool when there are many), signs the
certificates and hands every file that differs to a writer (``scs_files`` in the module). Check
mode is :func:`plan` alone, so the prediction is the real run's decision by construction.

Layout: ``pki_dir/ca/ca.crt`` + ``ca.key``, ``pki_dir/certs/NAME.crt`` + ``NAME.key``; keys
0600, directories 0700, certificates 0644. The CA key is only read and written here, on the
controller. Values are the role's variables (``pki_*``), checked by ``pki_input.check`` first.

CA rollover (``pki_ca_rollover``), each phase an idempotent run: ``trust`` keeps a next CA in
``ca-next/`` (trusted with the current one, which still signs), ``reissue`` re-issues every
certificate from the next CA, ``finish`` moves ``ca/`` to ``ca-retired/<serial>/`` and
``ca-next/`` to ``ca/``. ``ca/trust-bundle.pem`` holds every trusted CA certificate.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress
import os
import re
import stat

from ansible_collections.scs.kolla.plugins.module_utils.scs_files import read_bytes  # noqa: F401 (pki_input uses it)
from ansible_collections.scs.kolla.plugins.module_utils.scs_validate import X509_CN_MAX

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID, ObjectIdentifier
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_ERROR = None
except ImportError as exc:  # pragma: no cover - the controller always has it (ansible-core needs it)
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_ERROR = str(exc)

DIR_MODE = 0o700
KEY_MODE = 0o600
CERT_MODE = 0o644

CURVES = ("secp256r1", "secp384r1", "secp521r1")
# Below this an operator CA's RSA key is refused; curves outside CURVES are refused.
MIN_RSA_BITS = 2048
MAX_RSA_BITS = 8192
# Lifetimes beyond this are refused (X.509 GeneralizedTime ends with the year 9999 anyway).
MAX_VALID_DAYS = 36500

KEY_USAGES = {
    "digitalSignature": "digital_signature",
    "nonRepudiation": "content_commitment",
    "contentCommitment": "content_commitment",
    "keyEncipherment": "key_encipherment",
    "dataEncipherment": "data_encipherment",
    "keyAgreement": "key_agreement",
    "keyCertSign": "key_cert_sign",
    "cRLSign": "crl_sign",
    "encipherOnly": "encipher_only",
    "decipherOnly": "decipher_only",
}
DEFAULT_KEY_USAGE = ["digitalSignature", "keyEncipherment"]
DEFAULT_EXTENDED_KEY_USAGE = ["serverAuth", "clientAuth"]
EXTENDED_KEY_USAGES = {
    "serverAuth": "1.3.6.1.5.5.7.3.1",
    "clientAuth": "1.3.6.1.5.5.7.3.2",
    "codeSigning": "1.3.6.1.5.5.7.3.3",
    "emailProtection": "1.3.6.1.5.5.7.3.4",
    "timeStamping": "1.3.6.1.5.5.7.3.8",
    "OCSPSigning": "1.3.6.1.5.5.7.3.9",
    "ipsecIKE": "1.3.6.1.5.5.7.3.17",
}

# Result states of a certificate (and of the CA).
CREATED = "created"
RENEWED = "renewed"
REISSUED = "reissued"
UNCHANGED = "unchanged"
# The CA's state when finish makes the next CA the CA.
PROMOTED = "promoted"

ROLLOVER_PHASES = ("none", "trust", "reissue", "finish")
# A created next CA's CN is the configured CN plus " G<generation>" (the first CA is generation 1
# and has the bare CN): strongSwan, Libreswan (NSS) and OpenSSL find a CA by its subject, so two
# trusted CAs need two subjects.
GENERATION_RE = re.compile(r" G([2-9]|[1-9][0-9]+)$")

# At least this many RSA keys to make: use a process pool (one worker per core).
POOL_MIN_RSA_KEYS = 4


class PkiError(Exception):
    """A state of the files that the engine refuses to touch (the message says why)."""


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def paths(pki_dir):
    return {
        "dir": pki_dir,
        "ca_dir": os.path.join(pki_dir, "ca"),
        "certs_dir": os.path.join(pki_dir, "certs"),
        "ca_crt": os.path.join(pki_dir, "ca", "ca.crt"),
        "ca_key": os.path.join(pki_dir, "ca", "ca.key"),
        "bundle": os.path.join(pki_dir, "ca", "trust-bundle.pem"),
        "next_dir": os.path.join(pki_dir, "ca-next"),
        "next_crt": os.path.join(pki_dir, "ca-next", "ca.crt"),
        "next_key": os.path.join(pki_dir, "ca-next", "ca.key"),
        "next_bundle": os.path.join(pki_dir, "ca-next", "trust-bundle.pem"),
        "retired_dir": os.path.join(pki_dir, "ca-retired"),
    }


def retired_cas(pki_dir):
    """The directories below ca-retired/ that hold a retired CA certificate, sorted."""
    top = paths(pki_dir)["retired_dir"]
    try:
        names = sorted(os.listdir(top))
    except OSError:
        return []
    return [os.path.join(top, n) for n in names if os.path.isfile(os.path.join(top, n, "ca.crt"))]


def serial_hex(cert):
    return "%x" % cert.serial_number


def generation_cn(common_name, generation):
    """The CN of a created CA of ``generation`` (1: the configured CN itself)."""
    return common_name if generation <= 1 else "%s G%d" % (common_name, generation)


def ca_generation(cert, common_name, organization):
    """The generation of a created CA certificate whose subject is the configured one (1) or the
    configured CN plus " G<n>" (n >= 2), with the configured O; None for any other subject."""
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if len(cns) != 1:
        return None
    cn = cns[0].value
    if cn == common_name:
        generation = 1
    else:
        match = GENERATION_RE.search(cn)
        if not match or cn[:match.start()] != common_name:
            return None
        generation = int(match.group(1))
    return generation if cert.subject == make_subject(cn, organization) else None


def leaf_paths(pki_dir, name):
    certs = os.path.join(pki_dir, "certs")
    return os.path.join(certs, name + ".crt"), os.path.join(certs, name + ".key")


# --- reading -------------------------------------------------------------------------------

def load_certificate(data):
    """The first PEM certificate of ``data``, or None when there is none."""
    if not data:
        return None
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        return None


def load_private_key(data, validate=True):
    """(key, problem): problem is None, 'encrypted' or 'unreadable'. ``validate=False`` skips
    the costly RSA consistency check (for keys this engine wrote itself)."""
    if not data:
        return None, "unreadable"
    kwargs = {} if validate else {"unsafe_skip_rsa_key_validation": True}
    try:
        try:
            return serialization.load_pem_private_key(data, password=None, **kwargs), None
        except TypeError as exc:
            if "encrypted" in str(exc).lower():
                return None, "encrypted"
            if not kwargs:
                raise
            # cryptography < 39 has no unsafe_skip_rsa_key_validation
            return serialization.load_pem_private_key(data, password=None), None
    except TypeError as exc:
        return None, "encrypted" if "encrypted" in str(exc).lower() else "unreadable"
    except Exception:  # pylint: disable=broad-except
        # ValueError for garbage, UnsupportedAlgorithm for key types cryptography cannot read
        return None, "unreadable"


def public_der(key_or_public):
    public = key_or_public.public_key() if hasattr(key_or_public, "public_key") else key_or_public
    return public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def describe_key(key):
    """'RSA 3072', 'ECC secp256r1' or the key class name."""
    public = key.public_key() if hasattr(key, "public_key") and not isinstance(
        key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)) else key
    if isinstance(public, rsa.RSAPublicKey):
        return "RSA %d" % public.key_size
    if isinstance(public, ec.EllipticCurvePublicKey):
        return "ECC %s" % public.curve.name
    return type(public).__name__


def key_fits(key, key_type, key_size, key_curve):
    if key_type == "RSA":
        return isinstance(key, rsa.RSAPrivateKey) and key.key_size == key_size
    return isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == key_curve


def not_before(cert):
    return cert.not_valid_before_utc if hasattr(cert, "not_valid_before_utc") \
        else cert.not_valid_before.replace(tzinfo=datetime.timezone.utc)


def not_after(cert):
    return cert.not_valid_after_utc if hasattr(cert, "not_valid_after_utc") \
        else cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)


def _extension(cert, oid_class):
    try:
        return cert.extensions.get_extension_for_class(oid_class).value
    except x509.ExtensionNotFound:
        return None


def is_ca(cert):
    constraints = _extension(cert, x509.BasicConstraints)
    return bool(constraints and constraints.ca)


def issued_by(cert, ca_cert):
    """Whether ``cert`` names ``ca_cert`` as issuer and carries a valid signature of its key."""
    if cert.issuer != ca_cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def subject_of(cert):
    """The subject as a sequence of RDNs: the same names in another order are another subject."""
    return cert.subject


def san_of(cert):
    san = _extension(cert, x509.SubjectAlternativeName)
    if san is None:
        return set(), set()
    return (set(san.get_values_for_type(x509.DNSName)),
            set(str(ip) for ip in san.get_values_for_type(x509.IPAddress)))


def key_usage_of(cert):
    usage = _extension(cert, x509.KeyUsage)
    if usage is None:
        return set()
    found = set()
    for attr in set(KEY_USAGES.values()):
        try:
            if getattr(usage, attr):
                found.add(attr)
        except ValueError:  # encipher_only/decipher_only without key_agreement
            pass
    return found


def extended_key_usage_of(cert):
    usage = _extension(cert, x509.ExtendedKeyUsage)
    return set(oid.dotted_string for oid in usage) if usage is not None else set()


def wanted_key_usage(names):
    return set(KEY_USAGES[n] for n in names)


def wanted_extended_key_usage(names):
    return set(EXTENDED_KEY_USAGES.get(n, n) for n in names)


# --- making ----------------------------------------------------------------------------------

def generate_key(key_type, key_size, key_curve):
    if key_type == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    return ec.generate_private_key(getattr(ec, key_curve.upper())())


def key_pem(key):
    # PKCS#1 / SEC 1 ("BEGIN RSA/EC PRIVATE KEY"), as community.crypto writes them by default.
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def _generate_rsa_pem(key_size):
    """Worker of the process pool: one RSA key as PEM (the key never leaves the controller)."""
    return key_pem(rsa.generate_private_key(public_exponent=65537, key_size=key_size))


def generate_keys(count, key_type, key_size, key_curve, workers=None):
    """``count`` new private keys; RSA keys on a process pool (one worker per core) when many."""
    if count <= 0:
        return []
    workers = workers or os.cpu_count() or 1
    if key_type == "RSA" and count >= POOL_MIN_RSA_KEYS and workers > 1:
        try:
            import concurrent.futures
            import multiprocessing
            context = multiprocessing.get_context("fork")
            with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                pems = list(pool.map(_generate_rsa_pem, [key_size] * count))
            return [serialization.load_pem_private_key(pem, password=None) for pem in pems]
        except (OSError, ValueError, ImportError, RuntimeError):
            pass  # no fork here (or no /dev/shm): make them one after the other
    return [generate_key(key_type, key_size, key_curve) for dummy in range(count)]


def make_subject(common_name, organization):
    """The subject of a certificate scs.kolla.pki issues."""
    # O before CN, the usual order: ovs-monitor-ipsec (OVS 3.x) reads the CN from
    # "openssl x509 -subject -nameopt RFC2253" (last RDN first) with r"CN=(.+?)," and finds
    # none when the CN is the last RDN there.
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attrs.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attrs)


def _finish(entry, crt_path, key_path):
    """Add the mode fixes of files that stay (a rewritten file gets its mode when written) and
    whether ``entry`` (the CA's or a certificate's decision) changes anything."""
    for path, want, rewritten in ((crt_path, CERT_MODE, entry["cert_action"]),
                                  (key_path, KEY_MODE, entry["key_action"])):
        if os.path.isfile(path) and not rewritten:
            action = _file_mode_action(path, want)
            if action:
                entry["fix_modes"][path] = want
                entry["reasons"].append("%s %s" % (os.path.basename(path), action))
    entry["changed"] = bool(entry["cert_action"] or entry["key_action"] or entry["fix_modes"])
    return entry


def _hash_for(key):
    return None if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) else hashes.SHA256()


def make_ca_certificate(key, common_name, organization, now, valid_days):
    subject = make_subject(common_name, organization)
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=valid_days))
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    return builder.sign(key, _hash_for(key))


def make_leaf_certificate(spec, key, ca_cert, ca_key, now, until):
    usage = wanted_key_usage(spec["key_usage"])
    kwargs = dict((attr, attr in usage) for attr in set(KEY_USAGES.values()))
    if not kwargs["key_agreement"]:
        kwargs["encipher_only"] = kwargs["decipher_only"] = False
    sans = [x509.DNSName(d) for d in spec["dns"]] + [x509.IPAddress(ipaddress.ip_address(i)) for i in spec["ip"]]
    builder = (x509.CertificateBuilder()
               .subject_name(make_subject(spec["common_name"], spec.get("organization_name")))
               .issuer_name(ca_cert.subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(until)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
               .add_extension(x509.KeyUsage(**kwargs), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False))
    if spec["extended_key_usage"]:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ObjectIdentifier(o) for o in sorted(wanted_extended_key_usage(
                spec["extended_key_usage"]))]), critical=False)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(ca_key, _hash_for(ca_key))


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


# --- deciding --------------------------------------------------------------------------------

def normalise_certificate(spec):
    """A certificate request with every optional field filled in (input is already checked)."""
    return {
        "name": spec["name"],
        "common_name": spec["common_name"],
        "organization_name": spec.get("organization_name") or None,
        "dns": list(spec.get("dns") or []),
        "ip": [str(i) for i in (spec.get("ip") or [])],
        "key_usage": list(spec.get("key_usage") or DEFAULT_KEY_USAGE),
        "extended_key_usage": list(DEFAULT_EXTENDED_KEY_USAGE if spec.get("extended_key_usage") is None
                                   else spec.get("extended_key_usage")),
    }


def settings(values):
    """The engine's view of the role's variables (defaults as in roles/pki/defaults)."""
    return {
        "pki_dir": values["pki_dir"],
        "ca_mode": values.get("pki_ca_mode", "create"),
        "ca_certificate_src": values.get("pki_ca_certificate_src") or "",
        "ca_privatekey_src": values.get("pki_ca_privatekey_src") or "",
        "ca_rollover": values.get("pki_ca_rollover") or "none",
        "ca_next_certificate_src": values.get("pki_ca_next_certificate_src") or "",
        "ca_next_privatekey_src": values.get("pki_ca_next_privatekey_src") or "",
        "ca_common_name": values.get("pki_ca_common_name", "SCS Kolla Internal CA"),
        "ca_organization": values.get("pki_ca_organization") or None,
        "ca_valid_days": values.get("pki_ca_valid_days", 3650),
        "valid_days": values.get("pki_certificate_valid_days", 365),
        "renew_before_days": values.get("pki_renew_before_days", 30),
        "key_type": values.get("pki_key_type", "RSA"),
        "key_size": values.get("pki_key_size", 3072),
        "key_curve": values.get("pki_key_curve", "secp256r1"),
        "certificates": [normalise_certificate(c) for c in values.get("pki_certificates") or []],
    }


def operator_ca(values):
    """(cert, cert_pem, key, key_pem) of the operator's CA files (provided/external), read once."""
    cert_data = read_bytes(values["pki_ca_certificate_src"]) if values.get("pki_ca_certificate_src") else None
    key_data = read_bytes(values["pki_ca_privatekey_src"]) if values.get("pki_ca_privatekey_src") else None
    cert = load_certificate(cert_data)
    key = load_private_key(key_data)[0] if key_data else None
    return cert, cert_data, key, key_data


def _dir_action(path):
    if not os.path.lexists(path):
        return "create"
    if not os.path.isdir(path):
        raise PkiError("%s must be a directory, but it is a file" % path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    return "fix mode" if mode != DIR_MODE else None


def _file_mode_action(path, mode):
    current = stat.S_IMODE(os.stat(path).st_mode)
    return "mode %04o -> %04o" % (current, mode) if current != mode else None


class RolloverRefused(PkiError):
    """A CA rollover phase that cannot run on the files as they are (``pki_ca_rollover``)."""

    def __init__(self, phase, detail):
        PkiError.__init__(self, "pki_ca_rollover %s: %s" % (phase, detail))
        self.phase = phase
        self.detail = detail


def plan(values, now=None):
    """Decide, without writing: a dict with the directories, the CA and every certificate.

    Raises PkiError for states the engine refuses (an unreadable CA key in create mode, an
    operator CA that cannot be used, a file where a directory must be, a rollover phase whose
    CA files are not there); ``pki_input.check`` reports the same before the module is called.
    """
    s = settings(values)
    now = now or utcnow()
    p = paths(s["pki_dir"])
    result = {"settings": s, "now": now, "dirs": {}, "ca": None, "certificates": [], "warnings": []}
    roll = plan_rollover(s, p, now)
    result["rollover"] = roll
    result["warnings"].extend(roll["warnings"])
    wanted_dirs = ["dir", "certs_dir"]
    if not roll["promote"]:
        wanted_dirs.insert(1, "ca_dir")
    if roll["next"] is not None:
        wanted_dirs.append("next_dir")
    if roll["retire"]:
        wanted_dirs.append("retired_dir")
    for key in wanted_dirs:
        action = _dir_action(p[key])
        if action:
            result["dirs"][p[key]] = action

    ca = roll["ca"]
    issuer = roll["issuer"]
    result["ca"] = ca
    if issuer["cert"] is not None:
        ca_end = not_after(issuer["cert"])
    else:
        ca_end = now + datetime.timedelta(days=s["ca_valid_days"])
    until = now + datetime.timedelta(days=s["valid_days"])
    if ca_end < until and s["certificates"]:
        result["warnings"].append(
            "the CA expires on %s, before the %d days of pki_certificate_valid_days end: the certificates "
            "are issued until the CA's end instead" % (ca_end.strftime("%Y-%m-%d"), s["valid_days"]))
        until = ca_end
    result["until"] = until
    for spec in s["certificates"]:
        result["certificates"].append(plan_certificate(s, spec, issuer, now, roll["leaf_reason"]))
    result["bundle"] = plan_bundle(p, roll)
    return result


def _refuse(phase, message):
    raise RolloverRefused(phase, message)


def plan_rollover(s, p, now):
    """The CA side of a run: the CA (``ca``), the next CA (``next``, phases trust and reissue, and
    finish before it moves), the move of ``ca/`` into ``ca-retired/`` (``retire``) and of
    ``ca-next/`` to ``ca/`` (``promote``), the CA that signs (``issuer``) and the CA certificates
    trusted after the run (``trusted``, final paths). Refuses (RolloverRefused) before anything
    is decided for the leaves when the files do not allow the phase."""
    phase = s["ca_rollover"]
    roll = {"phase": phase, "ca": None, "next": None, "retire": None, "promote": False, "issuer": None,
            "leaf_reason": "CA changed", "trusted": [p["ca_crt"]], "warnings": []}
    if phase not in ROLLOVER_PHASES:
        _refuse(phase, "expected one of %s" % ", ".join(ROLLOVER_PHASES))
    if phase != "none" and s["ca_mode"] == "external":
        _refuse(phase, "pki_ca_mode external has no CA private key to sign with; a CA rollover needs "
                "pki_ca_mode create or provided (with pki_ca_mode external only none is accepted)")
    if phase == "none":
        if s["ca_mode"] != "create":
            _refuse_retired_source(s, phase)
        ca = plan_ca(s, p, now)
        if os.path.isfile(p["next_crt"]):
            roll["warnings"].append(
                "%s exists but pki_ca_rollover is none: the next CA is not trusted and signs nothing (set "
                "pki_ca_rollover to trust, reissue or finish to go on with the rollover, or remove %s)"
                % (p["next_crt"], p["next_dir"]))
        roll["ca"] = roll["issuer"] = ca
        return roll
    if phase in ("trust", "reissue"):
        if not os.path.isfile(p["ca_key" if s["ca_mode"] == "create" else "ca_crt"]):
            _refuse(phase, "needs the current CA in %s; run with pki_ca_rollover none first" % p["ca_dir"])
        ca = plan_ca(s, p, now, check_lifetime=phase == "trust")
        if ca["cert_action"] or ca["key_action"]:
            _refuse(phase, "the current CA in %s would change in this run (%s); a rollover starts from the CA "
                    "in use: run with pki_ca_rollover none first" % (p["ca_dir"], ", ".join(ca["reasons"])))
        nxt = plan_next(s, p, now, ca["cert"], phase)
        if phase == "reissue" and (nxt["cert_action"] or nxt["key_action"]):
            _refuse(phase, "needs the next CA that a run with pki_ca_rollover trust put into %s and rolled out (%s); "
                    "run trust first" % (p["next_dir"], ", ".join(nxt["reasons"])))
        roll.update(ca=ca, next=nxt, issuer=ca if phase == "trust" else nxt,
                    trusted=[p["ca_crt"], p["next_crt"]])
        if phase == "reissue":
            roll["leaf_reason"] = "not issued by the next CA"
        return roll
    # finish
    if os.path.isfile(p["next_crt"]) or os.path.isfile(p["next_key"]):
        old = load_certificate(read_bytes(p["ca_crt"]))
        if s["ca_mode"] == "provided" and old is not None and read_bytes(s["ca_certificate_src"]) == read_bytes(p["ca_crt"]):
            _refuse(phase, "pki_ca_certificate_src %s is still the current CA; for finish point pki_ca_certificate_src "
                    "and pki_ca_privatekey_src at the next CA's files (the ones in %s)"
                    % (s["ca_certificate_src"], p["next_dir"]))
        nxt = plan_next(s, p, now, old, phase)
        if nxt["cert_action"] or nxt["key_action"]:
            _refuse(phase, "the next CA in %s is not the one to finish with (%s)%s" % (
                p["next_dir"], ", ".join(nxt["reasons"]),
                "; in pki_ca_mode provided point pki_ca_certificate_src and pki_ca_privatekey_src at the next CA's "
                "files for finish" if s["ca_mode"] == "provided" else ""))
        if old is not None:
            target = os.path.join(p["retired_dir"], serial_hex(old))
            if os.path.lexists(target):
                _refuse(phase, "%s exists already; move it away to retire the CA %s" % (target, p["ca_crt"]))
            roll["retire"] = {"from": p["ca_dir"], "to": target, "subject": old.subject.rfc4514_string()}
        elif os.path.lexists(p["ca_dir"]) and os.listdir(p["ca_dir"]):
            _refuse(phase, "%s holds no readable CA certificate to retire; move the directory away" % p["ca_dir"])
        roll["promote"] = True
        ca = plan_ca(s, p, now, read=(p["next_crt"], p["next_key"]))
        if ca["cert_action"] or ca["key_action"]:  # pragma: no cover - plan_next has refused this already
            _refuse(phase, "the next CA cannot become the CA (%s)" % ", ".join(ca["reasons"]))
        ca["status"] = PROMOTED
        ca["reasons"].insert(0, "the next CA %s became the CA" % nxt["cert"].subject.rfc4514_string())
        if roll["retire"]:
            ca["reasons"].insert(1, "%s retired to %s" % (roll["retire"]["subject"], roll["retire"]["to"]))
        ca["changed"] = True
        roll.update(ca=ca, next=nxt, issuer=ca)
        return roll
    if not retired_cas(s["pki_dir"]):
        _refuse(phase, "needs a next CA in %s (made by pki_ca_rollover trust) and there is none; accepted "
                "phases here: none or trust" % p["next_dir"])
    ca = plan_ca(s, p, now)
    if ca["cert_action"] or ca["key_action"]:
        _refuse(phase, "the rollover is finished (no next CA in %s) but the CA would change now (%s); run with "
                "pki_ca_rollover none" % (p["next_dir"], ", ".join(ca["reasons"])))
    roll.update(ca=ca, issuer=ca)
    return roll


def _refuse_retired_source(s, phase):
    """pki_ca_certificate_src naming a CA that finish retired would switch back to the old CA."""
    src = read_bytes(s["ca_certificate_src"]) if s["ca_certificate_src"] else None
    if src is None:
        return
    for retired in retired_cas(s["pki_dir"]):
        if read_bytes(os.path.join(retired, "ca.crt")) == src:
            _refuse(phase, "pki_ca_certificate_src %s is the CA that a CA rollover retired to %s; point "
                    "pki_ca_certificate_src and pki_ca_privatekey_src at the CA in use (the former next CA)"
                    % (s["ca_certificate_src"], retired))


def plan_bundle(p, roll):
    """ca/trust-bundle.pem: every trusted CA certificate, current CA first. The content is known
    now unless a CA certificate is made in this run (then it changes)."""
    entry = {"path": p["bundle"], "content": None, "changed": False, "fix_mode": False}
    read_path = p["next_bundle"] if roll["promote"] else p["bundle"]
    old = read_bytes(read_path)
    entry["exists"] = old is not None
    pems = []
    for cert_path in roll["trusted"]:
        source = roll["ca"] if cert_path == p["ca_crt"] else roll["next"]
        if source["cert_action"] == "create":
            pems = None
            break
        pems.append(source["cert_pem"] if source["cert_action"] == "copy" else cert_pem(source["cert"]))
    if pems is not None:
        entry["content"] = b"".join(pems)
    if pems is None or old != entry["content"]:
        entry["changed"] = True
    elif _file_mode_action(read_path, CERT_MODE):
        entry["changed"] = entry["fix_mode"] = True
    return entry


def plan_ca(s, p, now, read=None, check_lifetime=True):
    """What happens to ca/ca.crt and ca/ca.key; 'cert' is the CA certificate leaves must carry
    (None when a new one is made in this run) and 'key' the signing key (None when made now).
    ``read``: the (certificate, key) files that will be ca/ after this run (finish: ca-next/)."""
    mode = s["ca_mode"]
    ca = {"mode": mode, "status": UNCHANGED, "reasons": [], "key_action": None, "cert_action": None,
          "cert": None, "key": None, "cert_pem": None, "key_pem": None, "changed": False, "fix_modes": {}}
    crt_path, key_path = read or (p["ca_crt"], p["ca_key"])
    crt_data = read_bytes(crt_path)
    key_data = read_bytes(key_path)
    if os.path.isdir(crt_path) or os.path.isdir(key_path):
        raise PkiError("%s and %s must be files, not directories" % (crt_path, key_path))
    if mode == "create":
        if key_data is None:
            ca["key_action"] = "create"
            ca["reasons"].append("CA key missing")
        else:
            key, problem = load_private_key(key_data)
            if key is None:
                raise PkiError("%s is %s; scs.kolla.pki never replaces a CA key: move it away to make a new CA"
                               % (key_path, "encrypted" if problem == "encrypted" else "not a readable PEM private key"))
            ca["key"] = key
        cert = load_certificate(crt_data)
        if ca["key_action"]:
            ca["cert_action"] = "create"
        elif cert is None:
            ca["cert_action"] = "create"
            ca["reasons"].append("CA certificate missing" if crt_data is None else "CA certificate unreadable")
        elif public_der(cert.public_key()) != public_der(ca["key"]):
            ca["cert_action"] = "create"
            ca["reasons"].append("CA certificate does not match the CA key")
        elif ca_generation(cert, s["ca_common_name"], s["ca_organization"]) is None or cert.issuer != cert.subject:
            ca["cert_action"] = "create"
            ca["reasons"].append("CA subject changed")
        elif not is_ca(cert):
            ca["cert_action"] = "create"
            ca["reasons"].append("CA certificate lacks CA:TRUE")
        else:
            ca["cert"] = cert
            if check_lifetime:
                check_ca_lifetime(crt_path, cert, now, s["renew_before_days"])
        if ca["cert_action"]:
            ca["status"] = CREATED if crt_data is None else REISSUED
    else:
        src_cert_data = read_bytes(s["ca_certificate_src"])
        src_cert = load_certificate(src_cert_data)
        if src_cert is None:
            raise PkiError("pki_ca_certificate_src %s is not a readable PEM certificate" % s["ca_certificate_src"])
        if check_lifetime:
            check_ca_lifetime("pki_ca_certificate_src " + s["ca_certificate_src"], src_cert, now,
                              s["renew_before_days"] if mode == "provided" else 0)
        ca["cert"] = src_cert
        if crt_data != src_cert_data:
            ca["cert_action"] = "copy"
            ca["cert_pem"] = src_cert_data
            ca["reasons"].append("CA certificate missing" if crt_data is None else "CA certificate differs from the source")
        if mode == "provided":
            src_key_data = read_bytes(s["ca_privatekey_src"])
            key, problem = load_private_key(src_key_data)
            if key is None:
                raise PkiError("pki_ca_privatekey_src %s is %s" % (
                    s["ca_privatekey_src"], "encrypted" if problem == "encrypted" else "not a readable PEM private key"))
            if public_der(key) != public_der(src_cert.public_key()):
                raise PkiError("pki_ca_privatekey_src %s does not belong to the CA certificate %s"
                               % (s["ca_privatekey_src"], s["ca_certificate_src"]))
            ca["key"] = key
            if key_data != src_key_data:
                ca["key_action"] = "copy"
                ca["key_pem"] = src_key_data
                ca["reasons"].append("CA key missing" if key_data is None else "CA key differs from the source")
        if ca["cert_action"] or ca["key_action"]:
            ca["status"] = CREATED if crt_data is None else REISSUED
    return _finish(ca, crt_path, key_path)


def plan_next(s, p, now, current, phase):
    """What happens to ca-next/ca.crt and ca.key: in create mode a CA of the next generation
    (configured CN + " G<n>"), in provided mode the operator's next CA files (in finish: the
    files pki_ca_certificate_src/pki_ca_privatekey_src name, which must be the next CA)."""
    nxt = {"mode": s["ca_mode"], "status": UNCHANGED, "reasons": [], "key_action": None, "cert_action": None,
           "cert": None, "key": None, "cert_pem": None, "key_pem": None, "changed": False, "fix_modes": {},
           "common_name": None}
    crt_data = read_bytes(p["next_crt"])
    key_data = read_bytes(p["next_key"])
    if os.path.isdir(p["next_crt"]) or os.path.isdir(p["next_key"]):
        raise PkiError("%s and %s must be files, not directories" % (p["next_crt"], p["next_key"]))
    if s["ca_mode"] == "create":
        generation = (ca_generation(current, s["ca_common_name"], s["ca_organization"]) or 1) if current else 1
        cn = generation_cn(s["ca_common_name"], generation + (0 if phase == "finish" and current is None else 1))
        nxt["common_name"] = cn
        if len(cn) > X509_CN_MAX:
            _refuse(phase, "the next CA's CN %r (pki_ca_common_name plus the generation suffix) is longer than the "
                    "%d characters X.509 allows; choose a shorter pki_ca_common_name" % (cn, X509_CN_MAX))
        if key_data is None:
            nxt["key_action"] = nxt["cert_action"] = "create"
            nxt["reasons"].append("next CA key missing")
        else:
            key, problem = load_private_key(key_data)
            if key is None:
                _refuse(phase, "%s is %s; scs.kolla.pki never replaces a CA key: move %s away to make a new next CA"
                        % (p["next_key"], "encrypted" if problem == "encrypted" else "not a readable PEM private key",
                           p["next_dir"]))
            nxt["key"] = key
            cert = load_certificate(crt_data)
            if cert is None:
                nxt["reasons"].append("next CA certificate missing" if crt_data is None
                                      else "next CA certificate unreadable")
            elif public_der(cert.public_key()) != public_der(key):
                nxt["reasons"].append("next CA certificate does not match the next CA key")
            elif (phase != "finish" and cert.subject != make_subject(cn, s["ca_organization"])) \
                    or ca_generation(cert, s["ca_common_name"], s["ca_organization"]) is None \
                    or cert.issuer != cert.subject:
                nxt["reasons"].append("next CA subject changed")
            elif not is_ca(cert):
                nxt["reasons"].append("next CA certificate lacks CA:TRUE")
            else:
                nxt["cert"] = cert
            if nxt["reasons"]:
                nxt["cert_action"] = "create"
        if current is not None and nxt["key"] is not None and public_der(nxt["key"]) == public_der(current.public_key()):
            _refuse(phase, "the next CA key %s is the current CA's key; a next CA needs a key of its own (move %s "
                    "away)" % (p["next_key"], p["next_dir"]))
    else:
        names = ("pki_ca_certificate_src", "pki_ca_privatekey_src") if phase == "finish" \
            else ("pki_ca_next_certificate_src", "pki_ca_next_privatekey_src")
        srcs = (s["ca_certificate_src"], s["ca_privatekey_src"]) if phase == "finish" \
            else (s["ca_next_certificate_src"], s["ca_next_privatekey_src"])
        if not srcs[0] or not srcs[1]:
            _refuse(phase, "pki_ca_mode provided needs %s and %s (the next CA's certificate and unencrypted key on "
                    "the controller)" % names)
        src_cert_data = read_bytes(srcs[0])
        src_cert = load_certificate(src_cert_data)
        if src_cert is None:
            _refuse(phase, "%s %s is not a readable PEM certificate" % (names[0], srcs[0]))
        src_key_data = read_bytes(srcs[1])
        key, problem = load_private_key(src_key_data)
        if key is None:
            state = "encrypted" if problem == "encrypted" else "not a readable PEM private key"
            _refuse(phase, "%s %s is %s" % (names[1], srcs[1], state))
        if public_der(key) != public_der(src_cert.public_key()):
            _refuse(phase, "%s %s does not belong to the CA certificate %s" % (names[1], srcs[1], srcs[0]))
        nxt.update(cert=src_cert, key=key)
        if crt_data != src_cert_data:
            nxt["cert_action"] = "copy"
            nxt["cert_pem"] = src_cert_data
            nxt["reasons"].append("next CA certificate missing" if crt_data is None
                                  else "next CA certificate differs from %s" % names[0])
        if key_data != src_key_data:
            nxt["key_action"] = "copy"
            nxt["key_pem"] = src_key_data
            nxt["reasons"].append("next CA key missing" if key_data is None else "next CA key differs from %s" % names[1])
        if current is not None and (src_cert.subject == current.subject or
                                    public_der(key) == public_der(current.public_key())):
            _refuse(phase, "%s %s has the %s of the current CA %s; strongSwan, Libreswan and OpenSSL tell trusted "
                    "CAs apart by subject, so the next CA needs a subject (CN) and a key of its own"
                    % (names[0], srcs[0], "subject" if src_cert.subject == current.subject else "key", p["ca_crt"]))
    if nxt["cert"] is not None:
        check_ca_lifetime("the next CA " + p["next_crt"], nxt["cert"], now, s["renew_before_days"])
    if nxt["cert_action"] or nxt["key_action"]:
        nxt["status"] = CREATED if crt_data is None else REISSUED
    return _finish(nxt, p["next_crt"], p["next_key"])


def check_ca_lifetime(label, cert, now, renew_before_days):
    """Refuse a CA that is not valid now or ends inside the renewal window (every leaf it signs
    would be renewed on every run)."""
    if not_before(cert) > now:
        raise PkiError("%s is not valid yet (from %s)" % (label, not_before(cert).strftime("%Y-%m-%d %H:%M:%S UTC")))
    if not_after(cert) <= now:
        raise PkiError("%s expired on %s; replace the CA (docs/pki.md, Replacing the CA)"
                       % (label, not_after(cert).strftime("%Y-%m-%d")))
    if not_after(cert) - now <= datetime.timedelta(days=renew_before_days):
        raise PkiError("%s expires on %s, within pki_renew_before_days (%d): every certificate would be renewed on "
                       "every run; replace the CA (docs/pki.md, Replacing the CA)"
                       % (label, not_after(cert).strftime("%Y-%m-%d"), renew_before_days))


def plan_certificate(s, spec, ca, now, ca_reason="CA changed"):
    """The decision for one certificate; ``ca`` is the signing CA's entry, ``ca_reason`` the reason
    given when the certificate was not issued by it."""
    crt_path, key_path = leaf_paths(s["pki_dir"], spec["name"])
    entry = {"name": spec["name"], "spec": spec, "certificate": crt_path, "private_key": key_path,
             "status": UNCHANGED, "reasons": [], "key_action": None, "cert_action": None, "key": None,
             "fix_modes": {}}
    for path in (crt_path, key_path):
        if os.path.isdir(path):
            raise PkiError("%s must be a file, but it is a directory" % path)
    key_data = read_bytes(key_path)
    crt_data = read_bytes(crt_path)
    if key_data is None:
        entry["key_action"] = "create"
    else:
        key, _problem = load_private_key(key_data, validate=False)
        if key is None:
            entry["key_action"] = "replace"
            entry["reasons"].append("key unreadable")
        elif not key_fits(key, s["key_type"], s["key_size"], s["key_curve"]):
            entry["key_action"] = "replace"
            entry["reasons"].append("key type changed (%s)" % describe_key(key))
        else:
            entry["key"] = key
    cert = load_certificate(crt_data)
    renew = []
    if crt_data is None:
        entry["status"] = CREATED
        entry["reasons"].append("missing")
    elif cert is None:
        entry["reasons"].append("certificate unreadable")
    else:
        if entry["key_action"] == "create":
            entry["reasons"].append("key missing")
        elif entry["key"] is not None and public_der(cert.public_key()) != public_der(entry["key"]):
            entry["reasons"].append("key mismatch")
        if ca["cert_action"] or ca["cert"] is None or not issued_by(cert, ca["cert"]):
            entry["reasons"].append(ca_reason)
        wanted_subject = make_subject(spec["common_name"], spec["organization_name"])
        if subject_of(cert) != wanted_subject:
            entry["reasons"].append("subject changed")
        if san_of(cert) != (set(spec["dns"]), set(str(ipaddress.ip_address(i)) for i in spec["ip"])):
            entry["reasons"].append("SAN changed")
        if key_usage_of(cert) != wanted_key_usage(spec["key_usage"]) \
                or extended_key_usage_of(cert) != wanted_extended_key_usage(spec["extended_key_usage"]) or is_ca(cert):
            entry["reasons"].append("usage changed")
        if not_after(cert) <= now:
            renew.append("expired")
        elif not_before(cert) > now:
            renew.append("not valid yet")
        elif not_after(cert) - now <= datetime.timedelta(days=s["renew_before_days"]):
            renew.append("renewal window")
    if entry["status"] != CREATED and entry["reasons"]:
        entry["status"] = REISSUED
    elif entry["status"] != CREATED and renew:
        entry["status"] = RENEWED
    entry["reasons"].extend(renew)
    if entry["status"] != UNCHANGED:
        entry["cert_action"] = "create"
    return _finish(entry, crt_path, key_path)


# --- doing -------------------------------------------------------------------------------------

def _remove_file(path):
    os.unlink(path)


def _materialise_ca(entry, crt_path, key_path, common_name, s, now, keys, write_file):
    """Carry out the plan of one CA (current or next): key and certificate created, copied
    from the operator's files or kept. Returns (certificate, key, certificate PEM)."""
    key = entry["key"]
    if entry["key_action"] == "create":
        key = keys.pop()
        write_file(key_path, key_pem(key), KEY_MODE)
    elif entry["key_action"] == "copy":
        write_file(key_path, entry["key_pem"], KEY_MODE)
    cert = entry["cert"]
    if s["ca_mode"] == "create" and entry["cert_action"]:
        cert = make_ca_certificate(key, common_name, s["ca_organization"], now, s["ca_valid_days"])
        write_file(crt_path, cert_pem(cert), CERT_MODE)
    elif entry["cert_action"] == "copy":
        write_file(crt_path, entry["cert_pem"], CERT_MODE)
    return cert, key, entry["cert_pem"] if entry["cert_action"] == "copy" else cert_pem(cert)


def execute(the_plan, write_file, ensure_directory, fix_mode, workers=None, move=os.rename, remove=_remove_file):
    """Carry out ``the_plan``: ``write_file(path, bytes, mode)``, ``ensure_directory(path, mode)``
    and ``fix_mode(path, mode)`` do the writing (scs_files in the module); ``move(src, dst)``
    renames a directory (finish), ``remove(path)`` deletes a file."""
    s = the_plan["settings"]
    p = paths(s["pki_dir"])
    now = the_plan["now"]
    roll = the_plan["rollover"]
    for path in (p["dir"], p["ca_dir"], p["certs_dir"], p["next_dir"], p["retired_dir"]):
        if path in the_plan["dirs"]:
            ensure_directory(path, DIR_MODE)
    ca = the_plan["ca"]
    nxt = roll["next"]
    # mode fixes first: in finish the paths are those of ca-next/ before it becomes ca/
    for entry in (ca, nxt):
        for path, mode in (entry or {}).get("fix_modes", {}).items():
            fix_mode(path, mode)
    if roll["retire"]:
        target = roll["retire"]["to"]
        move(roll["retire"]["from"], target)
        fix_mode(target, DIR_MODE)
        if os.path.isfile(os.path.join(target, "ca.key")):
            fix_mode(os.path.join(target, "ca.key"), KEY_MODE)
        if os.path.isfile(os.path.join(target, "trust-bundle.pem")):
            remove(os.path.join(target, "trust-bundle.pem"))
    if roll["promote"]:
        move(p["next_dir"], p["ca_dir"])
        nxt = None  # it is the CA now
    leaves = the_plan["certificates"]
    new_leaf_keys = [e for e in leaves if e["key_action"]]
    count = len(new_leaf_keys) + (1 if ca["key_action"] == "create" else 0) \
        + (1 if nxt and nxt["key_action"] == "create" else 0)
    keys = generate_keys(count, s["key_type"], s["key_size"], s["key_curve"], workers=workers)
    ca_cert, ca_key, ca_pem = _materialise_ca(ca, p["ca_crt"], p["ca_key"], s["ca_common_name"], s, now, keys,
                                              write_file)
    pems = {p["ca_crt"]: ca_pem}
    signer = (ca_cert, ca_key)
    if nxt is not None:
        next_cert, next_key, pems[p["next_crt"]] = _materialise_ca(nxt, p["next_crt"], p["next_key"], nxt["common_name"],
                                                                   s, now, keys, write_file)
        if roll["issuer"] is nxt:
            signer = (next_cert, next_key)
    until = the_plan["until"]
    if signer[0] is not None and not_after(signer[0]) < until:
        until = not_after(signer[0])
    for entry, key in zip(new_leaf_keys, keys):
        entry["key"] = key
    for entry in leaves:
        if entry["key_action"]:
            write_file(entry["private_key"], key_pem(entry["key"]), KEY_MODE)
        if entry["cert_action"]:
            cert = make_leaf_certificate(entry["spec"], entry["key"], signer[0], signer[1], now, until)
            write_file(entry["certificate"], cert_pem(cert), CERT_MODE)
        for path, mode in entry["fix_modes"].items():
            fix_mode(path, mode)
    bundle = the_plan["bundle"]
    if bundle["changed"]:
        write_file(bundle["path"], b"".join(pems[path] for path in roll["trusted"]), CERT_MODE)


def summary(the_plan):
    """What the module returns: changed, the CA and per-certificate results, pki_issued, diff."""
    ca = the_plan["ca"]
    results = []
    issued = {}
    before, after = [], []
    for entry in the_plan["certificates"]:
        results.append({"name": entry["name"], "status": entry["status"], "reason": ", ".join(entry["reasons"]),
                        "changed": entry["changed"]})
        issued[entry["name"]] = {"certificate": entry["certificate"], "private_key": entry["private_key"],
                                 "changed": entry["changed"]}
        if entry["changed"]:
            spec = entry["spec"]
            before.append("%s: %s\n" % (entry["name"], "absent" if entry["status"] == CREATED else "present"))
            after.append("%s: %s (%s); CN=%s DNS=%s IP=%s\n" % (
                entry["name"], entry["status"], ", ".join(entry["reasons"]), spec["common_name"],
                ",".join(spec["dns"]), ",".join(spec["ip"])))
    roll = the_plan["rollover"]
    nxt = roll["next"]
    p = paths(the_plan["settings"]["pki_dir"])
    bundle = the_plan["bundle"]
    head_before, head_after = [], []
    if ca["changed"]:
        head_before.append("CA: %s\n" % ("absent" if ca["status"] == CREATED else "present"))
        head_after.append("CA: %s (%s)\n" % (ca["status"], ", ".join(ca["reasons"])))
    if nxt is not None and nxt["changed"] and not roll["promote"]:
        head_before.append("next CA: %s\n" % ("absent" if nxt["status"] == CREATED else "present"))
        head_after.append("next CA: %s (%s)\n" % (nxt["status"], ", ".join(nxt["reasons"])))
    if bundle["changed"]:
        head_before.append("trust bundle: %s\n" % ("present" if bundle["exists"] else "absent"))
        head_after.append("trust bundle: %s\n" % ", ".join(roll["trusted"]))
    before[:0] = head_before
    after[:0] = head_after
    dirs = sorted(the_plan["dirs"].items())
    before[:0] = ["%s/: %s\n" % (path, "absent" if action == "create" else "present") for path, action in dirs]
    after[:0] = ["%s/: %s (0700)\n" % (path, "created" if action == "create" else "mode fixed") for path, action in dirs]
    next_changed = bool(nxt is not None and nxt["changed"])
    changed = bool(the_plan["dirs"]) or ca["changed"] or next_changed or bundle["changed"] \
        or any(r["changed"] for r in results)
    counts = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {
        "changed": changed,
        "ca": {"mode": ca["mode"], "status": ca["status"], "reason": ", ".join(ca["reasons"]), "changed": ca["changed"],
               "certificate": paths(the_plan["settings"]["pki_dir"])["ca_crt"]},
        "rollover": roll["phase"],
        "signing_ca": p["next_crt"] if roll["issuer"] is nxt else p["ca_crt"],
        "ca_next": None if nxt is None or roll["promote"] else {
            "status": nxt["status"], "reason": ", ".join(nxt["reasons"]), "changed": nxt["changed"],
            "certificate": p["next_crt"]},
        "retired": roll["retire"]["to"] if roll["retire"] else None,
        "trusted": list(roll["trusted"]),
        "trust_bundle": {"path": bundle["path"], "changed": bundle["changed"]},
        "certificates": results,
        "issued": issued,
        "counts": counts,
        "warnings": list(the_plan["warnings"]),
        "diff": {"before": "".join(before), "after": "".join(after)},
    }
