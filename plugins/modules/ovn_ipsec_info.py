#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ovn_ipsec_info
short_description: Read the OVN IPsec state of one chassis
version_added: 0.1.0
description:
  - Reads the chassis settings that OVN IPsec depends on from the local Open vSwitch database
    (C(external_ids) C(system-id), C(ovn-encap-ip), C(ovn-encap-type), C(ovn-remote) and the
    C(other_config) keys C(certificate), C(private_key), C(ca_cert)).
  - Asks C(ovs-monitor-ipsec) for its tunnels (C(ovs-appctl -t ovs-monitor-ipsec tunnels/show)) and
    rates every expected peer chassis - tunnel present and C(CONFIGURED), IKE SA established, ESP SA
    installed in the kernel.
  - Works against the OVS database of kolla-ansible's C(openvswitch_db) container through the
    socket it shares with the host (C(/run/openvswitch/db.sock)).
  - Never fails because the chassis is unhealthy; the results say what is wrong, so a play can
    report every chassis pair at once.
  - Only reads. M(scs.kolla.ovn_ipsec_tunnels) brings tunnels up.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  ovsdb:
    description:
      - OVSDB remote of the chassis' Open vSwitch database (C(unix:PATH) or C(tcp:HOST:PORT)).
      - Read with the OVSDB protocol directly, so the host needs no C(ovs-vsctl).
    type: str
    default: unix:/run/openvswitch/db.sock
  ovs_appctl:
    description: The C(ovs-appctl) program (name looked up in PATH, or a path).
    type: str
    default: ovs-appctl
  timeout:
    description: Seconds the OVS database and C(ovs-appctl) may take to answer.
    type: int
    default: 10
  monitor:
    description: Query C(ovs-monitor-ipsec) for its tunnels.
    type: bool
    default: true
  expected_peers:
    description:
      - Chassis names (OVS C(system-id)) this chassis must have an encrypted tunnel to.
      - The chassis' own name is ignored, so the whole chassis list can be given on every host.
    type: list
    elements: str
    default: []
  ipsec:
    description: The C(ipsec) program of the IKE daemon; its C(status) output rates the tunnels.
    type: str
    default: ipsec
  files:
    description:
      - Paths to describe (existence, type, mode, owner, SHA-256 of regular files), so a play can
        change only what differs without one round trip per file.
    type: list
    elements: path
    default: []
  units:
    description: systemd units to describe (load state, active state, unit file state, masked).
    type: list
    elements: str
    default: []
  packages:
    description: Debian packages to check (installed or not).
    type: list
    elements: str
    default: []
  loaded_certificate:
    description:
      - strongSwan - a certificate path (the chassis certificate) to look up among the certificates the
        running charon has loaded (C(ipsec listcerts)), by serial number (read with C(openssl)).
      - Tells whether a renewed certificate placed by an earlier run was loaded, also when that run
        ended before its reload.
    type: path
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Nothing to compare; the module reports state.
notes:
  - With O(monitor=true) C(ovs-appctl) is needed on the managed host; without it the monitor is reported as not running.
seealso:
  - name: OVS IPsec tutorial
    description: How ovs-monitor-ipsec configures tunnels.
    link: https://docs.openvswitch.org/en/latest/tutorials/ipsec/
"""

EXAMPLES = r"""
- name: Read chassis settings before enabling IPsec
  scs.kolla.ovn_ipsec_info:
    monitor: false
  register: chassis

- name: Rate the encrypted tunnels to every other chassis
  scs.kolla.ovn_ipsec_info:
    expected_peers: "{{ groups['ovn-controller'] | map('extract', hostvars, ['chassis', 'ovs', 'system_id']) | list }}"
  register: ipsec

- name: Fail with the chassis pairs that are not encrypted
  ansible.builtin.assert:
    that: ipsec.broken_pairs | length == 0
    fail_msg: "{{ ipsec.broken_pairs }}"
