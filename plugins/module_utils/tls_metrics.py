# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Prometheus textfile metrics for the certificates and IPsec tunnels the collection manages.

node-exporter's textfile collector reads ``*.prom`` files from one directory while
they may be rewritten, so every file is written to a hidden temporary file in the
same directory and renamed over the old one, and only when its content changes.
Nothing in a file changes from one run to the next unless the state does: the
expiry is exported as the ``notAfter`` Unix time (alerts compute ``- time()``).

Pure Python and the standard library only: the same file runs on the chassis as
the script behind the tunnel metrics timer (``python3 tls_metrics.py tunnels ...``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import calendar
import os
import re
import subprocess
import tempfile

try:
    from ansible_collections.scs.kolla.plugins.module_utils import ovn_ipsec
except ImportError:  # on the chassis, next to a copy of ovn_ipsec.py
    import ovn_ipsec  # type: ignore

PREFIX = "scs_kolla_"
_MONTHS = dict((m, i + 1) for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")))
_OPENSSL_DATE = re.compile(
    r"^(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2})\s+(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})\s+(?P<year>\d{4})\s+GMT$")
_PEM = re.compile(r"-----BEGIN CERTIFICATE-----\s.*?-----END CERTIFICATE-----", re.DOTALL)
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


class MetricsError(ValueError):
    """Raised for input that cannot become a metric."""


def openssl_date(text):
    """Unix time of an OpenSSL date (``notAfter=Dec  3 10:00:57 2027 GMT`` or without the key)."""
    value = (text or "").strip()
    if "=" in value:
        value = value.split("=", 1)[1].strip()
    match = _OPENSSL_DATE.match(value)
    if not match or match.group("mon") not in _MONTHS:
        raise MetricsError("not an OpenSSL date: %r" % text)
    return calendar.timegm((int(match.group("year")), _MONTHS[match.group("mon")], int(match.group("day")),
                            int(match.group("h")), int(match.group("m")), int(match.group("s")), 0, 0, 0))


def split_pem(text):
    """Every PEM certificate block of a file, in order."""
    return _PEM.findall(text or "")


def parse_openssl_x509(text):
    """Fields of ``openssl x509 -noout -subject -nameopt RFC2253 -serial -startdate -enddate``."""
    fields = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    try:
        return {
            "subject": fields.get("subject", ""),
            "serial": fields.get("serial", "").lower(),
            "not_before": openssl_date(fields["notBefore"]),
            "not_after": openssl_date(fields["notAfter"]),
        }
    except KeyError as exc:
        raise MetricsError("openssl printed no %s" % exc)


OPENSSL_X509_ARGS = ["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-serial", "-startdate", "-enddate"]


def read_certificate_file(path, run):
    """Describe the certificates in ``path``; run(argv_tail, data) -> (rc, out, err) calls openssl.

    Returns dict(readable, error, certificates=[dict(subject, serial, not_before, not_after)]).
    """
    try:
        with open(path) as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        return {"readable": False, "error": "cannot read %s: %s" % (path, exc.strerror or exc), "certificates": []}
    blocks = split_pem(text)
    if not blocks:
        return {"readable": False, "error": "%s holds no PEM certificate" % path, "certificates": []}
    certificates = []
    for block in blocks:
        rc, out, err = run(OPENSSL_X509_ARGS, block)
        if rc != 0:
            return {"readable": False, "error": "openssl cannot read a certificate in %s: %s" % (path, (err or out).strip()),
                    "certificates": []}
        try:
            certificates.append(parse_openssl_x509(out))
        except MetricsError as exc:
            return {"readable": False, "error": "%s: %s" % (path, exc), "certificates": []}
    return {"readable": True, "error": None, "certificates": certificates}


def escape_label(value):
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


class Family(object):
    """One metric family: name, help text, type and its samples (labels, value)."""

    def __init__(self, name, help_text, kind="gauge"):
        if not re.match(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$", name):
            raise MetricsError("invalid metric name %r" % name)
        self.name, self.help, self.kind, self.samples = name, help_text, kind, []

    def add(self, labels, value):
        for key in labels:
            if not _LABEL_NAME.match(key) or key.startswith("__"):
                raise MetricsError("invalid label name %r" % key)
        self.samples.append((dict(labels), value))
        return self


def render(families):
    """Prometheus text exposition format; families and samples sorted, so equal state gives equal text."""
    lines = []
    for family in sorted(families, key=lambda f: f.name):
        if not family.samples:
            continue
        lines.append("# HELP %s %s" % (family.name, family.help.replace("\\", "\\\\").replace("\n", " ")))
        lines.append("# TYPE %s %s" % (family.name, family.kind))
        samples = {}
        for labels, value in family.samples:
            label_text = ",".join('%s="%s"' % (k, escape_label(labels[k])) for k in sorted(labels))
            if label_text in samples:
                raise MetricsError("duplicate series %s{%s}" % (family.name, label_text))
            samples[label_text] = value
        for label_text in sorted(samples):
            lines.append("%s%s %s" % (family.name, "{%s}" % label_text if label_text else "", _number(samples[label_text])))
    return "\n".join(lines) + "\n" if lines else ""


def certificate_families(entries):
    """Families for certificates: entries are dict(path, role, renew_before_seconds, result).

    result is what read_certificate_file() returned for the path.
    """
    readable = Family(PREFIX + "certificate_readable",
                      "1 if every certificate in the file could be read, 0 if the file is missing or broken.")
    not_after = Family(PREFIX + "certificate_not_after_timestamp_seconds",
                       "Unix time of the certificate's notAfter (expiry).")
    not_before = Family(PREFIX + "certificate_not_before_timestamp_seconds",
                        "Unix time of the certificate's notBefore.")
    renew = Family(PREFIX + "certificate_renew_before_seconds",
                   "How long before notAfter the collection renews the certificate (renewal window).")
    seen = set()
    for entry in entries:
        key = (entry["path"], entry["role"])
        if key in seen:
            raise MetricsError("certificate %s with role %s listed twice" % key)
        seen.add(key)
        base = {"path": entry["path"], "role": entry["role"]}
        result = entry["result"]
        readable.add(base, bool(result["readable"]))
        if entry.get("renew_before_seconds") is not None:
            renew.add(base, int(entry["renew_before_seconds"]))
        for cert in result["certificates"]:
            labels = dict(base, subject=cert["subject"], serial=cert["serial"])
            not_after.add(labels, int(cert["not_after"]))
            not_before.add(labels, int(cert["not_before"]))
    return [readable, not_after, not_before, renew]


def tunnel_families(monitor_running, peers, local_name):
    """Families for the IPsec tunnels of one chassis, from ovn_ipsec.evaluate_peers() output."""
    monitor = Family(PREFIX + "ovn_ipsec_monitor_up", "1 if ovs-monitor-ipsec answered tunnels/show.")
    monitor.add({"chassis": local_name}, bool(monitor_running))
    up = Family(PREFIX + "ovn_ipsec_tunnel_up",
                "1 if the tunnel to the peer chassis is CONFIGURED with an established IKE SA and an installed ESP SA.")
    ike = Family(PREFIX + "ovn_ipsec_tunnel_ike_established", "1 if the IKE daemon reports an established IKE SA.")
    child = Family(PREFIX + "ovn_ipsec_tunnel_esp_installed", "1 if an ESP SA is installed (IKE daemon and kernel).")
    for peer in sorted(peers):
        entry = peers[peer]
        labels = {"chassis": local_name, "peer": peer, "remote_ip": entry.get("remote_ip") or ""}
        up.add(labels, bool(entry["healthy"]))
        ike.add(labels, bool(entry["ike_established"]))
        child.add(labels, bool(entry["child_sa"]))
    return [monitor, up, ike, child]


def write_textfile(path, content, check_mode=False, mode=0o644):
    """Write ``content`` to ``path`` atomically unless it is already there.

    Returns (changed, before): before is the old content ('' when absent).
    The temporary file starts with a dot and does not end in .prom, so the
    textfile collector never reads it.
    """
    try:
        with open(path) as handle:
            before = handle.read()
    except (IOError, OSError):
        before = None
    same_mode = before is not None and (os.stat(path).st_mode & 0o7777) == mode
    if before == content and same_mode:
        return False, before
    if check_mode:
        return True, before or ""
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        os.makedirs(directory, 0o755)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True, before or ""


def _run(argv, timeout, data=None):
    try:
        proc = subprocess.run(argv, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, "", str(exc)
    return proc.returncode, proc.stdout, proc.stderr


def collect_tunnels(local_name, expected_peers, timeout=10, ovs_appctl="ovs-appctl", ipsec="ipsec", run=None):
    """Tunnel families of this chassis, reading ovs-monitor-ipsec and the IKE daemon."""
    run = run or (lambda argv: _run(argv, timeout))
    rc, out, err = run([ovs_appctl, "--timeout=%d" % timeout, "-t", "ovs-monitor-ipsec", "tunnels/show"])
    running, tunnels = rc == 0, []
    if running:
        try:
            tunnels = ovn_ipsec.parse_tunnels_show(out)
        except ovn_ipsec.ParseError:
            running = False
    if tunnels:
        rc, status, err = run([ipsec, "status"])
        ovn_ipsec.assign_connections(tunnels, status if rc == 0 else "")
    peers, dummy = ovn_ipsec.evaluate_peers(tunnels, expected_peers, local_name=local_name)
    return tunnel_families(running, peers, local_name)


def main(argv=None):
    """``tunnels`` subcommand: write the tunnel metrics of this chassis (run by a systemd timer)."""
    parser = argparse.ArgumentParser(prog="tls_metrics.py")
    sub = parser.add_subparsers(dest="command")
    tun = sub.add_parser("tunnels", help="write the IPsec tunnel metrics of this chassis")
    tun.add_argument("--output", required=True, help="the .prom file in the textfile directory")
    tun.add_argument("--chassis", required=True, help="this chassis' name (OVS system-id)")
    tun.add_argument("--peer", action="append", default=[], help="an expected peer chassis (repeatable)")
    tun.add_argument("--timeout", type=int, default=30, help="seconds for each tool call")
    args = parser.parse_args(argv)
    if args.command != "tunnels":
        parser.error("give a command: tunnels")
    content = render(collect_tunnels(args.chassis, args.peer, args.timeout))
    write_textfile(args.output, content)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
