#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: validate_input
short_description: Check a role's variables before the role changes anything
version_added: 0.1.0
description:
  - The preflight of every scs.kolla role - one task that hands the role's variables to the
    role's rules in C(plugins/module_utils/<role>_input.py) and fails, naming every bad value and
    what would be accepted, before the role writes a file or calls an API.
  - The rules do what a role's C(meta/argument_specs.yml) cannot express (formats, limits,
    cross-field rules, the contents of files the operator points to); argument_specs still
    checks types and choices first.
  - Changes nothing. Runs where the files named in the variables are, normally the controller.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  role:
    description: The role whose rules apply.
    type: str
    required: true
  values:
    description:
      - The role's variables, by name. Secrets (passwords, private key contents) are not needed
        by any rule and should not be passed.
    type: dict
    required: true
attributes:
  check_mode:
    support: full
    description: Runs the same checks in check mode; it never changes anything.
  diff_mode:
    support: none
    description: Nothing to compare; the module only reports problems.
"""

EXAMPLES = r"""
- name: Check the input before anything is written
  scs.kolla.validate_input:
    role: pki
    values:
      pki_dir: "{{ pki_dir }}"
      pki_certificates: "{{ pki_certificates }}"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
data:
  description:
    - What the role's rules derive from input that passed, for the role's next tasks (for
      scs.kolla.proxysql_tls the certificate requests it hands to scs.kolla.pki).
  returned: success
  type: dict
  sample: {"certificates": [{"name": "proxysql", "common_name": "db.example.org", "dns": ["db.example.org"], "ip": ["192.0.2.10"]}]}
problems:
  description: Every problem found, each naming the variable, its value and what is accepted.
  returned: always
  type: list
  elements: str
  sample: ["pki_key_size: 1024 (an integer) is not accepted; expected an integer >= 2048"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.scs.kolla.plugins.module_utils import scs_input


def main():
    module = AnsibleModule(
        argument_spec=dict(
            role=dict(type="str", required=True),
            values=dict(type="dict", required=True),
        ),
        supports_check_mode=True,
    )
    role = module.params["role"]
    if role not in scs_input.CHECKS:
        module.fail_json(msg="role %r has no input rules; known roles: %s"
                         % (role, ", ".join(sorted(scs_input.CHECKS))), problems=[])
    problems = scs_input.run_check(role, module.params["values"])
    for warning in problems.warnings:
        module.warn(warning)
    if problems:
        module.fail_json(
            msg="%d problem%s in the input of scs.kolla.%s; nothing was changed:\n- %s"
            % (len(problems), "" if len(problems) == 1 else "s", role, "\n- ".join(problems)),
            problems=list(problems))
    module.exit_json(changed=False, problems=[], data=problems.data)


if __name__ == "__main__":
    main()
