# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Input rules of scs.kolla.vpnaas (pure Python, no Ansible imports).

``check(values)`` gets the role's variables as ``roles/vpnaas/tasks/preflight.yml`` passes
them, including the role's release table (``releases``: release -> facts) and the distro ->
device driver table, so releases added to the role's tables need no change here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v
from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_policy

# Neutron's limit for names and descriptions of IKE/IPsec policies (NAME_MAX_LEN, DESCRIPTION_MAX_LEN).
NEUTRON_NAME_MAX = 255
NEUTRON_DESCRIPTION_MAX = 255
# Keystone project names: at most 64 characters; IDs are 32 hex digits.
PROJECT_MAX = 64
AGENTS = ("ovn", "openvswitch")


def module_option_problems(params):
    """Checks of scs.kolla.vpnaas_policies options beyond their argument spec."""
    problems = v.Problems()
    v.check_text(problems, "name", params.get("name"), max_len=NEUTRON_NAME_MAX)
    if params.get("description") is not None:
        v.check_text(problems, "description", params.get("description"), max_len=NEUTRON_DESCRIPTION_MAX,
                     allow_empty=True)
    if params.get("project") is not None:
        v.check_text(problems, "project", params.get("project"), max_len=PROJECT_MAX, what="a project name or ID")
    return problems


def info_option_problems(params):
    """Checks of scs.kolla.vpnaas_info options beyond their argument spec."""
    problems = v.Problems()
    v.check_pattern(problems, "agent_binary", params.get("agent_binary"), r"[A-Za-z0-9][A-Za-z0-9_.-]{0,254}",
                    "expected an agent binary name such as 'neutron-ovn-vpn-agent' (letters, digits, '_', '.', '-')")
    return problems


