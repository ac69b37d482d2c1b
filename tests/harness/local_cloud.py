# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""A real, local OpenStack compute API for tests: Keystone 30 + Nova 34 on SQLite.

    local_cloud.py start [--fresh]      install (once), initialise and start the cloud
    local_cloud.py stop [SERVICE]       stop everything this harness started (or one service)
    local_cloud.py restart SERVICE      start one stopped service again (keystone | nova)
    local_cloud.py status               what runs, where, and the clouds.yaml to use
    local_cloud.py requests [--reset] [--json] [--since N]
                                        API requests counted per service and method
    local_cloud.py fault nova --after-writes N
                                        nova-api exits after answering N more write requests
    local_cloud.py serve SERVICE        (internal) the WSGI server, run with the venv's python

Only the driver commands use this file with any Python 3; `serve` runs inside the OpenStack
virtualenv under .cache/venvs/openstack (installed with uv, bytecode compiled). Everything
listens on 127.0.0.1. The state (config, SQLite files, logs, pidfiles, clouds.yaml) lives in
.cache/local-cloud; the cloud's name in clouds.yaml is `scs-kolla-test`.

Environment: SCS_KOLLA_LOCAL_CLOUD_DIR, SCS_KOLLA_OPENSTACK_VENV, SCS_KOLLA_KEYSTONE_PORT
(default 15000), SCS_KOLLA_NOVA_PORT (default 18774), SCS_KOLLA_NOVA_WORKERS (nova-api worker
processes, default 1; kolla-ansible runs min(vCPUs, 5) of them), UV (path of the uv binary).
"""

import argparse
import collections
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import processes  # noqa: E402  pylint: disable=wrong-import-position

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.environ.get("SCS_KOLLA_LOCAL_CLOUD_DIR", os.path.join(ROOT, ".cache", "local-cloud"))
VENV = os.environ.get("SCS_KOLLA_OPENSTACK_VENV", os.path.join(ROOT, ".cache", "venvs", "openstack"))
PACKAGES = ("nova==34.0.0", "keystone==30.0.0")
CLOUD_NAME = "scs-kolla-test"
REGION = "RegionOne"
PORTS = {
    "keystone": int(os.environ.get("SCS_KOLLA_KEYSTONE_PORT", "15000")),
    "nova": int(os.environ.get("SCS_KOLLA_NOVA_PORT", "18774")),
}
SERVICES = ("keystone", "nova")
# Worker processes per service: each one answers one request at a time, as a kolla-ansible
# nova-api worker does; several of them share the listening socket (fork after bind).
WORKERS = {"keystone": 1, "nova": max(1, int(os.environ.get("SCS_KOLLA_NOVA_WORKERS", "1")))}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
REQUEST_LOG = os.path.join(STATE, "requests.log")


def log(msg):
    print("[local-cloud %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def path(*parts):
    return os.path.join(STATE, *parts)


def keystone_url():
    return "http://127.0.0.1:%d/v3" % PORTS["keystone"]


def nova_url():
    return "http://127.0.0.1:%d/v2.1" % PORTS["nova"]


# --------------------------------------------------------------------------- install

def find_uv():
    candidates = [os.environ.get("UV"), os.path.join(os.path.dirname(sys.executable), "uv"), shutil.which("uv")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("uv not found: run `tests/run unit` once (it installs uv into .venv) or set UV=/path/to/uv")


def venv_python():
    return os.path.join(VENV, "bin", "python")


def ensure_venv():
    stamp = os.path.join(VENV, ".installed-" + "-".join(p.replace("==", "") for p in PACKAGES))
    if os.path.exists(stamp):
        return
    t0 = time.time()
    uv = find_uv()
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    log("installing %s into %s" % (" ".join(PACKAGES), VENV))
    subprocess.run([uv, "venv", "-q", "--clear", "--python", base_python, VENV], check=True)
    subprocess.run([uv, "pip", "install", "-q", "--python", venv_python(), "--compile-bytecode"] + list(PACKAGES),
                   check=True)
    open(stamp, "w").close()
    log("installed in %.1f s" % (time.time() - t0))


# --------------------------------------------------------------------------- configuration

KEYSTONE_CONF = """\
[DEFAULT]
log_file = {state}/logs/keystone.log

[database]
connection = sqlite:///{state}/keystone.sqlite

