# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""A real, local Networking API for tests: neutron-server 28 + neutron-vpnaas 28 behind Keystone 30.

    local_neutron.py start [--fresh]    install (once), initialise and start Keystone and Neutron
    local_neutron.py stop               stop everything this harness started
    local_neutron.py status             what runs, where, and the clouds.yaml to use
    local_neutron.py requests [--since N]
                                        API requests per service and method (JSON) since log line N
    local_neutron.py serve neutron      (internal) the WSGI server, run with the Neutron venv's python

Keystone comes from tests/harness/local_cloud.py (its venv, its configuration and its `serve
keystone` server); Nova is not started. Neutron runs from its own virtualenv
(.cache/venvs/neutron-api: neutron and neutron-vpnaas pinned as in molecule/vpnaas, neutron-lib
pinned to 3.25.0, see NEUTRON_PINS): ML2 without mechanism drivers, service plugins `router` and `vpnaas`
(the IPsec service driver, as with the openvswitch agent), `transport_url = fake://` (oslo.messaging's
in-process driver: RPC casts to VPN agents go nowhere, and no agent ever reports).

Neutron's alembic migrations do not run on SQLite ("No support for ALTER of constraints in SQLite
dialect"), so the schema is created from the models at head with metadata.create_all(), as
neutron's own unit-test fixtures do. The API, policy and plugin code paths are the real ones;
only the migration scripts are not exercised.

Everything listens on 127.0.0.1 (Keystone on SCS_KOLLA_NEUTRON_KEYSTONE_PORT, default 15010;
Neutron on SCS_KOLLA_NEUTRON_PORT, default 19696), one request at a time. State (config,
SQLite files, logs, pidfiles, clouds.yaml with cloud `scs-kolla-neutron`) lives in
SCS_KOLLA_LOCAL_NEUTRON_DIR (default .cache/local-neutron). A second user `vpn-member` with the
member role in project `vpn-tenant` is created for per-project tests; its password is in the
clouds.yaml entry `scs-kolla-neutron-member`.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.environ.get("SCS_KOLLA_LOCAL_NEUTRON_DIR", os.path.join(ROOT, ".cache", "local-neutron"))
# local_cloud reads its state directory and ports from the environment when imported: give it
# ours, so this harness never touches (or collides with) a running local_cloud.py cloud.
os.environ["SCS_KOLLA_LOCAL_CLOUD_DIR"] = STATE
os.environ["SCS_KOLLA_KEYSTONE_PORT"] = os.environ.get("SCS_KOLLA_NEUTRON_KEYSTONE_PORT", "15010")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import local_cloud  # noqa: E402  pylint: disable=wrong-import-position
import processes  # noqa: E402  pylint: disable=wrong-import-position

NEUTRON_VENV = os.environ.get("SCS_KOLLA_NEUTRON_VENV", os.path.join(ROOT, ".cache", "venvs", "neutron-api"))
# neutron and neutron-vpnaas as molecule/vpnaas pins them. Left open, neutron-lib resolves to
# 5.x, which no longer has the API definitions neutron 28's L3 plugin imports (fip64):
# pinned to the 3.x line that neutron 28 was released with.
NEUTRON_PINS = ("neutron==28.0.2", "neutron-vpnaas==28.0.0", "neutron-lib==3.25.0")
NEUTRON_PORT = int(os.environ.get("SCS_KOLLA_NEUTRON_PORT", "19696"))
CLOUD_NAME = "scs-kolla-neutron"
MEMBER_PROJECT = "vpn-tenant"
MEMBER_USER = "vpn-member"


