# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Input rules of scs.kolla.ovn_ipsec and of its modules (pure Python, no Ansible imports).

* ``check(values)``: the role's variables of one chassis host, before anything is read from it.
* ``check_chassis(values)``: what the preflight read from the chassis (``ovn_ipsec_info``) and
  from the northbound database, before anything is changed.
* ``file_problems(files)``, ``info_option_problems(params)``: the modules' own options.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v
from ansible_collections.scs.kolla.plugins.module_utils.ovn_ipsec_firewall import chain_problem

_PACKAGE_RE = re.compile(r"[a-z0-9][a-z0-9+.-]+")
_UNIT_RE = re.compile(r"[A-Za-z0-9:_.@\\-]+\.(service|timer|socket|target|mount|path)")
_REMOTE_HOST_RE = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)")
VALID_DAYS_MAX = 3650
TIMEOUT_MAX = 3600
WHACK_TIMEOUT_MIN = 10
WHACK_TIMEOUT_MAX = 86400


def check_remote(problems, name, value, allow_unix=True):
    """An OVSDB remote: unix:/PATH, tcp:HOST:PORT or ssl:HOST:PORT."""
    accepted = "expected an OVSDB remote such as %stcp:192.0.2.10:6641 or ssl:192.0.2.10:6641" % (
        "unix:/run/openvswitch/db.sock, " if allow_unix else "")
    if not v.check_text(problems, name, value, max_len=4096, what="an OVSDB remote"):
        return False
    kind, rest = value.partition(":")[::2]
    if kind == "unix" and allow_unix and rest.startswith("/"):
        return True
    if kind in ("tcp", "ssl"):
        host, port = rest.rpartition(":")[::2]
        if _REMOTE_HOST_RE.fullmatch(host or "-") and port.isdigit() and 0 < int(port) < 65536:
            return True
    problems.add(name, value, accepted)
    return False


def _key_file(problems, name, path):
    """An unencrypted PEM private key on the controller (its content is never shown)."""
    text = v.read_text_file(problems, name, path)
    if text is None:
        return False
    blocks = v.pem_blocks(text) or []
    labels = [block[0] for block in blocks]
    if len(labels) != 1 or not labels[0].endswith("PRIVATE KEY"):
        problems.add(name, path, "expected one PEM private key (-----BEGIN PRIVATE KEY-----)")
        return False
    if labels[0] == "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED" in text:
        problems.add(name, path, "expected an unencrypted private key: ovs-monitor-ipsec has no passphrase to give")
        return False
    return True


def _pem_certificate(problems, name, path):
    text = v.read_text_file(problems, name, path)
    if text is None:
        return False
    if "PRIVATE KEY-----" in text:
        problems.add(name, path, "expected a certificate; the file holds a PRIVATE KEY")
        return False
    blocks = v.pem_blocks(text)
    if not blocks or any(block[0] != "CERTIFICATE" for block in blocks):
        problems.add(name, path, "expected a PEM certificate (-----BEGIN CERTIFICATE-----)")
        return False
    return True