[identity]
# bcrypt's minimum: with the default (12) every authentication costs ~0.45 s.
password_hash_rounds = 4

[token]
provider = fernet

[fernet_tokens]
key_repository = {state}/fernet-keys

[fernet_receipts]
key_repository = {state}/fernet-receipts
"""

# The service's own [keystone_authtoken] section (admin user, password auth), for Nova and Neutron.
KEYSTONE_AUTHTOKEN_CONF = """\
[keystone_authtoken]
www_authenticate_uri = {keystone}
auth_url = {keystone}
auth_type = password
username = admin
password = {password}
project_name = admin
user_domain_name = Default
project_domain_name = Default
region_name = {region}
"""

NOVA_CONF = """\
[DEFAULT]
transport_url = fake://
state_path = {state}/nova
log_file = {state}/logs/nova-api.log
host = local-cloud

[api]
auth_strategy = keystone

[api_database]
connection = sqlite:///{state}/nova_api.sqlite

[database]
connection = sqlite:///{state}/nova.sqlite

[oslo_concurrency]
lock_path = {state}/nova/locks

""" + KEYSTONE_AUTHTOKEN_CONF


CLOUDS_YAML_ENTRY = """\
  {name}:
    auth:
      auth_url: {keystone}
      username: {username}
      password: {password}
      project_name: {project}
      user_domain_name: Default
      project_domain_name: Default
    region_name: {region}
    identity_api_version: 3
    interface: public
"""


def clouds_yaml(header, entries):
    """clouds.yaml for the local Keystone; ``entries`` are (cloud name, username, password, project)."""
    return "# %s\nclouds:\n%s" % (header, "".join(
        CLOUDS_YAML_ENTRY.format(name=name, keystone=keystone_url(), username=username, password=password,
                                 project=project, region=REGION)
        for name, username, password, project in entries))


def write_file(name, text, mode=0o600):
    fd = os.open(path(name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def server_env(service):
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["OS_KEYSTONE_CONFIG_FILES"] = path("keystone.conf")
    env["OS_NOVA_CONFIG_DIR"] = STATE
    env["OS_NOVA_CONFIG_FILES"] = "api-paste.ini;nova.conf"
    env["SCS_KOLLA_LOCAL_CLOUD_DIR"] = STATE
    return env


def run_venv(args, what):
    """Run an OpenStack management command from the venv, its output into a log file."""
    with open(path("logs", "setup.log"), "a") as out:
        out.write("\n$ %s\n" % " ".join(args))
        out.flush()
        proc = subprocess.run([os.path.join(VENV, "bin", args[0])] + args[1:], stdout=out, stderr=subprocess.STDOUT,
                              env=server_env(None), cwd=STATE, check=False)
    if proc.returncode:
        sys.exit("%s failed (rc %d): see %s" % (what, proc.returncode, path("logs", "setup.log")))


def bootstrap_keystone(password):
    """Keystone's schema, fernet keys and admin user, endpoints and region (keystone.conf written)."""
    kconf = ["--config-file", path("keystone.conf")]
    run_venv(["keystone-manage"] + kconf + ["db_sync"], "keystone db_sync")
    # No credential_setup: the credentials API is not used, and every keystone-manage run costs seconds.
    run_venv(["keystone-manage"] + kconf + ["fernet_setup", "--keystone-user", str(os.getuid()),
                                            "--keystone-group", str(os.getgid())], "keystone fernet_setup")
    run_venv(["keystone-manage"] + kconf + [
        "bootstrap", "--bootstrap-password", password, "--bootstrap-region-id", REGION,
        "--bootstrap-admin-url", keystone_url() + "/", "--bootstrap-internal-url", keystone_url() + "/",
        "--bootstrap-public-url", keystone_url() + "/"], "keystone bootstrap")


