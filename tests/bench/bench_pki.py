# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Benchmark: scs.kolla.pki at cloud scale, against the targets of the in-process engine.

Rows (wall time of one ansible-playbook each, on localhost):
  1. ansible-playbook with one debug task: the fixed cost of any role
  2. scs.kolla.pki, 300 ECC certificates: first run and idempotent rerun
  3. scs.kolla.pki, 1000 ECC certificates: first run and idempotent rerun
  4. the community.crypto task loops the role used before the engine (taken from git), a sample
     of BENCH_OLD_SAMPLE (default 10) certificates, first run and rerun, extrapolated linearly
     to 300 and 1000 certificates above the one-task cost; labelled as extrapolated.

Targets: 300 certificates first run <= 10x and rerun <= 4x the one-task playbook; 1000
certificates first run <= 15 s and rerun <= 5 s; every rerun reports changed=0 and leaves every
file's mtime as it was. Exit status 1 when a target is missed.
Environment: BENCH_REPEAT (default 1) runs of each row, the median counts; BENCH_OLD_SAMPLE.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = sys.executable
PLAYBOOK = os.path.join(os.path.dirname(PY), "ansible-playbook")
REPEAT = int(os.environ.get("BENCH_REPEAT", "1"))
OLD_SAMPLE = int(os.environ.get("BENCH_OLD_SAMPLE", "10"))

ENV = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=PY, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")

ONE_TASK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.debug:
        msg: one task
"""

ROLE = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: %s
"""


def certificates(count):
    return [{"name": "chassis-%d" % i, "common_name": "chassis-%d" % i, "organization_name": "SCS",
             "dns": ["chassis-%d" % i], "ip": ["10.%d.%d.1" % (i // 250, i % 250)]} for i in range(count)]


def play(path, extra_vars=None, env=None):
    """(seconds, changed count of the recap) of one ansible-playbook run."""
    argv = [PLAYBOOK, "-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=" + PY]
    if extra_vars:
        argv += ["-e", "@" + extra_vars]
    start = time.monotonic()
    proc = subprocess.run(argv + [path], capture_output=True, text=True, env=env or ENV, check=False)
    seconds = time.monotonic() - start
    recap = re.search(r"localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", proc.stdout)
    if proc.returncode != 0 or not recap or recap.group(2) != "0":
        sys.exit("ansible-playbook %s failed (rc %d):\n%s%s" % (path, proc.returncode, proc.stdout[-3000:], proc.stderr[-2000:]))
    return seconds, int(recap.group(1))


def mtimes(directory):
    found = {}
    for dirpath, _dirs, files in os.walk(directory):
        for name in files:
            path = os.path.join(dirpath, name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def median(values):
    return statistics.median(values) if values else float("nan")


def role_rows(work, playbook, count, env, label, key="ECC"):
    """First run and rerun (median of REPEAT), changed of the rerun, whether mtimes stayed."""
    firsts, reruns, rerun_changed, kept = [], [], [], True
    for attempt in range(REPEAT):
        pki_dir = os.path.join(work, "%s-%d-%d" % (label, count, attempt))
        vars_file = pki_dir + ".json"
        with open(vars_file, "w") as handle:
            json.dump({"pki_dir": pki_dir, "pki_key_type": key, "pki_certificates": certificates(count)}, handle)
        firsts.append(play(playbook, vars_file, env)[0])
        before = mtimes(pki_dir)
        seconds, changed = play(playbook, vars_file, env)
        reruns.append(seconds)
        rerun_changed.append(changed)
        kept = kept and mtimes(pki_dir) == before and len(before) == 2 * count + 2
        shutil.rmtree(pki_dir)
    return median(firsts), median(reruns), max(rerun_changed), kept


def old_role(work):
    """The role as it was before the engine (community.crypto loops), from git, as role 'pki_old'."""
    rev = subprocess.run(["git", "-C", ROOT, "rev-list", "-1", "HEAD", "--", "roles/pki/tasks/certificates.yml"],
                         capture_output=True, text=True, check=True).stdout.strip()
    if not rev:
        return None
    roles = os.path.join(work, "roles")
    os.makedirs(roles)
    archive = subprocess.run(["git", "-C", ROOT, "archive", rev + "^", "roles/pki"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", work], input=archive.stdout, check=True)
    os.rename(os.path.join(work, "roles", "pki"), os.path.join(roles, "pki_old"))
    return roles


def main():
    work = tempfile.mkdtemp(prefix="bench-pki-")
    try:
        paths = {}
        for name, text in (("one.yml", ONE_TASK), ("new.yml", ROLE % "scs.kolla.pki"), ("old.yml", ROLE % "pki_old")):
            paths[name] = os.path.join(work, name)
            with open(paths[name], "w") as handle:
                handle.write(text)
        floor = median([play(paths["one.yml"])[0] for dummy in range(max(REPEAT, 3))])
        rows = {}
        for count in (300, 1000):
            rows[count] = role_rows(work, paths["new.yml"], count, ENV, "new")
        old_roles = old_role(work)
        old = None
        if old_roles:
            env = dict(ENV, ANSIBLE_ROLES_PATH=old_roles)
            old = role_rows(work, paths["old.yml"], OLD_SAMPLE, env, "old")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ok = True
    print("scs.kolla.pki benchmark (%d CPU, median of %d)" % (os.cpu_count() or 1, REPEAT))
    print("%-58s %9s" % ("row", "seconds"))
    print("%-58s %9.2f" % ("ansible-playbook, 1 task", floor))
    for count in (300, 1000):
        first, rerun, changed, kept = rows[count]
        print("%-58s %9.2f" % ("scs.kolla.pki engine, %d ECC certificates, first run" % count, first))
        print("%-58s %9.2f   changed=%d, mtimes %s" % ("scs.kolla.pki engine, %d ECC certificates, rerun" % count, rerun,
                                                       changed, "unchanged" if kept else "CHANGED"))
        ok = ok and changed == 0 and kept
    if old:
        first, rerun, changed, kept = old
        per_first = max(first - floor, 0) / OLD_SAMPLE
        per_rerun = max(rerun - floor, 0) / OLD_SAMPLE
        print("%-58s %9.2f" % ("community.crypto loops (old role), %d ECC, first run" % OLD_SAMPLE, first))
        print("%-58s %9.2f   changed=%d" % ("community.crypto loops (old role), %d ECC, rerun" % OLD_SAMPLE, rerun, changed))
        for count in (300, 1000):
            print("%-58s %9.1f" % ("  extrapolated to %d, first run" % count, floor + per_first * count))
            print("%-58s %9.1f" % ("  extrapolated to %d, rerun" % count, floor + per_rerun * count))
    print()
    targets = [
        ("300 first run <= 10x one task", rows[300][0] / floor, 10.0, "x"),
        ("300 rerun <= 4x one task", rows[300][1] / floor, 4.0, "x"),
        ("1000 first run <= 15 s", rows[1000][0], 15.0, " s"),
        ("1000 rerun <= 5 s", rows[1000][1], 5.0, " s"),
    ]
    for label, value, limit, unit in targets:
        met = value <= limit
        ok = ok and met
        print("%-40s %8.2f%s  %s" % (label, value, unit, "met" if met else "MISSED"))
    if old:
        for count in (300, 1000):
            old_rerun = floor + max(old[1] - floor, 0) / OLD_SAMPLE * count
            print("%-40s %8.0fx (extrapolated)" % ("old role / engine, %d rerun" % count, old_rerun / rows[count][1]))
    print("rerun changed=0 and mtimes unchanged:    %s" % ("yes" if all(r[2] == 0 and r[3] for r in rows.values()) else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
