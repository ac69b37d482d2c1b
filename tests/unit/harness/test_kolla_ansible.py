# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The kolla-ansible harness against the real kolla-ansible package (PyPI)."""

import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_PATH = os.path.join(HERE, "..", "..", "harness", "kolla_ansible.py")
# Imported under another name: kolla-ansible's own package is called kolla_ansible.
_SPEC = importlib.util.spec_from_file_location("scs_kolla_ansible_harness", _PATH)
harness = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(harness)

# One pytest-xdist worker for the whole file (tests/run unit: --dist loadgroup): the
# fixture below installs one venv, which two workers must not do at the same time.
pytestmark = pytest.mark.xdist_group("kolla_ansible_venv")

VPNAAS_CONF = "roles/neutron/templates/neutron_vpnaas.conf.j2"
AGENT_INI = "roles/neutron/templates/neutron_ovn_vpn_agent.ini.j2"
AGENT_VARS = {
    "kolla_base_distro": "debian",
    "rpc_transport_url": "rabbit://openstack:secret@10.0.0.5:5672//",
    "groups": {"ovn-sb-db": ["ctl1", "ctl2"]},
    "hostvars": {
        "ctl1": {"api_interface": "eth1", "ansible_facts": {"eth1": {"ipv4": {"address": "10.0.0.5"}}}},
        "ctl2": {"api_interface": "eth1", "ansible_facts": {"eth1": {"ipv4": {"address": "10.0.0.6"}}}},
    },
}


@pytest.fixture(scope="module", autouse=True)
def installed():
    harness.install()


def test_variables_from_group_vars_and_role_defaults():
    found = harness.variables()
    assert "group_vars/all/neutron.yml" in found["enable_neutron_vpnaas"]
    assert any(f.startswith("roles/neutron/defaults/") for f in found["neutron_services"])
    assert harness.undefined_variables(["enable_neutron_vpnaas", "scs_no_such_variable"]) == [
        "scs_no_such_variable"]


@pytest.mark.parametrize("distro,implementation", [("debian", "strongswan"), ("rocky", "openswan")])
def test_render_uses_kolla_defaults_and_given_variables(distro, implementation):
    text = harness.render(VPNAAS_CONF, {"kolla_base_distro": distro, "neutron_plugin_agent": "ovn"})
    assert ("service_provider = VPN:%s:neutron_vpnaas.services.vpn.service_drivers."
            "ovn_ipsec.IPsecOvnVPNDriver:default" % implementation) in text


def test_render_resolves_group_vars_through_kolla_filters():
    text = harness.render(AGENT_INI, AGENT_VARS)
    assert "ovsdb_connection = tcp:127.0.0.1:6640" in text  # ovsdb_port from group_vars
    assert "ovn_sb_connection = tcp:10.0.0.5:6642,tcp:10.0.0.6:6642" in text  # kolla_address
    assert "device_drivers.ovn_ipsec.OvnStrongSwanDriver" in text


def test_render_error_names_the_missing_variable():
    with pytest.raises(harness.HarnessError, match="'groups' is undefined"):
        harness.render(AGENT_INI, {"kolla_base_distro": "debian"})


def test_merge_configs_like_kolla(tmp_path):
    overlay = tmp_path / "neutron_ovn_vpn_agent.ini"
    overlay.write_text(
        "[vpnagent]\nvpn_device_driver = neutron_vpnaas.services.vpn.device_drivers."
        "ovn_ipsec.OvnLibreSwanDriver\n"
        "[ipsec]\nipsec_status_check_interval = {{ 30 * 2 }}\n"
        "[AGENT]\nextensions = vpnaas\nextensions = qos\n")
    text = harness.merge_configs([AGENT_INI, str(overlay), str(tmp_path / "absent.ini")], AGENT_VARS)
    sections = text.split("\n\n")
    # Overlay wins per key, keeps kolla's other keys, templated like the role template.
    assert "vpn_device_driver = neutron_vpnaas.services.vpn.device_drivers.ovn_ipsec.OvnLibreSwanDriver" in text
    assert "OvnStrongSwanDriver" not in text
    assert "[ipsec]\nipsec_status_check_interval = 60" in text
    # A key repeated within one source stays a multi-valued option.
    assert "[AGENT]\nextensions = vpnaas\nextensions = qos" in sections
    assert "transport_url = rabbit://openstack:secret@10.0.0.5:5672//" in text


def test_merge_without_whitespace():
    text = harness.merge_configs([VPNAAS_CONF], {"kolla_base_distro": "ubuntu", "neutron_plugin_agent": "openvswitch"},
                                 whitespace=False)
    assert text.startswith("[service_providers]\nservice_provider=VPN:openswan:neutron_vpnaas."
                           "services.vpn.service_drivers.ipsec.IPsecVPNDriver:default\n")


def test_two_processes_build_one_venv_once(tmp_path):
    """Two processes (xdist workers, parallel stages) asking for the same venv: one builds it."""
    import subprocess
    import sys
    code = ("import importlib.util, sys\n"
            "spec = importlib.util.spec_from_file_location('h', %r)\n"
            "h = importlib.util.module_from_spec(spec); spec.loader.exec_module(h)\n"
            "venv = sys.argv[1]\n"
            "print(h._cached_venv(venv, venv + '/.built', sys.executable, [], True))\n") % _PATH
    venv = str(tmp_path / "venvs" / "shared")
    procs = [subprocess.Popen([sys.executable, "-c", code, venv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True) for worker in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [o.strip() for o in outs] == [venv, venv]
    assert os.path.exists(os.path.join(venv, "bin", "python"))