"""

RETURN = r"""
ovs:
  description: Settings read from the Open_vSwitch table.
  returned: always
  type: dict
  contains:
    reachable:
      description: Whether the OVS database answered.
      type: bool
    error:
      description: Why the OVS database could not be read, else null.
      type: str
    system_id:
      description: C(external_ids:system-id), the OVN chassis name.
      type: str
      sample: compute01
    encap_type:
      description: C(external_ids:ovn-encap-type).
      type: str
      sample: geneve
    encap_ips:
      description: C(external_ids:ovn-encap-ip) split at commas.
      type: list
      elements: str
      sample: [192.168.16.10]
    ovn_remote:
      description: C(external_ids:ovn-remote).
      type: str
    pki:
      description: C(other_config) keys C(certificate), C(private_key), C(ca_cert) (empty when unset).
      type: dict
monitor:
  description: State of ovs-monitor-ipsec.
  returned: always
  type: dict
  contains:
    running:
      description: Whether ovs-monitor-ipsec answered.
      type: bool
    error:
      description: Why it did not answer, else null.
      type: str
    tunnels:
      description: Tunnels as the monitor shows them (interface, version, state, remote_ip, remote_name, connections, kernel_sas, ...).
      type: list
      elements: dict
peers:
  description: Per peer chassis name the rating of its tunnel (interface, state, ike_established, child_sa, healthy, reason).
  returned: always
  type: dict
problems:
  description: Expected peer chassis whose tunnel is not healthy, sorted.
  returned: always
  type: list
  elements: str
broken_pairs:
  description:
    - One line per expected peer whose tunnel is not healthy, C(local -> peer - reason) with a colon after the peer,
      or a single C(local -> *) line when ovs-monitor-ipsec does not answer. Empty with O(monitor=false).
  returned: always
  type: list
  elements: str
  sample: ["compute01 -> net02: tunnel ovn-net02-0 has no established IKE SA"]
files:
  description: Per requested path - exists, type (file, directory, link, other), mode (octal string), owner, sha256 (regular files).
  returned: always
  type: dict
  sample: {"/etc/ipsec.d/private/k.pem": {"exists": true, "type": "file", "mode": "0600", "owner": "root", "sha256": "9f86..."}}
units:
  description: Per requested unit - load, active, file_state, masked.
  returned: always
  type: dict
  sample: {"openvswitch-switch.service": {"load": "masked", "active": "inactive", "file_state": "masked", "masked": true}}
packages:
  description: Per requested package whether it is installed.
  returned: always
  type: dict
  sample: {"strongswan": true}
loaded_certificate:
  description:
    - With O(loaded_certificate) - the certificate's serial (lower-case hex) and whether charon has loaded it;
      C(loaded) is null, with C(error) saying why, when that cannot be told (no certificate, charon not running).
  returned: when O(loaded_certificate) is given
  type: dict
  sample: {"path": "/etc/ipsec.d/certs/ovn-ipsec-chassis.pem", "serial": "120d9b95c0842a51", "loaded": false, "error": null}
