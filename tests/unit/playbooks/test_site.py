# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""playbooks/site.yml on an OSISM-shaped inventory: the features it is told to apply, in
order, and the kolla-ansible runs it names afterwards. Real ansible-playbook runs of the real
roles on localhost (database TLS and VPNaaS write files only; nothing contacts the hosts)."""
import os
import re
import subprocess
import sys
import textwrap

import pytest

INVENTORY = """\
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: {python}
    node_config: {root}/etc-kolla
    node_custom_config: {root}/etc-kolla/config
    kolla_internal_vip_address: 127.0.0.10
    kolla_internal_fqdn: db-internal.test
    openstack_release: "2026.1"
    pki_key_type: ECC
    vpnaas_kolla_config_dir: {root}/etc-kolla
    vpnaas_overlay_dir: {root}/etc-kolla/config
    # the expiry metrics of the database hosts (all of them this machine): below the test's directory
    proxysql_tls_metrics_textfile_dir: {root}/node-exporter
    proxysql_tls_metrics_config_dir: {root}/db-host/etc-kolla
    proxysql_tls_metrics_become: false
  hosts:
    localhost:
  children:
    control:
      hosts:
        ctl1:
          api_interface_address: 127.0.0.1
    network:
      hosts:
        net1:
    compute:
      hosts:
        comp1:
    mariadb:
      children:
        control:
    loadbalancer:
      children:
        control:
    tls-backend:
      children:
        control:
    ovn-controller-network:
      children:
        network:
    ovn-controller-compute:
      children:
        compute:
    ovn-controller:
      children:
        ovn-controller-compute:
        ovn-controller-network:
    neutron-ovn-vpn-agent:
      children:
        network:
"""


def run_site(tmp_path, *extra):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="default",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_RETRY_FILES_ENABLED="0")
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(tmp_path / "inventory.yml"),
         "scs.kolla.site"] + list(extra),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=600, check=False)
    return proc.returncode, proc.stdout.decode()


def recap_changed(output):
    return sum(int(n) for n in re.findall(r"changed=(\d+)", output.split("PLAY RECAP")[-1]))


def next_steps(output):
    # The last debug task prints the list of kolla-ansible runs.
    tail = output.split("TASK [List the kolla-ansible runs that apply this run's changes]")[-1]
    return tail.split("PLAY RECAP")[0]


@pytest.fixture
def site(tmp_path):
    (tmp_path / "inventory.yml").write_text(INVENTORY.format(python=sys.executable, root=tmp_path))
    return tmp_path


def test_features_off_by_default_change_nothing(site):
    rc, out = run_site(site)
    assert rc == 0, out
    assert recap_changed(out) == 0
    assert "nothing: no kolla-ansible configuration changed" in next_steps(out)
    assert not (site / "etc-kolla").exists()


def test_database_tls_and_vpnaas_then_a_rerun(site):
    rc, out = run_site(site, "-e", "scs_kolla_proxysql_tls=true", "-e", "scs_kolla_vpnaas=true")
    assert rc == 0, out
    steps = next_steps(out)
    assert "database TLS: osism apply mariadb, then osism apply loadbalancer" in steps
    assert "VPNaaS: osism apply neutron, then osism apply horizon" in steps
    # Database TLS is applied before VPNaaS.
    assert out.index("Run scs.kolla.proxysql_tls") < out.index("Run scs.kolla.vpnaas")
    assert (site / "etc-kolla" / "globals.d" / "scs-proxysql-tls.yml").is_file()
    assert (site / "etc-kolla" / "globals.d" / "scs-vpnaas.yml").is_file()
    assert (site / "etc-kolla" / "certificates" / "ca" / "root.crt").is_file()

    rc, out = run_site(site, "-e", "scs_kolla_proxysql_tls=true", "-e", "scs_kolla_vpnaas=true")
    assert rc == 0, out
    assert recap_changed(out) == 0, out
    assert "nothing: no kolla-ansible configuration changed" in next_steps(out)


def test_bad_input_of_one_feature_stops_before_any_file(site):
    # An unquoted 2025.10 in YAML is the float 2025.1.
    rc, out = run_site(site, "-e", "scs_kolla_proxysql_tls=true", "-e", '{"openstack_release": 2025.10}')
    assert rc != 0
    assert "2025.1 (a float)" in out and "quote it" in out, textwrap.shorten(out, 2000)
    assert not (site / "etc-kolla" / "globals.d").exists()