def initialise(password):
    fmt = dict(state=STATE, keystone=keystone_url(), password=password, region=REGION)
    for directory in ("logs", "nova/locks", "fernet-keys", "fernet-receipts", "run"):
        os.makedirs(path(directory), mode=0o700, exist_ok=True)
    write_file("keystone.conf", KEYSTONE_CONF.format(**fmt))
    write_file("nova.conf", NOVA_CONF.format(**fmt))
    shutil.copy(os.path.join(VENV, "etc", "nova", "api-paste.ini"), path("api-paste.ini"))
    write_file("clouds.yaml", clouds_yaml(
        "Written by tests/harness/local_cloud.py: the local test cloud (Keystone + Nova on 127.0.0.1).",
        [(CLOUD_NAME, "admin", password, "admin")]))

    nconf = ["--config-file", path("nova.conf")]
    # Keystone and Nova schemas are independent: migrate them in parallel (2 cores).
    nova_sync = subprocess.Popen(
        "set -e; %(bin)s/nova-manage %(c)s api_db sync; %(bin)s/nova-manage %(c)s db sync"
        % {"bin": os.path.join(VENV, "bin"), "c": " ".join(nconf)},
        shell=True, stdout=open(path("logs", "nova-manage.log"), "w"), stderr=subprocess.STDOUT,
        env=server_env("nova"), cwd=STATE)
    bootstrap_keystone(password)
    if nova_sync.wait():
        sys.exit("nova-manage db sync failed: see %s" % path("logs", "nova-manage.log"))


# --------------------------------------------------------------------------- processes

def pidfile(service):
    return path("run", service + ".pid")


