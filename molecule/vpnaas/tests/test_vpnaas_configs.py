# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""What scs.kolla.vpnaas wrote, checked with neutron-vpnaas' and kolla-ansible's own code.

Run by the scenario's verify step (SCS_VPNAAS_TEST_ROOT = the converged deployments).
"""

import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_policy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CACHE = Path(os.environ.get("SCS_KOLLA_CACHE", ROOT / ".cache"))
VPNAAS_2024_1 = CACHE / "src" / "neutron-vpnaas-24" / "neutron_vpnaas"
KOLLA_2024_1 = CACHE / "src" / "kolla-ansible-18" / "share" / "kolla-ansible" / "ansible"
TEST_ROOT = Path(os.environ["SCS_VPNAAS_TEST_ROOT"])
CASES = yaml.safe_load((HERE.parent / "vars" / "cases.yml").read_text())["vpnaas_test_cases"]
OVN_CASES = [c for c in CASES if c["agent"] == "ovn"]
OVERLAY_CASES = [c for c in CASES if c["overlays"]]

# pure Python, no Ansible imports: the role's release facts
_kr_spec = importlib.util.spec_from_file_location("scs_kolla_releases", ROOT / "plugins" / "module_utils" / "kolla_releases.py")
KOLLA_RELEASES = importlib.util.module_from_spec(_kr_spec)
_kr_spec.loader.exec_module(KOLLA_RELEASES)
_spec = importlib.util.spec_from_file_location("scs_kolla_ansible_harness", ROOT / "tests" / "harness" / "kolla_ansible.py")
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)
# neutron 28.0.2 + neutron-vpnaas 28.0.0: the release matrix's 2026.1 venv (install.sh installs it)
NEUTRON_VENV = Path(harness.neutron_venv_for("2026.1"))
SITE = next((NEUTRON_VENV / "lib").glob("python3*/site-packages"))

# Option namespaces of what each process loads (neutron-vpnaas setup.cfg, oslo.config.opts):
# neutron-server reads neutron_vpnaas.conf for [service_providers]; neutron-ovn-vpn-agent
# registers neutron's common options, interface driver, AZ, RPC and logging options and
# neutron.vpnaas.ovn_agent (sections vpnagent, ovs, ovn, ipsec, strongswan, pluto).
SERVICE_NAMESPACES = ["neutron.vpnaas"]
AGENT_NAMESPACES = ["neutron.vpnaas.ovn_agent", "neutron", "neutron.agent", "neutron.az.agent",
                    "oslo.messaging", "oslo.log"]
# kolla-ansible 22.2.0's neutron_ovn_vpn_agent.ini.j2 sets two options that the OVN VPN agent
# does not register (an L3-agent and an OVS-agent option): ignored at run time.
KOLLA_TEMPLATE_EXTRAS = {"AGENT/extensions is not part of the sample config",
                         "ovs/ovsdb_timeout is not part of the sample config"}

DRIVER = {"ubuntu": "strongswan", "debian": "strongswan", "rocky": "libreswan"}
PROVIDER = {"strongswan": "strongswan", "libreswan": "openswan"}
AGENT_CLASS = {"strongswan": "OvnStrongSwanDriver", "libreswan": "OvnLibreSwanDriver"}
SERVICE_DRIVER = "neutron_vpnaas.services.vpn.service_drivers.ovn_ipsec.IPsecOvnVPNDriver"
DEVICE_DRIVER_MODULE = "neutron_vpnaas.services.vpn.device_drivers.ovn_ipsec"

KOLLA_SERVICE_TEMPLATE = "roles/neutron/templates/neutron_vpnaas.conf.j2"
KOLLA_AGENT_TEMPLATE = "roles/neutron/templates/neutron_ovn_vpn_agent.ini.j2"


def case_dir(case):
    return TEST_ROOT / case["name"]


def service_overlay(case):
    return case_dir(case) / "config" / "neutron" / "neutron_vpnaas.conf"


def agent_overlay(case):
    return case_dir(case) / "config" / "neutron" / "neutron_ovn_vpn_agent.ini"


def expected_provider(case):
    driver = DRIVER[case["distro"]]
    return "VPN:%s:%s:default" % (PROVIDER[driver], SERVICE_DRIVER)


def expected_device_driver(case):
    return "%s.%s" % (DEVICE_DRIVER_MODULE, AGENT_CLASS[DRIVER[case["distro"]]])


def kolla_vars(case):
    """What kolla-ansible would know on a real deployment, for rendering its templates."""
    facts = {"ansible_facts": {"eth1": {"ipv4": {"address": "192.0.2.11"}}}}
    return {
        "kolla_base_distro": case["distro"],
        "neutron_plugin_agent": case["agent"],
        "enable_neutron_vpnaas": True,
        "rpc_transport_url": "rabbit://openstack:password@192.0.2.11:5672//",
        "groups": {"ovn-sb-db": ["ctl1"]},
        "hostvars": {"ctl1": dict(facts, api_interface="eth1")},
    }


def ini_values(text, section, key):
    values, current = [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section and "=" in line and not line.startswith("#"):
            k, _sep, v = line.partition("=")
            if k.strip() == key:
                values.append(v.strip())
    return values


def run_validator_batch(files, classes=()):
    request = {"files": [{"path": str(p), "namespaces": ns} for p, ns in files], "classes": list(classes)}
    proc = subprocess.run([str(NEUTRON_VENV / "bin" / "python"), str(ROOT / "tests" / "harness" / "oslo_validate.py")],
                          input=json.dumps(request), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def validator_cli(path, namespaces):
    cmd = [str(NEUTRON_VENV / "bin" / "oslo-config-validator"), "--input-file", str(path)]
    for ns in namespaces:
        cmd += ["--namespace", ns]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def merged(tmp_path_factory):
    """kolla-ansible 22.2.0's templates merged with the role's overlays by its merge_configs."""
    out = tmp_path_factory.mktemp("merged")
    result = {}
    for case in OVN_CASES:
        for kind, template, overlay in (("service", KOLLA_SERVICE_TEMPLATE, service_overlay(case)),
                                        ("agent", KOLLA_AGENT_TEMPLATE, agent_overlay(case))):
            # The same source list as kolla-ansible's neutron/tasks/config.yml (absent files skipped).
            text = harness.merge_configs([template, str(overlay)], kolla_vars(case))
            path = out / ("%s-%s" % (case["name"], kind))
            path.write_text(text)
            result[(case["name"], kind)] = path
    return result


@pytest.fixture(scope="session")
def validated(merged):
    files = []
    for case in OVERLAY_CASES:
        files += [(service_overlay(case), SERVICE_NAMESPACES), (agent_overlay(case), AGENT_NAMESPACES)]
    for (_name, kind), path in merged.items():
        files.append((path, SERVICE_NAMESPACES if kind == "service" else AGENT_NAMESPACES))
    classes = [SERVICE_DRIVER] + ["%s.%s" % (DEVICE_DRIVER_MODULE, c) for c in AGENT_CLASS.values()]
    return run_validator_batch(files, classes)


# ----------------------------------------------------------------- globals fragment

@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_globals_fragment_uses_only_kolla_variables(case):
    data = yaml.safe_load((case_dir(case) / "globals.d" / "scs-vpnaas.yml").read_text())
    expected = {"enable_neutron_vpnaas": "yes", "enable_horizon_neutron_vpnaas": "yes"}
    if case["agent"] == "ovn" and KOLLA_RELEASES.VPNAAS[case["release"]]["agent_sysctl_bind"]:
        # Launchpad 2160208: kolla-ansible 22's volume list without the /bin/true sysctl bind
        expected["neutron_ovn_vpn_agent_default_volumes"] = KOLLA_RELEASES.VPNAAS_AGENT_VOLUMES_WITHOUT_SYSCTL_BIND
        assert KOLLA_RELEASES.SYSCTL_BIND not in data["neutron_ovn_vpn_agent_default_volumes"]
    assert data == expected
    assert harness.undefined_variables(list(data)) == []


def test_variable_check_can_fail():
    assert harness.undefined_variables(["enable_neutron_vpnaas", "enable_neutron_vpnaaas"]) == ["enable_neutron_vpnaaas"]


# ---------------------------------------------------------------------- overlays

@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_overlays_exactly_where_needed(case):
    assert service_overlay(case).exists() == case["overlays"]
    assert agent_overlay(case).exists() == case["overlays"]


@pytest.mark.parametrize("case", OVERLAY_CASES, ids=[c["name"] for c in OVERLAY_CASES])
def test_role_overlays_are_valid_neutron_vpnaas_config(case, validated):
    for path in (service_overlay(case), agent_overlay(case)):
        report = validated["files"][str(path)]
        assert report == {"rc": 0, "messages": []}, path
    assert ini_values(service_overlay(case).read_text(), "service_providers", "service_provider") == [expected_provider(case)]
    assert ini_values(agent_overlay(case).read_text(), "vpnagent", "vpn_device_driver") == [expected_device_driver(case)]


def test_driver_classes_exist_in_neutron_vpnaas(validated):
    assert validated["classes"] and all(validated["classes"].values()), validated["classes"]


@pytest.mark.parametrize("section,good,bad", [
    ("vpnagent", "vpn_device_driver", "vpn_device_drivr"),
    ("service_providers", "service_provider", "service_providr"),
])
def test_validator_cli_fails_on_a_wrong_option(tmp_path, section, good, bad):
    case = OVERLAY_CASES[0]
    source = agent_overlay(case) if section == "vpnagent" else service_overlay(case)
    namespaces = AGENT_NAMESPACES if section == "vpnagent" else SERVICE_NAMESPACES
    ok = validator_cli(source, namespaces)
    assert ok.returncode == 0, ok.stderr[-2000:]
    broken = tmp_path / source.name
    broken.write_text(source.read_text().replace("\n%s = " % good, "\n%s = " % bad))
    assert bad in broken.read_text()
    failed = validator_cli(broken, namespaces)
    assert failed.returncode == 1
    assert "%s/%s is not part of the sample config" % (section, bad) in failed.stderr


# ------------------------------------------------------- kolla-ansible's merge_configs

@pytest.mark.parametrize("case", OVN_CASES, ids=[c["name"] for c in OVN_CASES])
def test_kolla_merge_result_is_valid_and_uses_the_ovn_drivers(case, merged, validated):
    service = merged[(case["name"], "service")]
    agent = merged[(case["name"], "agent")]
    assert ini_values(service.read_text(), "service_providers", "service_provider") == [expected_provider(case)]
    assert validated["files"][str(service)] == {"rc": 0, "messages": []}
    text = agent.read_text()
    assert ini_values(text, "vpnagent", "vpn_device_driver") == [expected_device_driver(case)]
    # kolla's own settings survive the merge
    assert ini_values(text, "ovn", "ovn_sb_connection") == ["tcp:192.0.2.11:6642"]
    assert ini_values(text, "DEFAULT", "transport_url") == [kolla_vars(case)["rpc_transport_url"]]
    report = validated["files"][str(agent)]
    assert report["rc"] == 1 and set(report["messages"]) == KOLLA_TEMPLATE_EXTRAS, report


def test_overlay_turns_the_2024_1_template_into_the_ovn_driver(tmp_path):
    """kolla-ansible 18 (2024.1) renders the ML2/OVS IPsec driver; the role's overlay replaces it."""
    case = next(c for c in OVERLAY_CASES if c["release"] == "2024.1")
    template = str(KOLLA_2024_1 / KOLLA_SERVICE_TEMPLATE)
    plain = harness.merge_configs([template], kolla_vars(case))
    assert ini_values(plain, "service_providers", "service_provider") == [
        "VPN:openswan:neutron_vpnaas.services.vpn.service_drivers.ipsec.IPsecVPNDriver:default"]
    with_overlay = harness.merge_configs([template, str(service_overlay(case))], kolla_vars(case))
    assert ini_values(with_overlay, "service_providers", "service_provider") == [expected_provider(case)]


