# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Open vSwitch versions and the ovs-monitor-ipsec fixes they carry.

Pure Python: which workaround scs.kolla.ovn_ipsec needs follows from the version of
the ovs-monitor-ipsec in use, decided here and unit-tested as a table.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_VERSION = re.compile(r"(?:^|[\s(:])(?P<v>\d+\.\d+(?:\.\d+)?)(?=$|[\s)~+-])")


class Feature(object):
    """A fix first released in ``upstream`` and backported to the given point releases."""

    def __init__(self, key, title, upstream, backports):
        self.key, self.title, self.upstream, self.backports = key, title, upstream, tuple(backports)

    def present(self, version):
        if version is None:
            return False
        if version >= self.upstream:
            return True
        return any(version[:2] == fixed[:2] and version >= fixed for fixed in self.backports)

    def releases(self):
        return ", ".join(format_version(v) for v in (self.upstream,) + self.backports)


COMMAND_TIMEOUT = Feature(
    "command_timeout", "ovs-monitor-ipsec --command-timeout (a time limit on every IKE daemon command)",
    (3, 5, 0), [(3, 1, 6), (3, 2, 4), (3, 3, 3), (3, 4, 1)])
NSS_STALE_CERT = Feature(
    "nss_stale_cert_removal", "removal of stale certificates from the NSS database before import (Libreswan)",
    (3, 6, 0), [(3, 2, 6), (3, 3, 6), (3, 4, 4), (3, 5, 2)])
FEATURES = (COMMAND_TIMEOUT, NSS_STALE_CERT)


def format_version(version):
    return ".".join(str(part) for part in version)


def parse_version(text):
    """(major, minor, patch) from a package version or tool output, or None.

    Accepts ``3.1.0``, Debian/Ubuntu package versions (``3.1.0-2+deb12u1``,
    ``1:3.3.0-1ubuntu1``, ``3.3.0~git20240118.e802fe0-3``) and the first line of
    ``ovs-vsctl --version`` (``ovs-vsctl (Open vSwitch) 3.1.0``).
    """
    text = (text or "").strip()
    if not text:
        return None
    first = text.splitlines()[0]
    if re.match(r"^\d+:", first):
        first = first.split(":", 1)[1]
    match = _VERSION.search(first)
    if not match:
        return None
    parts = [int(p) for p in match.group("v").split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def decide(version, ike_daemon):
    """What the role does on a chassis whose ovs-monitor-ipsec has this version.

    version is a tuple from parse_version() or None (unknown: every workaround on).
    Returns dict(version, known, command_timeout, whack_release_timer,
    nss_remove_replaced, features, warnings).
    """
    features = dict((f.key, f.present(version)) for f in FEATURES)
    libreswan = ike_daemon == "libreswan"
    shown = format_version(version) if version else "unknown"
    warnings = []
    if version is None:
        warnings.append("cannot tell the Open vSwitch version of ovs-monitor-ipsec; assuming it has none of the "
                        "fixes the role knows about (set ovn_ipsec_ovs_version to say which it is)")
    elif libreswan:
        if not features[COMMAND_TIMEOUT.key]:
            warnings.append("Open vSwitch %s lacks %s (in %s): the role runs the whack release timer instead"
                            % (shown, COMMAND_TIMEOUT.title, COMMAND_TIMEOUT.releases()))
        if not features[NSS_STALE_CERT.key]:
            warnings.append("Open vSwitch %s lacks the %s (in %s): the role removes a replaced chassis certificate "
                            "and CA from the NSS database itself" % (shown, NSS_STALE_CERT.title, NSS_STALE_CERT.releases()))
    return {
        "version": shown,
        "known": version is not None,
        "command_timeout": features[COMMAND_TIMEOUT.key],
        "whack_release_timer": libreswan and not features[COMMAND_TIMEOUT.key],
        "nss_remove_replaced": libreswan and not features[NSS_STALE_CERT.key],
        "features": features,
        "warnings": warnings,
    }


def monitor_arguments(decision, ike_daemon, nss_dir, whack_timeout):
    """Options of ovs-monitor-ipsec the role adds after --ike-daemon."""
    args = []
    if ike_daemon == "libreswan":
        args.append("--ipsec-d=%s" % nss_dir)
        if decision["command_timeout"]:
            args.append("--command-timeout=%d" % int(whack_timeout))
    return args