def read_pid(service):
    try:
        with open(pidfile(service)) as handle:
            pid = int(handle.read().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    # Only a process this harness started: its command line names this file and the service.
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            cmdline = handle.read().split(b"\0")
    except OSError:
        return None
    if b"serve" in cmdline and service.encode() in cmdline and any(c.endswith(b"local_cloud.py") for c in cmdline):
        return pid
    return None


def http_status(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return None


def spawn(service):
    if read_pid(service):
        log("%s already running" % service)
        return
    out = open(path("logs", service + "-server.log"), "a")
    proc = subprocess.Popen([venv_python(), os.path.abspath(__file__), "serve", service], stdout=out,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=server_env(service),
                            cwd=STATE, start_new_session=True)
    with open(pidfile(service), "w") as handle:
        handle.write("%d\n" % proc.pid)
    url = "http://127.0.0.1:%d/" % PORTS[service]
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("%s exited with rc %s while starting: see %s" % (
                service, proc.returncode, path("logs", service + "-server.log")))
        if http_status(url, timeout=1) is not None:
            log("%s serving on %s (pid %d)" % (service, url, proc.pid))
            return
        time.sleep(0.2)
    stop_service(service)
    sys.exit("%s did not answer on %s within 120 s" % (service, url))


def stop_service(service):
    pid = read_pid(service)
    if pid is None:
        if os.path.exists(pidfile(service)):
            os.unlink(pidfile(service))
        return False
    # The serve process leads its own session (start_new_session); its forked workers are in it.
    how = processes.stop_process(pid, timeout=15)
    if os.path.exists(pidfile(service)):
        os.unlink(pidfile(service))
    log("%s stopped (pid %d, %s)" % (service, pid, how))
    return True


def api_request(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read()
        return resp.headers, (json.loads(text) if text else None)


def system_token(password):
    """A system-scoped admin token (service and endpoint management)."""
    auth = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": password}}},
        "scope": {"system": {"all": True}}}}
    headers, unused = api_request("POST", keystone_url() + "/auth/tokens", auth)
    return headers["X-Subject-Token"]


def register_service(token, service_type, name, url):
    """Service ``service_type`` with public/internal/admin endpoints at ``url``, unless it exists."""
    unused, services = api_request("GET", keystone_url() + "/services?type=" + service_type, token=token)
    if services["services"]:
        return
    unused, created = api_request("POST", keystone_url() + "/services", {
        "service": {"type": service_type, "name": name, "enabled": True}}, token=token)
    for interface in ("public", "internal", "admin"):
        api_request("POST", keystone_url() + "/endpoints", {"endpoint": {
            "service_id": created["service"]["id"], "interface": interface, "region_id": REGION,
            "url": url}}, token=token)


def read_password():
    with open(path("password")) as handle:
        return handle.read().strip()


# --------------------------------------------------------------------------- commands

def cmd_start(args):
    t0 = time.time()
    if args.fresh:
        cmd_stop(argparse.Namespace(service=None, quiet=True))
        if os.path.isdir(STATE):
            shutil.rmtree(STATE)
    ensure_venv()
    t1 = time.time()
    os.makedirs(STATE, mode=0o700, exist_ok=True)
    if not os.path.exists(path("initialised")):
        password = secrets.token_urlsafe(18)
        write_file("password", password + "\n")
        initialise(password)
        open(path("initialised"), "w").close()
    password = read_password()
    t2 = time.time()
    spawn("keystone")
    register_service(system_token(password), "compute", "nova", nova_url())
    spawn("nova")
    t3 = time.time()
    log("ready in %.1f s (install %.1f s, initialise %.1f s, start %.1f s); OS_CLIENT_CONFIG_FILE=%s OS_CLOUD=%s"
        % (t3 - t0, t1 - t0, t2 - t1, t3 - t2, path("clouds.yaml"), CLOUD_NAME))


def cmd_restart(args):
    spawn(args.service)


def cmd_stop(args):
    services = [args.service] if args.service else list(reversed(SERVICES))
    stopped = [s for s in services if stop_service(s)]
    if not stopped and not getattr(args, "quiet", False):
        log("nothing to stop")


def cmd_status(args):
    info = {"clouds_yaml": path("clouds.yaml"), "cloud": CLOUD_NAME, "services": {}}
    for service in SERVICES:
        pid = read_pid(service)
        info["services"][service] = {"pid": pid, "port": PORTS[service], "running": bool(pid),
                                     "answers": http_status("http://127.0.0.1:%d/" % PORTS[service]) is not None}
    print(json.dumps(info, indent=2))
    return 0 if all(s["answers"] for s in info["services"].values()) else 3


def read_requests(since=0):
    entries = []
    try:
        with open(REQUEST_LOG) as handle:
            lines = handle.readlines()
    except OSError:
        return entries
    for line in lines[since:]:
        parts = line.split()
        if len(parts) >= 5:
            entries.append({"service": parts[1], "method": parts[2], "path": parts[3], "status": parts[4],
                            "start": float(parts[0]),
                            "seconds": float(parts[5][:-2]) / 1000 if len(parts) > 5 else 0.0})
    return entries


def request_span(entries):
    """Seconds from the start of the first request to the end of the last one (0 without any)."""
    if not entries:
        return 0.0
    return max(e["start"] + e["seconds"] for e in entries) - min(e["start"] for e in entries)


def server_seconds(entries, services=SERVICES):
    """Seconds each service spent answering, summed over its requests, in total and per method."""
    busy = {}
    for service in services:
        mine = [e for e in entries if e["service"] == service]
        busy[service] = dict((m, round(sum(e["seconds"] for e in mine if e["method"] == m), 3))
                             for m in sorted(set(e["method"] for e in mine)))
        busy[service]["total"] = round(sum(e["seconds"] for e in mine), 3)
    return busy


def count_requests(entries, services=SERVICES):
    counts = collections.OrderedDict()
    for service in services:
        by_method = collections.Counter(e["method"] for e in entries if e["service"] == service)
        counts[service] = dict(sorted(by_method.items()))
        counts[service]["total"] = sum(by_method.values())
        counts[service]["writes"] = sum(by_method[m] for m in WRITE_METHODS)
    return counts


def cmd_requests(args):
    entries = read_requests(args.since)
    counts = count_requests(entries)
    if args.json:
        print(json.dumps({"lines": args.since + len(entries), "counts": counts,
                          "span_seconds": round(request_span(entries), 3),
                          "server_seconds": server_seconds(entries)}))
    else:
        for service, by_method in counts.items():
            print("%-8s %s" % (service, " ".join("%s=%s" % kv for kv in by_method.items())))
    if args.reset:
        open(REQUEST_LOG, "w").close()


def cmd_fault(args):
    if WORKERS[args.service] > 1:
        sys.exit("fault injection counts the writes of one process: start %s with one worker" % args.service)
    with open(path("run", "fault-%s.json" % args.service), "w") as handle:
        json.dump({"after_writes": args.after_writes}, handle)
    log("%s will exit after %d more write requests" % (args.service, args.after_writes))


# --------------------------------------------------------------------------- the server

def serialise_sqlite_transactions():
    """Let several worker processes share the SQLite files without "database is locked".

    oslo.db begins SQLite transactions with a plain (deferred) BEGIN, so a transaction that read
    first and then writes must upgrade its lock, and SQLite refuses that at once, without a busy
    wait, while another process writes. Rewriting oslo.db's BEGIN to BEGIN IMMEDIATE takes the
    write lock up front, so concurrent transactions wait for each other instead (pysqlite's busy
    timeout is 5 s). MariaDB, which kolla-ansible deploys, locks rows and needs nothing like it.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "before_cursor_execute", retval=True)
    def begin_immediate(conn, cursor, statement, parameters, context, executemany):
        if conn.dialect.name == "sqlite" and statement.strip().upper() == "BEGIN":
            statement = "BEGIN IMMEDIATE"
        return statement, parameters


def request_logging_app(application, service, log_path, after=None):
    """``application`` wrapped to append one line per request to ``log_path``:
    time, service, method, path, status, duration. ``after(method)`` runs after each request."""

    def logging_app(environ, start_response):
        status_holder = []

        def recording_start_response(status, headers, exc_info=None):
            status_holder.append(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        t0 = time.time()
        body = application(environ, recording_start_response)
        try:
            yield from body
        finally:
            if hasattr(body, "close"):
                body.close()
            method = environ["REQUEST_METHOD"]
            target = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            with open(log_path, "a") as handle:
                handle.write("%.3f %s %s %s %s %.1fms\n" % (
                    t0, service, method, target.replace(" ", "%20"), status_holder[0] if status_holder else "-",
                    (time.time() - t0) * 1000))
            if after is not None:
                after(method)

    return logging_app


def quiet_wsgi_server(port, app):
    """A wsgiref server on 127.0.0.1:``port`` that answers one request at a time and logs nothing
    itself (the request log is the record)."""
    import wsgiref.simple_server

    class QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
        def log_message(self, *args):
            pass

    return wsgiref.simple_server.make_server("127.0.0.1", port, app, handler_class=QuietHandler)


def cmd_serve(args):
    """Serve one WSGI app on 127.0.0.1: each worker process one request at a time (SQLite), counting every request."""
    service = args.service
    sys.argv = [sys.argv[0]]  # Nova's WSGI init parses sys.argv with oslo.config.
    if WORKERS[service] > 1:
        serialise_sqlite_transactions()
    if service == "keystone":
        from keystone.wsgi.api import application
    else:
        from nova.wsgi.osapi_compute import application

    fault_file = path("run", "fault-%s.json" % service)
    state = {"stop": False, "writes_left": None}

    def count_down_fault(method):
        if os.path.exists(fault_file):
            if state["writes_left"] is None:
                with open(fault_file) as handle:
                    state["writes_left"] = int(json.load(handle)["after_writes"])
            if method in WRITE_METHODS:
                state["writes_left"] -= 1
            if state["writes_left"] <= 0:
                os.unlink(fault_file)
                state["stop"] = True

    server = quiet_wsgi_server(PORTS[service], request_logging_app(application, service, REQUEST_LOG,
                                                                   after=count_down_fault))

    def terminate(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)
    children = []
    for unused in range(WORKERS[service] - 1):
        child = os.fork()
        if child == 0:
            children = None
            break
        children.append(child)
    if children:
        def terminate_all(signum, frame):
            for child in children:
                try:
                    os.kill(child, signal.SIGTERM)
                except OSError:
                    pass
            raise SystemExit(0)
        signal.signal(signal.SIGTERM, terminate_all)
    print("serving %s on 127.0.0.1:%d (pid %d of %d workers)"
          % (service, PORTS[service], os.getpid(), WORKERS[service]), flush=True)
    try:
        while not state["stop"]:
            server.handle_request()
    finally:
        server.server_close()
        if state["stop"] and os.path.exists(pidfile(service)):
            os.unlink(pidfile(service))
        print("%s server exits" % service, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("start")
    p.add_argument("--fresh", action="store_true", help="wipe the state directory first")
    p.set_defaults(func=cmd_start)
    p = sub.add_parser("stop")
    p.add_argument("service", nargs="?", choices=SERVICES)
    p.set_defaults(func=cmd_stop)
    p = sub.add_parser("restart")
    p.add_argument("service", choices=SERVICES)
    p.set_defaults(func=cmd_restart)
    p = sub.add_parser("status")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser("requests")
    p.add_argument("--reset", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--since", type=int, default=0, help="skip the first N log lines")
    p.set_defaults(func=cmd_requests)
    p = sub.add_parser("fault")
    p.add_argument("service", choices=SERVICES)
    p.add_argument("--after-writes", type=int, required=True)
    p.set_defaults(func=cmd_fault)
    p = sub.add_parser("serve")
    p.add_argument("service", choices=SERVICES)
    p.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
