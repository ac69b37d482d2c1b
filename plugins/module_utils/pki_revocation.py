# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Certificates that left, and the CRL that revokes them (scs.kolla.pki_revocation).

A group of certificates below ``pki_dir/certs`` shares a name prefix (the OVN chassis
certificates: ``ovn-ipsec-``). A certificate of the group whose name is no longer wanted
(its chassis left) is *departed*: its key is deleted, its certificate moves to
``pki_dir/revoked/NAME.SERIAL.crt`` (the archive), and its serial goes on the group's CRL,
``pki_dir/crl/PREFIX.crl.pem``, signed by the CA of ``pki_dir/ca``.

The CRL lists every archived certificate that the current CA issued and that has not yet
expired; it is rewritten only when that set of serials differs from the CRL's, or the CRL is
not the current CA's. A listed serial keeps the revocation date it already has on the CRL.
``nextUpdate`` is the latest end of validity among the listed certificates: after it, none of
them needs revoking any more. With nothing to list there is no CRL.

:func:`plan` reads and decides, without writing; :func:`execute` carries the plan out with the
writer callbacks of the module; check mode is :func:`plan` alone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import re

from ansible_collections.scs.kolla.plugins.module_utils import pki_engine
from ansible_collections.scs.kolla.plugins.module_utils.scs_files import read_bytes

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID
except ImportError:  # pragma: no cover - pki_engine reports the missing library
    pass

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ARCHIVE_RE = re.compile(r"^(?P<name>.+)\.(?P<serial>[0-9a-f]+)\.crt$")


class RevocationError(Exception):
    """A state the engine refuses to act on (the message says why)."""


def revocation_paths(pki_dir, prefix):
    return {
        "certs_dir": os.path.join(pki_dir, "certs"),
        "revoked_dir": os.path.join(pki_dir, "revoked"),
        "crl_dir": os.path.join(pki_dir, "crl"),
        "crl": os.path.join(pki_dir, "crl", prefix.rstrip("-._") + ".crl.pem"),
        "ca_crt": os.path.join(pki_dir, "ca", "ca.crt"),
        "ca_key": os.path.join(pki_dir, "ca", "ca.key"),
    }


def check(prefix, keep):
    """Problems of the input, as sentences naming the value and what is accepted."""
    problems = []
    if not isinstance(prefix, str) or not NAME_RE.match(prefix or ""):
        problems.append("prefix: %r is not accepted; expected a certificate name prefix such as 'ovn-ipsec-' "
                        "(letters, digits, '.', '_', '-')" % (prefix,))
    for name in keep:
        if not isinstance(name, str) or not name.startswith(prefix or "\0"):
            problems.append("keep: %r is not accepted; expected certificate names that start with %r"
                            % (name, prefix))
    return problems


def load_crl(data):
    if not data:
        return None
    try:
        return x509.load_pem_x509_crl(data)
    except ValueError:
        return None


def _serial_hex(serial):
    return "%x" % serial


def _listed(cert, ca_cert, now):
    """Whether an archived/departed certificate belongs on the CRL."""
    return (ca_cert is not None and pki_engine.issued_by(cert, ca_cert)
            and pki_engine.not_after(cert) > now)


def _read_group(certs_dir, prefix):
    """name -> (crt path, key path) of the group's certificates in certs/."""
    found = {}
    try:
        entries = sorted(os.listdir(certs_dir))
    except OSError:
        return found
    for entry in entries:
        if entry.startswith(prefix) and entry.endswith(".crt"):
            name = entry[:-len(".crt")]
            found[name] = pki_engine.leaf_paths(os.path.dirname(certs_dir), name)
    return found


def _read_archive(revoked_dir, prefix):
    """Archived certificates of the group: list of dicts name, path, cert."""
    archived = []
    try:
        entries = sorted(os.listdir(revoked_dir))
    except OSError:
        return archived
    for entry in entries:
        match = ARCHIVE_RE.match(entry)
        if not match or not entry.startswith(prefix):
            continue
        path = os.path.join(revoked_dir, entry)
        cert = pki_engine.load_certificate(read_bytes(path))
        if cert is not None:
            archived.append({"name": match.group("name"), "path": path, "cert": cert})
    return archived


