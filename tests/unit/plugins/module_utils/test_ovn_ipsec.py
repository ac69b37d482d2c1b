# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Tests for the OVN IPsec parsers; sample texts follow ovs-monitor-ipsec 3.1 templates."""

import json

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import ovn_ipsec as m

TUNNEL_TMPL = """\
Interface name: {ifname} v{version} ({state})
  Tunnel Type:    geneve
  Local IP:       %defaultroute
  Remote IP:      {remote_ip}
  Address Family: IPv4
  SKB mark:       None
  Local cert:     /etc/ipsec.d/certs/ovn-ipsec-chassis.pem
  Local name:     {local}
  Local key:      /etc/ipsec.d/private/ovn-ipsec-chassis.pem
  Remote cert:    None
  Remote name:    {remote}
  CA cert:        /etc/ipsec.d/cacerts/ovn-ipsec-ca.pem
  PSK:            None
  Custom Options: {{}}
  Ofport:         2
  CFM state:      Disabled
Kernel policies installed:
  src 10.20.0.11/32 dst 10.20.0.12/32 proto udp sport 6081
Kernel security associations installed:
{sas}IPsec connections that are active:
{conns}
"""

ESTABLISHED = (
    "  {ifname}-out-1[1]: ESTABLISHED 12 seconds ago, 10.20.0.11[{local}]...10.20.0.12[{remote}]\n"
    "  {ifname}-out-1{{1}}:  INSTALLED, TRANSPORT, reqid 1, ESP SPIs: c1d2e3f4_i c5d6e7f8_o\n"
    "  {ifname}-in-1{{2}}:  INSTALLED, TRANSPORT, reqid 2, ESP SPIs: c9d2e3f4_i cad6e7f8_o\n"
)
SA = "  sel src 10.20.0.11/32 dst 10.20.0.12/32 proto udp sport 6081\n"


def tunnel(ifname="ovn-node-b-0", remote="node-b", local="node-a", state="CONFIGURED",
           version=1, established=True, remote_ip="10.20.0.12"):
    fmt = dict(ifname=ifname, remote=remote, local=local)
    return TUNNEL_TMPL.format(
        ifname=ifname, version=version, state=state, remote_ip=remote_ip, local=local, remote=remote,
        sas=SA if established else "",
        conns=ESTABLISHED.format(**fmt) if established else "  %s-out-1{1}:  ROUTED, TRANSPORT, reqid 1\n" % ifname)


def test_ovsdb_value_map_set_uuid_and_scalars():
    assert m.ovsdb_value(["map", [["a", "1"], ["b", "2"]]]) == {"a": "1", "b": "2"}
    assert m.ovsdb_value(["set", []]) == []
    assert m.ovsdb_value(["uuid", "0f0e"]) == "0f0e"
    assert m.ovsdb_value("plain") == "plain"
    assert m.ovsdb_value(3) == 3


def test_chassis_config_reads_ovn_keys():
    row = {
        "external_ids": m.ovsdb_value(["map", [["system-id", "node-a"], ["ovn-encap-ip", "10.20.0.11,fd00::11"],
                                               ["ovn-encap-type", "geneve"], ["ovn-remote", "tcp:10.20.0.11:6642"]]]),
        "other_config": m.ovsdb_value(["map", [["certificate", "/c.pem"], ["private_key", "/k.pem"]]]),
    }
    cfg = m.chassis_config([row])
    assert cfg["system_id"] == "node-a"
    assert cfg["encap_ips"] == ["10.20.0.11", "fd00::11"]
    assert cfg["encap_type"] == "geneve"
    assert cfg["pki"] == {"certificate": "/c.pem", "private_key": "/k.pem", "ca_cert": ""}


def test_chassis_config_without_ovn_settings():
    cfg = m.chassis_config([{"external_ids": {}, "other_config": {}}])
    assert cfg["system_id"] == "" and cfg["encap_ips"] == [] and cfg["pki"]["ca_cert"] == ""


@pytest.mark.parametrize("rows", [[], [{"external_ids": {}}, {"external_ids": {}}]])
def test_chassis_config_needs_exactly_one_row(rows):
    with pytest.raises(m.ParseError, match="exactly one Open_vSwitch row"):
        m.chassis_config(rows)


def test_parse_tunnels_show_empty():
    assert m.parse_tunnels_show("No tunnels configured with IPsec") == []
    assert m.parse_tunnels_show("") == []


