# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Parsers and health evaluation for OVN IPsec on one chassis.

Pure Python (no Ansible imports) so the logic is unit-tested without a
chassis: the inputs are the texts that ``ovs-vsctl --format=json`` and
``ovs-appctl -t ovs-monitor-ipsec tunnels/show`` print.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import socket
import time

# Keys ovs-monitor-ipsec reads from Open_vSwitch other_config.
PKI_KEYS = ("certificate", "private_key", "ca_cert")

_HEADER = re.compile(r"^Interface name: (?P<name>\S+) v(?P<version>\d+) \((?P<state>[^):]+)(?P<reason>:[^)]*)?\)\s*$")
_FIELD = re.compile(r"^\s{2}(?P<key>[A-Za-z][A-Za-z ]*?):\s+(?P<value>.*?)\s*$")
_SECTIONS = {
    "Kernel policies installed:": "kernel_policies",
    "Kernel security associations installed:": "kernel_sas",
    "IPsec connections that are active:": "connections",
}
_FIELD_NAMES = {
    "Tunnel Type": "tunnel_type",
    "Local IP": "local_ip",
    "Remote IP": "remote_ip",
    "Address Family": "address_family",
    "SKB mark": "skb_mark",
    "Local cert": "local_cert",
    "Local name": "local_name",
    "Local key": "local_key",
    "Remote cert": "remote_cert",
    "Remote name": "remote_name",
    "CA cert": "ca_cert",
    "PSK": "psk",
    "Custom Options": "custom_options",
    "Ofport": "ofport",
    "CFM state": "cfm_state",
}


class ParseError(ValueError):
    """Raised when a tool printed something this module cannot read."""


def ovsdb_value(value):
    """Convert one OVSDB JSON datum (as ovs-vsctl --format=json prints it) to Python."""
    if isinstance(value, list) and len(value) == 2 and value[0] in ("map", "set", "uuid", "named-uuid"):
        kind, payload = value
        if kind == "map":
            return dict((ovsdb_value(k), ovsdb_value(v)) for k, v in payload)
        if kind == "set":
            return [ovsdb_value(v) for v in payload]
        return payload
    return value


class OvsdbError(Exception):
    """Raised when the OVS database cannot be reached or answers with an error."""


def parse_remote(remote):
    """Split an OVSDB remote (unix:PATH, tcp:HOST:PORT, tcp:[V6]:PORT) into (family, address)."""
    if remote.startswith("unix:") and len(remote) > 5:
        return socket.AF_UNIX, remote[5:]
    if remote.startswith("tcp:"):
        rest = remote[4:]
        if rest.startswith("["):
            host, dummy, port = rest[1:].partition("]:")
            family = socket.AF_INET6
        else:
            host, dummy, port = rest.rpartition(":")
            family = socket.AF_INET
        if host and port.isdigit():
            return family, (host, int(port))
    raise OvsdbError("unsupported OVSDB remote %r: use unix:PATH or tcp:HOST:PORT" % remote)


def ovsdb_transact(remote, database, operations, timeout=10.0):
    """Run one OVSDB JSON-RPC transaction (RFC 7047) and return its result list.

    Talking the protocol directly keeps the read side independent of host
    tools: a kolla node has no ovs-vsctl until the role installs packages.
    """
    family, address = parse_remote(remote)
    request = {"method": "transact", "params": [database] + list(operations), "id": 1}
    deadline = time.time() + timeout
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
            sock.sendall(json.dumps(request).encode("utf-8"))
        except (OSError, socket.error) as exc:
            raise OvsdbError("cannot connect to %s: %s" % (remote, exc))
        decoder = json.JSONDecoder()
        buf = ""
        while True:
            if time.time() > deadline:
                raise OvsdbError("no answer from %s within %s s" % (remote, timeout))
            try:
                chunk = sock.recv(65536)
            except (OSError, socket.error) as exc:
                raise OvsdbError("reading from %s failed: %s" % (remote, exc))
            if not chunk:
                raise OvsdbError("%s closed the connection without an answer" % remote)
            buf += chunk.decode("utf-8")
            while buf.strip():
                try:
                    message, end = decoder.raw_decode(buf.lstrip())
                except ValueError:
                    break  # incomplete message; read more
                buf = buf.lstrip()[end:]
                if message.get("method") == "echo":
                    sock.sendall(json.dumps({"result": message.get("params", []),
                                             "error": None, "id": message.get("id")}).encode("utf-8"))
                    continue
                if message.get("id") != 1:
                    continue
                if message.get("error"):
                    raise OvsdbError("%s: %s" % (remote, message["error"]))
                result = message.get("result") or []
                for op in result:
                    if isinstance(op, dict) and op.get("error"):
                        raise OvsdbError("%s: %s: %s" % (remote, op["error"], op.get("details", "")))
                return result
    finally:
        sock.close()


