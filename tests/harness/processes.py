# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Stop a server a test harness started: SIGTERM, a bounded wait, SIGKILL, reap.

The one way the harnesses stop their servers (local_cloud.py: Keystone and Nova;
local_neutron.py: neutron-server; molecule/proxysql_tls/files/test_mariadb.sh: MariaDB).

    processes.py stop PID [--timeout SECONDS] [--no-group]

Standard library only.
"""

import argparse
import os
import signal
import sys
import time

# After SIGKILL the kernel needs a moment; never wait longer than this for it.
KILL_WAIT = 5.0


def exited(pid):
    """True once pid has exited. Reaps it if it is our child; a zombie counts as exited."""
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return True
    except ChildProcessError:
        pass  # not our child: someone else reaps it
    stat = _stat(pid)
    return stat is None or stat[0] == "Z"


def _stat(pid):
    """(state, process group) of pid from /proc, or None once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            # "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses.
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[2])


def group_members(pgid):
    """The live (not zombie) processes of process group pgid."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat and stat[1] == pgid and stat[0] != "Z":
                members.append(int(entry))
    return members


def _gone(pid, group):
    return exited(pid) and not (group and group_members(pid))


def _signal(pid, signum, group):
    try:
        (os.killpg if group else os.kill)(pid, signum)
    except ProcessLookupError:
        return False
    return True


def _wait(pid, group, timeout, interval):
    deadline = time.monotonic() + timeout
    while not _gone(pid, group):
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
    return True


def stop_process(pid, timeout=15.0, group=True, interval=0.1):
    """Stop pid (with group: the process group it leads) and return how it ended.

    "gone": it had already exited; "terminated": it (and every member of its group)
    exited on SIGTERM within timeout seconds; "killed": SIGKILL was needed. Raises
    RuntimeError if something outlives SIGKILL by KILL_WAIT seconds (uninterruptible
    sleep). Reaps pid if it is our child; zombies of other parents count as exited.
    """
    if _gone(pid, group) or not _signal(pid, signal.SIGTERM, group):
        return "gone"
    if _wait(pid, group, timeout, interval):
        return "terminated"
    _signal(pid, signal.SIGKILL, group)
    if not _wait(pid, group, KILL_WAIT, interval):
        raise RuntimeError("pid %d (or its group) still there %.0f s after SIGKILL" % (pid, KILL_WAIT))
    return "killed"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="processes.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    stop = sub.add_parser("stop", help="stop a process (and its group)")
    stop.add_argument("pid", type=int)
    stop.add_argument("--timeout", type=float, default=15.0, help="seconds between SIGTERM and SIGKILL")
    stop.add_argument("--no-group", dest="group", action="store_false", help="signal the process only")
    args = parser.parse_args(argv)
    try:
        print("%s pid %d" % (stop_process(args.pid, args.timeout, args.group), args.pid))
    except RuntimeError as exc:
        sys.exit(str(exc))


if __name__ == "__main__":
    main()
