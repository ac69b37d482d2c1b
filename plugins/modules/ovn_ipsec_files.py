#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ovn_ipsec_files
short_description: Write a chassis' IPsec certificate, key, CA and unit file in one step
version_added: 0.1.0
description:
  - Writes several small files with their contents, owners and modes in one module run, each
    atomically and only when content, owner, group or mode differ (the module decides what is
    already in place). Writes go through the collection's one file writer (temporary file in the
    target directory, C(atomic_move), owner/mode/SELinux context set before the file appears under
    its name, the temporary file removed on any failure).
  - Made for scs.kolla.ovn_ipsec, where one module run per file costs seconds on every chassis.
    Content is passed in the module arguments, never on a command line.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
options:
  files:
    description: Files to write.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: Absolute path. The parent directory must exist.
        type: path
        required: true
      content:
        description: Exact file content.
        type: str
        required: true
      mode:
        description: Octal mode as a string, for example C("0600").
        type: str
        required: true
      owner:
        description: Owner name.
        type: str
        default: root
      group:
        description: Group name.
        type: str
        default: root
      secret:
        description:
          - The content is a secret (a private key) - it is left out of the diff and masked in the
            module's result and log at any verbosity, even without C(no_log) on the task.
          - A secret file's O(files[].mode) must not give group or others any permission (C(0600), C(0400)).
        type: bool
        default: false
attributes:
  check_mode:
    support: full
    description: Reports which files would change without writing them.
  diff_mode:
    support: partial
    description: Shows old and new content, except for files marked O(files[].secret).
"""

EXAMPLES = r"""
- name: Place the chassis certificate and key
  scs.kolla.ovn_ipsec_files:
    files:
      - path: /etc/ipsec.d/certs/ovn-ipsec-chassis.pem
        content: "{{ lookup('ansible.builtin.file', 'certs/node1.crt', rstrip=false) }}"
        mode: "0644"
      - path: /etc/ipsec.d/private/ovn-ipsec-chassis.pem
        content: "{{ lookup('ansible.builtin.file', 'certs/node1.key', rstrip=false) }}"
        mode: "0600"
        secret: true
  no_log: true
"""

RETURN = r"""
changed_paths:
  description: Paths that were (or in check mode would be) written or had owner/mode fixed.
  returned: always
  type: list
  elements: str
"""

import grp
import os
import pwd
import stat

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.scs.kolla.plugins.module_utils import scs_files
from ansible_collections.scs.kolla.plugins.module_utils.ovn_ipsec_input import file_problems
from ansible_collections.scs.kolla.plugins.module_utils.scs_validate import parse_mode


def current(path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {"data": scs_files.read_bytes(path), "mode": stat.S_IMODE(st.st_mode), "uid": st.st_uid, "gid": st.st_gid}


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type="list", elements="dict", required=True, options=dict(
                path=dict(type="path", required=True),
                content=dict(type="str", required=True, no_log=False),
                mode=dict(type="str", required=True),
                owner=dict(type="str", default="root"),
                group=dict(type="str", default="root"),
                secret=dict(type="bool", default=False),
            )),
        ),
        supports_check_mode=True,
        # The arguments carry secret contents: never log the invocation to the journal.
        no_log=True,
    )
    # Secret contents are masked wherever Ansible would show them (the invocation in the result at
    # -vvv, the diff, error messages), also when the task itself has no no_log.
    for spec in module.params["files"]:
        if spec["secret"] and spec["content"]:
            module.no_log_values.add(spec["content"])
            module.no_log_values.update(line for line in spec["content"].splitlines() if len(line) >= 16)
    # Validate everything before the first write.
    problems = file_problems(module.params["files"])
    errors = list(problems)
    wanted = []
    for index, spec in enumerate(module.params["files"]):
        label = "files[%d] (%s)" % (index, spec["path"])
        mode = parse_mode(spec["mode"])
        try:
            uid = pwd.getpwnam(spec["owner"]).pw_uid
        except (KeyError, ValueError, TypeError):
            errors.append("%s: unknown owner %r" % (label, spec["owner"]))
            uid = None
        try:
            gid = grp.getgrnam(spec["group"]).gr_gid
        except (KeyError, ValueError, TypeError):
            errors.append("%s: unknown group %r" % (label, spec["group"]))
            gid = None
        wanted.append(dict(spec, mode_int=mode, uid=uid, gid=gid, data=to_bytes(spec["content"])))
    if errors:
        module.fail_json(msg="invalid files, nothing was written: " + "; ".join(errors), problems=errors)

    changed_paths = []
    diffs = []
    for spec in wanted:
        cur = current(spec["path"])
        # The module's own "already in place" test: content, mode, owner and group.
        if cur and (cur["data"], cur["mode"], cur["uid"], cur["gid"]) == (spec["data"], spec["mode_int"], spec["uid"], spec["gid"]):
            continue
        changed_paths.append(spec["path"])
        if module._diff:
            if spec["secret"]:
                diffs.append({"before_header": spec["path"], "after_header": spec["path"],
                              "before": "(secret content hidden)\n", "after": "(secret content hidden)\n"})
            else:
                diffs.append({"before_header": spec["path"], "after_header": spec["path"],
                              "before": (cur["data"] or b"").decode("utf-8", "replace") if cur else "",
                              "after": spec["content"]})
        if not module.check_mode:
            # Fails the module without a traceback and without a temporary file left behind.
            scs_files.write_file(module, spec["path"], spec["data"], "%04o" % spec["mode_int"],
                                 owner=spec["owner"], group=spec["group"])

    result = dict(changed=bool(changed_paths), changed_paths=changed_paths)
    if diffs:
        result["diff"] = diffs
    module.exit_json(**result)


if __name__ == "__main__":
    main()
