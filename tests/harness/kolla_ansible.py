# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""kolla-ansible's own code as a test oracle.

Installs the kolla-ansible of an OpenStack release (PyPI, one cached virtualenv per
release with the ansible-core and Python that release needs; see RELEASES) and answers
these questions with that release's own files and code:

* which variables does kolla-ansible define (``ansible/group_vars`` and every role's
  ``defaults/``)?
* what does one of its templates render to with given variables?  (Ansible's Templar
  with kolla-ansible's filter plugins, kolla's ``group_vars/all`` and the role's
  defaults as the lowest precedence, the given variables on top like extra vars.)
* what does kolla-ansible's ``merge_configs`` make of a list of INI sources?  (Each
  source templated as the action plugin does, then merged with the action plugin's
  own ``OverrideConfigParser``, imported from the installed package.)

Importable (the functions below) and a CLI (``python3 tests/harness/kolla_ansible.py``)::

    kolla_ansible.py [--release 2026.1] install
    kolla_ansible.py [--release 2026.1] neutron-install  # neutron + neutron-vpnaas venv
    kolla_ansible.py path                          # the installed ansible/ directory
    kolla_ansible.py variables [--check NAME ...]  # rc 1 if a NAME is not defined
    kolla_ansible.py render TEMPLATE [-e K=V | -e @vars.yml | -e JSON] [--no-defaults]
    kolla_ansible.py merge SOURCE [SOURCE ...] [-e ...] [--no-whitespace]

TEMPLATE / SOURCE paths are relative to kolla-ansible's ``ansible/`` directory
(e.g. ``roles/neutron/templates/neutron_vpnaas.conf.j2``) or absolute.

The caller may run under any Python >= 3.8; the work that needs Ansible runs in the
kolla-ansible virtualenv (this file re-executed there, JSON over stdin/stdout), so
the caller's own Ansible version does not matter. ``value()`` evaluates one expression
(e.g. a role default such as ``neutron_ovn_vpn_agent_default_volumes``) the same way.
"""

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys

# One kolla-ansible per OpenStack release, each with an ansible-core inside the range
# that release's prechecks accept (roles/prechecks/vars/main.yml ansible_version_min/max)
# and the Python it needs (23.0.0: >= 3.12). kolla-ansible is installed with --no-deps:
# only what templating and merging need (its cliff/hvac/oslo.utils dependencies serve the
# CLI and password handling). oslo.config: merge_configs uses oslo_config.iniparser;
# bcrypt: imported by kolla_ansible.filters; jmespath: json_query in some templates.
_COMMON = ("oslo.config==10.7.0", "bcrypt==4.3.0", "jmespath==1.0.1")
RELEASES = {
    "2024.1": {"kolla_ansible": "18.8.0", "python": "3.11", "requirements": ("ansible-core==2.16.14",) + _COMMON},
    "2024.2": {"kolla_ansible": "19.8.0", "python": "3.11", "requirements": ("ansible-core==2.17.14",) + _COMMON},
    "2025.1": {"kolla_ansible": "20.6.0", "python": "3.11", "requirements": ("ansible-core==2.18.12",) + _COMMON},
    "2025.2": {"kolla_ansible": "21.3.0", "python": "3.11", "requirements": ("ansible-core==2.19.14",) + _COMMON},
    "2026.1": {"kolla_ansible": "22.2.0", "python": "3.11", "requirements": ("ansible-core==2.19.14",) + _COMMON},
    "2026.2": {"kolla_ansible": "23.0.0", "python": "3.12", "requirements": ("ansible-core==2.21.5",) + _COMMON},
}
DEFAULT_RELEASE = os.environ.get("SCS_KOLLA_ANSIBLE_RELEASE", "2026.1")
KOLLA_ANSIBLE_VERSION = RELEASES[DEFAULT_RELEASE]["kolla_ansible"]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("SCS_KOLLA_CACHE", os.path.join(ROOT, ".cache"))


def venv_for(release=DEFAULT_RELEASE):
    """The cached virtualenv of ``release``'s kolla-ansible."""
    if release not in RELEASES:
        raise HarnessError("no kolla-ansible known for release %r (known: %s)" % (release, ", ".join(RELEASES)))
    return os.path.join(CACHE, "venvs", "kolla-ansible-" + RELEASES[release]["kolla_ansible"])