def plan(pki_dir, prefix, keep, now=None):
    """Decide what leaves, what the CRL lists and whether it must be rewritten.

    ``keep``: the names of the group that stay (every other one of ``certs/PREFIX*`` departs).
    """
    now = now or pki_engine.utcnow()
    p = revocation_paths(pki_dir, prefix)
    ca_cert = pki_engine.load_certificate(read_bytes(p["ca_crt"]))
    ca_key_pem = read_bytes(p["ca_key"])
    keep = set(keep)
    departed = []
    warnings = []
    for name, (crt, key) in sorted(_read_group(p["certs_dir"], prefix).items()):
        if name in keep:
            continue
        cert = pki_engine.load_certificate(read_bytes(crt))
        entry = {"name": name, "certificate": crt, "private_key": key if os.path.lexists(key) else None,
                 "cert": cert, "archive": None, "serial": None, "listed": False}
        if cert is not None:
            entry["serial"] = _serial_hex(cert.serial_number)
            entry["archive"] = os.path.join(p["revoked_dir"], "%s.%s.crt" % (name, entry["serial"]))
            entry["listed"] = _listed(cert, ca_cert, now)
            if not entry["listed"]:
                warnings.append("%s: not revoked (expired or not issued by the current CA); its files are removed"
                                % name)
        else:
            warnings.append("%s: %s is not a certificate; removed without revoking" % (name, crt))
        departed.append(entry)

    listed = {}
    for item in _read_archive(p["revoked_dir"], prefix):
        if _listed(item["cert"], ca_cert, now):
            listed[item["cert"].serial_number] = item
    for entry in departed:
        if entry["listed"]:
            listed[entry["cert"].serial_number] = {"name": entry["name"], "path": entry["archive"],
                                                   "cert": entry["cert"]}

    crl_pem = read_bytes(p["crl"])
    crl = load_crl(crl_pem)
    current_dates = {}
    crl_reasons = []
    if crl is not None:
        for revoked in crl:
            current_dates[revoked.serial_number] = _revocation_date(revoked)
        if ca_cert is None or crl.issuer != ca_cert.subject or not crl.is_signature_valid(ca_cert.public_key()):
            crl_reasons.append("CRL not signed by the current CA")
    elif crl_pem is not None:
        crl_reasons.append("CRL unreadable")

    crl_action = None
    if listed:
        if crl is None:
            crl_reasons.append("CRL missing")
        elif set(current_dates) != set(listed):
            crl_reasons.append("revoked serials changed")
        if crl_reasons:
            crl_action = "write"
            if not ca_key_pem:
                raise RevocationError(
                    "%s has no CA private key (%s): a CRL for %s cannot be signed here; revoke them with the "
                    "CA that issued them" % (pki_dir, p["ca_key"], ", ".join(sorted(i["name"] for i in listed.values()))))
    elif crl_pem is not None:
        crl_action = "remove"
        crl_reasons = ["nothing left to revoke"]

    serials = sorted(listed)
    return {
        "pki_dir": pki_dir,
        "prefix": prefix,
        "paths": p,
        "now": now,
        "ca_cert": ca_cert,
        "ca_key_pem": ca_key_pem,
        "departed": departed,
        "listed": [listed[s] for s in serials],
        "dates": dict((s, current_dates.get(s, now)) for s in serials),
        "crl_number": _crl_number(crl) + 1 if crl is not None else 1,
        "crl_action": crl_action,
        "crl_reasons": crl_reasons,
        "warnings": warnings,
    }


def _revocation_date(revoked):
    date = getattr(revoked, "revocation_date_utc", None)
    if date is None:  # cryptography < 42
        date = revoked.revocation_date.replace(tzinfo=datetime.timezone.utc)
    return date


def _crl_number(crl):
    try:
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        return 0


def make_crl(the_plan):
    """The CRL of the plan, signed by the CA (PEM bytes)."""
    ca_cert = the_plan["ca_cert"]
    ca_key = serialization.load_pem_private_key(the_plan["ca_key_pem"], password=None)
    now = the_plan["now"]
    next_update = max([pki_engine.not_after(i["cert"]) for i in the_plan["listed"]] + [now + datetime.timedelta(days=1)])
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(ca_cert.subject)
               .last_update(now)
               .next_update(next_update)
               .add_extension(x509.CRLNumber(the_plan["crl_number"]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False))
    for item in the_plan["listed"]:
        serial = item["cert"].serial_number
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(the_plan["dates"][serial]).build())
    return builder.sign(ca_key, pki_engine._hash_for(ca_key)).public_bytes(serialization.Encoding.PEM)  # pylint: disable=protected-access


def execute(the_plan, write_file, remove_file, ensure_directory):
    """Archive and remove the departed certificates, write or remove the CRL."""
    p = the_plan["paths"]
    if any(e["archive"] for e in the_plan["departed"]):
        ensure_directory(p["revoked_dir"], pki_engine.DIR_MODE)
    for entry in the_plan["departed"]:
        if entry["archive"]:
            write_file(entry["archive"], pki_engine.cert_pem(entry["cert"]), pki_engine.CERT_MODE)
        if entry["private_key"]:
            remove_file(entry["private_key"])
        remove_file(entry["certificate"])
    if the_plan["crl_action"] == "write":
        ensure_directory(p["crl_dir"], pki_engine.DIR_MODE)
        write_file(p["crl"], make_crl(the_plan), pki_engine.CERT_MODE)
    elif the_plan["crl_action"] == "remove":
        remove_file(p["crl"])


def summary(the_plan):
    """What the module returns."""
    departed = [{"name": e["name"], "serial": e["serial"], "revoked": e["listed"],
                 "common_name": _common_name(e["cert"])} for e in the_plan["departed"]]
    revoked = [{"name": i["name"], "serial": _serial_hex(i["cert"].serial_number),
                "common_name": _common_name(i["cert"]),
                "not_after": pki_engine.not_after(i["cert"]).strftime("%Y-%m-%dT%H:%M:%SZ")}
               for i in the_plan["listed"]]
    changed = bool(the_plan["departed"]) or the_plan["crl_action"] is not None
    before = "".join("%s: present\n" % e["name"] for e in departed)
    after = "".join("%s: %s\n" % (e["name"], "revoked (serial %s), archived" % e["serial"] if e["revoked"]
                                  else "removed") for e in departed)
    if the_plan["crl_action"]:
        before += "CRL: %s\n" % ("absent" if "CRL missing" in the_plan["crl_reasons"] else "present")
        after += "CRL: %s (%s)\n" % ("%d serials" % len(revoked) if the_plan["crl_action"] == "write" else "removed",
                                     ", ".join(the_plan["crl_reasons"]))
    return {
        "changed": changed,
        "departed": departed,
        "revoked": revoked,
        "crl": {"path": the_plan["paths"]["crl"], "action": the_plan["crl_action"] or "none",
                "present": bool(revoked), "reason": ", ".join(the_plan["crl_reasons"])},
        "warnings": list(the_plan["warnings"]),
        "diff": {"before": before, "after": after},
    }


def _common_name(cert):
    if cert is None:
        return ""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else ""