def test_parse_tunnels_show_two_tunnels():
    text = tunnel() + tunnel(ifname="ovn-node-c-0", remote="node-c", remote_ip="10.20.0.13", established=False)
    tunnels = m.parse_tunnels_show(text)
    assert [t["interface"] for t in tunnels] == ["ovn-node-b-0", "ovn-node-c-0"]
    first = tunnels[0]
    assert first["version"] == 1 and first["state"] == "CONFIGURED" and first["invalid_reason"] is None
    assert first["remote_name"] == "node-b" and first["local_name"] == "node-a"
    assert first["remote_cert"] is None and first["psk"] is None
    assert first["remote_ip"] == "10.20.0.12"
    assert len(first["connections"]) == 3 and len(first["kernel_sas"]) == 1
    assert m.ike_established(first) and m.child_sa_installed(first)
    assert not m.ike_established(tunnels[1]) and not m.child_sa_installed(tunnels[1])


def test_parse_tunnels_show_invalid_state_with_reason():
    text = tunnel(state="INVALID: 'remote_ip' is not set", established=False)
    (t,) = m.parse_tunnels_show(text)
    assert t["state"] == "INVALID"
    assert t["invalid_reason"] == "'remote_ip' is not set"


def test_parse_tunnels_show_rejects_garbage():
    with pytest.raises(m.ParseError):
        m.parse_tunnels_show("something else entirely\n  Remote name: x")


def test_libreswan_status_lines_count_as_established():
    t = {"interface": "ovn-node-b-0", "version": 1, "tunnel_type": "geneve",
         "connections": ['#2: "ovn-node-b-0-out-1":500 STATE_V2_ESTABLISHED_CHILD_SA (IPsec SA established)',
                         '#3: "ovn-node-b-0-in-1":500 STATE_V2_ESTABLISHED_CHILD_SA (IPsec SA established)'],
         "kernel_sas": ["sel src a dst b"]}
    assert m.ike_established(t) and m.child_sa_installed(t)
    t["connections"] = t["connections"][:1]
    assert m.ike_established(t) and not m.child_sa_installed(t)
    assert m.missing_child_sas(t) == ["ovn-node-b-0-in-1"]


def test_one_direction_only_is_not_healthy():
    # The peer has not brought up its outgoing SA (our -in-): its packets to us would
    # wait for a negotiation, so the tunnel is not ready yet.
    text = tunnel().replace("  ovn-node-b-0-in-1{2}:  INSTALLED, TRANSPORT, reqid 2, ESP SPIs: c9d2e3f4_i cad6e7f8_o\n", "")
    peers, problems = m.evaluate_peers(m.parse_tunnels_show(text), ["node-b"], "node-a")
    assert problems == ["node-b"]
    assert peers["node-b"]["ike_established"] and not peers["node-b"]["child_sa"]
    assert peers["node-b"]["reason"] == "tunnel ovn-node-b-0 has no installed ESP SA for ovn-node-b-0-in-1"


def test_gre_needs_its_single_connection():
    t = {"interface": "gre-b", "version": 2, "tunnel_type": "gre", "kernel_sas": ["sel"],
         "connections": ["gre-b-2{1}:  INSTALLED, TRANSPORT, reqid 1"]}
    assert m.required_connections(t) == {"gre-b-2"} and m.child_sa_installed(t)


def test_evaluate_peers_all_healthy_ignores_self():
    tunnels = m.parse_tunnels_show(tunnel() + tunnel(ifname="ovn-node-c-0", remote="node-c", remote_ip="10.20.0.13"))
    peers, problems = m.evaluate_peers(tunnels, ["node-a", "node-b", "node-c"], local_name="node-a")
    assert problems == []
    assert set(peers) == {"node-b", "node-c"}
    assert all(p["healthy"] for p in peers.values())


def test_evaluate_peers_lists_missing_unestablished_and_invalid():
    text = (tunnel(established=False)
            + tunnel(ifname="ovn-node-d-0", remote="node-d", state="INVALID: must choose a authentication method",
                     established=False))
    peers, problems = m.evaluate_peers(m.parse_tunnels_show(text), ["node-b", "node-c", "node-d"], "node-a")
    assert problems == ["node-b", "node-c", "node-d"]
    assert "no established IKE SA" in peers["node-b"]["reason"]
    assert "no IPsec tunnel" in peers["node-c"]["reason"]
    assert "INVALID: must choose" in peers["node-d"]["reason"]