def read_open_vswitch(remote, timeout=10.0):
    """The Open_vSwitch row's external_ids and other_config as chassis_config() returns them."""
    result = ovsdb_transact(remote, "Open_vSwitch", [{
        "op": "select", "table": "Open_vSwitch", "where": [],
        "columns": ["external_ids", "other_config"]}], timeout)
    rows = result[0].get("rows", []) if result else []
    return chassis_config([{column: ovsdb_value(row.get(column, ["map", []])) for column in ("external_ids", "other_config")}
                           for row in rows])


def chassis_config(rows):
    """Chassis facts from the Open_vSwitch rows (external_ids, other_config as dicts)."""
    if len(rows) != 1:
        raise ParseError("expected exactly one Open_vSwitch row, got %d" % len(rows))
    row = rows[0]
    external_ids = row.get("external_ids") or {}
    other_config = row.get("other_config") or {}
    encap_ip = external_ids.get("ovn-encap-ip", "")
    return {
        "system_id": external_ids.get("system-id", ""),
        "hostname": external_ids.get("hostname", ""),
        "encap_type": external_ids.get("ovn-encap-type", ""),
        "encap_ips": [ip.strip() for ip in encap_ip.split(",") if ip.strip()],
        "ovn_remote": external_ids.get("ovn-remote", ""),
        "pki": dict((key, other_config.get(key, "")) for key in PKI_KEYS),
        "other_config": other_config,
        "external_ids": external_ids,
    }


def _none(value):
    return None if value in ("None", "") else value


def parse_tunnels_show(text):
    """Parse ``ovs-appctl -t ovs-monitor-ipsec tunnels/show``.

    Returns a list of tunnels: interface, version, state, invalid_reason, the
    configuration fields, and the lists kernel_policies, kernel_sas,
    connections (the IKE daemon's status lines for this tunnel).
    """
    text = text or ""
    if not text.strip() or text.strip().startswith("No tunnels configured with IPsec"):
        return []
    tunnels = []
    current = None
    section = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        header = _HEADER.match(line)
        if header:
            current = {
                "interface": header.group("name"),
                "version": int(header.group("version")),
                "state": header.group("state").strip(),
                "invalid_reason": (header.group("reason") or "").lstrip(": ") or None,
                "kernel_policies": [],
                "kernel_sas": [],
                "connections": [],
            }
            tunnels.append(current)
            section = None
            continue
        if current is None:
            raise ParseError("tunnels/show output does not start with an interface header: %r" % line)
        if line in _SECTIONS:
            section = _SECTIONS[line]
            continue
        if section:
            current[section].append(line.strip())
            continue
        field = _FIELD.match(line)
        if field and field.group("key") in _FIELD_NAMES:
            current[_FIELD_NAMES[field.group("key")]] = _none(field.group("value"))
    return tunnels


def ike_established(tunnel):
    """True when the IKE daemon reports an established SA for this tunnel.

    strongSwan ``ipsec status``: ``NAME[n]: ESTABLISHED ...``; Libreswan:
    ``#n: "NAME" ... STATE_V2_ESTABLISHED_IKE_SA`` (or ..._CHILD_SA, which
    implies an IKE SA).
    """
    return any("ESTABLISHED" in line.upper() for line in tunnel.get("connections", []))


_CHILD_SA_MARKERS = ("INSTALLED", "ESTABLISHED_CHILD_SA", "IPsec SA established")
_LIBRESWAN_ESP = re.compile(r"esp[.:][0-9a-f]+@")


def _connection(interface, version, direction=None):
    """One IKE connection name as ovs-monitor-ipsec writes it into the IKE daemon's config."""
    if direction is None:
        return "%s-%d" % (interface, version)
    return "%s-%s-%d" % (interface, direction, version)


def required_connections(tunnel):
    """IKE connections that must carry an ESP SA for traffic both ways.

    ovs-monitor-ipsec gives a Geneve/VXLAN tunnel two: IFNAME-out-VERSION for
    packets to the peer's port and IFNAME-in-VERSION for the peer's packets to
    ours (set up by the peer's -out- side). A GRE tunnel has one, IFNAME-VERSION.
    """
    name, version = tunnel.get("interface"), tunnel.get("version")
    if name is None or version is None:
        return set()
    if tunnel.get("tunnel_type") == "gre":
        return {_connection(name, version)}
    return {_connection(name, version, "in"), _connection(name, version, "out")}


