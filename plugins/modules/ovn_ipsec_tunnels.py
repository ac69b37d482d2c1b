#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ovn_ipsec_tunnels
short_description: Bring up the OVN IPsec tunnels of one chassis
version_added: 0.1.0
description:
  - C(ovs-monitor-ipsec) installs every tunnel with C(auto=route), so its SAs are negotiated on the
    first packet. This module makes the IKE daemon negotiate them now, so that a chassis without
    traffic has established tunnels too.
  - For every C(CONFIGURED) tunnel (from C(ovs-appctl -t ovs-monitor-ipsec tunnels/show)) whose
    outgoing connection (C(<interface>-out-<version>)) has no ESP SA, asks the IKE daemon to
    initiate it - strongSwan C(ipsec stroke up-nb), Libreswan C(ipsec auto --asynchronous --up)
    (Libreswan 5 and later C(ipsec up --asynchronous)). The peer chassis initiates the other
    direction (C(<interface>-in-<version>) here).
  - With O(wait=true) it then waits, at most O(wait_timeout) seconds, until every tunnel to
    O(expected_peers) is C(CONFIGURED) with an established IKE SA and ESP SAs for both directions,
    asking again for a connection that is still missing after 15 seconds; it fails with the
    chassis pairs that are not established by then.
  - Reads the chassis' own name from the Open vSwitch database (C(external_ids:system-id)).
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  state:
    description:
      - C(up) - initiate the connections of tunnels without an established ESP SA.
    type: str
    choices: [up]
    default: up
  expected_peers:
    description:
      - Chassis names (OVS C(system-id)) this chassis must have an established tunnel to; only
        tunnels to them are initiated. Empty - every tunnel of the monitor is initiated and O(wait)
        only waits until the monitor answers.
      - The chassis' own name is ignored, so the whole chassis list can be given on every host.
    type: list
    elements: str
    default: []
  ike_daemon:
    description: IKE daemon that C(ovs-monitor-ipsec) drives.
    type: str
    choices: [strongswan, libreswan]
    default: strongswan
  wait:
    description: Wait until every tunnel to O(expected_peers) is established; fail when it is not.
    type: bool
    default: true
  wait_timeout:
    description: Seconds O(wait) waits at most.
    type: int
    default: 120
  ovsdb:
    description: OVSDB remote of the chassis' Open vSwitch database (C(unix:PATH) or C(tcp:HOST:PORT)).
    type: str
    default: unix:/run/openvswitch/db.sock
  ovs_appctl:
    description: The C(ovs-appctl) program (name looked up in PATH, or a path).
    type: str
    default: ovs-appctl
  ipsec:
    description: The C(ipsec) program of the IKE daemon (C(status) rates, C(stroke)/C(auto)/C(up) initiates).
    type: str
    default: ipsec
  timeout:
    description: Seconds the OVS database and C(ovs-appctl) may take to answer one request.
    type: int
    default: 10
attributes:
  check_mode:
    support: full
    description: Reads once and reports the connections it would initiate (RV(initiated)), without initiating or waiting.
  diff_mode:
    support: none
    description: Nothing to compare; the module starts negotiations.
notes:
  - C(changed) is true only when the module asked the IKE daemon to initiate a connection; on a chassis
    whose tunnels are established it changes nothing.
  - M(scs.kolla.ovn_ipsec_info) rates the tunnels without changing anything.
seealso:
  - module: scs.kolla.ovn_ipsec_info
  - name: OVS IPsec tutorial
    description: How ovs-monitor-ipsec configures tunnels.
    link: https://docs.openvswitch.org/en/latest/tutorials/ipsec/
"""

EXAMPLES = r"""
- name: Read the chassis names
  scs.kolla.ovn_ipsec_info:
    monitor: false
  register: chassis

- name: Bring up the tunnels to every other chassis and wait until they are established
  scs.kolla.ovn_ipsec_tunnels:
    state: up
    expected_peers: "{{ ansible_play_hosts | map('extract', hostvars, ['chassis', 'ovs', 'system_id']) | list }}"
    wait_timeout: 120

