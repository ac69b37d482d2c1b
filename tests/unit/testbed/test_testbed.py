# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Unit tests for the pure logic of tests/testbed/testbed.py (no QEMU, no root)."""

import importlib.util
import ipaddress
import json
import os
import socket
import sys

import pytest

HELPER = os.path.join(os.path.dirname(__file__), "..", "..", "testbed", "testbed.py")
spec = importlib.util.spec_from_file_location("testbed", HELPER)
testbed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(testbed)


def test_cache_key_ignores_order_and_duplicates():
    a = testbed.cache_key(["python3", "openssh-server", "iproute2"])
    b = testbed.cache_key(["iproute2", "python3", "openssh-server", "python3"])
    assert a == b
    assert a.startswith("bookworm-") and len(a) == len("bookworm-") + 16


def test_cache_key_changes_with_packages_suite_and_recipe():
    base = testbed.cache_key(["python3"])
    assert testbed.cache_key(["python3", "libreswan"]) != base
    assert testbed.cache_key(["python3"], suite="trixie") != base
    assert testbed.cache_key(["python3"], recipe=testbed.RECIPE_VERSION + 1) != base


def test_package_list_merges_base_and_extras():
    pkgs = testbed.package_list(["bb", "aa"], ["cc", "aa", " "])
    assert pkgs == ["aa", "bb", "cc"]


def test_base_packages_cover_the_ovn_ipsec_scenario():
    needed = {"linux-image-amd64", "systemd-sysv", "openssh-server", "iproute2", "python3", "python3-apt",
              "openvswitch-switch", "openvswitch-ipsec", "python3-openvswitch", "ovn-host", "ovn-central",
              "strongswan", "libstrongswan-standard-plugins", "tcpdump", "iputils-ping", "kmod"}
    assert needed <= set(testbed.BASE_PACKAGES)
    # libreswan conflicts with strongswan-starter: it must not sneak into the base list.
    assert "libreswan" not in testbed.BASE_PACKAGES


@pytest.mark.parametrize("bad", ["Python3", "foo bar", "-rf", "a;b", "pkg/evil"])
def test_package_list_rejects_bad_names(bad):
    with pytest.raises(testbed.TestbedError, match="invalid Debian package name"):
        testbed.package_list(["python3"], [bad])


def test_split_list_accepts_commas_spaces_and_repeats():
    assert testbed.split_list(["a,b", "c", "d e", ""]) == ["a", "b", "c", "d", "e"]
    assert testbed.split_list(None) == []


def test_cache_root_follows_xdg():
    assert testbed.cache_root({"XDG_CACHE_HOME": "/x"}) == "/x/scs-kolla/testbed"
    assert testbed.cache_root({"HOME": "/home/u"}) == "/home/u/.cache/scs-kolla/testbed"


def test_parse_guests_assigns_addresses_in_order_and_skips_fixed_ones():
    guests = testbed.parse_guests(["a", "b=198.18.77.12", "c"])
    assert [(g["name"], g["underlay_ip"]) for g in guests] == [
        ("a", "198.18.77.11"), ("b", "198.18.77.12"), ("c", "198.18.77.13")]


@pytest.mark.parametrize("specs, message", [
    ([], "no guests"),
    (["Node1"], "invalid guest name"),
    (["a_b"], "invalid guest name"),
    (["a", "a"], "given twice"),
    (["a=10.0.0.1"], "not a host address in 198.18.77.0/24"),
    (["a=198.18.77.255"], "not a host address"),
    (["a=banana"], "not an IP address"),
    (["a=198.18.77.20", "b=198.18.77.20"], "given twice"),
])
def test_parse_guests_rejects_bad_input(specs, message):
    with pytest.raises(testbed.TestbedError, match=message):
        testbed.parse_guests(specs)


def test_guest_macs_are_unicast_local_and_distinct():
    macs = {testbed.guest_mac("run", i, nic) for i in range(8) for nic in (1, 2)}
    assert len(macs) == 16
    for mac in macs:
        first = int(mac.split(":")[0], 16)
        assert first & 0x02 and not first & 0x01  # locally administered, unicast
    assert testbed.guest_mac("run-a", 0, 2) != testbed.guest_mac("run-b", 0, 2)


def _guest(name="a", ip="198.18.77.11"):
    return {"name": name, "underlay_ip": ip, "ssh_mac": "52:54:00:00:01:00", "underlay_mac": "52:54:00:00:02:00",
            "disk": "/r/a.qcow2", "console": "/r/a.console.log", "pidfile": "/r/a.pid", "ssh_port": 2222}


def test_kernel_cmdline_carries_the_guest_identity():
    g = _guest()
    line = testbed.kernel_cmdline(g, "ssh-ed25519 AAAA test", [g, _guest("b", "198.18.77.12")], 24)
    args = dict(a.split("=", 1) for a in line.split() if "=" in a)
    assert args["systemd.hostname"] == "a"
    assert args["testbed.underlay"] == "198.18.77.11/24"
    assert args["testbed.hosts"] == "a=198.18.77.11,b=198.18.77.12"
    assert args["root"] == "/dev/vda"
    assert len(line) < 2048  # x86 kernel command line limit


def test_qemu_command_keeps_the_underlay_on_loopback():
    image = {"kernel": "/i/vmlinuz", "initrd": "/i/initrd.img"}
    argv = testbed.qemu_command(image, _guest(), "/r", {"group": "239.255.1.2", "port": 31000}, "x")
    joined = " ".join(argv)
    assert "mcast=239.255.1.2:31000,localaddr=127.0.0.1" in joined
    assert "restrict=on,hostfwd=tcp:127.0.0.1:2222-:22" in joined
    assert "tcg,thread=multi,tb-size=256" in joined
    assert argv[argv.index("-m") + 1] == "1024" and argv[argv.index("-smp") + 1] == "1"
    assert "-daemonize" in argv and argv[argv.index("-pidfile") + 1] == "/r/a.pid"
    assert "kvm" not in joined