def test_evaluate_peers_reports_unexpected_tunnels_without_failing():
    peers, problems = m.evaluate_peers(m.parse_tunnels_show(tunnel()), [], "node-a")
    assert problems == [] and peers["node-b"]["expected"] is False and peers["node-b"]["healthy"]


def test_established_ike_without_kernel_sa_is_not_healthy():
    text = tunnel().replace(SA, "")
    peers, problems = m.evaluate_peers(m.parse_tunnels_show(text), ["node-b"], "node-a")
    assert problems == ["node-b"] and "no installed ESP SA" in peers["node-b"]["reason"]


# --- OVSDB JSON-RPC client ------------------------------------------------------
# A scripted peer on a unix socket stands in for ovsdb-server (protocol-level fake:
# the real server is exercised by the molecule scenario on the test bed guests).

import os
import socket
import tempfile
import threading


def serve_once(path, replies):
    """Accept one connection, read one request, send the replies (raw strings) in order."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    seen = {}

    def run():
        conn, _address = srv.accept()
        seen["request"] = json.loads(conn.recv(65536).decode())
        for chunk in replies:
            conn.sendall(chunk.encode())
            if chunk.startswith('{"method": "echo"'):
                seen["echo_reply"] = json.loads(conn.recv(65536).decode())
        conn.close()
        srv.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, seen


def test_parse_remote():
    assert m.parse_remote("unix:/run/openvswitch/db.sock") == (socket.AF_UNIX, "/run/openvswitch/db.sock")
    assert m.parse_remote("tcp:127.0.0.1:6640") == (socket.AF_INET, ("127.0.0.1", 6640))
    assert m.parse_remote("tcp:[::1]:6640") == (socket.AF_INET6, ("::1", 6640))
    for bad in ("ssl:1.2.3.4:6640", "unix:", "tcp:host", "db.sock"):
        with pytest.raises(m.OvsdbError):
            m.parse_remote(bad)


def test_read_open_vswitch_fragmented_answer_after_echo():
    row = {"external_ids": ["map", [["system-id", "node-a"], ["ovn-encap-ip", "10.20.0.11"]]],
           "other_config": ["map", []]}
    answer = json.dumps({"id": 1, "error": None, "result": [{"rows": [row]}]})
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "db.sock")
        thread, seen = serve_once(path, ['{"method": "echo", "params": [], "id": "echo"}', answer[:20], answer[20:]])
        cfg = m.read_open_vswitch("unix:" + path, timeout=5)
        thread.join(5)
    assert seen["request"]["method"] == "transact"
    assert seen["request"]["params"][0] == "Open_vSwitch"
    assert seen["echo_reply"]["id"] == "echo"
    assert cfg["system_id"] == "node-a" and cfg["encap_ips"] == ["10.20.0.11"]


def test_ovsdb_error_answer_is_reported():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "db.sock")
        thread, _seen = serve_once(path, [json.dumps({"id": 1, "error": "unknown database", "result": None})])
        with pytest.raises(m.OvsdbError, match="unknown database"):
            m.read_open_vswitch("unix:" + path, timeout=5)
        thread.join(5)


def test_missing_socket_is_reported():
    with pytest.raises(m.OvsdbError, match="cannot connect"):
        m.read_open_vswitch("unix:/nonexistent/db.sock", timeout=1)


# Real strongSwan 5.9.8 output from the test bed (OVS 3.1 left the tunnels/show section empty).
STRONGSWAN_STATUS = """\
Routed Connections:
ovn-osec-b-0-out-1{2}:  ROUTED, TRANSPORT, reqid 2
ovn-osec-b-0-in-1{1}:  ROUTED, TRANSPORT, reqid 1
Security Associations (1 up, 0 connecting):
ovn-osec-b-0-in-1[1]: ESTABLISHED 47 seconds ago, 198.18.77.21[osec-alpha]...198.18.77.22[osec-beta]
ovn-osec-b-0-in-1{3}:  INSTALLED, TRANSPORT, reqid 1, ESP SPIs: c74c1406_i c104c83f_o
ovn-osec-b-0-out-1{4}:  INSTALLED, TRANSPORT, reqid 2, ESP SPIs: c6cefd1a_i cd209010_o
ovn-osec-c-0-out-2{9}:  INSTALLED, TRANSPORT, reqid 9, ESP SPIs: 01_i 02_o
"""


def test_assign_connections_strongswan_exact_names():
    text = tunnel(ifname="ovn-osec-b-0", remote="osec-beta", local="osec-alpha", established=False)
    text = text.replace("  ovn-osec-b-0-out-1{1}:  ROUTED, TRANSPORT, reqid 1\n", "")
    tunnels = m.parse_tunnels_show(text)
    assert tunnels[0]["connections"] == []
    m.assign_connections(tunnels, STRONGSWAN_STATUS)
    lines = tunnels[0]["connections"]
    assert len(lines) == 5 and not any("osec-c" in line for line in lines)
    assert m.ike_established(tunnels[0])


def test_assign_connections_other_version_is_not_taken():
    tunnels = m.parse_tunnels_show(tunnel(ifname="ovn-osec-c-0", remote="osec-c", version=1, established=False)
                                   .replace("  ovn-osec-c-0-out-1{1}:  ROUTED, TRANSPORT, reqid 1\n", ""))
    m.assign_connections(tunnels, STRONGSWAN_STATUS)
    assert tunnels[0]["connections"] == []


def test_assign_connections_libreswan():
    status = ('000 #2: "ovn-node-b-0-in-1":500 STATE_V2_ESTABLISHED_IKE_SA (established IKE SA)\n'
              '000 #3: "ovn-node-b-0-out-1":500 STATE_V2_ESTABLISHED_CHILD_SA (IPsec SA established)\n'
              '000 "ovn-node-b-0-in-1": 10.0.0.1...10.0.0.2; erouted\n')
    tunnels = m.parse_tunnels_show(tunnel(established=False).replace("  ovn-node-b-0-out-1{1}:  ROUTED, TRANSPORT, reqid 1\n", ""))
    m.assign_connections(tunnels, status)
    assert len(tunnels[0]["connections"]) == 2
    assert m.ike_established(tunnels[0])


def test_parse_systemctl_show_blocks_in_order():
    text = ("Id=openvswitch-switch.service\nLoadState=masked\nActiveState=inactive\nUnitFileState=masked\n\n"
            "Id=ovn-ipsec-monitor.service\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\n\n"
            "Id=nope.service\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\n")
    units = ["openvswitch-switch.service", "ovn-ipsec-monitor.service", "nope.service"]
    out = m.parse_systemctl_show(text, units)
    assert out["openvswitch-switch.service"]["masked"] is True
    assert out["ovn-ipsec-monitor.service"] == {"load": "loaded", "active": "active", "file_state": "enabled", "masked": False}
    assert out["nope.service"]["load"] == "not-found" and out["nope.service"]["masked"] is False


def test_parse_dpkg_status():
    text = "strongswan ii \nopenvswitch-ipsec rc \nlibstrongswan-standard-plugins:amd64 ii \n"
    out = m.parse_dpkg_status(text, ["strongswan", "openvswitch-ipsec", "libstrongswan-standard-plugins", "openssl"])
    assert out == {"strongswan": True, "openvswitch-ipsec": False, "libstrongswan-standard-plugins": True, "openssl": False}


# --- connection naming, initiation, the wait and the pair report -------------------

def test_connection_names_of_geneve_and_gre():
    geneve = {"interface": "ovn-node-b-0", "version": 3, "tunnel_type": "geneve"}
    gre = {"interface": "gre-b", "version": 2, "tunnel_type": "gre"}
    assert m.required_connections(geneve) == {"ovn-node-b-0-in-3", "ovn-node-b-0-out-3"}
    assert m.outgoing_connection(geneve) == "ovn-node-b-0-out-3"
    assert m.connection_names(geneve) == {"ovn-node-b-0-in-3", "ovn-node-b-0-out-3", "ovn-node-b-0-3"}
    assert m.required_connections(gre) == {"gre-b-2"} and m.outgoing_connection(gre) == "gre-b-2"


def test_connections_to_initiate_only_configured_tunnels_without_outgoing_sa():
    text = (tunnel(established=False)                                     # -out- ROUTED only
            + tunnel(ifname="ovn-node-c-0", remote="node-c")               # established
            + tunnel(ifname="ovn-node-d-0", remote="node-d", state="INVALID: no cert", established=False)
            + tunnel(ifname="ovn-node-e-0", remote="node-e", established=False))
    # Only the peer's direction (our -in-) missing: the peer initiates it, not we.
    text = text.replace("  ovn-node-c-0-in-1{2}:  INSTALLED, TRANSPORT, reqid 2, ESP SPIs: c9d2e3f4_i cad6e7f8_o\n", "")
    tunnels = m.parse_tunnels_show(text)
    assert m.connections_to_initiate(tunnels) == ["ovn-node-b-0-out-1", "ovn-node-e-0-out-1"]
    # A tunnel to a chassis that is not expected (being removed) is left alone.
    assert m.connections_to_initiate(tunnels, ["node-a", "node-b", "node-c"]) == ["ovn-node-b-0-out-1"]


@pytest.mark.parametrize("text,major", [
    ("Linux Libreswan U4.10/K6.1.0-27-amd64 (XFRM) on 6.1.0-27-amd64\n", 4),
    ("Libreswan 5.2\n", 5),
    ("Linux strongSwan U5.9.8/K6.1.0-27-amd64\n", None),
    ("", None),
])
def test_libreswan_major(text, major):
    assert m.libreswan_major(text) == major


def test_initiate_argv_per_daemon_and_version():
    assert m.initiate_argv("strongswan", "ipsec", "c-out-1") == ["ipsec", "stroke", "up-nb", "c-out-1"]
    assert m.initiate_argv("libreswan", "ipsec", "c-out-1") == ["ipsec", "auto", "--asynchronous", "--up", "c-out-1"]
    assert m.initiate_argv("libreswan", "ipsec", "c-out-1", 4) == ["ipsec", "auto", "--asynchronous", "--up", "c-out-1"]
    assert m.initiate_argv("libreswan", "/usr/sbin/ipsec", "c-out-1", 5) == [
        "/usr/sbin/ipsec", "up", "--asynchronous", "c-out-1"]


def test_read_tunnels_attaches_ike_status_and_reports_monitor_down():
    show = tunnel(ifname="ovn-osec-b-0", remote="osec-beta", local="osec-alpha", established=False)
    show = show.replace("  ovn-osec-b-0-out-1{1}:  ROUTED, TRANSPORT, reqid 1\n", "")
    calls = []

    def run(argv):
        calls.append(argv)
        if argv[0] == "ovs-appctl":
            return 0, show, ""
        return 0, STRONGSWAN_STATUS, ""

    monitor = m.read_tunnels(run)
    assert calls == [["ovs-appctl", "--timeout=10", "-t", "ovs-monitor-ipsec", "tunnels/show"], ["ipsec", "status"]]
    assert monitor["running"] and m.ike_established(monitor["tunnels"][0])
    down = m.read_tunnels(lambda argv: (1, "", "cannot connect to ovs-monitor-ipsec\n"))
    assert down == {"running": False, "error": "cannot connect to ovs-monitor-ipsec", "tunnels": []}


def test_broken_pairs_ready_to_print():
    peers, problems = m.evaluate_peers(m.parse_tunnels_show(tunnel(established=False)), ["node-b", "node-c"], "node-a")
    assert m.broken_pairs("node-a", {"running": True}, peers, problems) == [
        "node-a -> node-b: tunnel ovn-node-b-0 has no established IKE SA",
        "node-a -> node-c: no IPsec tunnel to this chassis in ovs-monitor-ipsec"]
    assert m.broken_pairs("node-a", {"running": False, "error": "no socket"}, {}, []) == [
        "node-a -> *: ovs-monitor-ipsec not running (no socket)"]
    healthy = m.evaluate_peers(m.parse_tunnels_show(tunnel()), ["node-b"], "node-a")
    assert m.broken_pairs("node-a", {"running": True}, *healthy) == []


class FakeChassis(object):
    """Stand-in for the monitor + IKE daemon pair: a tunnel that comes up `delay` reads after it was asked."""

    def __init__(self, comes_up_after=1, refuse=None):
        self.asked, self.reads, self.comes_up_after, self.refuse = [], 0, comes_up_after, refuse
        self.now = 0.0

    def read(self):
        self.reads += 1
        up = bool(self.asked) and self.reads > self.asked_at + self.comes_up_after
        return {"running": True, "error": None, "tunnels": m.parse_tunnels_show(tunnel(established=up))}

    def initiate(self, connection):
        if self.refuse:
            return self.refuse
        if not self.asked:
            self.asked_at = self.reads
        self.asked.append(connection)
        return None

    def sleep(self, seconds):
        self.now += seconds


def test_establish_initiates_once_and_waits_until_established():
    chassis = FakeChassis(comes_up_after=3)
    result = m.establish(chassis.read, chassis.initiate, ["node-a", "node-b"], "node-a", wait_timeout=60,
                         clock=lambda: chassis.now, sleep=chassis.sleep, delay=2, retry_after=15)
    assert result["established"] and result["pairs"] == [] and result["failed"] == {}
    assert result["initiated"] == ["ovn-node-b-0-out-1"] and chassis.asked == ["ovn-node-b-0-out-1"]
    assert chassis.reads == 5  # asked after the first read, up three reads later


def test_establish_asks_again_after_retry_after_and_fails_bounded():
    chassis = FakeChassis(comes_up_after=1000)
    result = m.establish(chassis.read, chassis.initiate, ["node-b"], "node-a", wait_timeout=40,
                         clock=lambda: chassis.now, sleep=chassis.sleep, delay=2, retry_after=15)
    assert not result["established"] and chassis.now == 40
    assert chassis.asked == ["ovn-node-b-0-out-1"] * 3  # at 0, 16 and 32 s
    assert result["pairs"] == ["node-a -> node-b: tunnel ovn-node-b-0 has no established IKE SA"]


def test_establish_converged_changes_nothing_and_check_mode_only_predicts():
    converged = FakeChassis()
    converged.read = lambda: {"running": True, "error": None, "tunnels": m.parse_tunnels_show(tunnel())}
    result = m.establish(converged.read, converged.initiate, ["node-b"], "node-a", wait_timeout=60,
                         clock=lambda: 0, sleep=converged.sleep)
    assert result["established"] and result["initiated"] == [] and converged.asked == []
    idle = FakeChassis()
    result = m.establish(idle.read, idle.initiate, ["node-b"], "node-a", wait_timeout=60, check_mode=True,
                         clock=lambda: 0, sleep=idle.sleep)
    assert result["initiated"] == ["ovn-node-b-0-out-1"] and idle.asked == [] and idle.reads == 1
    assert not result["established"]


def test_establish_reports_refused_connections():
    chassis = FakeChassis(refuse="no connection named ovn-node-b-0-out-1")
    result = m.establish(chassis.read, chassis.initiate, ["node-b"], "node-a", wait_timeout=0,
                         clock=lambda: 0, sleep=chassis.sleep)
    assert result["initiated"] == [] and result["failed"] == {"ovn-node-b-0-out-1": "no connection named ovn-node-b-0-out-1"}


# --- which certificate charon has loaded ---------------------------------------------------

def _described(serial):
    # what tls_metrics.read_certificate_file() returns; openssl prints the serial in even-length hex
    return {"readable": True, "error": None,
            "certificates": [{"subject": "O=SCS OVN IPsec,CN=osec-beta", "serial": serial, "not_before": 0, "not_after": 1}]}


def _listcerts(text, rc=0):
    calls = []

    def run(argv):
        calls.append(argv)
        return rc, text, "connect to stroke failed" if rc else ""
    return run, calls


def test_loaded_certificate_compares_the_file_serial_with_what_charon_lists():
    run, calls = _listcerts("  serial:    00:8f:01\n  serial:    05:6a:be\n")
    out = m.loaded_certificate(run, "/c.pem", _described("056abe"))
    assert out == {"path": "/c.pem", "serial": "56abe", "loaded": True, "error": None}
    assert calls == [["ipsec", "listcerts"]]
    assert m.loaded_certificate(run, "/c.pem", _described("120d9b"))["loaded"] is False


def test_loaded_certificate_unknown_without_certificate_or_charon():
    run, calls = _listcerts("", rc=7)
    out = m.loaded_certificate(run, "/c.pem", _described("8f01"))
    assert out["loaded"] is None and out["serial"] == "8f01" and "connect to stroke failed" in out["error"]
    unreadable = {"readable": False, "error": "cannot read /c.pem: No such file or directory", "certificates": []}
    run, calls = _listcerts("  serial:    8f:01\n")
    out = m.loaded_certificate(run, "/c.pem", unreadable)
    assert out == {"path": "/c.pem", "serial": None, "loaded": None, "error": unreadable["error"]} and calls == []


def test_parse_listcerts_serials_and_normalize():
    text = ("  subject:  \"CN=a\"\n  serial:    00:8f:01\n  authkeyId: cf:2f\n"
            "  subject:  \"CN=b\"\n  serial:    29:F4:7C\n")
    assert m.parse_listcerts_serials(text) == {"8f01", "29f47c"}
    assert m.parse_listcerts_serials("") == set()
    assert m.normalize_serial("00:00") == "0" and m.normalize_serial("0A:bC") == "abc"