def check(values):
    """The role input of one chassis host."""
    problems = v.Problems()
    get = values.get
    state = get("ovn_ipsec_state")
    v.check_choice(problems, "ovn_ipsec_state", state, ("present", "absent"))
    host = get("inventory_hostname")
    group = get("ovn_ipsec_chassis_group")
    if v.check_group_name(problems, "ovn_ipsec_chassis_group", group):
        chassis = get("chassis_hosts") or []
        if not chassis:
            problems.note("ovn_ipsec_chassis_group %s is empty or not in the inventory" % v.show(group))
        elif host not in chassis:
            problems.note("%s is not in ovn_ipsec_chassis_group %s: run the role on the chassis hosts (hosts: %s)"
                          % (host, v.show(group), group))
    v.check_group_name(problems, "ovn_ipsec_nb_group", get("ovn_ipsec_nb_group"))
    v.check_argv(problems, "ovn_ipsec_nbctl_command", get("ovn_ipsec_nbctl_command"))
    connection = get("ovn_ipsec_nb_connection")
    if connection != "":
        if v.check_text(problems, "ovn_ipsec_nb_connection", connection, max_len=4096):
            for index, remote in enumerate(connection.split(",")):
                check_remote(problems, "ovn_ipsec_nb_connection (remote %d)" % (index + 1), remote)
    v.check_int(problems, "ovn_ipsec_nb_timeout", get("ovn_ipsec_nb_timeout"), 1, TIMEOUT_MAX)
    v.check_choice(problems, "ovn_ipsec_ovs_runtime", get("ovn_ipsec_ovs_runtime"), ("kolla", "host"))
    check_remote(problems, "ovn_ipsec_ovsdb", get("ovn_ipsec_ovsdb"))
    daemon = get("ovn_ipsec_ike_daemon")
    v.check_choice(problems, "ovn_ipsec_ike_daemon", daemon, ("strongswan", "libreswan"))
    v.check_list(problems, "ovn_ipsec_packages", get("ovn_ipsec_packages"),
                 lambda p, n, x: v.check_pattern(p, n, x, _PACKAGE_RE,
                                                 "expected a Debian package name (lower-case letters, digits, "
                                                 "'+', '.', '-')"))
    for key in ("ovn_ipsec_monitor_script", "ovn_ipsec_libreswan_nss_dir", "ovn_ipsec_certificate_path",
                "ovn_ipsec_private_key_path", "ovn_ipsec_ca_certificate_path"):
        # Paths on the chassis: only their form can be checked on the controller.
        if v.check_text(problems, key, get(key), max_len=4096, what="an absolute path"):
            if not get(key).startswith("/") or ".." in get(key).split("/") or get(key).endswith("/"):
                problems.add(key, get(key), "expected an absolute path to a file (starting with '/', no '..')")
    paths = [get(k) for k in ("ovn_ipsec_certificate_path", "ovn_ipsec_private_key_path",
                              "ovn_ipsec_ca_certificate_path")]
    if all(isinstance(p, str) for p in paths) and len(set(paths)) != 3:
        problems.note("ovn_ipsec_certificate_path, ovn_ipsec_private_key_path and ovn_ipsec_ca_certificate_path "
                      "must be three different files, got %s" % ", ".join(v.show(p) for p in paths))
    if daemon == "libreswan":
        v.check_int(problems, "ovn_ipsec_libreswan_whack_timeout", get("ovn_ipsec_libreswan_whack_timeout"),
                    WHACK_TIMEOUT_MIN, WHACK_TIMEOUT_MAX)
    v.check_int(problems, "ovn_ipsec_verify_timeout", get("ovn_ipsec_verify_timeout"), 1, TIMEOUT_MAX)

    source = get("ovn_ipsec_certificate_source")
    v.check_choice(problems, "ovn_ipsec_certificate_source", source, ("pki", "files"))
    rollover = get("ovn_ipsec_ca_rollover")
    if rollover is not None and v.check_choice(problems, "ovn_ipsec_ca_rollover", rollover,
                                               ("none", "trust", "reissue", "finish")) and rollover != "none":
        if source != "pki":
            problems.add("ovn_ipsec_ca_rollover", rollover,
                         "expected 'none' with ovn_ipsec_certificate_source=%s: the role rolls over the CA of "
                         "scs.kolla.pki only" % v.show(source))
        if daemon == "libreswan":
            problems.add("ovn_ipsec_ca_rollover", rollover,
                         "expected 'none' with ovn_ipsec_ike_daemon=libreswan: ovs-monitor-ipsec configures "
                         "rightca=%same, so a chassis whose certificate the next CA issued rejects a peer whose "
                         "certificate the current CA issued (docs/ovn_ipsec.md, CA rollover)")
    if source == "pki" and state == "present":
        v.check_abs_path(problems, "ovn_ipsec_pki_dir", get("ovn_ipsec_pki_dir"), kind="dir")
        v.check_choice(problems, "ovn_ipsec_pki_ca_mode", get("ovn_ipsec_pki_ca_mode"),
                       ("create", "provided", "external"))
        v.check_text(problems, "ovn_ipsec_pki_ca_common_name", get("ovn_ipsec_pki_ca_common_name"),
                     max_len=v.X509_CN_MAX, what="an X.509 common name")
        org = get("ovn_ipsec_certificate_organization")
        if org == "":
            problems.note("ovn_ipsec_certificate_organization must not be empty: ovs-monitor-ipsec cannot read a "
                          "CN-only subject")
        else:
            v.check_text(problems, "ovn_ipsec_certificate_organization", org, max_len=v.X509_O_MAX,
                         what="an X.509 organization name")
        days = get("ovn_ipsec_certificate_valid_days")
        if v.check_int(problems, "ovn_ipsec_certificate_valid_days", days, 1, VALID_DAYS_MAX):
            v.check_int(problems, "ovn_ipsec_renew_before_days", get("ovn_ipsec_renew_before_days"), 0, days - 1)
    if source == "files" and state == "present":
        _pem_certificate(problems, "ovn_ipsec_certificate_src", get("ovn_ipsec_certificate_src"))
        _key_file(problems, "ovn_ipsec_private_key_src", get("ovn_ipsec_private_key_src"))
        v.check_ca_certificate_file(problems, "ovn_ipsec_ca_certificate_src", get("ovn_ipsec_ca_certificate_src"))

    if get("ovn_ipsec_firewall") is True:
        message = chain_problem(get("ovn_ipsec_firewall_chain"))
        if message:
            problems.add("ovn_ipsec_firewall_chain", get("ovn_ipsec_firewall_chain"), message)
        guard = get("ovn_ipsec_firewall_guard_chain")
        if get("ovn_ipsec_firewall_guard") is True and guard is not None:
            message = chain_problem(guard)
            if message:
                problems.add("ovn_ipsec_firewall_guard_chain", guard, message)
            elif guard == get("ovn_ipsec_firewall_chain"):
                problems.add("ovn_ipsec_firewall_guard_chain", guard,
                             "expected a chain of its own, not the one of the openings (ovn_ipsec_firewall_chain)")
    return problems