- name: Only ask the IKE daemon of a Libreswan chassis, do not wait
  scs.kolla.ovn_ipsec_tunnels:
    ike_daemon: libreswan
    wait: false
"""

RETURN = r"""
initiated:
  description: Connections this run asked the IKE daemon to bring up (in check mode - would ask).
  returned: always
  type: list
  elements: str
  sample: [ovn-net02-0-out-1]
failed_connections:
  description: Connections the IKE daemon refused to initiate, with its answer.
  returned: always
  type: dict
established:
  description: Whether every tunnel to O(expected_peers) was established when the module returned.
  returned: always
  type: bool
peers:
  description: Per peer chassis the rating of its tunnel, as M(scs.kolla.ovn_ipsec_info) returns it.
  returned: always
  type: dict
problems:
  description: Expected peer chassis whose tunnel is not established, sorted.
  returned: always
  type: list
  elements: str
broken_pairs:
  description: One line per chassis pair that is not established (C(local -> peer) and the reason), ready to print.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.scs.kolla.plugins.module_utils.ovn_ipsec_input import tunnels_option_problems
from ansible_collections.scs.kolla.plugins.module_utils.ovn_ipsec import (
    OvsdbError,
    ParseError,
    establish,
    initiate_argv,
    libreswan_major,
    read_open_vswitch,
    read_tunnels,
    run_program,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["up"], default="up"),
            expected_peers=dict(type="list", elements="str", default=[]),
            ike_daemon=dict(type="str", choices=["strongswan", "libreswan"], default="strongswan"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=120),
            ovsdb=dict(type="str", default="unix:/run/openvswitch/db.sock"),
            ovs_appctl=dict(type="str", default="ovs-appctl"),
            ipsec=dict(type="str", default="ipsec"),
            timeout=dict(type="int", default=10),
        ),
        supports_check_mode=True,
    )
    params = module.params
    problems = tunnels_option_problems(params)
    if problems:
        module.fail_json(msg="invalid options: " + "; ".join(problems), problems=list(problems))

    local_name = None
    try:
        local_name = read_open_vswitch(params["ovsdb"], params["timeout"])["system_id"] or None
    except (OvsdbError, ParseError) as exc:
        if not module.check_mode:
            module.fail_json(msg="cannot read the chassis name from %s: %s" % (params["ovsdb"], exc))

    version = {}

    def run(argv):
        return run_program(module, argv)

    def read():
        try:
            return read_tunnels(run, params["ovs_appctl"], params["ipsec"], params["timeout"])
        except ParseError as exc:
            module.fail_json(msg="cannot read ovs-monitor-ipsec tunnels/show: %s" % exc)

    def initiate(connection):
        if params["ike_daemon"] == "libreswan" and "major" not in version:
            rc, out, dummy = run([params["ipsec"], "--version"])
            version["major"] = libreswan_major(out) if rc == 0 else None
        rc, out, err = run(initiate_argv(params["ike_daemon"], params["ipsec"], connection, version.get("major")))
        return None if rc == 0 else ((err or out).strip() or "exited with %s" % rc)

    result = establish(read, initiate, params["expected_peers"], local_name=local_name,
                       wait_timeout=params["wait_timeout"] if params["wait"] else 0,
                       check_mode=module.check_mode)
    for connection, error in sorted(result["failed"].items()):
        module.warn("could not initiate %s: %s" % (connection, error))
    output = dict(changed=bool(result["initiated"]), initiated=result["initiated"],
                  failed_connections=result["failed"], established=result["established"],
                  peers=result["peers"], problems=result["problems"], broken_pairs=result["pairs"])
    if params["wait"] and not module.check_mode and not result["established"]:
        module.fail_json(msg="IPsec tunnels not established within %d s: %s"
                         % (params["wait_timeout"], "; ".join(result["pairs"])), **output)
    module.exit_json(**output)


if __name__ == "__main__":
    main()
