"""kolla-ansible's own code as a test oracle.

Installs kolla-ansible (PyPI) into its own virtualenv and answers three questions
with kolla-ansible's own files and code:

* which variables does kolla-ansible define (``ansible/group_vars`` and every role's
  ``defaults/``)?
* what does one of its templates render to with given variables?  (Ansible's Templar
  with kolla-ansible's filter plugins, kolla's ``group_vars/all`` and the role's
  defaults as the lowest precedence, the given variables on top like extra vars.)
* what does kolla-ansible's ``merge_configs`` make of a list of INI sources?  (Each
  source templated as the action plugin does, then merged with the action plugin's
  own ``OverrideConfigParser``, imported from the installed package.)

Importable (the functions below) and a CLI (``python3 tests/harness/kolla_ansible.py``)::

    kolla_ansible.py install
    kolla_ansible.py path                          # the installed ansible/ directory
    kolla_ansible.py variables [--check NAME ...]  # rc 1 if a NAME is not defined
    kolla_ansible.py render TEMPLATE [-e K=V | -e @vars.yml | -e JSON] [--no-defaults]
    kolla_ansible.py merge SOURCE [SOURCE ...] [-e ...] [--no-whitespace]

TEMPLATE / SOURCE paths are relative to kolla-ansible's ``ansible/`` directory
(e.g. ``roles/neutron/templates/neutron_vpnaas.conf.j2``) or absolute.

The caller may run under any Python >= 3.8; the work that needs Ansible runs in the
kolla-ansible virtualenv (this file re-executed there, JSON over stdin/stdout), so
the caller's own Ansible version does not matter.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

KOLLA_ANSIBLE_VERSION = "22.2.0"
# kolla-ansible is installed with --no-deps: only what templating and merging need.
# (Its cliff/hvac/oslo.utils dependencies serve the CLI and password handling.)
# ansible-core within kolla-ansible 22.2.0's range (>=2.19,!=2.19.0,<2.21).
RENDER_REQUIREMENTS = (
    "ansible-core==2.19.14",
    "oslo.config==10.7.0",  # merge_configs uses oslo_config.iniparser
    "bcrypt==5.0.0",  # imported by kolla_ansible.filters
    "jmespath==1.0.1",  # json_query in some kolla-ansible templates
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("SCS_KOLLA_CACHE", os.path.join(ROOT, ".cache"))
DEFAULT_VENV = os.environ.get(
    "SCS_KOLLA_ANSIBLE_VENV", os.path.join(CACHE, "venvs", "kolla-ansible"))


class HarnessError(Exception):
    """The harness could not do what was asked (install, render, merge)."""


# --------------------------------------------------------------------------- install

def _stamp(venv):
    key = "-".join((KOLLA_ANSIBLE_VERSION,) + RENDER_REQUIREMENTS)
    return os.path.join(venv, ".installed-" + key.replace("/", "_").replace("=", ""))


def _uv():
    for cand in (os.path.join(ROOT, ".venv", "bin", "uv"), shutil.which("uv")):
        if cand and os.access(cand, os.X_OK):
            return [cand]
    return [sys.executable, "-m", "uv"]


def _venv_python(venv):
    return os.path.join(venv, "bin", "python")


def install(venv=DEFAULT_VENV, quiet=True):
    """Create the kolla-ansible virtualenv once; return its path."""
    if os.path.exists(_stamp(venv)):
        return venv
    uv = _uv()
    q = ["-q"] if quiet else []
    py = _venv_python(venv)
    steps = []
    if not os.path.exists(py):
        steps.append(uv + ["venv"] + q + ["--python", "python3.11", venv])
    steps += [
        uv + ["pip", "install"] + q + ["--python", py, "--compile-bytecode",
                                       "--no-deps", "kolla-ansible==" + KOLLA_ANSIBLE_VERSION],
        uv + ["pip", "install"] + q + ["--python", py, "--compile-bytecode"]
        + list(RENDER_REQUIREMENTS),
    ]
    for cmd in steps:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, check=False)
        if proc.returncode:
            raise HarnessError("%s failed:\n%s" % (" ".join(cmd), proc.stdout))
    with open(_stamp(venv), "w"):
        pass
    return venv


def ansible_dir(venv=DEFAULT_VENV):
    """kolla-ansible's ``ansible/`` tree (group_vars, roles, plugins)."""
    path = os.path.join(venv, "share", "kolla-ansible", "ansible")
    if not os.path.isdir(path):
        raise HarnessError("kolla-ansible is not installed in %s (run install())" % venv)
    return path


# ------------------------------------------------------- worker dispatch (kolla venv)

def _call(op, venv, **kwargs):
    """Run ``op`` in the kolla-ansible virtualenv, always in a child process.

    This file is called kolla_ansible.py, like kolla-ansible's own package that its
    filter plugins import: in-process the names would clash.
    """
    install(venv)
    proc = subprocess.run(
        [_venv_python(venv), os.path.abspath(__file__), "_worker", op],
        input=json.dumps(kwargs), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, check=False,
        env=dict(os.environ, SCS_KOLLA_ANSIBLE_VENV=venv))
    if proc.returncode:
        raise HarnessError("kolla-ansible %s failed:\n%s" % (op, proc.stderr.strip()))
    return json.loads(proc.stdout)


