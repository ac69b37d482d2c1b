# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""tests/harness/processes.py against real child processes."""
import importlib.util
import os
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_PATH = os.path.join(HERE, "..", "..", "harness", "processes.py")
spec = importlib.util.spec_from_file_location("scs_harness_processes", _PATH)
processes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(processes)

# Prints "ready" once its SIGTERM handling is in place, then sleeps.
CHILD = """
import os, signal, sys, time
if sys.argv[1] == "ignore":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
if sys.argv[1] == "worker":
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print(os.getpid(), flush=True)
        time.sleep(60)
        os._exit(0)
    time.sleep(0.2)
print("ready", flush=True)
time.sleep(60)
"""


def child(kind, both=False):
    """A child in a session of its own; with both, also the lines it printed."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, kind], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    lines = [proc.stdout.readline().strip()]
    if kind == "worker":
        lines.append(proc.stdout.readline().strip())
    assert lines[-1] == "ready"
    return (proc, lines) if both else proc


def reaped(pid):
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    return True


def test_terminates_and_reaps_a_child():
    proc = child("plain")
    t0 = time.monotonic()
    assert processes.stop_process(proc.pid, timeout=10) == "terminated"
    assert time.monotonic() - t0 < 5
    assert reaped(proc.pid)
    assert not os.path.exists("/proc/%d" % proc.pid)


def test_kills_what_ignores_sigterm_after_the_timeout():
    proc = child("ignore")
    t0 = time.monotonic()
    assert processes.stop_process(proc.pid, timeout=0.5) == "killed"
    took = time.monotonic() - t0
    assert 0.5 <= took < 0.5 + processes.KILL_WAIT
    assert reaped(proc.pid)


def test_the_group_goes_with_its_leader():
    proc, lines = child("worker", both=True)
    worker = int(lines[0])
    assert processes.stop_process(proc.pid, timeout=0.5) == "killed"
    # The worker ignored SIGTERM too; SIGKILL went to the whole group.
    deadline = time.monotonic() + 5
    while processes.exited(worker) is False and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes.exited(worker)


def test_without_group_only_the_process_is_signalled():
    proc, lines = child("worker", both=True)
    worker = int(lines[0])
    try:
        assert processes.stop_process(proc.pid, timeout=5, group=False) == "terminated"
        assert not processes.exited(worker)
    finally:
        assert processes.stop_process(worker, timeout=0.2, group=False) == "killed"


def test_a_process_that_is_gone_already():
    proc = child("plain")
    proc.kill()
    proc.wait()
    assert processes.stop_process(proc.pid) == "gone"


def test_an_unreaped_zombie_of_ours_counts_as_exited():
    proc = child("plain")
    os.kill(proc.pid, 9)
    time.sleep(0.2)
    assert processes.stop_process(proc.pid, timeout=0.2) == "gone"
    assert reaped(proc.pid)


def test_command_line(capsys):
    proc = child("plain")
    processes.main(["stop", str(proc.pid), "--timeout", "5"])
    assert capsys.readouterr().out == "terminated pid %d\n" % proc.pid


@pytest.mark.parametrize("harness", ["tests/harness/local_cloud.py", "tests/harness/local_neutron.py",
                                     "molecule/proxysql_tls/files/test_mariadb.sh"])
def test_every_harness_stops_through_the_helper(harness):
    with open(os.path.join(HERE, "..", "..", "..", harness)) as handle:
        text = handle.read()
    assert "SIGKILL" not in text and "kill -9" not in text
    assert "stop_process(" in text or "processes.py\" stop" in text