def outgoing_connection(tunnel):
    """The connection this chassis brings up itself (the peer's -out- side is our -in-)."""
    if tunnel.get("tunnel_type") == "gre":
        return _connection(tunnel["interface"], tunnel["version"])
    return _connection(tunnel["interface"], tunnel["version"], "out")


def connections_with_child_sa(tunnel):
    """Names of the tunnel's IKE connections the daemon reports an ESP SA for."""
    names = set()
    for line in tunnel.get("connections", []):
        if any(marker in line for marker in _CHILD_SA_MARKERS) or _LIBRESWAN_ESP.search(line):
            match = _STRONGSWAN_CONN.match(line) or _LIBRESWAN_CONN.search(line)
            if match:
                names.add(match.group("name"))
    return names


def missing_child_sas(tunnel):
    """Required connections (both directions) without an ESP SA, sorted."""
    return sorted(required_connections(tunnel) - connections_with_child_sa(tunnel))


def child_sa_installed(tunnel):
    """True when ESP SAs for both directions are installed (daemon view) and the kernel has SAs."""
    return bool(required_connections(tunnel)) and not missing_child_sas(tunnel) and bool(tunnel.get("kernel_sas"))


def evaluate_peers(tunnels, expected_peers, local_name=None):
    """Health of the encrypted tunnels from this chassis to each expected peer.

    Returns (peers, problems): peers maps peer name -> dict(interface, state,
    remote_ip, ike_established, child_sa, healthy, reason); problems is the
    sorted list of peer names that are not healthy.
    """
    by_peer = {}
    for tunnel in tunnels:
        name = tunnel.get("remote_name")
        if name:
            by_peer.setdefault(name, []).append(tunnel)
    peers = {}
    for peer in sorted(set(expected_peers or []) | set(by_peer)):
        if local_name is not None and peer == local_name:
            continue
        candidates = by_peer.get(peer, [])
        entry = {
            "interface": None,
            "state": None,
            "remote_ip": None,
            "ike_established": False,
            "child_sa": False,
            "expected": peer in (expected_peers or []),
            "healthy": False,
            "reason": None,
        }
        if not candidates:
            entry["reason"] = "no IPsec tunnel to this chassis in ovs-monitor-ipsec"
        else:
            # Prefer a healthy tunnel when a chassis has more than one encap.
            candidates = sorted(candidates, key=lambda t: (t["state"] != "CONFIGURED", not ike_established(t)))
            tunnel = candidates[0]
            entry.update(
                interface=tunnel["interface"],
                state=tunnel["state"],
                remote_ip=tunnel.get("remote_ip"),
                ike_established=ike_established(tunnel),
                child_sa=child_sa_installed(tunnel),
            )
            if tunnel["state"] != "CONFIGURED":
                entry["reason"] = "tunnel %s is %s%s" % (
                    tunnel["interface"], tunnel["state"],
                    (": " + tunnel["invalid_reason"]) if tunnel.get("invalid_reason") else "")
            elif not entry["ike_established"]:
                entry["reason"] = "tunnel %s has no established IKE SA" % tunnel["interface"]
            elif not entry["child_sa"]:
                missing = missing_child_sas(tunnel)
                entry["reason"] = "tunnel %s has no installed ESP SA%s" % (
                    tunnel["interface"], (" for " + ", ".join(missing)) if missing else " in the kernel")
            else:
                entry["healthy"] = True
        peers[peer] = entry
    problems = sorted(name for name, entry in peers.items() if entry["expected"] and not entry["healthy"])
    return peers, problems


def parse_systemctl_show(text, units):
    """Parse ``systemctl show --property=Id,LoadState,ActiveState,UnitFileState U1 U2 ...``.

    systemd prints one block per requested unit, in order, separated by blank
    lines. Returns unit -> dict(load, active, file_state, masked).
    """
    blocks = list(re_split_blocks(text))
    result = {}
    for unit, block in zip(units, blocks + [{}] * (len(units) - len(blocks))):
        load = block.get("LoadState", "")
        file_state = block.get("UnitFileState", "")
        result[unit] = {
            "load": load,
            "active": block.get("ActiveState", ""),
            "file_state": file_state,
            "masked": load == "masked" or file_state == "masked",
        }
    return result