def test_instance_config_and_inventory():
    state = {"key": "/r/id_ed25519", "guests": [_guest(), dict(_guest("b", "198.18.77.12"), ssh_port=2223)],
             "underlay": {"network": "198.18.77.0/24", "interface": "eth1"}}
    assert testbed.instance_config(state)[1] == {
        "instance": "b", "address": "127.0.0.1", "port": 2223, "user": "root", "identity_file": "/r/id_ed25519"}
    inv = testbed.inventory(state)
    assert inv["all"]["hosts"]["b"]["testbed_underlay_ip"] == "198.18.77.12"
    assert inv["all"]["hosts"]["a"]["ansible_python_interpreter"] == "/usr/bin/python3"
    assert inv["all"]["vars"]["testbed_underlay_hosts"] == {"a": "198.18.77.11", "b": "198.18.77.12"}


def test_write_json_is_private(tmp_path):
    path = str(tmp_path / "x.yml")
    testbed.write_json(path, {"a": 1})
    assert json.load(open(path)) == {"a": 1}
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_underlay_is_a_reserved_test_range():
    assert testbed.UNDERLAY_NETWORK.subnet_of(ipaddress.ip_network("198.18.0.0/15"))


def test_leftovers_reports_run_dir_and_open_ports(tmp_path):
    run_dir = tmp_path / "run"
    assert testbed.leftovers(str(run_dir), None) == []
    run_dir.mkdir()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        state = {"guests": [{"name": "a", "ssh_port": port}], "host_before": testbed.host_inventory()}
        found = testbed.leftovers(str(run_dir), state)
    assert any("run directory" in f for f in found)
    assert any("still accepts connections" in f for f in found)


def test_destroy_stops_only_processes_of_the_run(tmp_path):
    import subprocess
    import time
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    # A stand-in guest: a process whose command line names the run directory.
    sleeper = [sys.executable, "-c", "import time; time.sleep(300)"]
    proc = subprocess.Popen(sleeper + [str(run_dir)], start_new_session=True)
    other = subprocess.Popen(sleeper, start_new_session=True)
    (run_dir / "g.pid").write_text("%d\n" % proc.pid)
    try:
        assert proc.pid in testbed.run_processes(str(run_dir))
        testbed.destroy(str(run_dir))
        deadline = time.monotonic() + 5
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is not None
        assert other.poll() is None
        assert not run_dir.exists()
        assert testbed.leftovers(str(run_dir), None) == []
    finally:
        for p in (proc, other):
            p.kill()
            p.wait()


def test_parser_requires_guests_for_up():
    with pytest.raises(SystemExit):
        testbed.parser().parse_args(["up", "--run-dir", "/tmp/x"])
    args = testbed.parser().parse_args(["up", "--run-dir", "/r", "--guest", "a", "--guest", "b=198.18.77.20",
                                        "--extra-packages", "x,y"])
    assert args.guest == ["a", "b=198.18.77.20"] and args.timeout == 420


def test_boot_services_go_to_the_kernel_command_line():
    g = _guest()
    line = testbed.kernel_cmdline(g, "k", [g], 24, ["ovn-host.service", "openvswitch-ipsec.service"])
    assert "systemd.wants=ovn-host.service systemd.wants=openvswitch-ipsec.service" in line


@pytest.mark.parametrize("name, unit", [("ovn-host", "ovn-host.service"), ("ssh.socket", "ssh.socket"),
                                        ("getty@ttyS0.service", "getty@ttyS0.service")])
def test_unit_name(name, unit):
    assert testbed.unit_name(name) == unit


@pytest.mark.parametrize("bad", ["a b", "x;reboot", "", "../x"])
def test_unit_name_rejects_bad_names(bad):
    with pytest.raises(testbed.TestbedError, match="invalid systemd unit name"):
        testbed.unit_name(bad)


def _waiting_state(tmp_path, pid):
    console = tmp_path / "g.console.log"
    console.write_text("line 1\nKernel panic - not syncing: test\n")
    (tmp_path / "g.pid").write_text("%d\n" % pid)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return {"key": str(tmp_path / "nokey"), "boot_started": 0,
            "guests": [{"name": "g", "ssh_port": port, "pidfile": str(tmp_path / "g.pid"),
                        "console": str(console)}]}


def test_wait_ready_times_out_with_the_console_log(tmp_path):
    import subprocess
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with pytest.raises(testbed.TestbedError) as err:
            testbed.wait_ready(_waiting_state(tmp_path, sleeper.pid), timeout=1)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert "not ready after 1 s: g" in str(err.value)
    assert "Kernel panic - not syncing: test" in str(err.value)


def test_wait_ready_notices_a_dead_guest(tmp_path):
    import subprocess
    dead = subprocess.Popen(["true"])
    dead.wait()
    with pytest.raises(testbed.TestbedError, match="(?s)guest g: QEMU exited.*Kernel panic"):
        testbed.wait_ready(_waiting_state(tmp_path, dead.pid), timeout=60)


def test_leftovers_reports_new_host_namespaces_only_when_asked(tmp_path):
    state = {"guests": [], "host_before": {"links": [], "netns": []}}
    run_dir = str(tmp_path / "gone")
    strict = testbed.leftovers(run_dir, state, host=True)
    assert any(f.startswith("new host links: ") for f in strict)  # every real link is "new" here
    assert testbed.leftovers(run_dir, state, host=False) == []