# ----------------------------------------------- release facts in module_utils

def _enum(source, name):
    match = re.search(r"sa\.Enum\(([^)]*?)name=[\"']%s[\"']" % name, source, re.S)
    assert match, name
    return tuple(re.findall(r"[\"']([\w-]+)[\"']", match.group(1)))


def test_2024_1_values_match_neutron_vpnaas_24_models():
    source = (VPNAAS_2024_1 / "db" / "vpn" / "vpn_models.py").read_text()
    api = vpnaas_policy.API_VALUES["2024.1"]
    assert set(_enum(source, "vpn_pfs")) == set(api["pfs"])
    assert set(_enum(source, "vpn_encrypt_algorithms")) == set(api["encryption_algorithm"])
    assert set(_enum(source, "vpn_auth_algorithms")) == set(api["auth_algorithm"])


def test_2026_1_values_match_neutron_vpnaas_28_models():
    source = (SITE / "neutron_vpnaas" / "db" / "vpn" / "vpn_models.py").read_text()
    api = vpnaas_policy.API_VALUES["2026.1"]

    def listed(name):
        block = re.search(r"%s = \[(.*?)\]" % name, source, re.S).group(1)
        return set(re.findall(r"'([\w-]+)'", block))

    assert listed("PFS_ENUM_VALUES") == set(api["pfs"])
    assert listed("ENCRYPTION_ALGORITHM_ENUM_VALUES") == set(api["encryption_algorithm"])
    assert listed("AUTH_ALGORITHM_ENUM_VALUES") == set(api["auth_algorithm"])


def test_driver_values_are_translated_by_the_device_drivers():
    drivers = SITE / "neutron_vpnaas" / "services" / "vpn" / "device_drivers"
    libreswan_map = set(re.findall(r'"([\w-]+)": "', (drivers / "ipsec.py").read_text()))
    strongswan_map = libreswan_map | set(re.findall(r"'([\w-]+)': '", (drivers / "strongswan_ipsec.py").read_text()))
    # sha1 is passed through unchanged; both daemons spell it the same way.
    for driver, known in (("libreswan", libreswan_map), ("strongswan", strongswan_map)):
        values = vpnaas_policy.allowed_values("2026.1", driver)
        for key in ("encryption_algorithm", "auth_algorithm", "pfs"):
            missing = set(values[key]) - known - {"sha1"}
            assert not missing, (driver, key, missing)
    assert "aes-256-gcm-16" not in libreswan_map and "group29" not in libreswan_map
