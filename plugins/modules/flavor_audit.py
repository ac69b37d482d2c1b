#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: flavor_audit
short_description: Audit a cloud's flavors against SCS flavor naming (scs-0100) and standard flavors (scs-0103)
version_added: 0.1.0
description:
  - Reads every flavor of the cloud with its extra_specs (one request at compute API
    microversion 2.61) and checks them the way the SCS conformance tests do.
  - The verdict is the official SCS runner's (C(Tests/iaas/openstack_test.py) of the SCS
    standards), which runs as a normal member user and sees public flavors only.
  - C(scs-0100-syntax-check) every flavor whose name starts with C(SCS-) has a name the official
    SCS parser accepts (v1 and non-canonical spellings are tolerated with a warning). Where the
    written grammar and the official parser differ (three deliberate differences, see the
    collection's docs/flavor_names.md), the official parser decides and a warning names the
    difference.
  - C(scs-0100-semantics-check) each such flavor delivers at least what its name promises in
    vCPUs, root disk and RAM. RAM is compared after the reference's rounding to tenths of GiB,
    that is ram_mib + 51 divided by 102.4 and truncated, so a flavor named 4 GiB passes from
    4045 MiB and fails at 4044 MiB.
  - C(scs-0103-properties) no C(scs:*) property contradicts the flavor's name and not all of
    them are missing (stricter than the reference, which checks properties of the standard
    flavors only).
  - C(scs-0103-mandatory) every mandatory standard flavor is present and public (a private one
    counts as missing, as for the official runner), found by
    C(scs:name-v2) first and by name second, with exact vCPUs, RAM and disk and every C(scs:*)
    property. C(scs-0103-recommended) reports the recommended flavors the same way but never
    fails.
  - Disk on a flavor whose name has no disk part (boot from volume only) is a warning for
    provider flavors (more than promised is allowed) and a failure for standard flavors
    (exact figures).
author:
  - SCS kolla maintainers (@SovereignCloudStack)
extends_documentation_fragment:
  - scs.kolla.openstack
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
  platform:
    support: full
    platforms: posix
    description: Runs where openstacksdk is installed and the API endpoints are reachable.
options:
  fail_on_error:
    description:
      - Fail the task when a mandatory check fails (the report is returned either way).
    type: bool
    default: false
seealso:
  - module: scs.kolla.flavor_sync
'''

EXAMPLES = r'''
- name: Audit the flavors
  scs.kolla.flavor_audit:
    cloud: admin
  register: audit

- name: Show the summary
  ansible.builtin.debug:
    msg: "{{ audit.report.summary }}"

- name: Fail on a non-conformant cloud
  scs.kolla.flavor_audit:
    cloud: admin
    fail_on_error: true
'''

RETURN = r'''
report:
  description: The audit result.
  returned: success
  type: dict
  contains:
    passed:
      description: Whether every mandatory check passed.
      type: bool
    failed_checks:
      description: Names of the mandatory checks that failed.
      type: list
      elements: str
    checks:
      description: Per check C(passed) and the flavors that failed it (C(failed)), or for the
        standard sets C(total), C(missing) (private ones included), C(private) and C(wrong).
      type: dict
    standard_flavors:
      description: Per standard flavor its set, C(status) (ok, missing, private, wrong), the
        cloud flavor that was matched and the differences found.
      type: dict
    flavors:
      description: Every flavor with an SCS name, with C(public), C(valid) (written grammar),
        C(official_valid) (official SCS parser), its errors and warnings.
      type: list
      elements: dict
    counts:
      description: Number of flavors, SCS flavors, errors and warnings.
      type: dict
    summary:
      description: Readable summary, one line per check, then each problem.
      type: list
      elements: str
  sample:
    passed: false
    failed_checks: [scs-0103-mandatory]
    checks:
      scs-0103-mandatory: {passed: false, total: 15, missing: [SCS-1L-1], private: [SCS-1L-1], wrong: []}
    summary:
      - "SCS flavor audit: FAILED (30 flavors, 30 with SCS names, 0 errors, 0 warnings)"
'''

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_audit
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_nova import MICROVERSION, NovaFlavors
from ansible_collections.scs.kolla.plugins.module_utils.scs_openstack import (
    ComputeAPI, OpenStackError, OpenStackModule)


class FlavorAuditModule(OpenStackModule):
    argument_spec = dict(fail_on_error=dict(type='bool', default=False))
    api_name = 'Compute API'

    def run(self):
        api = ComputeAPI(self.conn, MICROVERSION)
        try:
            flavors = NovaFlavors(api).list()
        except OpenStackError as exc:
            self.fail_json(msg='Cannot read the flavors: %s' % exc)
        report = scs_flavor_audit.audit(flavors)
        if self.params['fail_on_error'] and not report['passed']:
            self.fail_json(msg='\n'.join(report['summary']), report=report)
        return dict(changed=False, report=report)


def main():
    FlavorAuditModule()()


if __name__ == '__main__':
    main()
