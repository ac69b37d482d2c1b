#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ovs_version_info
short_description: Read the Open vSwitch version of ovs-monitor-ipsec and the workarounds it needs
version_added: 0.1.0
description:
  - Reads the version of the ovs-monitor-ipsec in use on a chassis - from O(version) when given, else from the
    first installed package of O(packages), else from C(ovs-vsctl --version) - and decides which known fixes it
    carries - C(--command-timeout) (Open vSwitch 3.5.0, backported to 3.1.6, 3.2.4, 3.3.3, 3.4.1) and the removal
    of stale certificates from the NSS database (3.6.0, backported to 3.2.6, 3.3.6, 3.4.4, 3.5.2).
  - Warns (does not fail) when the version needs a workaround of scs.kolla.ovn_ipsec, or cannot be read.
  - Changes nothing.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  ike_daemon:
    description: IKE daemon ovs-monitor-ipsec drives; the workarounds concern Libreswan.
    type: str
    choices: [strongswan, libreswan]
    default: strongswan
  version:
    description: The version to use instead of reading it, for example C(3.1.0). Empty - read it.
    type: str
    default: ""
  packages:
    description: Debian/Ubuntu packages whose version is the monitor's, the first installed one counts.
    type: list
    elements: str
    default: [openvswitch-ipsec, python3-openvswitch, openvswitch-common]
  nss_dir:
    description: NSS database directory passed to the monitor (Libreswan).
    type: path
    default: /var/lib/ipsec/nss
  command_timeout:
    description: Seconds for C(--command-timeout) where the monitor has it (Libreswan).
    type: int
    default: 60
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to show.
"""

EXAMPLES = r"""
- name: Decide the workarounds for this chassis
  scs.kolla.ovs_version_info:
    ike_daemon: libreswan
  register: ovs

- name: Show them
  ansible.builtin.debug:
    msg: "OVS {{ ovs.version }}: whack release timer {{ ovs.whack_release_timer }}"
"""

RETURN = r"""
version:
  description: The version as major.minor.patch, or C(unknown).
  returned: always
  type: str
  sample: 3.1.0
source:
  description: Where the version came from (C(parameter), C(package NAME), C(ovs-vsctl)) or null.
  returned: always
  type: str
known:
  description: Whether a version could be read.
  returned: always
  type: bool
command_timeout:
  description: Whether ovs-monitor-ipsec has C(--command-timeout).
  returned: always
  type: bool
whack_release_timer:
  description: Whether the Libreswan whack release timer is needed (Libreswan without C(--command-timeout)).
  returned: always
  type: bool
nss_remove_replaced:
  description: Whether the role must remove a replaced certificate from the NSS database itself (Libreswan).
  returned: always
  type: bool
monitor_arguments:
  description: Options for ovs-monitor-ipsec after C(--ike-daemon).
  returned: always
  type: list
  elements: str
  sample: ["--ipsec-d=/var/lib/ipsec/nss", "--command-timeout=60"]
features:
  description: Per known fix whether this version has it.
  returned: always
  type: dict
warnings_list:
  description: The warnings issued (also shown as task warnings).
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.scs.kolla.plugins.module_utils.ovs_version import decide, monitor_arguments, parse_version


def read_version(module):
    params = module.params
    if params["version"]:
        parsed = parse_version(params["version"])
        if parsed is None:
            module.fail_json(msg="version %r is not an Open vSwitch version such as 3.1.0" % params["version"])
        return parsed, "parameter"
    dpkg = module.get_bin_path("dpkg-query")
    if dpkg and params["packages"]:
        rc, out, err = module.run_command([dpkg, "-W", "-f=${Package} ${db:Status-Abbrev} ${Version}\\n", "--"]
                                          + params["packages"])
        found = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[1].startswith("ii"):
                found[parts[0].split(":")[0]] = parts[2]
        for package in params["packages"]:
            parsed = parse_version(found.get(package))
            if parsed:
                return parsed, "package %s" % package
    vsctl = module.get_bin_path("ovs-vsctl")
    if vsctl:
        rc, out, err = module.run_command([vsctl, "--version"])
        parsed = parse_version(out) if rc == 0 else None
        if parsed:
            return parsed, "ovs-vsctl"
    return None, None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            ike_daemon=dict(type="str", choices=["strongswan", "libreswan"], default="strongswan"),
            version=dict(type="str", default=""),
            packages=dict(type="list", elements="str", default=["openvswitch-ipsec", "python3-openvswitch",
                                                                "openvswitch-common"]),
            nss_dir=dict(type="path", default="/var/lib/ipsec/nss"),
            command_timeout=dict(type="int", default=60),
        ),
        supports_check_mode=True,
    )
    version, source = read_version(module)
    decision = decide(version, module.params["ike_daemon"])
    for warning in decision["warnings"]:
        module.warn(warning)
    module.exit_json(
        changed=False, version=decision["version"], source=source, known=decision["known"],
        command_timeout=decision["command_timeout"], whack_release_timer=decision["whack_release_timer"],
        nss_remove_replaced=decision["nss_remove_replaced"], features=decision["features"],
        warnings_list=decision["warnings"],
        monitor_arguments=monitor_arguments(decision, module.params["ike_daemon"], module.params["nss_dir"],
                                            module.params["command_timeout"]))


if __name__ == "__main__":
    main()