"""

import grp
import hashlib
import os
import pwd
import stat

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.scs.kolla.plugins.module_utils.ovn_ipsec_input import info_option_problems
from ansible_collections.scs.kolla.plugins.module_utils.ovn_ipsec import (
    OvsdbError,
    ParseError,
    broken_pairs,
    evaluate_peers,
    loaded_certificate,
    parse_dpkg_status,
    parse_systemctl_show,
    read_open_vswitch,
    read_tunnels,
    run_program,
)
from ansible_collections.scs.kolla.plugins.module_utils.tls_metrics import read_certificate_file


def read_ovs(module):
    params = module.params
    result = {"reachable": False, "error": None, "system_id": "", "encap_type": "",
              "encap_ips": [], "ovn_remote": "", "pki": {}}
    try:
        config = read_open_vswitch(params["ovsdb"], params["timeout"])
    except (OvsdbError, ParseError) as exc:
        result["error"] = str(exc)
        return result
    result.update(reachable=True, system_id=config["system_id"], encap_type=config["encap_type"],
                  encap_ips=config["encap_ips"], ovn_remote=config["ovn_remote"], pki=config["pki"])
    return result


def read_monitor(module):
    params = module.params
    try:
        return read_tunnels(lambda argv: run_program(module, argv), params["ovs_appctl"], params["ipsec"], params["timeout"])
    except ParseError as exc:
        module.fail_json(msg="cannot read ovs-monitor-ipsec tunnels/show: %s" % exc)


def describe_file(path):
    try:
        st = os.lstat(path)
    except OSError:
        return {"exists": False, "type": None, "mode": None, "owner": None, "group": None, "sha256": None}
    if stat.S_ISLNK(st.st_mode):
        kind = "link"
    elif stat.S_ISDIR(st.st_mode):
        kind = "directory"
    elif stat.S_ISREG(st.st_mode):
        kind = "file"
    else:
        kind = "other"
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    digest = None
    if kind == "file":
        sha = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(65536), b""):
                    sha.update(chunk)
            digest = sha.hexdigest()
        except (IOError, OSError):
            digest = "unreadable"
    return {"exists": True, "type": kind, "mode": "%04o" % stat.S_IMODE(st.st_mode), "owner": owner,
            "group": group, "sha256": digest}


def describe_units(module, units):
    if not units:
        return {}
    rc, out, err = run_program(module, ["systemctl", "show", "--property=Id,LoadState,ActiveState,UnitFileState", "--"] + units)
    if rc is None or rc != 0:
        module.fail_json(msg="cannot read systemd unit states: %s" % (err or out).strip())
    return parse_systemctl_show(out, units)


def describe_packages(module, packages):
    if not packages:
        return {}
    rc, out, err = run_program(module, ["dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\\n", "--"] + packages)
    if rc is None:
        module.fail_json(msg="dpkg-query not found: the role supports Debian and Ubuntu hosts only")
    # dpkg-query exits 1 when a package is unknown; the listed ones are still printed.
    return parse_dpkg_status(out, packages)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            ovsdb=dict(type="str", default="unix:/run/openvswitch/db.sock"),
            ovs_appctl=dict(type="str", default="ovs-appctl"),
            timeout=dict(type="int", default=10),
            monitor=dict(type="bool", default=True),
            expected_peers=dict(type="list", elements="str", default=[]),
            ipsec=dict(type="str", default="ipsec"),
            files=dict(type="list", elements="path", default=[]),
            units=dict(type="list", elements="str", default=[]),
            packages=dict(type="list", elements="str", default=[]),
            loaded_certificate=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    problems = info_option_problems(module.params)
    if problems:
        module.fail_json(msg="invalid options: " + "; ".join(problems), problems=list(problems))

    ovs = read_ovs(module)
    monitor = {"running": False, "error": "not queried", "tunnels": []}
    if module.params["monitor"]:
        monitor = read_monitor(module)
    peers, problems = evaluate_peers(monitor["tunnels"], module.params["expected_peers"],
                                     local_name=ovs["system_id"] or None)
    pairs = broken_pairs(ovs["system_id"], monitor, peers, problems) if module.params["monitor"] else []
    files = dict((path, describe_file(path)) for path in module.params["files"])
    units = describe_units(module, module.params["units"])
    packages = describe_packages(module, module.params["packages"])
    result = dict(changed=False, ovs=ovs, monitor=monitor, peers=peers, problems=problems,
                  broken_pairs=pairs, files=files, units=units, packages=packages)
    path = module.params["loaded_certificate"]
    if path:
        described = read_certificate_file(path, lambda args, data: run_program(module, ["openssl"] + args, data=data))
        result["loaded_certificate"] = loaded_certificate(lambda argv: run_program(module, argv), path, described,
                                                          module.params["ipsec"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
