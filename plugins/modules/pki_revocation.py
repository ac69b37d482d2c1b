#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: pki_revocation
short_description: Revoke the certificates of a group that are no longer wanted and keep the group's CRL
version_added: 0.1.0
description:
  - Works on the PKI directory of scs.kolla.pki. The certificates below C(certs/) whose names
    start with O(prefix) form a group; every one of them not named in O(keep) has departed
    (for scs.kolla.ovn_ipsec, a chassis that left).
  - A departed certificate's private key is deleted and its certificate moved to
    C(revoked/NAME.SERIAL.crt). Its serial goes on the group's CRL C(crl/PREFIX.crl.pem),
    signed by the CA in C(ca/) (the CA private key must be there).
  - The CRL lists every archived certificate of the current CA that has not expired. It is
    rewritten only when that set of serials changes or the CRL is not the current CA's; with
    nothing to list it is removed. Its nextUpdate is the latest end of validity among the
    listed certificates.
  - Run it on the controller, once, and only with the complete list of names that stay; every
    other certificate of the group is revoked.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
requirements:
  - cryptography >= 3.3
options:
  dir:
    description: The PKI directory (C(pki_dir) of scs.kolla.pki).
    type: path
    required: true
  prefix:
    description: Name prefix of the group's certificates, for example C(ovn-ipsec-).
    type: str
    required: true
  keep:
    description: Names of the group's certificates that stay (all of them start with O(prefix)).
    type: list
    elements: str
    required: true
attributes:
  check_mode:
    support: full
    description: Returns the decisions of a real run and writes nothing.
  diff_mode:
    support: full
    description: One line per departed certificate and one for the CRL; never key material.
"""

EXAMPLES = r"""
- name: Revoke the certificates of chassis that left
  scs.kolla.pki_revocation:
    dir: /etc/kolla/certificates/scs-pki
    prefix: ovn-ipsec-
    keep: [ovn-ipsec-compute1, ovn-ipsec-compute2]
  delegate_to: localhost
  run_once: true
  register: revocation
"""

RETURN = r"""
departed:
  description: Certificates that left in this run (name, serial in hex, common_name, revoked).
  returned: always
  type: list
  elements: dict
  sample: [{name: ovn-ipsec-compute3, serial: 5a0c..., common_name: compute3, revoked: true}]
revoked:
  description: Everything the CRL lists after the run (name, serial, common_name, not_after).
  returned: always
  type: list
  elements: dict
crl:
  description: The CRL's path, whether it exists after the run, the action (write, remove, none) and why.
  returned: always
  type: dict
  sample: {path: /etc/kolla/certificates/scs-pki/crl/ovn-ipsec.crl.pem, present: true, action: write,
           reason: revoked serials changed}
"""

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.scs.kolla.plugins.module_utils import pki_engine, pki_revocation, scs_files


def remove_file(module, path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        module.fail_json(msg="could not remove %s: %s" % (path, exc))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dir=dict(type="path", required=True),
            prefix=dict(type="str", required=True),
            keep=dict(type="list", elements="str", required=True),
        ),
        supports_check_mode=True,
    )
    if not pki_engine.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=pki_engine.CRYPTOGRAPHY_ERROR)
    params = module.params
    problems = pki_revocation.check(params["prefix"], params["keep"])
    if problems:
        module.fail_json(msg="scs.kolla.pki_revocation: nothing was changed:\n- %s" % "\n- ".join(problems),
                         problems=problems)
    try:
        plan = pki_revocation.plan(params["dir"].rstrip("/") or "/", params["prefix"], params["keep"])
    except pki_revocation.RevocationError as exc:
        module.fail_json(msg="scs.kolla.pki_revocation: %s; nothing was changed" % exc, problems=[str(exc)])
    if not module.check_mode:
        pki_revocation.execute(
            plan,
            write_file=lambda path, content, mode: scs_files.write_file(module, path, content, mode),
            remove_file=lambda path: remove_file(module, path),
            ensure_directory=lambda path, mode: scs_files.ensure_directory(module, path, mode))
    result = pki_revocation.summary(plan)
    for warning in result.pop("warnings"):
        module.warn(warning)
    diff = result.pop("diff")
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