def check(values):
    problems = v.Problems()
    get = values.get
    table = get("releases") or {}
    known = list(table)

    release = get("vpnaas_openstack_release")
    release_ok = v.check_release(problems, "vpnaas_openstack_release", release, known)
    agent = get("vpnaas_neutron_plugin_agent")
    agent_ok = v.check_choice(problems, "vpnaas_neutron_plugin_agent", agent, AGENTS)
    drivers = get("device_drivers") or {}
    distro = get("vpnaas_base_distro")
    driver = None
    if isinstance(distro, str) and distro.lower() in drivers:
        driver = drivers[distro.lower()]
    else:
        problems.add("vpnaas_base_distro", distro, "expected one of the kolla base distros %s"
                     % ", ".join(drivers))

    backports = get("vpnaas_ovn_backport_releases")
    v.check_list(problems, "vpnaas_ovn_backport_releases", backports,
                 lambda p, n, x: v.check_release(p, n, x, known))
    if release_ok and agent_ok and agent == "ovn":
        facts = table[release] if isinstance(table[release], dict) else {}
        if facts.get("ovn_agent") != "upstream" and not (isinstance(backports, list) and release in backports):
            problems.note(
                "vpnaas_openstack_release: kolla-ansible %s (%s) deploys no OVN VPN agent; upstream kolla-ansible "
                "has it from 22.0.0 (2026.1) and OSISM backports it to 2024.1. Use a kolla-ansible that carries "
                "the backport and add %r to vpnaas_ovn_backport_releases, upgrade, or use "
                "neutron_plugin_agent openvswitch" % (facts.get("kolla_ansible", "?"), release, release))

    for key in ("vpnaas_ovn_agent_group", "vpnaas_ovn_chassis_group", "vpnaas_ovn_gateway_group",
                "vpnaas_l3_agent_group"):
        v.check_group_name(problems, key, get(key))
    v.check_bool(problems, "vpnaas_inventory_check", get("vpnaas_inventory_check"))
    if get("vpnaas_inventory_check") is True and agent_ok:
        hosts = get("hosts") or {}
        if agent == "ovn":
            group = get("vpnaas_ovn_agent_group")
            agents = hosts.get("agent") or []
            if not agents:
                problems.note("Inventory group %s (vpnaas_ovn_agent_group) is missing or empty: kolla-ansible "
                              "places the OVN VPN agent there; add '[%s:children]' with 'network' (the gateway "
                              "nodes)" % (v.show(group), group))
            else:
                for key, role in (("chassis", "vpnaas_ovn_chassis_group"), ("gateway", "vpnaas_ovn_gateway_group")):
                    missing = [h for h in agents if h not in (hosts.get(key) or [])]
                    if missing:
                        problems.note("Hosts in %s must run ovn-controller as gateway chassis: not in %s (%s): %s"
                                      % (v.show(group), v.show(get(role)), role, ", ".join(missing)))
        elif not hosts.get("l3"):
            problems.note("Inventory group %s (vpnaas_l3_agent_group) is missing or empty: with "
                          "neutron_plugin_agent openvswitch, kolla-ansible runs VPNaaS in the L3 agents"
                          % v.show(get("vpnaas_l3_agent_group")))

    v.check_mode(problems, "vpnaas_file_mode", get("vpnaas_file_mode"))
    v.check_abs_path(problems, "vpnaas_kolla_config_dir", get("vpnaas_kolla_config_dir"), kind="dir")
    globals_file = get("vpnaas_globals_file")
    if v.check_abs_path(problems, "vpnaas_globals_file", globals_file, kind="file"):
        v.check_parent_dirs(problems, "vpnaas_globals_file", globals_file)
    overlay = get("vpnaas_overlay_dir")
    if v.check_abs_path(problems, "vpnaas_overlay_dir", overlay, kind="dir") and get("overlays"):
        neutron = os.path.join(overlay, "neutron")
        if v.check_abs_path(problems, "vpnaas_overlay_dir (neutron)", neutron, kind="dir") \
                and v.check_parent_dirs(problems, "vpnaas_overlay_dir", neutron):
            for name in get("overlay_files") or []:
                v.check_abs_path(problems, "vpnaas_overlay_dir (%s)" % name, os.path.join(overlay, name), kind="file")

    for key in ("vpnaas_ike_policy", "vpnaas_ipsec_policy"):
        v.check_mapping(problems, key, get(key))
    v.check_bool(problems, "vpnaas_policies_allow_weak", get("vpnaas_policies_allow_weak"))
    if release_ok and driver is not None and isinstance(get("vpnaas_ike_policy"), dict) \
            and isinstance(get("vpnaas_ipsec_policy"), dict):
        try:
            vpnaas_policy.validate_policies(release, driver, get("vpnaas_ike_policy"), get("vpnaas_ipsec_policy"),
                                            get("vpnaas_policies_allow_weak") is True)
        except vpnaas_policy.VpnaasValidationError as exc:
            problems.note("vpnaas_ike_policy / vpnaas_ipsec_policy: %s" % exc)

    v.check_text(problems, "vpnaas_policies_name", get("vpnaas_policies_name"), max_len=NEUTRON_NAME_MAX)
    v.check_text(problems, "vpnaas_policies_description", get("vpnaas_policies_description"),
                 max_len=NEUTRON_DESCRIPTION_MAX, allow_empty=True)
    v.check_list(problems, "vpnaas_policies_projects", get("vpnaas_policies_projects"),
                 lambda p, n, x: v.check_text(p, n, x, max_len=PROJECT_MAX, what="a project name or ID"))
    if get("vpnaas_policies_create") is True:
        # The preflight passes only the shape of these settings: they may carry a password.
        if get("vpnaas_cloud_shape") not in ("string", "mapping"):
            problems.add("vpnaas_cloud", "(a %s)" % get("vpnaas_cloud_shape"),
                         "expected a cloud name from clouds.yaml or a mapping of connection settings")
        if get("vpnaas_auth_shape") != "mapping":
            problems.add("vpnaas_auth", "(a %s)" % get("vpnaas_auth_shape"),
                         "expected a mapping (auth_url, username, password, project_name, ...)")
        v.check_text(problems, "vpnaas_region_name", get("vpnaas_region_name"), max_len=255, allow_empty=True)
        ca_cert = get("vpnaas_ca_cert")
        if ca_cert not in ("", None):
            v.check_abs_path(problems, "vpnaas_ca_cert", ca_cert, kind="file", must_exist=True)
    return problems


def check_absent(values):
    """vpnaas_state absent: only the paths of the files to remove (no release or inventory)."""
    problems = v.Problems()
    v.check_abs_path(problems, "vpnaas_kolla_config_dir", values.get("vpnaas_kolla_config_dir"), kind="dir")
    # What is found at the file paths is judged by tasks/absent.yml (only the role's own files go).
    v.check_abs_path(problems, "vpnaas_globals_file", values.get("vpnaas_globals_file"))
    v.check_abs_path(problems, "vpnaas_overlay_dir", values.get("vpnaas_overlay_dir"), kind="dir")
    return problems
