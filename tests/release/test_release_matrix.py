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


harness = _load("scs_kolla_ansible_harness", ROOT / "tests" / "harness" / "kolla_ansible.py")
sys.path.insert(0, str(ROOT / "tests" / "harness"))
kolla_check = _load("scs_kolla_check", ROOT / "molecule" / "proxysql_tls" / "files" / "kolla_check.py")

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

def _play(name, hosts, role, variables, snapshot=None):
    tasks = [{"name": "Apply the role", "ansible.builtin.include_role": {"name": role}, "vars": variables}]
    if snapshot:
        src, dest = snapshot
        tasks.append({"name": "Snapshot the configuration", "ansible.builtin.shell":
                      "rm -rf '%s' && mkdir -p '%s' && cp -a '%s/.' '%s/'" % (dest, dest, src, dest),
                      "changed_when": False, "delegate_to": "localhost", "run_once": True})
    return {"name": name, "hosts": hosts, "gather_facts": False, "tasks": tasks}


def _run_playbook(tmp, plays, inventory, expect_ok=True):
    (tmp / "playbook.yml").write_text(yaml.safe_dump(plays, sort_keys=False))
    (tmp / "inventory.yml").write_text(yaml.safe_dump(inventory, sort_keys=False))
    env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
               ANSIBLE_RETRY_FILES_ENABLED="0")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "--diff",
                           "-i", str(tmp / "inventory.yml"), str(tmp / "playbook.yml")],
                          capture_output=True, text=True, check=False, env=env, cwd=str(tmp))
    if expect_ok:
        assert proc.returncode == 0, (proc.stdout[-6000:], proc.stderr[-3000:])
    return proc


def _changed_paths(play):
    """Files the role reported as changed in one play (template/copy/file/ini_file results)."""
    paths = set()
    for task in play["tasks"]:
        for result in task["hosts"].values():
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


@pytest.fixture(scope="session")
def vpnaas_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vpnaas")
    plays = []
    for release in VPN_RELEASES:
        for agent, distro in VPN_CASES:
            plays.append(_play("fresh %s %s %s" % (release, agent, distro), "vpnaas-controller", "scs.kolla.vpnaas", {
                "vpnaas_kolla_config_dir": str(tmp / "fresh" / release / agent / distro),
                "openstack_release": release, "neutron_plugin_agent": agent, "kolla_base_distro": distro,
                "vpnaas_ovn_backport_releases": BACKPORTS}))
    for release in VPN_RELEASES:
        upgrade = tmp / "upgrade"
        plays.append(_play("upgrade %s" % release, "vpnaas-controller", "scs.kolla.vpnaas", {
            "vpnaas_kolla_config_dir": str(upgrade), "openstack_release": release,
            "neutron_plugin_agent": "ovn", "kolla_base_distro": "ubuntu",
            "vpnaas_ovn_backport_releases": BACKPORTS}, snapshot=(upgrade, tmp / "snap" / release)))
    host = dict(_python())
    groups = {g: {"hosts": {"vpnaas-controller": None}} for g in
              ("neutron-ovn-vpn-agent", "ovn-controller", "ovn-controller-network", "neutron-l3-agent")}
    inventory = {"all": {"hosts": {"vpnaas-controller": host}, "children": groups}}
    proc = _run_playbook(tmp, plays, inventory)
    return {"root": tmp, "plays": json.loads(proc.stdout)["plays"]}


