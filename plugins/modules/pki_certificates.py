#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: pki_certificates
short_description: Keep a CA and all its leaf certificates on the controller in one step
version_added: 0.1.0
description:
  - The engine of the role scs.kolla.pki. In one process it reads the CA and every requested
    certificate below O(dir), decides per certificate whether it is missing, has a key that does
    not match, a changed subject, SAN or usage, a CA that changed, is inside the renewal window or
    expired, and writes only what differs, each file atomically (keys C(0600), certificates
    C(0644), directories C(0700)).
  - The CA is created (O(ca_mode=create)), taken from the operator's files
    (O(ca_mode=provided)) or only its certificate is installed (O(ca_mode=external)). The CA
    private key is read and written only where the module runs; run it on the controller.
  - Every input is checked before anything is written (the rules of scs.kolla.validate_input
    for the role C(pki)), including the operator's CA files.
  - Uses the Python C(cryptography) library; RSA keys are made on a process pool when many are
    needed.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
requirements:
  - cryptography >= 3.3 (>= 40 for signature checks against the CA)
options:
  dir:
    description: Absolute directory of the PKI; CA in C(ca/), leaf certificates and keys in C(certs/).
    type: path
    required: true
  ca_mode:
    description: How the CA comes about.
    type: str
    choices: [create, provided, external]
    default: create
  ca_certificate_src:
    description: The operator's CA certificate (modes C(provided) and C(external)).
    type: path
    default: ""
  ca_privatekey_src:
    description: The operator's unencrypted CA private key (mode C(provided)).
    type: path
    default: ""
  ca_rollover:
    description:
      - The phase of a CA rollover, each an idempotent run. V(none) is normal operation.
      - V(trust) keeps a next CA in C(ca-next/) (created with the CN O(ca_common_name) plus
        C( G<generation>), or the operator's O(ca_next_certificate_src) and
        O(ca_next_privatekey_src)); the current CA still signs; both are trusted.
      - V(reissue) re-issues every certificate not issued by the next CA from it; both are trusted.
      - V(finish) moves C(ca/) to C(ca-retired/<serial hex>/) and C(ca-next/) to C(ca/) (in
        O(ca_mode=provided) O(ca_certificate_src) and O(ca_privatekey_src) must name the next CA's
        files then) and re-issues what the old CA signed; only the CA is trusted.
    type: str
    choices: [none, trust, reissue, finish]
    default: none
  ca_next_certificate_src:
    description: The operator's next CA certificate (O(ca_mode=provided), phases V(trust) and V(reissue)).
    type: path
    default: ""
  ca_next_privatekey_src:
    description: The operator's unencrypted next CA private key (O(ca_mode=provided), phases V(trust) and V(reissue)).
    type: path
    default: ""
  ca_common_name:
    description: Subject CN of a created CA (at most 64 characters).
    type: str
    default: SCS Kolla Internal CA
  ca_organization:
    description: Subject O of a created CA, empty for none.
    type: str
    default: ""
  ca_valid_days:
    description: Lifetime of a created CA.
    type: int
    default: 3650
  certificate_valid_days:
    description: Lifetime of issued certificates (capped at the CA's end, with a warning).
    type: int
    default: 365
  renew_before_days:
    description: Certificates that expire within this many days are renewed.
    type: int
    default: 30
  key_type:
    description: Key type of new keys (CA and certificates). Existing CA keys are never replaced.
    type: str
    choices: [RSA, ECC]
    default: RSA
  key_size:
    description: RSA key size in bits.
    type: int
    default: 3072
  key_curve:
    description: ECC curve.
    type: str
    choices: [secp256r1, secp384r1, secp521r1]
    default: secp256r1
  certificates:
    description:
      - The certificates, each a dict with C(name), C(common_name) and optionally
        C(organization_name), C(dns), C(ip), C(key_usage), C(extended_key_usage) (see the role).
    type: list
    elements: dict
    default: []
  allow_git_work_tree:
    description: Allow a CA key inside a git work tree (refused otherwise).
    type: bool
    default: false
  workers:
    description: Processes that make RSA keys; 0 for one per core.
    type: int
    default: 0
attributes:
  check_mode:
    support: full
    description: Returns exactly the decisions of a real run (the same per-certificate status and reason) and writes nothing.
  diff_mode:
    support: full
    description: A summary line per changed certificate and for the CA; never key material.
"""

EXAMPLES = r"""
- name: Issue the certificates
  scs.kolla.pki_certificates:
    dir: /opt/scs-pki
    key_type: ECC
    certificates:
      - name: ctl1-mariadb
        common_name: ctl1
        dns: [ctl1]
        ip: [192.168.16.10]
  delegate_to: localhost
  run_once: true
  register: pki
"""

RETURN = r"""
ca:
  description: The CA's status (C(created), C(reissued) or C(unchanged)) and why.
  returned: always
  type: dict
  sample: {mode: create, status: unchanged, reason: "", changed: false, certificate: /opt/scs-pki/ca/ca.crt}
  contains:
    status:
      description: C(created), C(reissued), C(unchanged) or C(promoted) (V(finish) made the next CA the CA).
      type: str
certificates:
  description: Per certificate, in the order requested, its status and the reasons.
  returned: always
  type: list
  elements: dict
  sample: [{name: ctl1-mariadb, status: reissued, reason: SAN changed, changed: true}]
issued:
  description: C(name -> {certificate, private_key, changed}), the role's C(pki_issued).
  returned: always
  type: dict
rollover:
  description: The phase of O(ca_rollover) that ran.
  returned: always
  type: str
  sample: trust
signing_ca:
  description: The CA certificate that signs certificates in this phase (C(ca-next/ca.crt) in V(reissue), else C(ca/ca.crt)).
  returned: always
  type: str
ca_next:
  description: The next CA's status (C(created), C(reissued), C(unchanged)), reason and certificate; null outside V(trust) and V(reissue).
  returned: always
  type: dict
  sample: {status: created, reason: next CA key missing, changed: true, certificate: /opt/scs-pki/ca-next/ca.crt}
retired:
  description: The directory the old CA moved to in this run (V(finish)), else null.
  returned: always
  type: str
trusted:
  description: The CA certificates to trust after this run, current CA first.
  returned: always
  type: list
  elements: str
  sample: [/opt/scs-pki/ca/ca.crt, /opt/scs-pki/ca-next/ca.crt]
trust_bundle:
  description: C({path, changed}) of C(ca/trust-bundle.pem), all trusted CA certificates concatenated.
  returned: always
  type: dict
counts:
  description: How many certificates have each status.
  returned: always
  type: dict
  sample: {unchanged: 998, renewed: 2}
"""

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.scs.kolla.plugins.module_utils import pki_engine, pki_input, scs_files

OPTIONS = ("dir", "ca_mode", "ca_certificate_src", "ca_privatekey_src", "ca_rollover", "ca_next_certificate_src",
           "ca_next_privatekey_src", "ca_common_name", "ca_organization",
           "ca_valid_days", "certificate_valid_days", "renew_before_days", "key_type", "key_size", "key_curve",
           "certificates", "allow_git_work_tree")


def _os_call(module, what, function, *args):
    try:
        function(*args)
    except OSError as exc:
        module.fail_json(msg="scs.kolla.pki: could not %s: %s" % (what, exc))


def role_values(params):
    values = dict(("pki_" + name, params[name]) for name in OPTIONS)
    values["pki_dir"] = values["pki_dir"].rstrip("/") or "/"
    return values


def main():
    module = AnsibleModule(
        argument_spec=dict(
            dir=dict(type="path", required=True),
            ca_mode=dict(type="str", default="create", choices=list(pki_input.MODES)),
            ca_certificate_src=dict(type="path", default=""),
            ca_privatekey_src=dict(type="path", default=""),
            ca_rollover=dict(type="str", default="none", choices=list(pki_engine.ROLLOVER_PHASES)),
            ca_next_certificate_src=dict(type="path", default=""),
            ca_next_privatekey_src=dict(type="path", default=""),
            ca_common_name=dict(type="str", default="SCS Kolla Internal CA"),
            ca_organization=dict(type="str", default=""),
            ca_valid_days=dict(type="int", default=3650),
            certificate_valid_days=dict(type="int", default=365),
            renew_before_days=dict(type="int", default=30),
            key_type=dict(type="str", default="RSA", choices=list(pki_input.KEY_TYPES)),
            key_size=dict(type="int", default=3072),
            key_curve=dict(type="str", default="secp256r1", choices=list(pki_engine.CURVES)),
            certificates=dict(type="list", elements="dict", default=[]),
            allow_git_work_tree=dict(type="bool", default=False),
            workers=dict(type="int", default=0),
        ),
        supports_check_mode=True,
    )
    if not pki_engine.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib("cryptography"), exception=pki_engine.CRYPTOGRAPHY_ERROR)
    values = role_values(module.params)
    problems = pki_input.check(values)
    if problems:
        module.fail_json(msg="%d problem%s in the input of scs.kolla.pki; nothing was changed:\n- %s"
                         % (len(problems), "" if len(problems) == 1 else "s", "\n- ".join(problems)),
                         problems=list(problems))
    try:
        plan = pki_engine.plan(values)
    except pki_engine.PkiError as exc:
        module.fail_json(msg="scs.kolla.pki: %s; nothing was changed" % exc, problems=[str(exc)])
    if not module.check_mode:
        pki_engine.execute(
            plan,
            write_file=lambda path, content, mode: scs_files.write_file(module, path, content, mode),
            ensure_directory=lambda path, mode: scs_files.ensure_directory(module, path, mode),
            fix_mode=lambda path, mode: scs_files.set_mode(module, path, mode),
            workers=module.params["workers"] or None,
            move=lambda src, dst: _os_call(module, "move %s to %s" % (src, dst), os.rename, src, dst),
            remove=lambda path: _os_call(module, "remove %s" % path, os.unlink, path))
    result = pki_engine.summary(plan)
    for warning in result.pop("warnings"):
        module.warn(warning)
    diff = result.pop("diff")
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
