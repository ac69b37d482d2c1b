# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The molecule convention, for every scenario.

verify.yml only reads: every task it runs (with what it imports and includes, role entry
points too) is a read-only module, a command without changed_when: false is a change, and
anything else belongs in a named side-effect playbook. Each side effect the test sequence
runs is named (`side_effect NAME.yml`) and exists.
"""
import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
MOLECULE = os.path.join(ROOT, "molecule")
ROLES = os.path.join(ROOT, "roles")

# Modules that only read (or only compute) whatever their arguments.
READ_ONLY = {
    "assert", "debug", "fail", "set_fact", "set_stats", "stat", "find", "slurp", "wait_for",
    "pause", "include_vars", "getent", "package_facts", "service_facts", "setup", "ping",
    "meta", "validate_input", "flavor_name", "mysql_tls_probe",
}
# Ansible's rule: *_info and *_facts modules change nothing.
READ_ONLY_SUFFIXES = ("_info", "_facts")
# Options that make an otherwise reading module change something.
CHANGING_OPTIONS = {"ovn_ipsec_info": ("initiate",)}
# Service modules read the unit's status when asked for no change.
SERVICES = {"systemd", "systemd_service", "service"}
SERVICE_CHANGES = ("state", "enabled", "masked", "daemon_reload", "daemon_reexec")
COMMANDS = {"command", "shell", "script", "raw"}
INCLUDES = {"include_tasks", "import_tasks"}
ROLE_INCLUDES = {"include_role", "import_role"}
# Keywords that are not the task's action.
TASK_KEYWORDS = {
    "name", "when", "register", "vars", "loop", "loop_control", "changed_when", "failed_when",
    "no_log", "tags", "delegate_to", "delegate_facts", "run_once", "become", "become_user",
    "become_method", "environment", "ignore_errors", "ignore_unreachable", "check_mode", "diff",
    "until", "retries", "delay", "args", "notify", "listen", "any_errors_fatal", "throttle",
    "timeout", "module_defaults", "collections", "connection", "async", "poll", "debugger",
    "block", "rescue", "always", "apply", "port", "remote_user",
}
PLAY_TASK_LISTS = ("pre_tasks", "tasks", "post_tasks", "handlers")


def scenarios():
    return sorted(d for d in os.listdir(MOLECULE) if os.path.isfile(os.path.join(MOLECULE, d, "molecule.yml")))


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or []


def action_of(task):
    """The module name (without collection prefix) and its arguments."""
    actions = [k for k in task if k not in TASK_KEYWORDS and not k.startswith("with_")]
    if len(actions) != 1:
        raise ValueError("task %r: cannot tell its action from %s" % (task.get("name"), sorted(task)))
    key = actions[0]
    args = task[key]
    if key in ("action", "local_action"):
        if isinstance(args, dict):
            key = args.get("module")
        else:
            key, args = (str(args).split(" ", 1) + [""])[:2]
    return key.rsplit(".", 1)[-1], args


def templated(value):
    return isinstance(value, str) and "{{" in value


def role_tasks(role, tasks_from):
    name = role.rsplit(".", 1)[-1]
    base = os.path.join(ROLES, name, "tasks")
    for candidate in (tasks_from, tasks_from + ".yml", tasks_from + ".yaml"):
        path = os.path.join(base, candidate)
        if os.path.isfile(path):
            return path
    return None


class Checker:
    def __init__(self):
        self.problems = []
        self.seen = set()

    def problem(self, where, task, why):
        where = os.path.relpath(where, ROOT) if where.startswith(ROOT + os.sep) else os.path.basename(where)
        self.problems.append("%s: task %r: %s" % (where, task.get("name"), why))

    def playbook(self, path):
        if path in self.seen:
            return
        self.seen.add(path)
        for play in load(path):
            keys = {k.rsplit(".", 1)[-1] for k in play}
            if "import_playbook" in keys:
                target = play.get("ansible.builtin.import_playbook", play.get("import_playbook"))
                self.playbook(os.path.normpath(os.path.join(os.path.dirname(path), target)))
                continue
            for role in play.get("roles", []) or []:
                name = role if isinstance(role, str) else role.get("role", role.get("name"))
                self.role(path, {"name": "play role %s" % name}, name, "main")
            for key in PLAY_TASK_LISTS:
                self.tasks(path, play.get(key) or [])

    def tasks(self, path, tasks):
        for task in tasks:
            self.task(path, task)

    def task(self, path, task):
        if any(k in task for k in ("block", "rescue", "always")):
            for key in ("block", "rescue", "always"):
                self.tasks(path, task.get(key) or [])
            return
        try:
            module, args = action_of(task)
        except ValueError as exc:
            self.problem(path, task, str(exc))
            return
        if module in INCLUDES:
            target = args.get("file") if isinstance(args, dict) else args
            if templated(target):
                self.problem(path, task, "includes a templated file name %r (cannot be checked)" % target)
                return
            target = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if target not in self.seen:
                self.seen.add(target)
                self.tasks(target, load(target))
            return
        if module in ROLE_INCLUDES:
            self.role(path, task, args.get("name"), args.get("tasks_from", "main"))
            return
        if task.get("check_mode") is True:
            return  # a prediction only
        if module in COMMANDS:
            if task.get("changed_when") is not False:
                self.problem(path, task, "%s without changed_when: false" % module)
            return
        if module == "uri":
            method = str((args or {}).get("method", "GET")).upper()
            if method not in ("GET", "HEAD"):
                self.problem(path, task, "uri with method %s" % method)
            return
        if module in SERVICES:
            changes = [o for o in SERVICE_CHANGES if (args or {}).get(o) not in (None, False)]
            if changes:
                self.problem(path, task, "%s with %s" % (module, ", ".join(changes)))
            return
        if module in READ_ONLY or module.endswith(READ_ONLY_SUFFIXES):
            changing = [o for o in CHANGING_OPTIONS.get(module, ()) if isinstance(args, dict) and args.get(o)]
            if changing:
                self.problem(path, task, "%s with %s (changes state)" % (module, ", ".join(changing)))
            return
        self.problem(path, task, "module %s can change state" % module)

    def role(self, path, task, role, tasks_from):
        target = role_tasks(role or "", tasks_from)
        if target is None:
            self.problem(path, task, "role entry point %s/%s not found in this collection" % (role, tasks_from))
            return
        if target not in self.seen:
            self.seen.add(target)
            self.tasks(target, load(target))


def check_playbook(path):
    checker = Checker()
    checker.playbook(path)
    return checker.problems


def verify_playbook(scenario):
    name = ((config(scenario).get("provisioner") or {}).get("playbooks") or {}).get("verify", "verify.yml")
    return os.path.normpath(os.path.join(MOLECULE, scenario, name))


@pytest.mark.parametrize("scenario", scenarios())
def test_verify_only_reads(scenario):
    verify = verify_playbook(scenario)
    if not os.path.isfile(verify):
        pytest.skip("no verify.yml")
    assert check_playbook(verify) == []


def config(scenario):
    return load(os.path.join(MOLECULE, scenario, "molecule.yml"))


def sequence(scenario):
    return (config(scenario).get("scenario") or {}).get("test_sequence") or []


@pytest.mark.parametrize("scenario", scenarios())
def test_side_effects_are_named_and_exist(scenario):
    steps = [s for s in sequence(scenario) if s.split()[0] == "side_effect"]
    problems = []
    for step in steps:
        parts = step.split()
        if len(parts) != 2 or not re.fullmatch(r"[a-z0-9_./]+\.yml", parts[1]):
            problems.append("%r: name the playbook (side_effect NAME.yml)" % step)
        elif not os.path.isfile(os.path.join(MOLECULE, scenario, parts[1])):
            problems.append("%r: no such playbook" % step)
    # molecule skips every side_effect step, named or not, without a word when the
    # default side-effect playbook is missing.
    default = ((config(scenario).get("provisioner") or {}).get("playbooks") or {}).get("side_effect", "side_effect.yml")
    if steps and not os.path.isfile(os.path.join(MOLECULE, scenario, default)):
        problems.append("provisioner.playbooks.side_effect %r does not exist: molecule would skip every side effect" % default)
    assert problems == []


@pytest.mark.parametrize("scenario", scenarios())
def test_verify_does_not_run_a_side_effect(scenario):
    verify = verify_playbook(scenario)
    if not os.path.isfile(verify):
        pytest.skip("no verify.yml")
    named = {s.split()[1] for s in sequence(scenario) if s.startswith("side_effect ")}
    imported = {os.path.basename(p.get("ansible.builtin.import_playbook", p.get("import_playbook", "")))
                for p in load(verify)}
    assert named & imported == set()


# --- the checker itself -------------------------------------------------------

def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_checker_accepts_reads(tmp_path):
    write(tmp_path, "inc.yml", [{"name": "s", "ansible.builtin.stat": {"path": "/"}}])
    path = write(tmp_path, "verify.yml", [{"hosts": "all", "tasks": [
        {"name": "a", "ansible.builtin.assert": {"that": True}},
        {"name": "c", "ansible.builtin.command": "true", "changed_when": False},
        {"name": "i", "community.crypto.x509_certificate_info": {"path": "x"}},
        {"name": "p", "ansible.builtin.copy": {"dest": "/x"}, "check_mode": True},
        {"name": "b", "block": [{"name": "d", "debug": {"msg": 1}}],
         "rescue": [{"name": "f", "ansible.builtin.fail": {"msg": 1}}]},
        {"name": "t", "ansible.builtin.include_tasks": "inc.yml"},
        {"name": "g", "ansible.builtin.uri": {"url": "http://127.0.0.1/"}},
        {"name": "v", "scs.kolla.validate_input": {}, "delegate_to": "localhost"},
        {"name": "y", "ansible.builtin.systemd_service": {"name": "x.timer"}},
    ]}])
    assert check_playbook(path) == []


def test_checker_finds_changes_in_includes_blocks_and_imports(tmp_path):
    write(tmp_path, "inc.yml", [{"name": "w", "ansible.builtin.file": {"path": "/x", "state": "absent"}}])
    write(tmp_path, "other.yml", [{"hosts": "all", "tasks": [{"name": "o", "copy": {"dest": "/x"}}]}])
    path = write(tmp_path, "verify.yml", [
        {"hosts": "all", "tasks": [
            {"name": "c", "ansible.builtin.command": "true"},
            {"name": "s", "ansible.builtin.shell": "true", "changed_when": True},
            {"name": "b", "block": [{"name": "r", "ansible.builtin.include_role": {"name": "scs.kolla.pki"}}]},
            {"name": "t", "ansible.builtin.import_tasks": "inc.yml"},
            {"name": "u", "ansible.builtin.uri": {"url": "http://127.0.0.1/", "method": "POST"}},
            {"name": "x", "ansible.builtin.include_tasks": "{{ f }}.yml"},
            {"name": "n", "scs.kolla.ovn_ipsec_info": {"initiate": True}},
            {"name": "y", "ansible.builtin.systemd_service": {"name": "x", "state": "restarted"}},
        ]},
        {"name": "o", "ansible.builtin.import_playbook": "other.yml"},
    ])
    problems = check_playbook(path)
    assert any(p.startswith("verify.yml: task 'c': command without changed_when") for p in problems)
    assert any(p.startswith("verify.yml: task 's': shell without changed_when") for p in problems)
    assert any(p.startswith("roles/pki/tasks/main.yml") for p in problems)  # the role's own tasks
    assert any(p.startswith("inc.yml: task 'w': module file") for p in problems)
    assert any("task 'u': uri with method POST" in p for p in problems)
    assert any("task 'x': includes a templated file name" in p for p in problems)
    assert any("task 'n': ovn_ipsec_info with initiate" in p for p in problems)
    assert any("task 'y': systemd_service with state" in p for p in problems)
    assert any(p.startswith("other.yml: task 'o': module copy") for p in problems)
