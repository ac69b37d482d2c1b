# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The release matrix: every release the roles support, checked with that release's own code.

For each OpenStack release 2024.1 ... 2026.2 the roles proxysql_tls and vpnaas run for real
(ansible-playbook on localhost, one playbook per role), and what they wrote is checked with
that release's kolla-ansible (its variables, templates and merge_configs; one cached venv per
release, tests/harness/kolla_ansible.py) and neutron-vpnaas (oslo-config-validator with its
option definitions). The same playbook upgrades one configuration release by release and
records what the role reported as changed, which must be exactly what differs.
"""

import concurrent.futures
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.scs.kolla.plugins.module_utils import kolla_releases as kr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


kolla_check = _load("scs_kolla_check", ROOT / "molecule" / "proxysql_tls" / "files" / "kolla_check.py")
# the harness module kolla_check imported: one in-process cache of each release's variables
harness = kolla_check.kolla_ansible

PTLS_RELEASES = list(kr.PROXYSQL_TLS)
VPN_RELEASES = list(kr.VPNAAS)
# OVN before kolla-ansible 22 needs the OVN VPN agent backport (OSISM: 2024.1); the
# matrix runs as an operator whose kolla-ansible carries it for every older release.
BACKPORTS = [r for r in VPN_RELEASES if kr.VPNAAS[r]["ovn_agent"] == "none"]
VPN_CASES = [("ovn", "ubuntu"), ("ovn", "rocky"), ("openvswitch", "ubuntu")]

SERVICE_NAMESPACES = ["neutron.vpnaas"]
AGENT_NAMESPACES = ["neutron.vpnaas.ovn_agent", "neutron", "neutron.agent", "neutron.az.agent",
                    "oslo.messaging", "oslo.log"]
# kolla-ansible 22/23's neutron_ovn_vpn_agent.ini.j2 sets two options the OVN VPN agent does
# not register (an L3-agent and an OVS-agent option): ignored at run time.
KOLLA_TEMPLATE_EXTRAS = {"AGENT/extensions is not part of the sample config",
                         "ovs/ovsdb_timeout is not part of the sample config"}
KOLLA_SERVICE_TEMPLATE = "roles/neutron/templates/neutron_vpnaas.conf.j2"
KOLLA_AGENT_TEMPLATE = "roles/neutron/templates/neutron_ovn_vpn_agent.ini.j2"


# ------------------------------------------------------------------ role runs
#
# Time matters (the matrix is one stage of tests/run all): each role runs in ONE
# ansible-playbook, all of them started together at the beginning of the session.
# vpnaas runs on one inventory host per case (its tasks are per host), so one play covers
# every fresh case and one more every upgrade step. proxysql_tls (run_once on the
# controller) runs once per release along the upgrade chain (2024.2 on an empty directory,
# then one release forward per play) with one PKI for all plays (ECC keys, issued by the
# first play, reused by the others); the fresh configuration of each later release comes
# from the role's kolla configuration tasks alone, on an empty directory (the
# certificates do not depend on the release).

def _upgrade_steps(releases):
    return list(zip(releases, releases[1:]))


def _snapshot(src, dest):
    return {"name": "Snapshot the configuration", "ansible.builtin.shell":
            "rm -rf '%s' && mkdir -p '%s' && cp -a '%s/.' '%s/'" % (dest, dest, src, dest),
            "changed_when": False, "delegate_to": "localhost", "run_once": True}


def _play(name, hosts, role, variables, snapshot=None, tasks_from=None):
    include = {"name": role}
    if tasks_from:
        include.update(tasks_from=tasks_from, apply={"delegate_to": "localhost", "run_once": True})
    tasks = [{"name": "Apply the role", "ansible.builtin.include_role": include, "vars": variables}]
    if snapshot:
        tasks.append(_snapshot(*snapshot))
    return {"name": name, "hosts": hosts, "gather_facts": False, "tasks": tasks}


class _Playbook:
    """One ansible-playbook run, started at once and awaited when its results are needed."""

    def __init__(self, tmp, plays, inventory, name="playbook"):
        self.tmp = tmp
        (tmp / ("%s.yml" % name)).write_text(yaml.safe_dump(plays, sort_keys=False))
        (tmp / ("%s-inventory.yml" % name)).write_text(yaml.safe_dump(inventory, sort_keys=False))
        self.proc = subprocess.Popen(_playbook_cmd(tmp, name), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=_playbook_env(), cwd=str(tmp))
        self._result = None

    def result(self):
        if self._result is None:
            out, err = self.proc.communicate()
            self._result = (self.proc.returncode, out, err)
        return self._result


def _playbook_env():
    # Pipelining: one process per module run instead of mkdir/put/exec/rm.
    return dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
                ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_PIPELINING="1", ANSIBLE_FORKS="20")


def _playbook_cmd(tmp, name="playbook"):
    return [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "--diff",
            "-i", str(tmp / ("%s-inventory.yml" % name)), str(tmp / ("%s.yml" % name))]


class _Playbooks:
    """Several ansible-playbook runs awaited as one: their plays in the order given."""

    def __init__(self, *playbooks):
        self.playbooks = playbooks
        self.procs = [p.proc for p in playbooks]

    def result(self):
        results = [p.result() for p in self.playbooks]
        bad = [r for r in results if r[0] != 0]
        if bad:
            return bad[0]
        plays = [play for _rc, out, _err in results for play in json.loads(out)["plays"]]
        return 0, json.dumps({"plays": plays}), "".join(err for _rc, _out, err in results)


def _changed_paths(play, hosts=None):
    """Files the role reported as changed in one play (template/copy/file/ini_file results)."""
    paths = set()
    for task in play["tasks"]:
        for host, result in task["hosts"].items():
            if hosts is not None and host not in hosts:
                continue
            for item in result.get("results", [result]):
                if not isinstance(item, dict) or not item.get("changed"):
                    continue
                path = item.get("dest") or item.get("path")
                if path:
                    paths.add(os.path.realpath(path))
    return paths


def _tree(path):
    """{relative path: content} of the regular files below ``path``."""
    result = {}
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            full = os.path.join(dirpath, name)
            result[os.path.relpath(full, path)] = Path(full).read_bytes()
    return result


def _python():
    return {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}


def _case_host(release, agent, distro):
    return "vpn-%s-%s-%s" % (release, agent, distro)


def _step_host(release):
    return "step-%s" % release


# The upgrade steps run on the ovn/ubuntu case: the one whose files change most between
# releases (overlays written up to 2025.2, removed by 2026.1, the sysctl volumes in 2026.1).
UPGRADE_CASE = ("ovn", "ubuntu")


def _start_vpnaas(tmp):
    """Two plays over one host per case, every case at once (the role's tasks are per host).

    fresh: one host per (release, agent, distro), each on an empty directory.
    upgrade: one host per step old -> new, on a copy of what the fresh run of ``old`` wrote
    (each step proves that an upgraded configuration equals the fresh one, so a copy of the
    fresh run stands for the configuration the earlier steps produced).
    """
    agent, distro = UPGRADE_CASE
    hosts = {}
    for release in VPN_RELEASES:
        for case_agent, case_distro in VPN_CASES:
            hosts[_case_host(release, case_agent, case_distro)] = dict(
                _python(), vpnaas_kolla_config_dir=str(tmp / "fresh" / release / case_agent / case_distro),
                openstack_release=release, neutron_plugin_agent=case_agent, kolla_base_distro=case_distro)
    for old, new in _upgrade_steps(VPN_RELEASES):
        hosts[_step_host(new)] = dict(
            _python(), vpnaas_kolla_config_dir=str(tmp / "upgrade" / new), openstack_release=new,
            neutron_plugin_agent=agent, kolla_base_distro=distro,
            step_before=str(tmp / "fresh" / old / agent / distro), step_snapshot=str(tmp / "snap" / old))
    common = {"vpnaas_ovn_backport_releases": BACKPORTS}
    copy = "rm -rf '{0}' '{1}' && mkdir -p '{0}' '{1}' && cp -a '{2}/.' '{0}/' && cp -a '{2}/.' '{1}/'"
    plays = [_play("fresh", "vpn-*", "scs.kolla.vpnaas", common),
             {"name": "upgrade", "hosts": "step-*", "gather_facts": False, "tasks": [
                 {"name": "Start from the earlier release's configuration", "changed_when": False,
                  "ansible.builtin.shell": copy.format("{{ vpnaas_kolla_config_dir }}", "{{ step_snapshot }}",
                                                       "{{ step_before }}")},
                 {"name": "Apply the role", "ansible.builtin.include_role": {"name": "scs.kolla.vpnaas"},
                  "vars": common}]}]
    # the VPN agent groups hold one host (kolla-ansible's groups; the role checks them)
    groups = {g: {"hosts": {_case_host(VPN_RELEASES[0], *UPGRADE_CASE): None}} for g in
              ("neutron-ovn-vpn-agent", "ovn-controller", "ovn-controller-network", "neutron-l3-agent")}
    return _Playbook(tmp, plays, {"all": {"hosts": hosts, "children": groups}})


def _start_proxysql(tmp):
    common = {"kolla_internal_vip_address": "127.0.0.10", "kolla_internal_fqdn": "db-internal.test",
              "proxysql_tls_galera_replication": True, "proxysql_tls_require_secure_transport": True,
              "proxysql_tls_pki_dir": str(tmp / "pki"), "pki_key_type": "ECC",
              # the database hosts' part (expiry metrics) is proven by molecule/proxysql_tls
              "proxysql_tls_metrics": False, "proxysql_tls_metrics_textfile_dir": str(tmp / "node-exporter"),
              "proxysql_tls_metrics_become": False}

    def variables(base, release):
        return dict(common, node_config=str(base / "etc-kolla"), node_custom_config=str(base / "etc-kolla" / "config"),
                    openstack_release=release)

    upgrade = [_play("upgrade %s" % release, "mariadb:loadbalancer", "scs.kolla.proxysql_tls",
                     variables(tmp / "upgrade", release), snapshot=(tmp / "upgrade" / "etc-kolla", tmp / "snap" / release))
               for release in PTLS_RELEASES]
    fresh = [_play("fresh %s" % release, "mariadb:loadbalancer", "scs.kolla.proxysql_tls",
                   variables(tmp / "fresh" / release, release), tasks_from="kolla_config")
             for release in PTLS_RELEASES[1:]]
    hosts = {"db1": dict(_python(), api_interface_address="127.0.0.1"),
             "db2": dict(_python(), api_interface_address="127.0.0.2"),
             "localhost": _python()}
    groups = {g: {"hosts": {"db1": None, "db2": None}} for g in ("mariadb", "loadbalancer", "tls-backend")}
    inventory = {"all": {"hosts": hosts, "children": groups}}
    # The upgrade chain is sequential (each play starts from the one before); the fresh
    # configurations are independent of it, so they run in a second process beside it.
    return _Playbooks(_Playbook(tmp, upgrade, inventory, name="upgrade"),
                      _Playbook(tmp, fresh, inventory, name="fresh"))


@pytest.fixture(scope="session")
def _started(tmp_path_factory):
    """Both playbooks, started together (they run while the other's checks run)."""
    ptls, vpn, refused = (tmp_path_factory.mktemp(n) for n in ("proxysql_tls", "vpnaas", "refused"))
    started = {"proxysql_tls": (ptls, _start_proxysql(ptls)), "vpnaas": (vpn, _start_vpnaas(vpn)),
               "refused": (refused, _start_refused(refused))}
    # meanwhile: every release's kolla-ansible and neutron-vpnaas venv (cached; first run installs)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    started["installs"] = [pool.submit(harness.install, r) for r in harness.RELEASES] + \
        [pool.submit(harness.neutron_install, r) for r in harness.NEUTRON_RELEASES]
    pool.shutdown(wait=False)
    yield started
    for _tmp, playbook in (started[k] for k in ("proxysql_tls", "vpnaas", "refused")):
        for proc in playbook.procs if isinstance(playbook, _Playbooks) else [playbook.proc]:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session", autouse=True)
def venvs(_started):
    """Every test may ask the harness: the venvs are installed first (one installer at a time each)."""
    for future in _started["installs"]:
        future.result()


def _runs(started, role):
    tmp, playbook = started[role]
    rc, out, err = playbook.result()
    assert rc == 0, (out[-6000:], err[-3000:])
    return {"root": tmp, "plays": json.loads(out)["plays"]}


@pytest.fixture(scope="session")
def vpnaas_runs(_started):
    return _runs(_started, "vpnaas")


@pytest.fixture(scope="session")
def proxysql_runs(_started):
    return _runs(_started, "proxysql_tls")


def _play_named(runs, name):
    return next(p for p in runs["plays"] if p["play"]["name"] == name)


def _ptls_release_dir(runs, release):
    """What the role wrote for ``release``: the upgrade chain's snapshot after that release."""
    return runs["root"] / "snap" / release


# -------------------------------------------------------------- proxysql_tls

@pytest.mark.parametrize("release", PTLS_RELEASES)
def test_proxysql_tls_against_its_kolla_ansible(proxysql_runs, release):
    base = _ptls_release_dir(proxysql_runs, release)
    fragment = base / "globals.d" / "scs-proxysql-tls.yml"
    report = kolla_check.main(str(fragment), str(base / "config" / "galera.cnf"), release, quiet=True)
    assert report["failures"] == [], report
    data = yaml.safe_load(fragment.read_text())
    assert ("enable_proxysql" in data) == kr.PROXYSQL_TLS[release]["enable_proxysql"]
    assert fragment.read_text().count("\n# ") >= 2  # header kept: ansible_managed + the role's lines


@pytest.mark.parametrize("release", PTLS_RELEASES)
def test_proxysql_tls_internal_scope_is_what_the_release_defines(release):
    names = harness.variables(release)
    scoped = {n for n in names if n.endswith("_database_enable_tls_internal") and n != "database_enable_tls_internal"}
    expected = kr.PROXYSQL_TLS[release]["internal_scope"]
    assert (scoped == {"keystone_database_enable_tls_internal"}) == (expected == "keystone only"), sorted(scoped)
    # the default the fragment overrides where OSISM keeps ProxySQL off
    assert "enable_proxysql" in names


def test_proxysql_tls_2024_1_has_no_database_tls():
    assert harness.undefined_variables(["database_enable_tls_backend", "database_enable_tls_internal"],
                                       release="2024.1") == ["database_enable_tls_backend",
                                                             "database_enable_tls_internal"]


# -------------------------------------------------------------------- vpnaas

def _vpn_dir(runs, release, agent, distro):
    return runs["root"] / "fresh" / release / agent / distro


@pytest.mark.parametrize("release", VPN_RELEASES)
@pytest.mark.parametrize("agent,distro", VPN_CASES)
def test_vpnaas_globals_are_kolla_variables(vpnaas_runs, release, agent, distro):
    text = (_vpn_dir(vpnaas_runs, release, agent, distro) / "globals.d" / "scs-vpnaas.yml").read_text()
    assert "\n# scs.kolla.vpnaas: OpenStack %s" % release in text
    data = yaml.safe_load(text)
    expected = {"enable_neutron_vpnaas", "enable_horizon_neutron_vpnaas"}
    if agent == "ovn" and kr.VPNAAS[release]["agent_sysctl_bind"]:
        expected.add("neutron_ovn_vpn_agent_default_volumes")
    assert set(data) == expected
    assert harness.undefined_variables(list(data), release=release) == []


def _expected(distro):
    driver = kr.vpnaas_driver(distro)
    return ("VPN:%s:%s:default" % (kr.VPNAAS_PROVIDER_NAME[driver], kr.VPNAAS_SERVICE_DRIVER),
            "%s.%s" % (kr.VPNAAS_DEVICE_DRIVER_MODULE, kr.VPNAAS_AGENT_DRIVER_CLASS[driver]))


def _kolla_vars(agent, distro):
    facts = {"ansible_facts": {"eth1": {"ipv4": {"address": "192.0.2.11"}}, "os_family": "Debian"}}
    return {"ansible_facts": facts["ansible_facts"], "kolla_base_distro": distro, "neutron_plugin_agent": agent, "enable_neutron_vpnaas": True,
            "rpc_transport_url": "rabbit://openstack:password@192.0.2.11:5672//",
            "groups": {"ovn-sb-db": ["ctl1"]}, "hostvars": {"ctl1": dict(facts, api_interface="eth1")}}


def _per_release(function, releases):
    """function(release) for every release, in order; two at a time (each runs a child process
    of that release's venv, which the thread waits for)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(function, releases))


@pytest.fixture(scope="session")
def vpnaas_merged(vpnaas_runs, tmp_path_factory):
    """Per release and case: kolla-ansible's merge_configs of its templates + the role's overlays."""
    out = tmp_path_factory.mktemp("merged")
    merged = {}

    def merge(release):
        kolla = Path(harness.path(release))
        keys, requests = [], []
        for agent, distro in VPN_CASES:
            overlay = _vpn_dir(vpnaas_runs, release, agent, distro) / "config" / "neutron"
            for kind, template, name in (("service", KOLLA_SERVICE_TEMPLATE, kr.VPNAAS_SERVICE_OVERLAY),
                                         ("agent", KOLLA_AGENT_TEMPLATE, kr.VPNAAS_AGENT_OVERLAY)):
                # kolla-ansible's neutron/tasks/config.yml source list (absent files skipped);
                # before 22 the agent's template comes with the backport, not with kolla-ansible.
                sources = [str(p) for p in (kolla / template, overlay / name) if p.exists()]
                if not sources or (kind == "agent" and agent != "ovn"):
                    continue
                keys.append((release, agent, distro, kind))
                requests.append(("merge", {"sources": sources, "variables": _kolla_vars(agent, distro)}))
        # one kolla-ansible worker process per release (its variables cached for the other tests)
        return list(zip(keys, harness.batch(requests + [("variables", {})], release=release)))

    for pairs in _per_release(merge, VPN_RELEASES):
        for key, text in pairs:
            path = out / "-".join(key)
            path.write_text(text)
            merged[key] = path
    return merged


@pytest.fixture(scope="session")
def vpnaas_validated(vpnaas_runs, vpnaas_merged):
    def validate(release):
        files = []
        for agent, distro in VPN_CASES:
            overlay = _vpn_dir(vpnaas_runs, release, agent, distro) / "config" / "neutron"
            files += [(overlay / kr.VPNAAS_SERVICE_OVERLAY, SERVICE_NAMESPACES),
                      (overlay / kr.VPNAAS_AGENT_OVERLAY, AGENT_NAMESPACES)]
        files = [(p, ns) for p, ns in files if p.exists()]
        files += [(p, SERVICE_NAMESPACES if key[3] == "service" else AGENT_NAMESPACES)
                  for key, p in vpnaas_merged.items() if key[0] == release]
        classes = [kr.VPNAAS_SERVICE_DRIVER]
        classes += ["%s.%s" % (kr.VPNAAS_DEVICE_DRIVER_MODULE, c) for c in kr.VPNAAS_AGENT_DRIVER_CLASS.values()]
        return harness.neutron_validate(files, classes, release=release)

    return dict(zip(VPN_RELEASES, _per_release(validate, VPN_RELEASES)))


@pytest.mark.parametrize("release", VPN_RELEASES)
@pytest.mark.parametrize("agent,distro", VPN_CASES)
def test_vpnaas_overlays_where_the_release_needs_them(vpnaas_runs, vpnaas_validated, release, agent, distro):
    overlay = _vpn_dir(vpnaas_runs, release, agent, distro) / "config" / "neutron"
    needed = agent == "ovn" and not kr.VPNAAS[release]["ovn_templates"]
    for name in (kr.VPNAAS_SERVICE_OVERLAY, kr.VPNAAS_AGENT_OVERLAY):
        assert (overlay / name).exists() == needed, name
        if needed:
            assert vpnaas_validated[release]["files"][str(overlay / name)] == {"rc": 0, "messages": []}
            assert (overlay / name).read_text().count("# scs.kolla.vpnaas: ") == 1


@pytest.mark.parametrize("release", VPN_RELEASES)
def test_vpnaas_driver_classes_exist_in_the_release(vpnaas_validated, release):
    classes = vpnaas_validated[release]["classes"]
    assert classes and all(classes.values()), classes


@pytest.mark.parametrize("release", VPN_RELEASES)
@pytest.mark.parametrize("agent,distro", VPN_CASES)
def test_vpnaas_kolla_merge_gives_the_promised_drivers(vpnaas_merged, vpnaas_validated, release, agent, distro):
    provider, device = _expected(distro)
    service = vpnaas_merged[(release, agent, distro, "service")]
    values = kr.parse_ini(service.read_text())
    if agent == "ovn":
        assert values["service_providers"]["service_provider"] == [provider]
    else:  # ML2/OVS: kolla's own L3-agent IPsec driver, the role adds no overlay
        assert values["service_providers"]["service_provider"] == [
            "VPN:openswan:neutron_vpnaas.services.vpn.service_drivers.ipsec.IPsecVPNDriver:default"]
    assert vpnaas_validated[release]["files"][str(service)] == {"rc": 0, "messages": []}
    agent_file = vpnaas_merged.get((release, agent, distro, "agent"))
    if agent == "ovn":
        text = agent_file.read_text()
        assert kr.parse_ini(text)["vpnagent"]["vpn_device_driver"] == [device]
        report = vpnaas_validated[release]["files"][str(agent_file)]
        if kr.VPNAAS[release]["ovn_templates"]:  # kolla's own template merged with nothing or the overlay
            assert kr.parse_ini(text)["ovn"]["ovn_sb_connection"] == ["tcp:192.0.2.11:6642"]
            assert report["rc"] == 1 and set(report["messages"]) == KOLLA_TEMPLATE_EXTRAS, report
        else:
            assert report == {"rc": 0, "messages": []}


def _raw_defaults(release):
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node))
    path = Path(harness.path(release)) / "roles" / "neutron" / "defaults" / "main.yml"
    return yaml.load(path.read_text(), Loader=_Loader)  # noqa: S506 (SafeLoader subclass)


@pytest.mark.parametrize("release", [r for r in VPN_RELEASES if kr.VPNAAS[r]["ovn_agent"] == "upstream"])
def test_vpnaas_agent_sysctl_bind_fixed_where_the_release_has_it(vpnaas_runs, release):
    """LP 2160208: kolla-ansible 22 binds /bin/true over /usr/sbin/sysctl in the OVN VPN agent."""
    raw = _raw_defaults(release)["neutron_ovn_vpn_agent_default_volumes"]
    assert (kr.SYSCTL_BIND in raw) == kr.VPNAAS[release]["agent_sysctl_bind"]
    fragment = yaml.safe_load((_vpn_dir(vpnaas_runs, release, "ovn", "ubuntu") / "globals.d" / "scs-vpnaas.yml").read_text())
    variables = dict(_kolla_vars("ovn", "ubuntu"), **fragment)
    expr = "{{ neutron_services['neutron-ovn-vpn-agent'].volumes }}"
    with_role, without = harness.batch([
        ("value", {"expression": expr, "variables": variables, "role": "neutron"}),
        ("value", {"expression": expr, "variables": _kolla_vars("ovn", "ubuntu"), "role": "neutron"}),
    ], release=release)
    assert not any("/usr/sbin/sysctl" in v for v in with_role), with_role
    if kr.VPNAAS[release]["agent_sysctl_bind"]:
        assert "/bin/true:/usr/sbin/sysctl:ro" in without  # the test fails without the override
        assert [v for v in raw if v != kr.SYSCTL_BIND] == kr.VPNAAS_AGENT_VOLUMES_WITHOUT_SYSCTL_BIND
        assert [v for v in without if v != kr.SYSCTL_BIND] == with_role  # nothing else changed
    else:
        assert with_role == without


# --------------------------------------------------------------- upgrade path

def _reported_files(reported_paths, base, files):
    """The role's reported paths below ``base`` as files: a directory stands for the files in it."""
    base = os.path.realpath(base)
    result = set()
    for path in (os.path.relpath(p, base) for p in reported_paths):
        inside = {f for f in files if f.startswith(path + os.sep)}
        result |= inside if inside else {path}
    return result


def _check_step(before_dir, after_dir, base, reported_paths, fresh_dir):
    """One upgrade step: the role reports exactly what changed, and the result is the new release's.

    before_dir/after_dir: the configuration before and after the step; base: the directory the
    role wrote to (its reported paths are below it); fresh_dir: the fresh run of the new release.
    """
    before, after = _tree(before_dir), _tree(after_dir)
    differs = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    reported = _reported_files(reported_paths, base, differs)
    assert reported == differs, (sorted(reported), sorted(differs))
    assert differs
    # paths in comments name the directory the role wrote to: the same file otherwise
    fresh = {p: c.replace(str(fresh_dir).encode(), b"<kolla>")
             for p, c in _tree(fresh_dir).items() if p.startswith(("globals.d/", "config/"))}
    upgraded = {p: c.replace(str(base).encode(), b"<kolla>")
                for p, c in after.items() if p.startswith(("globals.d/", "config/"))}
    assert sorted(upgraded) == sorted(fresh)
    for path, content in upgraded.items():
        assert content == fresh[path], path  # the upgrade gives the next release's configuration


@pytest.mark.parametrize("old,new", _upgrade_steps(VPN_RELEASES))
def test_vpnaas_upgrade_step(vpnaas_runs, old, new):
    root, host = vpnaas_runs["root"], _step_host(new)
    reported = _changed_paths(_play_named(vpnaas_runs, "upgrade"), hosts={host})
    _check_step(root / "snap" / old, root / "upgrade" / new, root / "upgrade" / new, reported,
                _vpn_dir(vpnaas_runs, new, *UPGRADE_CASE))


@pytest.mark.parametrize("old,new", _upgrade_steps(PTLS_RELEASES))
def test_proxysql_tls_upgrade_step(proxysql_runs, old, new):
    root = proxysql_runs["root"]
    reported = _changed_paths(_play_named(proxysql_runs, "upgrade %s" % new))
    _check_step(root / "snap" / old, root / "snap" / new, root / "upgrade" / "etc-kolla", reported,
                root / "fresh" / new / "etc-kolla")


def test_proxysql_tls_first_release_is_a_fresh_run(proxysql_runs):
    """The chain starts on an empty directory: its first play is the fresh run of 2024.2."""
    first = _tree(_ptls_release_dir(proxysql_runs, PTLS_RELEASES[0]))
    assert {"globals.d/scs-proxysql-tls.yml", "config/galera.cnf", "certificates/ca/root.crt",
            "certificates/proxysql-cert.pem", "certificates/db1/mariadb-cert.pem"} <= set(first), sorted(first)
    base = os.path.realpath(proxysql_runs["root"] / "upgrade" / "etc-kolla")
    reported = [p for p in _changed_paths(_play_named(proxysql_runs, "upgrade %s" % PTLS_RELEASES[0]))
                if p.startswith(base + os.sep)]
    assert _reported_files(reported, base, set(first)) == set(first)


# ---------------------------------------------------------- refused releases

REFUSED = [("scs.kolla.proxysql_tls", "2024.1"), ("scs.kolla.proxysql_tls", "2027.1"),
           ("scs.kolla.proxysql_tls", "2025.10"), ("scs.kolla.vpnaas", "2027.1"), ("scs.kolla.vpnaas", "2023.2")]


def _start_refused(tmp):
    """Every refused release in one play: block/rescue per case records the message."""
    tasks = []
    for index, (role, release) in enumerate(REFUSED):
        root = tmp / ("case%d" % index) / "kolla"
        root.mkdir(parents=True)
        variables = {"openstack_release": release, "node_config": str(root), "node_custom_config": str(root / "config"),
                     "vpnaas_kolla_config_dir": str(root), "kolla_internal_vip_address": "127.0.0.10",
                     "proxysql_tls_pki_dir": str(root / "scs-pki")}
        tasks.append({"name": "Case %d" % index, "block": [
            {"name": "Apply the role", "ansible.builtin.include_role": {"name": role}, "vars": variables},
            {"name": "Record an accepted release", "ansible.builtin.set_fact": {"refusal_%d" % index: "ACCEPTED"}},
        ], "rescue": [{"name": "Record the message", "ansible.builtin.set_fact": {
            "refusal_%d" % index: "{{ ansible_failed_result.msg | default(ansible_failed_result) | string }}"}}]})
    tasks.append({"name": "Write the messages", "delegate_to": "localhost", "ansible.builtin.copy": {
        "dest": str(tmp / "refusals.json"), "mode": "0644",
        "content": "{{ [%s] | to_json }}" % ", ".join("refusal_%d" % i for i in range(len(REFUSED)))}})
    hosts = {"db1": dict(_python(), api_interface_address="127.0.0.1"), "localhost": _python()}
    groups = {g: {"hosts": {"db1": None}} for g in ("mariadb", "loadbalancer", "tls-backend", "neutron-ovn-vpn-agent",
                                                    "ovn-controller", "ovn-controller-network")}
    play = {"name": "refused", "hosts": "db1", "gather_facts": False, "tasks": tasks}
    return _Playbook(tmp, [play], {"all": {"hosts": hosts, "children": groups}})


@pytest.fixture(scope="session")
def refusals(_started):
    tmp, playbook = _started["refused"]
    rc, out, err = playbook.result()
    assert rc == 0, (out[-6000:], err[-3000:])
    return tmp, json.loads((tmp / "refusals.json").read_text())


@pytest.mark.parametrize("index", range(len(REFUSED)), ids=["%s-%s" % (r.split(".")[-1], v) for r, v in REFUSED])
def test_refused_release_changes_nothing(refusals, index):
    tmp, messages = refusals
    release = REFUSED[index][1]
    root = tmp / ("case%d" % index) / "kolla"
    assert messages[index] != "ACCEPTED"
    reason = kr.releases(REFUSED[index][0].split(".")[-1], unsupported=True).get(release)
    # names the value and why it is refused, or what is accepted
    assert release in messages[index] and (reason or "2026.2") in messages[index], messages[index]
    assert os.listdir(root) == [], sorted(_tree(root))


def test_the_matrix_covers_every_release():
    assert VPN_RELEASES == list(kr.RELEASES) == sorted(harness.RELEASES) == sorted(harness.NEUTRON_RELEASES)
    assert PTLS_RELEASES + list(kr.PROXYSQL_TLS_UNSUPPORTED) == sorted(kr.RELEASES[1:]) + ["2024.1"]
    assert shutil.which("ansible-playbook") or os.path.exists(os.path.join(os.path.dirname(sys.executable), "ansible-playbook"))