def re_split_blocks(text):
    blocks, current = [], {}
    for line in (text or "").splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = line.partition("=")
        if sep:
            current[key] = value
    if current:
        blocks.append(current)
    return blocks


def parse_dpkg_status(text, packages):
    """Package -> installed (bool) from ``dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n'``."""
    installed = dict((p, False) for p in packages)
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            name = parts[0].split(":")[0]
            if name in installed and parts[1].startswith("ii"):
                installed[name] = True
    return installed


_STRONGSWAN_CONN = re.compile(r"^\s*(?:\d{3} )?(?P<name>[^\s\[{:]+)[\[{]\d+[\]}]:")
_LIBRESWAN_CONN = re.compile(r'#\d+: "(?P<name>[^"]+)"')


def connection_names(tunnel):
    """Every IKE connection name ovs-monitor-ipsec may give a tunnel (IFNAME-in/out-VERSION, IFNAME-VERSION)."""
    name, version = tunnel["interface"], tunnel["version"]
    return {_connection(name, version, "in"), _connection(name, version, "out"), _connection(name, version)}


def assign_connections(tunnels, ike_status):
    """Attach the IKE daemon's status lines (``ipsec status``) to their tunnels.

    ovs-monitor-ipsec of OVS 3.1 fills the "IPsec connections that are active"
    section of tunnels/show wrongly for strongSwan: its greedy pattern cuts
    ``ovn-x-0-in-1[1]`` to the interface ``ovn-x-0-in``, so the section stays
    empty. Matching the exact connection names fixes that for both daemons.
    """
    for tunnel in tunnels:
        names = connection_names(tunnel)
        lines = []
        for raw in (ike_status or "").splitlines():
            match = _STRONGSWAN_CONN.match(raw) or _LIBRESWAN_CONN.search(raw)
            if match and match.group("name") in names:
                lines.append(raw.strip())
        known = set(tunnel.get("connections", []))
        tunnel["connections"] = tunnel.get("connections", []) + [line for line in lines if line not in known]
    return tunnels


def connections_to_initiate(tunnels, peers=None):
    """Outgoing connections of CONFIGURED tunnels that have no ESP SA yet, sorted.

    Each chassis brings up its own outgoing direction; the peer's outgoing one
    is this chassis' incoming connection. With ``peers`` only tunnels to those
    chassis count (a tunnel to a chassis being removed is left alone).
    """
    return sorted(outgoing_connection(tunnel) for tunnel in tunnels
                  if tunnel.get("state") == "CONFIGURED"
                  and (not peers or tunnel.get("remote_name") in peers)
                  and outgoing_connection(tunnel) not in connections_with_child_sa(tunnel))


_LIBRESWAN_VERSION = re.compile(r"Libreswan\s+U?(?P<major>\d+)\.")


def libreswan_major(version_text):
    """Major version from ``ipsec --version`` of Libreswan (``Libreswan U4.10/K6.1...``), or None."""
    match = _LIBRESWAN_VERSION.search(version_text or "")
    return int(match.group("major")) if match else None


def initiate_argv(ike_daemon, ipsec, connection, libreswan_version=None):
    """Command that asks the IKE daemon to bring one connection up without waiting for it.

    strongSwan (stroke): ``ipsec stroke up-nb``. Libreswan before 5: ``ipsec auto
    --asynchronous --up``; Libreswan 5 spells it ``ipsec up --asynchronous``.
    """
    if ike_daemon == "strongswan":
        return [ipsec, "stroke", "up-nb", connection]
    if libreswan_version is not None and libreswan_version >= 5:
        return [ipsec, "up", "--asynchronous", connection]
    return [ipsec, "auto", "--asynchronous", "--up", connection]


def read_tunnels(run, ovs_appctl="ovs-appctl", ipsec="ipsec", timeout=10):
    """The monitor's tunnels with the IKE daemon's status lines attached.

    ``run(argv)`` returns (rc, stdout, stderr), rc None when the program is
    missing. Returns dict(running, error, tunnels); raises ParseError when
    tunnels/show prints something unreadable.
    """
    rc, out, err = run([ovs_appctl, "--timeout=%d" % timeout, "-t", "ovs-monitor-ipsec", "tunnels/show"])
    if rc != 0:
        return {"running": False, "error": (err or out).strip() or "ovs-appctl exited with %s" % rc,
                "tunnels": []}
    tunnels = parse_tunnels_show(out)
    if tunnels:
        rc, status, dummy = run([ipsec, "status"])
        # The daemon being down leaves the tunnels without IKE state: rated unhealthy.
        assign_connections(tunnels, status if rc == 0 else "")
    return {"running": True, "error": None, "tunnels": tunnels}