def log(msg):
    print("[local-neutron %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def path(*parts):
    return os.path.join(STATE, *parts)


def neutron_url():
    return "http://127.0.0.1:%d" % NEUTRON_PORT


# --------------------------------------------------------------------------- install

def ensure_neutron_venv():
    stamp = os.path.join(NEUTRON_VENV, ".installed-" + "".join(
        "".join(c if c.isalnum() or c in ".-" else "_" for c in pin) + "-" for pin in NEUTRON_PINS))
    if os.path.exists(stamp):
        return
    t0 = time.time()
    uv = local_cloud.find_uv()
    log("installing %s into %s" % (" ".join(NEUTRON_PINS), NEUTRON_VENV))
    if os.path.isdir(NEUTRON_VENV):
        shutil.rmtree(NEUTRON_VENV)
    subprocess.run([uv, "venv", "-q", "--python", "python3.11", NEUTRON_VENV], check=True)
    subprocess.run([uv, "pip", "install", "-q", "--python", os.path.join(NEUTRON_VENV, "bin", "python"),
                    "--compile-bytecode"] + list(NEUTRON_PINS), check=True)
    open(stamp, "w").close()
    log("installed in %.1f s" % (time.time() - t0))


# --------------------------------------------------------------------------- configuration

NEUTRON_CONF = """\
[DEFAULT]
core_plugin = ml2
service_plugins = router,vpnaas
transport_url = fake://
auth_strategy = keystone
bind_host = 127.0.0.1
bind_port = {port}
host = local-neutron
state_path = {state}/neutron
log_file = {state}/logs/neutron-server.log
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0

[database]
connection = sqlite:///{state}/neutron.sqlite

[oslo_concurrency]
lock_path = {state}/neutron/locks

[agent]
# No agent runs: nothing must wait on one.
report_interval = 0

[ml2]
# Project networks for a VPN service's router and subnet; allocated in the database only
# (no mechanism driver binds ports, no agent runs).
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers =
extension_drivers =

[ml2_type_vxlan]
vni_ranges = 1000:1999

[ml2_type_flat]
# The external network a VPN service's router needs as its gateway.
flat_networks = public

[service_providers]
service_provider = VPN:strongswan:neutron_vpnaas.services.vpn.service_drivers.ipsec.IPsecVPNDriver:default

""" + local_cloud.KEYSTONE_AUTHTOKEN_CONF

CREATE_SCHEMA = """\
import sys
import sqlalchemy
from neutron_lib.db import model_base
from neutron_vpnaas.db.models import head  # every neutron model and the VPNaaS ones
engine = sqlalchemy.create_engine(sys.argv[1])
head.get_metadata().create_all(engine)
print("%d tables" % len(model_base.BASEV2.metadata.tables))
"""


def neutron_env():
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["OS_NEUTRON_CONFIG_DIR"] = STATE
    env["OS_NEUTRON_CONFIG_FILES"] = "neutron.conf"
    env["SCS_KOLLA_LOCAL_NEUTRON_DIR"] = STATE
    return env


def initialise(password, member_password):
    fmt = dict(state=STATE, keystone=local_cloud.keystone_url(), password=password, region=local_cloud.REGION,
               port=NEUTRON_PORT)
    for directory in ("logs", "neutron/locks", "fernet-keys", "fernet-receipts", "run"):
        os.makedirs(path(directory), mode=0o700, exist_ok=True)
    local_cloud.write_file("keystone.conf", local_cloud.KEYSTONE_CONF.format(**fmt))
    local_cloud.write_file("neutron.conf", NEUTRON_CONF.format(**fmt))
    shutil.copy(os.path.join(NEUTRON_VENV, "etc", "neutron", "api-paste.ini"), path("api-paste.ini"))
    local_cloud.write_file("clouds.yaml", local_cloud.clouds_yaml(
        "Written by tests/harness/local_neutron.py: Keystone + Neutron (VPNaaS) on 127.0.0.1.",
        [(CLOUD_NAME, "admin", password, "admin"),
         (CLOUD_NAME + "-member", MEMBER_USER, member_password, MEMBER_PROJECT)]))

    # Neutron's schema and Keystone's are independent: create them in parallel (2 cores).
    schema = subprocess.Popen(
        [os.path.join(NEUTRON_VENV, "bin", "python"), "-c", CREATE_SCHEMA, "sqlite:///" + path("neutron.sqlite")],
        stdout=open(path("logs", "neutron-schema.log"), "w"), stderr=subprocess.STDOUT, env=neutron_env(), cwd=STATE)
    local_cloud.bootstrap_keystone(password)
    if schema.wait():
        sys.exit("creating the Neutron schema failed: see %s" % path("logs", "neutron-schema.log"))


def register_network_and_member(password, member_password):
    """Service `network` with its endpoints; project vpn-tenant with user vpn-member (role member)."""
    keystone = local_cloud.keystone_url()
    token = local_cloud.system_token(password)
    local_cloud.register_service(token, "network", "neutron", neutron_url())
    unused, projects = local_cloud.api_request("GET", keystone + "/projects?name=" + MEMBER_PROJECT, token=token)
    if projects["projects"]:
        return
    unused, project = local_cloud.api_request("POST", keystone + "/projects", {
        "project": {"name": MEMBER_PROJECT, "domain_id": "default", "description": "VPNaaS test tenant"}},
        token=token)
    unused, user = local_cloud.api_request("POST", keystone + "/users", {
        "user": {"name": MEMBER_USER, "domain_id": "default", "password": member_password}}, token=token)
    unused, roles = local_cloud.api_request("GET", keystone + "/roles?name=member", token=token)
    local_cloud.api_request("PUT", "%s/projects/%s/users/%s/roles/%s" % (
        keystone, project["project"]["id"], user["user"]["id"], roles["roles"][0]["id"]), token=token)


# --------------------------------------------------------------------------- processes

def neutron_pid():
    try:
        with open(path("run", "neutron.pid")) as handle:
            pid = int(handle.read().strip())
        os.kill(pid, 0)
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            cmdline = handle.read().replace(b"\0", b" ")
    except (OSError, ValueError):
        return None
    # Only a process this harness started: its command line names this file and `serve neutron`.
    # (Neutron sets its process title: the arguments become one space-separated string.)
    if b"local_neutron.py serve neutron" in cmdline:
        return pid
    return None


def spawn_neutron():
    if neutron_pid():
        log("neutron already running")
        return
    out = open(path("logs", "neutron-serve.log"), "a")
    proc = subprocess.Popen([os.path.join(NEUTRON_VENV, "bin", "python"), os.path.abspath(__file__), "serve", "neutron"],
                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=neutron_env(),
                            cwd=STATE, start_new_session=True)
    with open(path("run", "neutron.pid"), "w") as handle:
        handle.write("%d\n" % proc.pid)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("neutron exited with rc %s while starting: see %s and %s" % (
                proc.returncode, path("logs", "neutron-serve.log"), path("logs", "neutron-server.log")))
        if local_cloud.http_status(neutron_url() + "/", timeout=1) is not None:
            log("neutron serving on %s (pid %d)" % (neutron_url(), proc.pid))
            return
        time.sleep(0.2)
    stop_neutron()
    sys.exit("neutron did not answer on %s within 120 s" % neutron_url())


def stop_neutron():
    pid = neutron_pid()
    if os.path.exists(path("run", "neutron.pid")):
        os.unlink(path("run", "neutron.pid"))
    if pid is None:
        return False
    how = processes.stop_process(pid, timeout=15)
    log("neutron stopped (pid %d, %s)" % (pid, how))
    return True


# --------------------------------------------------------------------------- commands

def cmd_start(args):
    t0 = time.time()
    if args.fresh:
        cmd_stop(argparse.Namespace(quiet=True))
        if os.path.isdir(STATE):
            shutil.rmtree(STATE)
    # Keystone's venv (local_cloud's, shared with the flavor scenarios) and Neutron's.
    local_cloud.ensure_venv()
    ensure_neutron_venv()
    t1 = time.time()
    os.makedirs(STATE, mode=0o700, exist_ok=True)
    if not os.path.exists(path("initialised")):
        password, member_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
        local_cloud.write_file("password", password + "\n")
        local_cloud.write_file("member-password", member_password + "\n")
        initialise(password, member_password)
        open(path("initialised"), "w").close()
    password = local_cloud.read_password()
    with open(path("member-password")) as handle:
        member_password = handle.read().strip()
    t2 = time.time()
    try:
        local_cloud.spawn("keystone")
        register_network_and_member(password, member_password)
        spawn_neutron()
    except BaseException:
        # Leave nothing running behind a failed start (sys.exit included).
        cmd_stop(argparse.Namespace(quiet=True))
        raise
    t3 = time.time()
    log("ready in %.1f s (install %.1f s, initialise %.1f s, start %.1f s); OS_CLIENT_CONFIG_FILE=%s OS_CLOUD=%s"
        % (t3 - t0, t1 - t0, t2 - t1, t3 - t2, path("clouds.yaml"), CLOUD_NAME))


def cmd_stop(args):
    stopped = stop_neutron()
    stopped = local_cloud.stop_service("keystone") or stopped
    if not stopped and not getattr(args, "quiet", False):
        log("nothing to stop")


def cmd_status(args):
    info = {"clouds_yaml": path("clouds.yaml"), "cloud": CLOUD_NAME, "services": {
        "keystone": {"pid": local_cloud.read_pid("keystone"), "port": local_cloud.PORTS["keystone"],
                     "answers": local_cloud.http_status(local_cloud.keystone_url()) is not None},
        "neutron": {"pid": neutron_pid(), "port": NEUTRON_PORT,
                    "answers": local_cloud.http_status(neutron_url() + "/") is not None}}}
    print(json.dumps(info, indent=2))
    return 0 if all(s["answers"] for s in info["services"].values()) else 3


def cmd_requests(args):
    # local_cloud's request log is this harness's (same state directory): one reader for both.
    entries = local_cloud.read_requests(args.since)
    print(json.dumps({"lines": args.since + len(entries),
                      "counts": local_cloud.count_requests(entries, ("keystone", "neutron"))}))


def cmd_serve(args):
    """Neutron's WSGI app on 127.0.0.1, one request at a time (SQLite), every request logged."""
    sys.argv = [sys.argv[0]]  # neutron's WSGI init parses sys.argv with oslo.config.
    from neutron.wsgi.api import application

    server = local_cloud.quiet_wsgi_server(NEUTRON_PORT,
                                           local_cloud.request_logging_app(application, "neutron", local_cloud.REQUEST_LOG))

    def terminate(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)
    print("serving neutron on 127.0.0.1:%d (pid %d)" % (NEUTRON_PORT, os.getpid()), flush=True)
    try:
        while True:
            server.handle_request()
    finally:
        server.server_close()
        print("neutron server exits", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("start")
    p.add_argument("--fresh", action="store_true", help="wipe the state directory first")
    p.set_defaults(func=cmd_start)
    p = sub.add_parser("stop")
    p.set_defaults(func=cmd_stop)
    p = sub.add_parser("status")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("requests")
    p.add_argument("--since", type=int, default=0, help="skip the first N log lines")
    p.set_defaults(func=cmd_requests)
    p = sub.add_parser("serve")
    p.add_argument("service", choices=("neutron",))
    p.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