# -------------------------------------------------------------------------- variables

def _yaml_keys(path):
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # !unsafe / !vault and friends: the value does not matter, only the key.
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    with open(path) as f:
        data = yaml.load(f, Loader=_Loader)  # noqa: S506 (SafeLoader subclass)
    return list(data) if isinstance(data, dict) else []


def _variables(venv):
    base = ansible_dir(venv)
    found = {}
    roots = [os.path.join(base, "group_vars")]
    roles = os.path.join(base, "roles")
    roots += [os.path.join(roles, r, "defaults") for r in sorted(os.listdir(roles))]
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith((".yml", ".yaml")):
                    continue
                path = os.path.join(dirpath, name)
                for key in _yaml_keys(path):
                    found.setdefault(key, []).append(os.path.relpath(path, base))
    return found


_VARIABLES_CACHE = {}


def variables(venv=DEFAULT_VENV):
    """Every variable kolla-ansible defines: {name: [files relative to ansible/]}."""
    if venv not in _VARIABLES_CACHE:
        _VARIABLES_CACHE[venv] = _call("variables", venv)
    return _VARIABLES_CACHE[venv]


def undefined_variables(names, venv=DEFAULT_VENV):
    """The subset of ``names`` that kolla-ansible does not define (sorted)."""
    known = variables(venv)
    return sorted(n for n in set(names) if n not in known)


# ---------------------------------------------------------------- templating (Ansible)

def _resolve(venv, path):
    return path if os.path.isabs(path) else os.path.join(ansible_dir(venv), path)


def _role_of(venv, path):
    rel = os.path.relpath(path, os.path.join(ansible_dir(venv), "roles"))
    parts = rel.split(os.sep)
    return None if rel.startswith("..") or len(parts) < 2 else parts[0]


def _load_vars_files(loader, files):
    merged = {}
    for path in files:
        data = loader.load_from_file(path, trusted_as_template=True)  # like vars files
        if isinstance(data, dict):
            merged.update(data)
    return merged


def _templar(venv, template_path, given, with_defaults):
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import filter_loader, lookup_loader
    from ansible.template import Templar, trust_as_template

    base = ansible_dir(venv)
    filter_loader.add_directory(os.path.join(base, "filter_plugins"))
    lookup_loader.add_directory(os.path.join(base, "lookup_plugins"))
    loader = DataLoader()
    role = _role_of(venv, template_path) if template_path else None
    variables = {}
    if with_defaults:
        files = []
        gv = os.path.join(base, "group_vars", "all")
        files += [os.path.join(gv, f) for f in sorted(os.listdir(gv))
                  if f.endswith((".yml", ".yaml"))]
        if role:
            defaults = os.path.join(base, "roles", role, "defaults", "main.yml")
            if os.path.exists(defaults):
                files.append(defaults)
        variables.update(_load_vars_files(loader, files))
    if role:
        variables["role_path"] = os.path.join(base, "roles", role)
        variables["role_name"] = role

    def trust(value):  # extra vars are trusted templates, like -e @file.yml
        if isinstance(value, str):
            return trust_as_template(value)
        if isinstance(value, dict):
            return {k: trust(v) for k, v in value.items()}
        if isinstance(value, list):
            return [trust(v) for v in value]
        return value

    given = trust(dict(given or {}))
    hosts = given.pop("hostvars", None) or {}
    variables.update(given)
    # Like Ansible's hostvars: each host sees the same defaults and extra vars,
    # plus what the caller gives for that host (facts, interfaces, ...).
    variables["hostvars"] = {host: dict(variables, **(own or {}))
                             for host, own in hosts.items()}
    variables.setdefault("inventory_hostname", "localhost")
    variables.setdefault("ansible_managed", "Ansible managed")
    return Templar(loader=loader, variables=variables), trust_as_template


def _render_text(templar, trust_as_template, path, lstrip_blocks):
    with open(path) as f:
        text = f.read()
    search = [os.path.dirname(path)]
    t = templar.copy_with_new_env(searchpath=search)
    return t.template(trust_as_template(text),
                      overrides=dict(lstrip_blocks=lstrip_blocks),
                      escape_backslashes=False)


def _render(venv, template, variables=None, defaults=True, lstrip_blocks=False):
    path = _resolve(venv, template)
    if not os.path.exists(path):
        raise HarnessError("no template %s" % path)
    templar, trust = _templar(venv, path, variables, defaults)
    # ansible.builtin.template defaults: trim_blocks yes, lstrip_blocks no.
    return _render_text(templar, trust, path, lstrip_blocks)