def broken_pairs(local_name, monitor, peers, problems):
    """One line per expected chassis pair that is not encrypted, ready to print.

    ``local -> peer: reason``, or ``local -> *: ovs-monitor-ipsec not running (...)``
    when the monitor does not answer (then no tunnel can be rated).
    """
    local = local_name or "?"
    if not monitor.get("running"):
        return ["%s -> *: ovs-monitor-ipsec not running (%s)" % (local, monitor.get("error") or "")]
    return ["%s -> %s: %s" % (local, peer, peers[peer]["reason"]) for peer in problems]


def establish(read, initiate, expected_peers, local_name=None, wait_timeout=0, check_mode=False,
              clock=time.time, sleep=time.sleep, delay=2.0, retry_after=15.0):
    """Bring up the tunnels to the expected peers and wait (bounded) until all are established.

    ``read()`` returns what read_tunnels() returns; ``initiate(connection)``
    returns None or why the daemon refused. A connection is asked again only
    after ``retry_after`` seconds (negotiation takes a moment). Check mode reads
    once and returns the connections it would initiate. Returns dict(initiated,
    failed, monitor, peers, problems, pairs, established).
    """
    deadline = clock() + max(0, wait_timeout)
    asked = {}
    initiated, failed = [], {}
    while True:
        monitor = read()
        peers, problems = evaluate_peers(monitor["tunnels"], expected_peers, local_name=local_name)
        todo = connections_to_initiate(monitor["tunnels"], expected_peers) if monitor["running"] else []
        if check_mode:
            initiated = todo
        else:
            for connection in todo:
                if connection in asked and clock() - asked[connection] < retry_after:
                    continue
                asked[connection] = clock()
                error = initiate(connection)
                if error:
                    failed[connection] = error
                    continue
                failed.pop(connection, None)
                if connection not in initiated:
                    initiated.append(connection)
        established = monitor["running"] and not problems
        if check_mode or established or clock() >= deadline:
            break
        sleep(delay)
    return {"initiated": sorted(initiated), "failed": failed, "monitor": monitor, "peers": peers,
            "problems": problems, "pairs": broken_pairs(local_name, monitor, peers, problems),
            "established": established}


def run_program(module, argv, data=None):
    """``module.run_command`` of a program found on PATH (``data`` on its stdin); rc None when it is missing."""
    binary = module.get_bin_path(argv[0])
    if binary is None:
        return None, "", "%s not found on this host" % argv[0]
    return module.run_command([binary] + argv[1:], data=data)


_LISTCERTS_SERIAL = re.compile(r"^\s*serial:\s+(?P<serial>[0-9a-fA-F:]+)\s*$")


def normalize_serial(text):
    """A certificate serial as lower-case hex without separators or leading zeros."""
    return text.replace(":", "").strip().lower().lstrip("0") or "0"


def parse_listcerts_serials(text):
    """Serials (normalize_serial form) of the certificates ``ipsec listcerts`` shows.

    charon keeps every certificate it loaded since its start (a reload adds the renewed
    one beside the old), so the question to ask is whether a serial is among them.
    """
    serials = set()
    for line in (text or "").splitlines():
        match = _LISTCERTS_SERIAL.match(line)
        if match:
            serials.add(normalize_serial(match.group("serial")))
    return serials


def loaded_certificate(run, path, described, ipsec="ipsec"):
    """Whether the running charon has loaded the certificate now at ``path``.

    ``described`` is what tls_metrics.read_certificate_file() returned for ``path`` (the
    one way certificates on a chassis are read). Returns dict(path, serial, loaded, error):
    ``loaded`` is None when it cannot be told (no certificate at the path, charon not
    running); then ``error`` says why.
    """
    result = {"path": path, "serial": None, "loaded": None, "error": described["error"]}
    if not described["readable"]:
        return result
    result["serial"] = normalize_serial(described["certificates"][0]["serial"])
    rc, out, err = run([ipsec, "listcerts"])
    if rc != 0:
        result["error"] = "ipsec listcerts: %s" % ((err or out).strip() or "exited with %s" % rc)
        return result
    result["loaded"] = result["serial"] in parse_listcerts_serials(out)
    return result