def _subject_problem(path, system_id):
    """Why the operator's certificate does not certify chassis ``system_id`` (None if it does)."""
    try:
        from cryptography import x509
        from cryptography.x509.oid import NameOID
    except ImportError:
        return None
    try:
        with open(path, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
    except (IOError, OSError, ValueError) as exc:
        return "is not a readable PEM certificate (%s)" % exc
    cns = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    cn = cns[0] if cns else ""
    if cn != system_id:
        return "has CN %s but the chassis name (system-id) is %s" % (v.show(cn), v.show(system_id))
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = sans.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        dns = []
    if cn not in dns:
        return "lacks subjectAltName DNS:%s (IKE peers authenticate the chassis name as a DNS identity)" % cn
    rdns = list(cert.subject.rdns)
    # RFC 2253 order is the reverse of the DER order: the CN must be the last RDN in DER.
    if len(rdns) < 2 or rdns[-1].get_attributes_for_oid(NameOID.COMMON_NAME) == []:
        return ("subject must end with the CN and hold another RDN (e.g. O=...) before it; ovs-monitor-ipsec "
                "cannot read a CN-only subject")
    return None


def check_chassis(values):
    """What the preflight read from one chassis and from the northbound database."""
    problems = v.Problems()
    get = values.get
    host = get("inventory_hostname")
    present = get("ovn_ipsec_state") == "present"
    ovs = get("ovs") or {}
    system_id = ovs.get("system_id") or ""
    if not ovs.get("reachable"):
        problems.note("%s: no Open vSwitch database at %s (%s); is kolla openvswitch deployed on this chassis?"
                      % (host, get("ovn_ipsec_ovsdb"), ovs.get("error")))
    else:
        if not system_id:
            problems.note("%s: Open_vSwitch external_ids:system-id is not set, so the chassis has no name to certify"
                          % host)
        elif present:
            # The name becomes a certificate's CN, its DNS SAN and part of a file name.
            label = "%s: Open_vSwitch external_ids:system-id" % host
            if v.check_dns_name(problems, label, system_id) and len(system_id) > v.X509_CN_MAX:
                problems.add(label, system_id, "expected at most %d characters: the chassis name becomes the "
                             "certificate's common name" % v.X509_CN_MAX)
        if present:
            ips = ovs.get("encap_ips") or []
            if not ips:
                problems.note("%s: external_ids:ovn-encap-ip is not set (chassis %s has no tunnel endpoint); deploy "
                              "ovn-controller first" % (host, system_id))
            for index, ip in enumerate(ips):
                v.check_ip_address(problems, "%s: external_ids:ovn-encap-ip[%d]" % (host, index), ip)
            types = (ovs.get("encap_type") or "").split(",")
            if "geneve" not in types and "vxlan" not in types:
                problems.note("%s: external_ids:ovn-encap-type is %s, expected geneve (kolla default) or vxlan"
                              % (host, v.show(ovs.get("encap_type") or "")))
    files = get("files") or {}
    if present:
        for key in ("ovn_ipsec_certificate_path", "ovn_ipsec_private_key_path", "ovn_ipsec_ca_certificate_path",
                    "unit_path"):
            path = get(key)
            info = files.get(path) or {}
            if info.get("exists") and info.get("type") != "file":
                problems.add("%s: %s" % (host, key), path, "expected a regular file (or nothing) there; found a %s"
                             % info.get("type"))
            parent = files.get(os.path.dirname(path or "")) or {}
            if parent.get("exists") and parent.get("type") != "directory":
                problems.add("%s: %s" % (host, key), path, "expected its directory to be a directory; found a %s"
                             % parent.get("type"))
        if get("ovn_ipsec_ike_daemon") == "libreswan":
            script = get("ovn_ipsec_monitor_script")
            if (files.get(script) or {}).get("type") != "file":
                problems.note("%s: no ovs-monitor-ipsec at ovn_ipsec_monitor_script %s; with Libreswan it comes "
                              "from the operator, because the openvswitch-ipsec package depends on strongswan, which "
                              "conflicts with libreswan (see docs/ovn_ipsec.md, Libreswan)" % (host, script))
        if get("ovn_ipsec_firewall") is True and get("ovn_ipsec_manage_packages") is not True \
                and not (get("packages") or {}).get("iptables"):
            problems.note("%s: ovn_ipsec_firewall is true but iptables is not installed, and "
                          "ovn_ipsec_manage_packages is false; install iptables or let the role do it" % host)
        if get("ovn_ipsec_certificate_source") == "files" and system_id:
            why = _subject_problem(get("ovn_ipsec_certificate_src"), system_id)
            if why:
                problems.note("%s: certificate %s %s" % (host, get("ovn_ipsec_certificate_src"), why))
    if get("first_host"):
        nb = get("nb") or {}
        if nb.get("rc", 1) != 0:
            problems.note("northbound database unreachable from %s with %s: %s"
                          % (get("nb_host"), " ".join(str(w) for w in get("nbctl") or []),
                             (nb.get("stderr") or nb.get("msg") or "").strip()))
        elif nb_row(nb.get("stdout")) is None:
            problems.note("northbound database: %s printed no NB_Global row (ipsec, options): %s"
                          % (" ".join(str(w) for w in get("nbctl") or []), v.show(nb.get("stdout") or "")))
        ids = get("system_ids") or {}
        seen = {}
        for other, name in sorted(ids.items()):
            if name:
                seen.setdefault(name, []).append(other)
        for name, hosts in sorted(seen.items()):
            if len(hosts) > 1:
                problems.note("chassis name %s (system-id) is used by more than one host: %s"
                              % (name, ", ".join(hosts)))
    return problems


def nb_row(stdout):
    """(ipsec, options) of ``ovn-nbctl --format=json --columns=ipsec,options list NB_Global``; None if unreadable."""
    try:
        row = json.loads(stdout)["data"][0]
        if isinstance(row[0], bool) and row[1][0] == "map":
            return row
    except (ValueError, TypeError, KeyError, IndexError):
        pass
    return None


def file_problems(files):
    """scs.kolla.ovn_ipsec_files: every problem with the files to write, before the first write."""
    problems = v.Problems()
    seen = set()
    for index, spec in enumerate(files):
        name = "files[%d].path" % index
        path = spec.get("path")
        if not v.check_abs_path(problems, name, path, kind="file"):
            continue
        if path.endswith("/") or os.path.normpath(path) != path:
            problems.add(name, path, "expected a normalised absolute path to a file (no trailing '/', no '//')")
            continue
        if path in seen:
            problems.add(name, path, "expected every path once")
        seen.add(path)
        if os.path.islink(path):
            problems.add(name, path, "expected a regular file or nothing there; found a symbolic link")
        directory = os.path.dirname(path)
        if not os.path.isdir(directory):
            problems.add(name, path, "expected its directory %s to exist" % directory)
        mode_name = "files[%d].mode" % index
        if spec.get("secret"):
            v.check_mode(problems, mode_name, spec.get("mode"), secret=True)
        elif v.parse_mode(spec.get("mode")) is None or not isinstance(spec.get("mode"), str):
            problems.add(mode_name, spec.get("mode"), "expected an octal mode string such as '0644'")
        for key in ("owner", "group"):
            v.check_pattern(problems, "files[%d].%s" % (index, key), spec.get(key), r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}",
                            "expected a user or group name")
    return problems


