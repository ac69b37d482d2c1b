# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Multi-node test bed: Debian bookworm guests under QEMU (TCG) for molecule.

  testbed.py image [--extra-packages P,Q]        build (or reuse) the cached guest image
  testbed.py up --run-dir DIR --guest NAME[=IP] ...  boot guests, wait for SSH, write DIR/state.json
  testbed.py down --run-dir DIR                  stop every guest of the run, remove DIR, check leftovers
  testbed.py leftovers --run-dir DIR [--state F] exit 1 if anything of the run is still there
  testbed.py prune [--days N]                    remove cached images not used for N days

Guests: 1 vCPU, 1 GiB, TCG (the host has no usable KVM). NIC 1 is QEMU user-mode
networking with restrict=on and one host forward 127.0.0.1:PORT -> guest:22 for
Ansible; NIC 2 is the private underlay: a QEMU socket multicast netdev bound to
127.0.0.1 with a group/port unique to the run, so guest frames never leave the
host's loopback. Standard library only, Python >= 3.8.
"""

import argparse
import base64
import contextlib
import fcntl
import hashlib
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# Bump when the way the image is put together changes: it is part of the cache key.
RECIPE_VERSION = 4

# Installed but not started at boot: under TCG they cost ~1 min of boot time, and which
# guest runs what (one ovn-central, N chassis) is the scenario's business. Start them
# from the scenario, or at boot with --boot-service (kernel command line systemd.wants=).
DISABLED_SERVICES = (
    "ovn-central.service",
    "ovn-host.service",
    "ovn-ovsdb-server-nb.service",
    "ovn-ovsdb-server-sb.service",
    "openvswitch-ipsec.service",
    "strongswan-starter.service",
)
MASKED_UNITS = (
    "apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer", "e2scrub_all.timer",
    "e2scrub_reap.service", "fstrim.timer", "getty-static.service", "getty@tty1.service",
    "systemd-timesyncd.service", "systemd-binfmt.service", "systemd-pstore.service", "uuidd.socket",
    "systemd-update-utmp.service", "systemd-update-utmp-runlevel.service", "modprobe@.service",
    "dev-hugepages.mount", "dev-mqueue.mount", "sys-kernel-debug.mount", "sys-kernel-tracing.mount",
    "sys-kernel-config.mount", "sys-fs-fuse-connections.mount",
)
# An initramfs with just the root disk and NIC drivers: 6 MB instead of 36 MB, and the
# NICs exist before systemd starts, so testbed-init need not wait for udev's coldplug.
INITRAMFS_MODULES = ("virtio_pci", "virtio_blk", "virtio_net", "ext4", "crc32c_generic")

# What every guest gets. minbase installs no Recommends, so everything a test needs is
# listed: kernel + initramfs, systemd, SSH + Python for Ansible, and the OVS/OVN/IPsec
# stack with libstrongswan-standard-plugins (without it IKE fails: AES_GCM_16 not
# supported). libreswan conflicts with strongswan-starter/-libcharon (and
# openvswitch-ipsec depends on strongswan), so it cannot be an extra on top of this
# list: a libreswan scenario replaces the base list (--base-packages).
BASE_PACKAGES = (
    "linux-image-amd64",
    "initramfs-tools",
    "systemd-sysv",
    "udev",
    "kmod",
    "openssh-server",
    "iproute2",
    "iputils-ping",
    "netbase",
    "procps",
    "python3",
    "python3-apt",
    "openvswitch-switch",
    "openvswitch-ipsec",
    "python3-openvswitch",
    "ovn-host",
    "ovn-central",
    "strongswan",
    "libstrongswan-standard-plugins",
    "tcpdump",
    # ovn_ipsec's firewall openings, tested behind a dropping underlay firewall.
    "iptables",
)

# RFC 2544 benchmark range: never routed, used only inside the test bed.
UNDERLAY_NETWORK = ipaddress.ip_network("198.18.77.0/24")
UNDERLAY_FIRST_HOST = 11
UNDERLAY_INTERFACE = "eth1"
SSH_INTERFACE = "eth0"
GUEST_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
PACKAGE_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")

# Runs inside the guest at every boot, before sshd: hostname, SSH key, addresses.
# Everything it needs comes from the kernel command line (testbed.*=...), so one
# cached image serves every run without touching the guest disk from the host.
GUEST_INIT = r"""#!/bin/sh
# Installed by tests/testbed/testbed.py: per-guest setup from the kernel command line.
# Written with shell builtins where possible: every fork costs ~0.1 s under TCG.
set -eu
for word in $(cat /proc/cmdline); do
    case $word in
        testbed.hostname=*) name=${word#*=} ;;
        testbed.underlay=*) underlay=${word#*=} ;;
        testbed.ssh_mac=*) ssh_mac=${word#*=} ;;
        testbed.underlay_mac=*) underlay_mac=${word#*=} ;;
        testbed.hosts=*) hosts=${word#*=} ;;
        testbed.key=*) key=${word#*=} ;;
    esac
done
by_mac() { # interface name for a MAC address; waits for udev to create it
    tries=0
    while [ $tries -lt 150 ]; do
        for dev in /sys/class/net/*; do
            read -r mac < "$dev/address" || continue
            [ "$mac" = "$1" ] && { echo "${dev##*/}"; return; }
        done
        tries=$((tries + 1))
        sleep 0.2
    done
    echo "testbed-init: no interface with MAC $1" >&2
    return 1
}
echo "$name" > /etc/hostname
hostname "$name"
(
    echo "127.0.0.1 localhost"
    echo "127.0.1.1 $name"
    IFS=,
    for pair in $hosts; do echo "${pair#*=} ${pair%%=*}"; done
) > /etc/hosts
umask 077
mkdir -p /root/.ssh
echo "$key" | base64 -d > /root/.ssh/authorized_keys
[ -e /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
ssh_if=$(by_mac "$ssh_mac")
underlay_if=$(by_mac "$underlay_mac")
# One `ip` process for everything. Renames first (links are down before this runs).
{
    if [ "$ssh_if" != eth0 ] || [ "$underlay_if" != eth1 ]; then
        echo "link set $ssh_if name tbssh"
        echo "link set $underlay_if name tbunderlay"
        echo "link set tbssh name eth0"
        echo "link set tbunderlay name eth1"
    fi
    echo "link set lo up"
    echo "addr replace 10.0.2.15/24 dev eth0"
    echo "link set eth0 up"
    echo "addr replace $underlay dev eth1"
    echo "link set eth1 up"
} | ip -batch -
"""

GUEST_INIT_UNIT = """[Unit]
Description=scs.kolla test bed guest setup (hostname, SSH key, addresses)
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target ssh.service openvswitch-switch.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/testbed-init

[Install]
WantedBy=multi-user.target
"""


def log(msg):
    print("testbed: " + msg, file=sys.stderr, flush=True)


class TestbedError(Exception):
    pass


# ---------------------------------------------------------------- pure logic

def package_list(base=BASE_PACKAGES, extra=()):
    """Sorted, de-duplicated package list; raises TestbedError for bad names."""
    pkgs = set()
    for pkg in list(base) + list(extra):
        pkg = pkg.strip()
        if not pkg:
            continue
        if not PACKAGE_RE.match(pkg):
            raise TestbedError(
                "invalid Debian package name %r (lower case letters, digits, '+', '-', '.')" % pkg)
        pkgs.add(pkg)
    if not pkgs:
        raise TestbedError("empty package list")
    return sorted(pkgs)


def split_list(values):
    """['a,b', 'c'] -> ['a', 'b', 'c'] (options may be repeated or comma separated)."""
    out = []
    for value in values or ():
        out.extend(v for v in value.replace(" ", ",").split(",") if v)
    return out


def cache_key(packages, suite=SUITE, recipe=RECIPE_VERSION):
    """Image cache key: depends on the package set, not its order or duplicates."""
    blob = json.dumps({"suite": suite, "packages": sorted(set(packages)), "recipe": recipe},
                      sort_keys=True)
    return "%s-%s" % (suite, hashlib.sha256(blob.encode()).hexdigest()[:16])


def cache_root(environ=None):
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or os.path.join(environ.get("HOME") or "/root", ".cache")
    return os.path.join(base, "scs-kolla", "testbed")


def parse_guests(specs, network=UNDERLAY_NETWORK, first=UNDERLAY_FIRST_HOST):
    """['a', 'b=198.18.77.20'] -> [{'name': 'a', 'underlay_ip': ...}, ...].

    Guests without an address get the next free one from `first` on, in order."""
    guests, used = [], set()
    for spec in specs:
        name, ip = (spec.split("=", 1) + [""])[:2]
        if not GUEST_NAME_RE.match(name):
            raise TestbedError("invalid guest name %r: use a DNS label (a-z, 0-9, '-')" % name)
        if any(g["name"] == name for g in guests):
            raise TestbedError("guest name %r given twice" % name)
        if ip:
            try:
                addr = ipaddress.ip_address(ip)
            except ValueError:
                raise TestbedError("guest %s: %r is not an IP address" % (name, ip))
            if addr not in network or addr in (network.network_address, network.broadcast_address):
                raise TestbedError("guest %s: underlay address %s is not a host address in %s"
                                   % (name, addr, network))
            if addr in used:
                raise TestbedError("guest %s: underlay address %s given twice" % (name, addr))
            used.add(addr)
        guests.append({"name": name, "underlay_ip": addr if ip else None})
    if not guests:
        raise TestbedError("no guests given (--guest NAME[=IP])")
    hosts = (h for h in network.hosts() if int(h) - int(network.network_address) >= first)
    for guest in guests:
        if guest["underlay_ip"] is None:
            guest["underlay_ip"] = next(h for h in hosts if h not in used)
            used.add(guest["underlay_ip"])
        guest["underlay_ip"] = str(guest["underlay_ip"])
    return guests


def unit_name(name):
    """'ovn-host' -> 'ovn-host.service'; rejects what is not a systemd unit name."""
    if not re.match(r"^[A-Za-z0-9:_.@-]+$", name):
        raise TestbedError("invalid systemd unit name %r" % name)
    return name if re.search(r"\.(service|socket|target|timer|path|mount)$", name) else name + ".service"


def guest_mac(run_id, index, nic):
    """Locally administered unicast MAC, unique per run, guest and NIC."""
    digest = hashlib.sha256(("%s/%d/%d" % (run_id, index, nic)).encode()).digest()
    return "52:54:%02x:%02x:%02x:%02x" % (digest[0], digest[1], nic, index)


def kernel_cmdline(guest, key_line, hosts, prefixlen, boot_services=()):
    hosts_arg = ",".join("%s=%s" % (g["name"], g["underlay_ip"]) for g in hosts)
    return " ".join([
        # quiet: every byte on the emulated serial port costs; failures still show.
        "root=/dev/vda rw console=ttyS0 quiet net.ifnames=0 fsck.mode=skip mitigations=off",
        "systemd.hostname=%s" % guest["name"],
        "testbed.hostname=%s" % guest["name"],
        "testbed.underlay=%s/%d" % (guest["underlay_ip"], prefixlen),
        "testbed.ssh_mac=%s" % guest["ssh_mac"],
        "testbed.underlay_mac=%s" % guest["underlay_mac"],
        "testbed.hosts=%s" % hosts_arg,
        "testbed.key=%s" % base64.b64encode(key_line.encode()).decode(),
    ] + ["systemd.wants=%s" % unit for unit in boot_services])


def qemu_command(image, guest, run_dir, mcast, cmdline, memory=1024):
    """argv for one guest. TCG settings as measured in the notes (KVM is unusable)."""
    return [
        "qemu-system-x86_64",
        "-name", "testbed-%s" % guest["name"],
        "-accel", "tcg,thread=multi,tb-size=256",
        "-machine", "q35", "-cpu", "max", "-smp", "1", "-m", str(memory),
        "-nodefaults", "-display", "none", "-no-user-config",
        "-kernel", image["kernel"], "-initrd", image["initrd"], "-append", cmdline,
        "-drive", "file=%s,if=virtio,format=qcow2,discard=unmap" % guest["disk"],
        "-netdev", "user,id=ssh,restrict=on,hostfwd=tcp:127.0.0.1:%d-:22" % guest["ssh_port"],
        "-device", "virtio-net-pci,netdev=ssh,mac=%s" % guest["ssh_mac"],
        "-netdev", "socket,id=underlay,mcast=%s:%d,localaddr=127.0.0.1" % (mcast["group"], mcast["port"]),
        "-device", "virtio-net-pci,netdev=underlay,mac=%s" % guest["underlay_mac"],
        "-serial", "file:%s" % guest["console"],
        "-pidfile", guest["pidfile"],
        "-daemonize",
    ]


def instance_config(state):
    """molecule's instance config (default driver): how to reach each guest."""
    return [{"instance": g["name"], "address": "127.0.0.1", "port": g["ssh_port"], "user": "root",
             "identity_file": state["key"]} for g in state["guests"]]


def inventory(state):
    """Extra Ansible inventory source with the guests' test bed variables."""
    network = ipaddress.ip_network(state["underlay"]["network"])
    hosts = {}
    for guest in state["guests"]:
        hosts[guest["name"]] = {
            "ansible_python_interpreter": "/usr/bin/python3",
            "testbed_underlay_ip": guest["underlay_ip"],
            "testbed_underlay_interface": state["underlay"]["interface"],
            "testbed_underlay_prefix": network.prefixlen,
        }
    return {"all": {"hosts": hosts, "vars": {
        "testbed_underlay_network": str(network),
        "testbed_underlay_hosts": {g["name"]: g["underlay_ip"] for g in state["guests"]},
    }}}


def write_json(path, data, mode=0o600):
    """JSON is valid YAML: molecule and Ansible's yaml inventory plugin read it as such."""
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(path + ".tmp", path)


# ---------------------------------------------------------------- image

def run(argv, **kwargs):
    # stdout of this helper is its JSON result: tools' chatter goes to stderr.
    kwargs.setdefault("stdout", sys.stderr)
    kwargs.setdefault("check", True)
    return subprocess.run(argv, **kwargs)  # pylint: disable=subprocess-run-check


def image_paths(root, key):
    d = os.path.join(root, "images", key)
    return {"dir": d, "disk": os.path.join(d, "base.raw"), "kernel": os.path.join(d, "vmlinuz"),
            "initrd": os.path.join(d, "initrd.img"), "done": os.path.join(d, "packages.txt")}


def customize_rootfs(rootfs):
    """Make the debootstrapped tree bootable and anonymous (per-guest ids at first boot)."""
    def write(rel, text, mode=0o644):
        path = os.path.join(rootfs, rel.lstrip("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)

    write("/etc/fstab", "/dev/vda / ext4 rw,errors=remount-ro 0 1\n")
    write("/etc/hostname", "testbed\n")
    write("/etc/resolv.conf", "")
    write("/usr/local/sbin/testbed-init", GUEST_INIT, 0o755)
    write("/etc/systemd/system/testbed-init.service", GUEST_INIT_UNIT)

    def link(target, rel):
        path = os.path.join(rootfs, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.symlink(target, path)

    link("/etc/systemd/system/testbed-init.service",
         "etc/systemd/system/multi-user.target.wants/testbed-init.service")
    # Every unit costs seconds under TCG; mask what a test guest without a network,
    # login console or hugepages never needs.
    for unit in MASKED_UNITS:
        link("/dev/null", "etc/systemd/system/" + unit)
    write("/etc/systemd/journald.conf.d/testbed.conf", "[Journal]\nStorage=volatile\n")
    existing = [u for u in DISABLED_SERVICES
                if os.path.exists(os.path.join(rootfs, "lib/systemd/system", u))]
    if existing:
        run(["systemctl", "--root=" + rootfs, "--quiet", "disable"] + existing)
    write("/etc/initramfs-tools/conf.d/testbed.conf", "MODULES=list\nCOMPRESS=gzip\n")
    write("/etc/initramfs-tools/modules", "\n".join(INITRAMFS_MODULES) + "\n")
    run(["chroot", rootfs, "update-initramfs", "-u", "-k", "all"])
    # Identities that must differ per guest are created at first boot in the overlay.
    write("/etc/machine-id", "")
    for rel in ("var/lib/dbus/machine-id", "etc/openvswitch/conf.db", "etc/openvswitch/system-id.conf",
                "var/lib/ovn/ovnnb_db.db", "var/lib/ovn/ovnsb_db.db"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(rootfs, rel))
    for name in os.listdir(os.path.join(rootfs, "etc/ssh")):
        if name.startswith("ssh_host_"):
            os.unlink(os.path.join(rootfs, "etc/ssh", name))
    shutil.rmtree(os.path.join(rootfs, "var/cache/apt/archives"), ignore_errors=True)
    os.makedirs(os.path.join(rootfs, "var/cache/apt/archives/partial"), exist_ok=True)


def mounts_below(path):
    path = os.path.realpath(path).rstrip("/") + "/"
    with open("/proc/mounts") as f:
        points = [line.split()[1].replace("\\040", " ") for line in f]
    return [p for p in points if (p + "/").startswith(path)]


def remove_tree(path):
    """rmtree that first unmounts what debootstrap may have left mounted (proc, sys, a
    bind-mounted /dev after a failed build) and never descends into a mount point."""
    for point in sorted(mounts_below(path), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], stderr=subprocess.DEVNULL, check=False)
    left = mounts_below(path)
    if left:
        raise TestbedError("not removing %s: still mounted below it: %s" % (path, ", ".join(left)))
    shutil.rmtree(path, ignore_errors=True)


def build_image(packages, mirror, root):
    key = cache_key(packages)
    paths = image_paths(root, key)
    os.makedirs(os.path.join(root, "images"), exist_ok=True)
    with open(os.path.join(root, "images", key + ".lock"), "w") as lock:
        # Two runs asking for the same image: the second waits and reuses the first's.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(paths["done"]):
            os.utime(paths["done"])  # last use, for `prune`
            return paths, False
        tools = ("debootstrap", "mkfs.ext4", "qemu-img", "qemu-system-x86_64")
        missing = [t for t in tools if not shutil.which(t)]
        if missing:
            raise TestbedError("missing host tools: %s (apt-get install debootstrap e2fsprogs "
                               "qemu-utils qemu-system-x86)" % " ".join(missing))
        shutil.rmtree(paths["dir"], ignore_errors=True)
        work = tempfile.mkdtemp(prefix="build-", dir=os.path.join(root, "images"))
        try:
            rootfs = os.path.join(work, "rootfs")
            debs = os.path.join(root, "debs")
            os.makedirs(debs, exist_ok=True)
            log("debootstrap %s (%d packages) from %s" % (SUITE, len(packages), mirror))
            run(["debootstrap", "--variant=minbase", "--cache-dir=" + debs,
                 "--include=" + ",".join(packages), SUITE, rootfs, mirror],
                stdout=subprocess.DEVNULL)
            customize_rootfs(rootfs)
            boot = os.path.join(rootfs, "boot")
            kernels = sorted(f for f in os.listdir(boot) if f.startswith("vmlinuz-"))
            if not kernels:
                raise TestbedError("no kernel in the image: keep linux-image-amd64 in the package list")
            version = kernels[-1][len("vmlinuz-"):]
            os.makedirs(paths["dir"] + ".new")
            shutil.copy(os.path.join(boot, "vmlinuz-" + version), os.path.join(paths["dir"] + ".new", "vmlinuz"))
            shutil.copy(os.path.join(boot, "initrd.img-" + version),
                        os.path.join(paths["dir"] + ".new", "initrd.img"))
            used_mib = int(run(["du", "-sxm", rootfs], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout.split()[0])
            size = "%dM" % (used_mib + 3072)  # room for what tests write (sparse file)
            disk = os.path.join(paths["dir"] + ".new", "base.raw")
            run(["mkfs.ext4", "-q", "-L", "testbed", "-d", rootfs, disk, size])
            os.chmod(disk, 0o444)  # backing file of every overlay: never written
            with open(os.path.join(paths["dir"] + ".new", "packages.txt"), "w") as f:
                f.write("\n".join(packages) + "\n")
            os.rename(paths["dir"] + ".new", paths["dir"])
        finally:
            remove_tree(work)
            shutil.rmtree(paths["dir"] + ".new", ignore_errors=True)
        return paths, True


def get_image(args):
    base = split_list(args.base_packages) if args.base_packages else BASE_PACKAGES
    packages = package_list(base, split_list(args.extra_packages))
    t0 = time.monotonic()
    paths, built = build_image(packages, args.mirror, args.cache_dir)
    took = time.monotonic() - t0
    log("phase image: %s in %.0f s (%s)" % ("built" if built else "cached", took, paths["dir"]))
    return paths, took


# ---------------------------------------------------------------- run

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_inventory():
    """Host links and network namespaces: the test bed must not add any."""
    links = sorted(os.listdir("/sys/class/net"))
    netns = sorted(os.listdir("/run/netns")) if os.path.isdir("/run/netns") else []
    return {"links": links, "netns": netns}


def read_pid(pidfile):
    try:
        with open(pidfile) as f:
            return int(f.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def run_processes(run_dir):
    """PIDs of processes whose command line mentions the run directory."""
    marker = os.path.realpath(run_dir).encode()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                if marker in f.read():
                    pids.append(int(entry))
        except OSError:
            continue
    return pids


def alive(pid):
    """True while the process exists and is not a zombie (its parent may never reap it)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def stop_pid(pid, grace=10.0):
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.1)
    raise TestbedError("process %d survived SIGKILL" % pid)


def ssh_argv(state, guest, command):
    return ["ssh", "-q", "-i", state["key"], "-p", str(guest["ssh_port"]),
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "root@127.0.0.1", command]


def tail(path, lines=60):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as exc:
        return "(no console log: %s)" % exc


def wait_ready(state, timeout):
    """Poll every guest over SSH until it answers with its own hostname."""
    pending = {g["name"]: g for g in state["guests"]}
    deadline = time.monotonic() + timeout
    while pending:
        for name, guest in list(pending.items()):
            pid = read_pid(guest["pidfile"])
            if not pid or not alive(pid):
                raise TestbedError("guest %s: QEMU exited. Console log:\n%s" % (name, tail(guest["console"])))
            try:
                out = subprocess.run(ssh_argv(state, guest, "hostname"), stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, universal_newlines=True, timeout=20,
                                     check=False)
            except subprocess.TimeoutExpired:
                continue
            if out.returncode == 0 and out.stdout.strip() == name:
                guest["ready_s"] = round(time.monotonic() - state["boot_started"], 1)
                log("guest %s ready after %.0f s (ssh 127.0.0.1:%d)" % (name, guest["ready_s"], guest["ssh_port"]))
                del pending[name]
        if pending and time.monotonic() > deadline:
            logs = "\n".join("--- console of %s (last lines):\n%s" % (n, tail(g["console"]))
                             for n, g in pending.items())
            raise TestbedError("not ready after %d s: %s\n%s" % (timeout, ", ".join(pending), logs))
        if pending:
            time.sleep(3)


def write_state(state):
    write_json(os.path.join(state["run_dir"], "state.json"), state)


def start_guest(state, image, guest, index, cmdline_hosts, key_line, memory):
    run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", image["disk"], "-F", "raw", guest["disk"]])
    last = ""
    for _attempt in range(5):  # a forwarded port can be taken between probing and binding
        guest["ssh_port"] = free_port()
        cmdline = kernel_cmdline(guest, key_line, cmdline_hosts, UNDERLAY_NETWORK.prefixlen,
                                 state["boot_services"])
        argv = qemu_command(image, guest, state["run_dir"], state["mcast"], cmdline, memory)
        # setsid: the guest outlives this helper and never gets its terminal's signals.
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True, start_new_session=True,
                              check=False)
        if proc.returncode == 0:
            guest["pid"] = read_pid(guest["pidfile"])
            return
        last = proc.stdout
        if "host forwarding" not in last:
            break
    raise TestbedError("guest %s: QEMU failed to start: %s" % (guest["name"], last.strip()))


def cmd_up(args):
    t_start = time.monotonic()
    run_dir = os.path.realpath(args.run_dir)
    guests = parse_guests(args.guest)
    if os.path.exists(run_dir) or run_processes(run_dir):
        log("run directory %s exists: destroying the old run first" % run_dir)
        destroy(run_dir)
    image, image_s = get_image(args)
    os.makedirs(run_dir, mode=0o700)
    run_id = "%s-%d" % (os.path.basename(run_dir), random.getrandbits(32))
    state = {
        "run_dir": run_dir,
        "run_id": run_id,
        "image": image["dir"],
        "key": os.path.join(run_dir, "id_ed25519"),
        # Administratively scoped group + port chosen at random per run: concurrent runs
        # never share an underlay segment.
        "mcast": {"group": "239.255.%d.%d" % (random.randint(0, 255), random.randint(1, 254)),
                  "port": random.randint(20000, 59999)},
        "underlay": {"network": str(UNDERLAY_NETWORK), "interface": UNDERLAY_INTERFACE},
        "host_before": host_inventory(),
        "boot_services": [unit_name(u) for u in split_list(args.boot_service)],
        "guests": [],
        "timings": {"image_s": round(image_s, 1)},
    }
    for index, guest in enumerate(guests):
        guest.update({
            "disk": os.path.join(run_dir, "%s.qcow2" % guest["name"]),
            "console": os.path.join(run_dir, "%s.console.log" % guest["name"]),
            "pidfile": os.path.join(run_dir, "%s.pid" % guest["name"]),
            "ssh_mac": guest_mac(run_id, index, 1),
            "underlay_mac": guest_mac(run_id, index, 2),
        })
        state["guests"].append(guest)
    write_state(state)
    try:
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "testbed-" + run_id, "-f", state["key"]])
        with open(state["key"] + ".pub") as f:
            key_line = f.read().strip()
        t_boot = time.monotonic()
        state["boot_started"] = t_boot
        for index, guest in enumerate(state["guests"]):
            start_guest(state, image, guest, index, state["guests"], key_line, args.memory)
            write_state(state)
        state["timings"]["boot_s"] = round(time.monotonic() - t_boot, 1)
        log("phase boot: %d guests started in %.1f s" % (len(guests), state["timings"]["boot_s"]))
        wait_ready(state, args.timeout)
        state["timings"]["ready_s"] = round(time.monotonic() - t_boot, 1)
        state["timings"]["total_s"] = round(time.monotonic() - t_start, 1)
        log("phase ready: all guests answer over SSH %.0f s after boot (total %.0f s)"
            % (state["timings"]["ready_s"], state["timings"]["total_s"]))
        write_state(state)
        if args.instance_config:
            write_json(args.instance_config, instance_config(state))
        if args.inventory:
            write_json(args.inventory, inventory(state))
    except BaseException:
        log("start failed: destroying what was started")
        destroy(run_dir)
        raise
    json.dump(state, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


def destroy(run_dir):
    """Stop the run's guests by PID, then remove its directory. Returns the old state."""
    run_dir = os.path.realpath(run_dir)
    state = None
    with contextlib.suppress(OSError, ValueError):
        with open(os.path.join(run_dir, "state.json")) as f:
            state = json.load(f)
    pids = set(run_processes(run_dir))
    if os.path.isdir(run_dir):
        for name in os.listdir(run_dir):
            if name.endswith(".pid"):
                pid = read_pid(os.path.join(run_dir, name))
                # Only a process that is one of ours: PIDs get reused.
                if pid and pid in run_processes(run_dir):
                    pids.add(pid)
    for pid in sorted(pids):
        log("stopping PID %d" % pid)
        stop_pid(pid)
    shutil.rmtree(run_dir, ignore_errors=True)
    return state


def leftovers(run_dir, state, host=True):
    """Everything of the run that is still there (empty list: clean).

    host=True also lists host network interfaces and namespaces that appeared since the
    run started. The test bed creates none, but other jobs on the same host may, so
    `down` only reports those unless --strict."""
    run_dir = os.path.realpath(run_dir)
    found = []
    if os.path.exists(run_dir):
        found.append("run directory %s" % run_dir)
    found += ["process %d naming the run directory" % p for p in run_processes(run_dir) if alive(p)]
    if state:
        for guest in state.get("guests", []):
            pid = guest.get("pid")
            if pid and alive(pid):
                with contextlib.suppress(OSError):
                    with open("/proc/%d/cmdline" % pid, "rb") as f:
                        if b"qemu" in f.read():
                            found.append("guest %s QEMU PID %d" % (guest["name"], pid))
            port = guest.get("ssh_port")
            if port:
                with socket.socket() as s:
                    s.settimeout(1)
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        found.append("guest %s: 127.0.0.1:%d still accepts connections" % (guest["name"], port))
    if state and host:
        before = state.get("host_before") or {}
        now = host_inventory()
        for kind in ("links", "netns"):
            new = sorted(set(now[kind]) - set(before.get(kind, [])))
            found += ["new host %s: %s" % (kind, n) for n in new]
    return found


def cmd_down(args):
    existed = os.path.exists(args.run_dir)
    state = destroy(args.run_dir)
    left = leftovers(args.run_dir, state, host=args.strict)
    for change in set(leftovers(args.run_dir, state, host=True)) - set(left):
        log("note: %s (not created by the test bed; another job on this host?)" % change)
    if args.record and state:
        write_json(args.record, state)
    print(json.dumps({"destroyed": existed, "leftovers": left}))
    if left:
        log("LEFTOVERS after destroy:\n  " + "\n  ".join(left))
        return 1
    log("%s %s: no processes, files, ports or host interfaces left"
        % ("destroyed" if existed else "nothing to destroy in", args.run_dir))
    return 0


def cmd_leftovers(args):
    state = None
    if args.state:
        with open(args.state) as f:
            state = json.load(f)
    left = leftovers(args.run_dir, state)
    for item in left:
        print(item)
    return 1 if left else 0


def cmd_prune(args):
    """Remove cached images (and abandoned build directories) unused for --days days."""
    images = os.path.join(args.cache_dir, "images")
    limit = time.time() - args.days * 86400
    for name in sorted(os.listdir(images)) if os.path.isdir(images) else []:
        path = os.path.join(images, name)
        if not os.path.isdir(path) or name.endswith(".new"):
            continue
        stamp = os.path.join(path, "packages.txt")
        if os.path.getmtime(stamp if os.path.exists(stamp) else path) >= limit:
            continue
        if name.startswith("build-"):  # left by a killed build
            log("removing %s" % path)
            remove_tree(path)
            continue
        with open(path + ".lock", "a") as lock:
            try:  # a build of this image holds the lock: leave it alone
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            log("removing %s" % path)
            remove_tree(path)
    return 0


def cmd_image(args):
    paths = get_image(args)[0]
    json.dump(paths, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


def parser():
    p = argparse.ArgumentParser(prog="testbed.py", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    def image_opts(sp):
        sp.add_argument("--extra-packages", action="append", default=[], metavar="P[,Q]",
                        help="packages on top of the base list (repeatable, comma separated)")
        sp.add_argument("--base-packages", action="append", default=[], metavar="P[,Q]",
                        help="replace the base package list (e.g. for libreswan instead of strongswan)")
        sp.add_argument("--mirror", default=os.environ.get("TESTBED_MIRROR", DEFAULT_MIRROR))
        sp.add_argument("--cache-dir", default=cache_root())

    image_opts(sub.add_parser("image", help="build or reuse the guest image"))
    up = sub.add_parser("up", help="boot guests and wait until SSH answers")
    image_opts(up)
    up.add_argument("--run-dir", required=True)
    up.add_argument("--guest", action="append", required=True, metavar="NAME[=IP]",
                    help="guest hostname, optionally with its underlay address (repeatable)")
    up.add_argument("--timeout", type=int, default=420, help="seconds to wait for SSH (default 420)")
    up.add_argument("--memory", type=int, default=1024, help="MiB per guest (default 1024)")
    up.add_argument("--boot-service", action="append", default=[], metavar="UNIT[,UNIT]",
                    help="systemd unit to start at boot in every guest (e.g. ovn-host)")
    up.add_argument("--instance-config", help="write molecule's instance config here")
    up.add_argument("--inventory", help="write an Ansible inventory with the guests' test bed variables here")
    down = sub.add_parser("down", help="stop the run's guests and remove its directory")
    down.add_argument("--run-dir", required=True)
    down.add_argument("--record", help="write the destroyed run's state here (for leftover checks)")
    down.add_argument("--strict", action="store_true",
                      help="also fail on host interfaces/namespaces that appeared during the run")
    prune = sub.add_parser("prune", help="remove cached images not used for some days")
    prune.add_argument("--cache-dir", default=cache_root())
    prune.add_argument("--days", type=float, default=14)
    left = sub.add_parser("leftovers", help="list what of a destroyed run is still there")
    left.add_argument("--run-dir", required=True)
    left.add_argument("--state", help="state.json of the run (as saved by down --record)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    # Turn SIGTERM (e.g. an interrupted Ansible task) into an exception so `up` cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return {"image": cmd_image, "up": cmd_up, "down": cmd_down, "leftovers": cmd_leftovers,
                "prune": cmd_prune}[args.command](args)
    except TestbedError as exc:
        log("error: %s" % exc)
        return 1
    except subprocess.CalledProcessError as exc:
        log("error: %s" % exc)
        return 1


if __name__ == "__main__":
    sys.exit(main())
