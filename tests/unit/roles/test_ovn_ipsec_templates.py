# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The ovs-monitor-ipsec unit's command line on both sides of the --command-timeout decision."""

import os

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:  # ansible-core >= 2.19 templates only trusted strings
    from ansible.template import trust_as_template
except ImportError:  # pragma: no cover
    def trust_as_template(text):
        return text

from ansible_collections.scs.kolla.plugins.module_utils import ovs_version

TEMPLATES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "roles", "ovn_ipsec", "templates")


def render(name, **variables):
    """Render a role template with Ansible's own templating (its filters, its rules)."""
    with open(os.path.join(TEMPLATES, name)) as handle:
        source = handle.read()
    templar = Templar(loader=DataLoader(), variables=dict(variables, ansible_managed="Ansible managed"))
    return templar.template(trust_as_template(source))


def monitor_unit(version, ike_daemon):
    decision = ovs_version.decide(ovs_version.parse_version(version), ike_daemon)
    decision["monitor_arguments"] = ovs_version.monitor_arguments(decision, ike_daemon, "/var/lib/ipsec/nss", 60)
    text = render("ovn-ipsec-monitor.service.j2", __ovn_ipsec_ovs_version=decision, ovn_ipsec_ike_daemon=ike_daemon,
                  ovn_ipsec_ovsdb="unix:/run/openvswitch/db.sock", ovn_ipsec_ovs_runtime="kolla",
                  __ovn_ipsec_monitor_pidfile="/run/openvswitch/ovs-monitor-ipsec.pid",
                  ovn_ipsec_monitor_script="/usr/share/openvswitch/scripts/ovs-monitor-ipsec",
                  ovn_ipsec_libreswan_whack_timeout=60, ovn_ipsec_libreswan_nss_dir="/var/lib/ipsec/nss")
    [line] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    return line.split()


@pytest.mark.parametrize("version", ["3.1.6", "3.4.1", "3.5.0", "3.6.0"])
def test_libreswan_with_command_timeout(version):
    argv = monitor_unit(version, "libreswan")
    assert "--command-timeout=60" in argv and "--ipsec-d=/var/lib/ipsec/nss" in argv
    assert argv.index("--ike-daemon=libreswan") < argv.index("--command-timeout=60") < argv.index("--detach")


@pytest.mark.parametrize("version", ["3.1.0", "3.3.0", "3.4.0"])
def test_libreswan_without_command_timeout_keeps_the_old_command_line(version):
    argv = monitor_unit(version, "libreswan")
    assert not [a for a in argv if a.startswith("--command-timeout")]
    assert argv == ["ExecStart=/usr/share/openvswitch/scripts/ovs-monitor-ipsec",
                    "--pidfile=/run/openvswitch/ovs-monitor-ipsec.pid", "--ike-daemon=libreswan",
                    "--ipsec-d=/var/lib/ipsec/nss", "--log-file=/var/log/openvswitch/ovs-monitor-ipsec.log",
                    "--detach", "unix:/run/openvswitch/db.sock"]


@pytest.mark.parametrize("version", ["3.1.0", "3.6.0"])
def test_strongswan_command_line_does_not_depend_on_the_version(version):
    assert monitor_unit(version, "strongswan") == [
        "ExecStart=/usr/share/openvswitch/scripts/ovs-monitor-ipsec",
        "--pidfile=/run/openvswitch/ovs-monitor-ipsec.pid", "--ike-daemon=strongswan",
        "--log-file=/var/log/openvswitch/ovs-monitor-ipsec.log", "--detach", "unix:/run/openvswitch/db.sock"]


def test_metrics_units():
    hostvars = {"a": {"__ovn_ipsec_system_id": "node-a"}, "b": {"__ovn_ipsec_system_id": "node-b"},
                "c": {"__ovn_ipsec_system_id": "node-c"}}
    service = render(
        "ovn-ipsec-metrics.service.j2", __ovn_ipsec_system_id="node-b", ansible_play_hosts=["c", "a", "b"], hostvars=hostvars,
        __ovn_ipsec_monitor_unit="ovn-ipsec-monitor.service", __ovn_ipsec_metrics_lib_dir="/usr/local/lib/scs-kolla",
        ovn_ipsec_metrics_textfile_dir="/var/lib/prometheus/node-exporter",
        __ovn_ipsec_metrics_tunnel_file="scs_kolla_ovn_ipsec_tunnels.prom")
    [line] = [line for line in service.splitlines() if line.startswith("ExecStart=")]
    assert line.split() == [
        "ExecStart=/usr/bin/python3", "/usr/local/lib/scs-kolla/tls_metrics.py", "tunnels",
        "--output", "/var/lib/prometheus/node-exporter/scs_kolla_ovn_ipsec_tunnels.prom",
        "--chassis", "node-b", "--timeout", "30", "--peer", "node-a", "--peer", "node-c"]