class HarnessError(Exception):
    """The harness could not do what was asked (install, render, merge)."""


# --------------------------------------------------------------------------- install

def _stamp(venv, release):
    spec = RELEASES[release]
    key = "-".join((spec["kolla_ansible"], spec["python"]) + spec["requirements"])
    return os.path.join(venv, ".installed-" + key.replace("/", "_").replace("=", ""))


def _uv():
    for cand in (os.path.join(ROOT, ".venv", "bin", "uv"), shutil.which("uv")):
        if cand and os.access(cand, os.X_OK):
            return [cand]
    return [sys.executable, "-m", "uv"]


def _venv_python(venv):
    return os.path.join(venv, "bin", "python")


def find_python(version):
    """An interpreter for ``version`` (e.g. "3.12"): PATH, then pyenv's installations."""
    import glob

    env = os.environ.get("SCS_KOLLA_PYTHON" + version.replace(".", ""))
    cands = [env] if env else []
    cands.append(shutil.which("python" + version))
    cands += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python%s" % (version, version))),
                    reverse=True)
    for cand in cands:
        if not cand:
            continue
        proc = subprocess.run([cand, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              universal_newlines=True, check=False)
        if proc.returncode == 0 and proc.stdout.strip() == version:
            return cand
    raise HarnessError("no Python %s found (PATH, ~/.pyenv/versions; or set SCS_KOLLA_PYTHON%s)"
                       % (version, version.replace(".", "")))


def _run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    if proc.returncode:
        raise HarnessError("%s failed:\n%s" % (" ".join(cmd), proc.stdout))


def _cached_venv(venv, stamp, python, packages, quiet):
    """Build ``venv`` once: under a lock beside it, so that processes sharing the cache
    (pytest-xdist workers, stages run side by side) never build it at the same time."""
    if os.path.exists(stamp):
        return venv
    os.makedirs(os.path.dirname(venv), exist_ok=True)
    with open(venv + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(stamp):
            return venv
        if os.path.exists(venv):
            shutil.rmtree(venv)
        q = ["-q"] if quiet else []
        uv = _uv()
        _run(uv + ["venv"] + q + ["--python", python, venv])
        for group in packages:
            _run(uv + ["pip", "install"] + q + ["--python", _venv_python(venv)] + group)
        with open(stamp, "w"):
            pass
    return venv


def install(release=DEFAULT_RELEASE, quiet=True):
    """Create ``release``'s kolla-ansible virtualenv once (cached); return its path."""
    venv = venv_for(release)
    spec = RELEASES[release]
    return _cached_venv(venv, _stamp(venv, release), find_python(spec["python"]),
                        [["--no-deps", "kolla-ansible==" + spec["kolla_ansible"]], list(spec["requirements"])], quiet)


def ansible_dir(venv):
    """kolla-ansible's ``ansible/`` tree (group_vars, roles, plugins) in ``venv``."""
    path = os.path.join(venv, "share", "kolla-ansible", "ansible")
    if not os.path.isdir(path):
        raise HarnessError("kolla-ansible is not installed in %s (run install())" % venv)
    return path


# ------------------------------------------- neutron-vpnaas (oslo-config-validator)

# neutron + neutron-vpnaas of each release: their option definitions judge the VPN config.
NEUTRON_RELEASES = {
    # neutron 24 imports pkg_resources (setuptools < 81 still has it) and pyroute2.nslink.nslink
    # (gone in pyroute2 0.8; 2024.1's upper constraints hold 0.7.x)
    "2024.1": ("neutron==24.2.2", "neutron-vpnaas==24.0.2", "setuptools==80.9.0", "pyroute2==0.7.12"),
    "2024.2": ("neutron==25.2.3", "neutron-vpnaas==25.0.1", "pyroute2==0.7.12"),  # nslink, as 24
    "2025.1": ("neutron==26.0.6", "neutron-vpnaas==26.0.0"),
    "2025.2": ("neutron==27.0.4", "neutron-vpnaas==27.0.0"),
    "2026.1": ("neutron==28.0.2", "neutron-vpnaas==28.0.0"),
    "2026.2": ("neutron==29.0.0", "neutron-vpnaas==29.0.0"),
}


def neutron_venv_for(release=DEFAULT_RELEASE):
    if release not in NEUTRON_RELEASES:
        raise HarnessError("no neutron-vpnaas known for release %r" % (release,))
    return os.path.join(CACHE, "venvs", "neutron-vpnaas-" + NEUTRON_RELEASES[release][1].split("==")[1])


def neutron_install(release=DEFAULT_RELEASE, quiet=True):
    """Create ``release``'s neutron + neutron-vpnaas virtualenv once (cached); return its path."""
    venv = neutron_venv_for(release)
    pins = NEUTRON_RELEASES[release]
    stamp = os.path.join(venv, ".installed-" + "-".join(pins).replace("=", ""))
    return _cached_venv(venv, stamp, find_python("3.11"), [list(pins)], quiet)


def neutron_validate(files, classes=(), release=DEFAULT_RELEASE):
    """oslo-config-validator over [(path, [namespaces])] with ``release``'s neutron-vpnaas.

    Returns {"files": {path: {"rc", "messages"}}, "classes": {dotted: importable}}.
    """
    venv = neutron_install(release)
    request = {"files": [{"path": str(p), "namespaces": list(ns)} for p, ns in files],
               "classes": list(classes)}
    proc = subprocess.run([_venv_python(venv), os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                            "oslo_validate.py")],
                          input=json.dumps(request), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if proc.returncode:
        raise HarnessError("oslo-config-validator (%s) failed:\n%s" % (release, proc.stderr[-3000:]))
    return json.loads(proc.stdout)


def neutron_site(release=DEFAULT_RELEASE):
    """site-packages of ``release``'s neutron virtualenv (neutron_vpnaas sources)."""
    import glob

    lib = os.path.join(neutron_install(release), "lib")
    return glob.glob(os.path.join(lib, "python3*", "site-packages"))[0]


# ------------------------------------------------------- worker dispatch (kolla venv)

def path(release=DEFAULT_RELEASE):
    """``release``'s kolla-ansible ``ansible/`` directory (installed on first use)."""
    return ansible_dir(install(release))


def _call(op, release, **kwargs):
    """Run ``op`` in the kolla-ansible virtualenv, always in a child process.

    This file is called kolla_ansible.py, like kolla-ansible's own package that its
    filter plugins import: in-process the names would clash.
    """
    venv = install(release)
    proc = subprocess.run(
        [_venv_python(venv), os.path.abspath(__file__), "_worker", op],
        input=json.dumps(kwargs), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, check=False,
        env=dict(os.environ, SCS_KOLLA_ANSIBLE_VENV=venv))
    if proc.returncode:
        raise HarnessError("kolla-ansible %s (%s) %s failed:\n%s"
                           % (RELEASES[release]["kolla_ansible"], release, op, proc.stderr.strip()))
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


def variables(release=DEFAULT_RELEASE):
    """Every variable kolla-ansible defines: {name: [files relative to ansible/]}."""
    if release not in _VARIABLES_CACHE:
        _VARIABLES_CACHE[release] = _call("variables", release)
    return _VARIABLES_CACHE[release]


def undefined_variables(names, release=DEFAULT_RELEASE):
    """The subset of ``names`` that kolla-ansible does not define (sorted)."""
    known = variables(release)
    return sorted(n for n in set(names) if n not in known)


# ---------------------------------------------------------------- templating (Ansible)

def _resolve(venv, path):
    return path if os.path.isabs(path) else os.path.join(ansible_dir(venv), path)


def _role_of(venv, path):
    rel = os.path.relpath(path, os.path.join(ansible_dir(venv), "roles"))
    parts = rel.split(os.sep)
    return None if rel.startswith("..") or len(parts) < 2 else parts[0]


def _new_templating():
    """ansible-core >= 2.19 (data tagging: trusted templates) or the older Templar."""
    try:
        from ansible.template import trust_as_template  # noqa: F401  pylint: disable=unused-import
    except ImportError:
        return False
    return True


_VARS_FILES_CACHE = {}


def _load_vars_files(loader, files):
    key = tuple(files)
    if key not in _VARS_FILES_CACHE:  # one worker process renders many templates
        _VARS_FILES_CACHE[key] = _read_vars_files(loader, files)
    return dict(_VARS_FILES_CACHE[key])


def _read_vars_files(loader, files):
    merged = {}
    for path in files:
        if _new_templating():
            data = loader.load_from_file(path, trusted_as_template=True)  # like vars files
        else:
            data = loader.load_from_file(path)
        if isinstance(data, dict):
            merged.update(data)
    return merged


def _group_vars_all(base):
    """group_vars/all.yml (kolla-ansible <= 20) or every file in group_vars/all/ (21+)."""
    gv = os.path.join(base, "group_vars", "all")
    if os.path.isdir(gv):
        return [os.path.join(gv, f) for f in sorted(os.listdir(gv)) if f.endswith((".yml", ".yaml"))]
    return [gv + ext for ext in (".yml", ".yaml") if os.path.exists(gv + ext)]


def _static_hostvars(per_host, loader):
    """ansible-core < 2.19: a real ``HostVars`` over fixed per-host variables.

    The older Templar templates a plain dict variable as a whole when it is looked up,
    and a single undefined name anywhere in kolla's group_vars turns all of
    ``hostvars`` into Undefined (kolla's ``database_shards_info`` then reports
    "'hostvars' variable is unavailable"). Ansible passes ``HostVars`` through
    untemplated and templates each host's variable on access (``HostVarsVars``),
    which is what this subclass gives, without an inventory or variable manager.
    """
    from ansible.template import AnsibleUndefined
    from ansible.vars.hostvars import HostVars

    class StaticHostVars(HostVars):
        def __init__(self, data, data_loader):  # pylint: disable=super-init-not-called
            self._data = data
            self._loader = data_loader

        def raw_get(self, host_name):
            if host_name not in self._data:
                return AnsibleUndefined(name="hostvars['%s']" % host_name)
            return self._data[host_name]

        def __contains__(self, host_name):
            return host_name in self._data

        def __iter__(self):
            return iter(self._data)

        def __len__(self):
            return len(self._data)

        def __repr__(self):
            return "StaticHostVars(%s)" % ", ".join(self._data)

    return StaticHostVars(per_host, loader)


def _templar(venv, template_path, given, with_defaults):
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import filter_loader, lookup_loader
    from ansible.template import Templar

    if _new_templating():
        from ansible.template import trust_as_template
    else:
        def trust_as_template(value):
            return value

    base = ansible_dir(venv)
    filter_loader.add_directory(os.path.join(base, "filter_plugins"))
    lookup_loader.add_directory(os.path.join(base, "lookup_plugins"))
    loader = DataLoader()
    role = _role_of(venv, template_path) if template_path else None
    variables = {}
    if with_defaults:
        files = _group_vars_all(base)
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
    per_host = {host: dict(variables, **(own or {})) for host, own in hosts.items()}
    variables["hostvars"] = per_host if _new_templating() else _static_hostvars(per_host, loader)
    variables.setdefault("inventory_hostname", "localhost")
    variables.setdefault("ansible_managed", "Ansible managed")
    return Templar(loader=loader, variables=variables), trust_as_template


def _render_text(templar, trust_as_template, path, lstrip_blocks):
    with open(path) as f:
        text = f.read()
    search = [os.path.dirname(path)]
    if _new_templating():
        t = templar.copy_with_new_env(searchpath=search)
        return t.template(trust_as_template(text),
                          overrides=dict(lstrip_blocks=lstrip_blocks),
                          escape_backslashes=False)
    # ansible-core < 2.19: what ansible.builtin.template's action plugin does.
    from ansible.template import AnsibleEnvironment

    t = templar.copy_with_new_env(environment_class=AnsibleEnvironment,
                                  lstrip_blocks=lstrip_blocks, trim_blocks=True)
    t.environment.loader.searchpath = search
    return t.do_template(text, preserve_trailing_newlines=True, escape_backslashes=False)


def _value(venv, expression, variables=None, defaults=True, role=None):
    """One expression (e.g. a role default) evaluated with the same variables as render()."""
    base = ansible_dir(venv)
    anchor = os.path.join(base, "roles", role, "templates", "-") if role else None
    templar, trust = _templar(venv, anchor, variables, defaults)
    if _new_templating():
        return templar.template(trust(expression))
    return templar.template(expression)


def _render(venv, template, variables=None, defaults=True, lstrip_blocks=False):
    path = _resolve(venv, template)
    if not os.path.exists(path):
        raise HarnessError("no template %s" % path)
    templar, trust = _templar(venv, path, variables, defaults)
    # ansible.builtin.template defaults: trim_blocks yes, lstrip_blocks no.
    return _render_text(templar, trust, path, lstrip_blocks)


def render(template, variables=None, defaults=True, lstrip_blocks=False, release=DEFAULT_RELEASE):
    """Render a kolla-ansible template as ansible.builtin.template would."""
    return _call("render", release, template=template, variables=variables or {},
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
                  release=DEFAULT_RELEASE):
    """kolla-ansible's merge_configs over ``sources``; returns the merged INI text."""
    return _call("merge", release, sources=list(sources), variables=variables or {},
                 defaults=defaults, whitespace=whitespace)["text"]


def _batch(venv, requests):
    results = []
    for index, request in enumerate(requests):
        try:
            results.append(_OPS[request["op"]](venv=venv, **request.get("kwargs", {})))
        except HarnessError as exc:
            raise HarnessError("request %d (%s): %s" % (index, request["op"], exc)) from exc
    return results


_OPS = {"variables": _variables, "render": _render, "merge": _merge, "value": _value, "batch": _batch}


def batch(requests, release=DEFAULT_RELEASE):
    """Several operations in ONE worker process of ``release`` (Ansible imported once).

    ``requests``: [(op, kwargs)] with op one of variables, render, merge, value and the
    keyword arguments of the function of that name (without ``release``); returns the
    results in order (render: text, merge: text, value: the value, variables: the dict).
    """
    ops = []
    for op, kwargs in requests:
        if op not in ("variables", "render", "merge", "value"):
            raise HarnessError("batch: unknown operation %r" % (op,))
        kwargs = dict(kwargs)
        if op in ("render", "merge", "value"):
            kwargs.setdefault("variables", {})
        ops.append({"op": op, "kwargs": kwargs})
    results = _call("batch", release, requests=ops)
    out = []
    for (op, _kwargs), result in zip(requests, results):
        if op == "merge":
            result = result["text"]
        elif op == "variables":
            _VARIABLES_CACHE.setdefault(release, result)
        out.append(result)
    return out


def value(expression, variables=None, defaults=True, role=None, release=DEFAULT_RELEASE):
    """Evaluate a Jinja expression as kolla-ansible would see it (group_vars + role defaults)."""
    return _call("value", release, expression=expression, variables=variables or {},
                 defaults=defaults, role=role)


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
        venv = os.environ["SCS_KOLLA_ANSIBLE_VENV"]
        from ansible.errors import AnsibleError

        try:
            json.dump(_OPS[op](venv=venv, **kwargs), sys.stdout, default=str)
        except (HarnessError, AnsibleError) as exc:
            sys.stderr.write("%s\n" % exc)
            return 1
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--release", default=DEFAULT_RELEASE, choices=sorted(RELEASES),
                        help="OpenStack release (its kolla-ansible; default %(default)s)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help="create the kolla-ansible virtualenv")
    sub.add_parser("neutron-install", help="create the neutron + neutron-vpnaas virtualenv")
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
            print(install(args.release, quiet=False))
        elif args.cmd == "neutron-install":
            print(neutron_install(args.release, quiet=False))
        elif args.cmd == "path":
            print(path(args.release))
        elif args.cmd == "variables":
            if args.check:
                missing = undefined_variables(args.check, args.release)
                for name in missing:
                    print("not defined by kolla-ansible %s: %s" % (RELEASES[args.release]["kolla_ansible"], name))
                return 1 if missing else 0
            found = variables(args.release)
            if args.json:
                json.dump(found, sys.stdout, indent=1, sort_keys=True)
                print()
            else:
                for name in sorted(found):
                    print("%s\t%s" % (name, " ".join(found[name])))
        elif args.cmd == "render":
            sys.stdout.write(render(args.paths[0], _parse_extra(args.extra_vars),
                                    not args.no_defaults, args.lstrip_blocks, args.release))
        elif args.cmd == "merge":
            sys.stdout.write(merge_configs(args.paths, _parse_extra(args.extra_vars),
                                           not args.no_defaults, not args.no_whitespace,
                                           args.release))
    except HarnessError as exc:
        sys.stderr.write("error: %s\n" % exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