@pytest.fixture(scope="session")
def proxysql_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxysql_tls")
    common = {"kolla_internal_vip_address": "127.0.0.10", "kolla_internal_fqdn": "db-internal.test",
              "proxysql_tls_galera_replication": True, "proxysql_tls_require_secure_transport": True}

    def variables(base, release):
        return dict(common, node_config=str(base / "etc-kolla"), node_custom_config=str(base / "etc-kolla" / "config"),
                    openstack_release=release)

    plays = [_play("fresh %s" % r, "mariadb:loadbalancer", "scs.kolla.proxysql_tls", variables(tmp / "fresh" / r, r))
             for r in PTLS_RELEASES]
    for release in PTLS_RELEASES:
        upgrade = tmp / "upgrade"
        plays.append(_play("upgrade %s" % release, "mariadb:loadbalancer", "scs.kolla.proxysql_tls",
                           variables(upgrade, release),
                           snapshot=(upgrade / "etc-kolla", tmp / "snap" / release)))
    hosts = {"db1": dict(_python(), api_interface_address="127.0.0.1"),
             "db2": dict(_python(), api_interface_address="127.0.0.2"),
             "localhost": _python()}
    groups = {g: {"hosts": {"db1": None, "db2": None}} for g in ("mariadb", "loadbalancer", "tls-backend")}
    inventory = {"all": {"hosts": hosts, "children": groups}}
    proc = _run_playbook(tmp, plays, inventory)
    return {"root": tmp, "plays": json.loads(proc.stdout)["plays"]}


def _play_named(runs, name):
    return next(p for p in runs["plays"] if p["play"]["name"] == name)


# -------------------------------------------------------------- proxysql_tls

@pytest.mark.parametrize("release", PTLS_RELEASES)
def test_proxysql_tls_against_its_kolla_ansible(proxysql_runs, release):
    base = proxysql_runs["root"] / "fresh" / release / "etc-kolla"
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
    return {"kolla_base_distro": distro, "neutron_plugin_agent": agent, "enable_neutron_vpnaas": True,
            "rpc_transport_url": "rabbit://openstack:password@192.0.2.11:5672//",
            "groups": {"ovn-sb-db": ["ctl1"]}, "hostvars": {"ctl1": dict(facts, api_interface="eth1")}}


@pytest.fixture(scope="session")
def vpnaas_merged(vpnaas_runs, tmp_path_factory):
    """Per release and case: kolla-ansible's merge_configs of its templates + the role's overlays."""
    out = tmp_path_factory.mktemp("merged")
    merged = {}
    for release in VPN_RELEASES:
        kolla = Path(harness.path(release))
        for agent, distro in VPN_CASES:
            overlay = _vpn_dir(vpnaas_runs, release, agent, distro) / "config" / "neutron"
            for kind, template, name in (("service", KOLLA_SERVICE_TEMPLATE, kr.VPNAAS_SERVICE_OVERLAY),
                                         ("agent", KOLLA_AGENT_TEMPLATE, kr.VPNAAS_AGENT_OVERLAY)):
                # kolla-ansible's neutron/tasks/config.yml source list (absent files skipped);
                # before 22 the agent's template comes with the backport, not with kolla-ansible.
                sources = [str(p) for p in (kolla / template, overlay / name) if p.exists()]
                if not sources or (kind == "agent" and agent != "ovn"):
                    continue
                text = harness.merge_configs(sources, _kolla_vars(agent, distro), release=release)
                path = out / ("%s-%s-%s-%s" % (release, agent, distro, kind))
                path.write_text(text)
                merged[(release, agent, distro, kind)] = path
    return merged


@pytest.fixture(scope="session")
def vpnaas_validated(vpnaas_runs, vpnaas_merged):
    result = {}
    for release in VPN_RELEASES:
        files = []
        for agent, distro in VPN_CASES:
            overlay = _vpn_dir(vpnaas_runs, release, agent, distro) / "config" / "neutron"
            files += [(overlay / kr.VPNAAS_SERVICE_OVERLAY, SERVICE_NAMESPACES),
                      (overlay / kr.VPNAAS_AGENT_OVERLAY, AGENT_NAMESPACES)]
        files = [(p, ns) for p, ns in files if p.exists()]
        files += [(p, SERVICE_NAMESPACES if key[3] == "service" else AGENT_NAMESPACES)
                  for key, p in vpnaas_merged.items() if key[0] == release]
        classes = [kr.VPNAAS_SERVICE_DRIVER] + ["%s.%s" % (kr.VPNAAS_DEVICE_DRIVER_MODULE, c)
                                                 for c in kr.VPNAAS_AGENT_DRIVER_CLASS.values()]
        result[release] = harness.neutron_validate(files, classes, release=release)
    return result


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
    with_role = harness.value(expr, variables, role="neutron", release=release)
    without = harness.value(expr, _kolla_vars("ovn", "ubuntu"), role="neutron", release=release)
    assert not any("/usr/sbin/sysctl" in v for v in with_role), with_role
    if kr.VPNAAS[release]["agent_sysctl_bind"]:
        assert "/bin/true:/usr/sbin/sysctl:ro" in without  # the test fails without the override
        assert [v for v in raw if v != kr.SYSCTL_BIND] == kr.VPNAAS_AGENT_VOLUMES_WITHOUT_SYSCTL_BIND
        assert [v for v in without if v != kr.SYSCTL_BIND] == with_role  # nothing else changed
    else:
        assert with_role == without