def _chassis_option_problems(params):
    """The options ovn_ipsec_info and ovn_ipsec_tunnels share: OVSDB, programs, timeout, peers."""
    problems = v.Problems()
    check_remote(problems, "ovsdb", params.get("ovsdb"))
    v.check_int(problems, "timeout", params.get("timeout"), 1, TIMEOUT_MAX)
    for key in ("ovs_appctl", "ipsec"):
        v.check_pattern(problems, key, params.get(key), r"(?:/|[A-Za-z0-9_])[A-Za-z0-9_./+-]{0,4095}",
                        "expected a program name or absolute path (not starting with '-')")
    v.check_list(problems, "expected_peers", params.get("expected_peers") or [],
                 lambda p, n, x: v.check_text(p, n, x, max_len=255, what="a chassis name"))
    return problems


def info_option_problems(params):
    """scs.kolla.ovn_ipsec_info: options its argument spec cannot check."""
    problems = _chassis_option_problems(params)
    v.check_list(problems, "files", params.get("files") or [],
                 v.check_abs_path)
    v.check_list(problems, "units", params.get("units") or [],
                 lambda p, n, x: v.check_pattern(p, n, x, _UNIT_RE, "expected a systemd unit name such as "
                                                 "'ovn-ipsec-monitor.service'"))
    v.check_list(problems, "packages", params.get("packages") or [],
                 lambda p, n, x: v.check_pattern(p, n, x, _PACKAGE_RE, "expected a Debian package name"))
    if params.get("loaded_certificate") is not None:
        v.check_abs_path(problems, "loaded_certificate", params["loaded_certificate"], kind="file")
    return problems


def tunnels_option_problems(params):
    """scs.kolla.ovn_ipsec_tunnels: options its argument spec cannot check."""
    problems = _chassis_option_problems(params)
    v.check_int(problems, "wait_timeout", params.get("wait_timeout"), 0, TIMEOUT_MAX)
    return problems
