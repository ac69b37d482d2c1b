# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The flavor_sync action plugin as ansible-playbook's main process sees it."""

import os
import subprocess
import sys

PROBE = """
import sys
import ansible_collections.scs.kolla.plugins.action.flavor_sync as plugin
print(plugin.ActionModule.__name__)
print(sorted(m for m in sys.modules if m == 'openstack' or m.startswith(('openstack.', 'keystoneauth1'))))
"""


def test_loading_the_plugin_class_does_not_import_openstacksdk():
    # The strategy loads the class in the main process, which would then pay for finalising
    # openstacksdk at exit; the import belongs in the worker that runs the task.
    out = subprocess.run([sys.executable, '-c', PROBE], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True, env=dict(os.environ))
    assert out.stdout.splitlines() == ['ActionModule', '[]']


def test_the_worker_import_brings_the_sync_library():
    code = PROBE + """
sync, has_openstacksdk = plugin._sync_library()
print(has_openstacksdk, 'openstack' in sys.modules, callable(sync.run))
"""
    out = subprocess.run([sys.executable, '-c', code], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True, env=dict(os.environ))
    assert out.stdout.splitlines()[-1] == 'True True True'
