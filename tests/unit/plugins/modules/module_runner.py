# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Run a module file as Ansible does: its own Python process, arguments as JSON on stdin."""

import json
import os
import subprocess
import sys


def run_module_process(module, check_mode=False, diff=False, **args):
    """The module's JSON result and everything it printed."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    proc = subprocess.run([sys.executable, module.__file__], input=json.dumps({"ANSIBLE_MODULE_ARGS": args}),
                          capture_output=True, text=True, env=env, check=False)
    return json.loads(proc.stdout), proc.stdout + proc.stderr