def render(template, variables=None, defaults=True, lstrip_blocks=False, venv=DEFAULT_VENV):
    """Render a kolla-ansible template as ansible.builtin.template would."""
    return _call("render", venv, template=template, variables=variables or {},
                 defaults=defaults, lstrip_blocks=lstrip_blocks)


def _merge_parser_class(venv):
    import importlib.util

    path = os.path.join(ansible_dir(venv), "action_plugins", "merge_configs.py")
    spec = importlib.util.spec_from_file_location("kolla_merge_configs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.OverrideConfigParser


def _merge(venv, sources, variables=None, defaults=True, whitespace=True):
    from io import StringIO

    paths = [_resolve(venv, s) for s in sources]
    role = next((p for p in paths if _role_of(venv, p)), None)
    templar, trust = _templar(venv, role, variables, defaults)
    config = _merge_parser_class(venv)(whitespace=whitespace)
    used = []
    for path in paths:
        # merge_configs silently skips sources it cannot read (absent overlays).
        if not os.access(path, os.R_OK):
            continue
        text = _render_text(templar, trust, path, lstrip_blocks=True)
        config.parse(StringIO(text))
        used.append(path)
    out = StringIO()
    config.write(out)
    return {"text": out.getvalue(), "used": used}


def merge_configs(sources, variables=None, defaults=True, whitespace=True,
                  venv=DEFAULT_VENV):
    """kolla-ansible's merge_configs over ``sources``; returns the merged INI text."""
    return _call("merge", venv, sources=list(sources), variables=variables or {},
                 defaults=defaults, whitespace=whitespace)["text"]


_OPS = {"variables": _variables, "render": _render, "merge": _merge}


# ------------------------------------------------------------------------------- CLI

def _parse_extra(values):
    result = {}
    for value in values or ():
        if value.startswith("@"):
            if value.endswith(".json"):
                with open(value[1:]) as f:
                    result.update(json.load(f))
            else:
                import yaml
                with open(value[1:]) as f:
                    result.update(yaml.safe_load(f) or {})
        elif value.lstrip().startswith("{"):
            result.update(json.loads(value))
        else:
            key, sep, val = value.partition("=")
            if not sep:
                raise SystemExit("-e %r: expected KEY=VALUE, @FILE or a JSON object" % value)
            result[key] = val
    return result


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_worker"]:
        # Let kolla-ansible's filter plugins import the real kolla_ansible package.
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
        op = argv[1]
        kwargs = json.loads(sys.stdin.read())
        venv = os.environ.get("SCS_KOLLA_ANSIBLE_VENV", DEFAULT_VENV)
        from ansible.errors import AnsibleError

        try:
            json.dump(_OPS[op](venv=venv, **kwargs), sys.stdout)
        except (HarnessError, AnsibleError) as exc:
            sys.stderr.write("%s\n" % exc)
            return 1
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--venv", default=DEFAULT_VENV)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help="create the kolla-ansible virtualenv")
    sub.add_parser("path", help="print kolla-ansible's ansible/ directory")
    p_vars = sub.add_parser("variables", help="list variables kolla-ansible defines")
    p_vars.add_argument("--check", nargs="+", metavar="NAME",
                        help="only check that these are defined (rc 1 otherwise)")
    p_vars.add_argument("--json", action="store_true")
    for name, helptext in (("render", "render one template"),
                           ("merge", "merge INI sources like merge_configs")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("paths", nargs="+" if name == "merge" else 1, metavar="PATH")
        p.add_argument("-e", "--extra-vars", action="append", default=[])
        p.add_argument("--no-defaults", action="store_true",
                       help="do not load kolla's group_vars/all and role defaults")
        if name == "merge":
            p.add_argument("--no-whitespace", action="store_true")
        else:
            p.add_argument("--lstrip-blocks", action="store_true")
    args = parser.parse_args(argv)

    try:
        if args.cmd == "install":
            print(install(args.venv, quiet=False))
        elif args.cmd == "path":
            install(args.venv)
            print(ansible_dir(args.venv))
        elif args.cmd == "variables":
            if args.check:
                missing = undefined_variables(args.check, args.venv)
                for name in missing:
                    print("not defined by kolla-ansible %s: %s" % (KOLLA_ANSIBLE_VERSION, name))
                return 1 if missing else 0
            found = variables(args.venv)
            if args.json:
                json.dump(found, sys.stdout, indent=1, sort_keys=True)
                print()
            else:
                for name in sorted(found):
                    print("%s\t%s" % (name, " ".join(found[name])))
        elif args.cmd == "render":
            sys.stdout.write(render(args.paths[0], _parse_extra(args.extra_vars),
                                    not args.no_defaults, args.lstrip_blocks, args.venv))
        elif args.cmd == "merge":
            sys.stdout.write(merge_configs(args.paths, _parse_extra(args.extra_vars),
                                           not args.no_defaults, not args.no_whitespace,
                                           args.venv))
    except HarnessError as exc:
        sys.stderr.write("error: %s\n" % exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