# --------------------------------------------------------------- upgrade path

def _upgrade_steps(releases):
    return list(zip(releases, releases[1:]))


def _check_step(runs, old, new, fresh_dir, compare):
    root = runs["root"]
    before, after = _tree(root / "snap" / old), _tree(root / "snap" / new)
    differs = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    base = os.path.realpath(root / ("upgrade/etc-kolla" if compare == "ptls" else "upgrade"))
    reported = {os.path.relpath(p, base) for p in _changed_paths(_play_named(runs, "upgrade %s" % new))}
    assert reported == differs, (sorted(reported), sorted(differs))
    fresh = _tree(fresh_dir)
    for path in after:
        if path.startswith(("globals.d/", "config/")):
            assert after[path] == fresh.get(path), path  # the upgrade gives the next release's configuration
    assert {p for p in fresh if p.startswith(("globals.d/", "config/"))} == \
        {p for p in after if p.startswith(("globals.d/", "config/"))}


@pytest.mark.parametrize("old,new", _upgrade_steps(VPN_RELEASES))
def test_vpnaas_upgrade_step(vpnaas_runs, old, new):
    _check_step(vpnaas_runs, old, new, _vpn_dir(vpnaas_runs, new, "ovn", "ubuntu"), "vpnaas")


@pytest.mark.parametrize("old,new", _upgrade_steps(PTLS_RELEASES))
def test_proxysql_tls_upgrade_step(proxysql_runs, old, new):
    _check_step(proxysql_runs, old, new, proxysql_runs["root"] / "fresh" / new / "etc-kolla", "ptls")


# ---------------------------------------------------------- refused releases

@pytest.mark.parametrize("role,release,hosts", [
    ("scs.kolla.proxysql_tls", "2024.1", "mariadb:loadbalancer"),
    ("scs.kolla.proxysql_tls", "2027.1", "mariadb:loadbalancer"),
    ("scs.kolla.vpnaas", "2027.1", "db1"),
])
def test_refused_release_changes_nothing(tmp_path, role, release, hosts):
    root = tmp_path / "kolla"
    root.mkdir()
    variables = {"openstack_release": release, "node_config": str(root), "node_custom_config": str(root / "config"),
                 "vpnaas_kolla_config_dir": str(root), "kolla_internal_vip_address": "127.0.0.10"}
    hosts_vars = {"db1": dict(_python(), api_interface_address="127.0.0.1"), "localhost": _python()}
    groups = {g: {"hosts": {"db1": None}} for g in ("mariadb", "loadbalancer", "tls-backend", "neutron-ovn-vpn-agent",
                                                    "ovn-controller", "ovn-controller-network")}
    proc = _run_playbook(tmp_path, [_play("refused", hosts, role, variables)],
                         {"all": {"hosts": hosts_vars, "children": groups}}, expect_ok=False)
    assert proc.returncode != 0
    assert release in proc.stdout and "2026.2" in proc.stdout  # names the value and what is accepted
    assert _tree(root) == {} and os.listdir(root) == []


def test_the_matrix_covers_every_release():
    assert VPN_RELEASES == list(kr.RELEASES) == sorted(harness.RELEASES) == sorted(harness.NEUTRON_RELEASES)
    assert PTLS_RELEASES + list(kr.PROXYSQL_TLS_UNSUPPORTED) == sorted(kr.RELEASES[1:]) + ["2024.1"]
    assert shutil.which("ansible-playbook") or os.path.exists(os.path.join(os.path.dirname(sys.executable), "ansible-playbook"))
