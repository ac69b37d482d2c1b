# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Action plugin for scs.kolla.flavor_sync: run the sync inside ansible-playbook when the task
runs on the controller.

A module run starts a second Python, unpacks the module and its module_utils and imports
Ansible's module runtime before the first API request. flavor_sync only talks to the cloud's
API, so when the task would run on the controller anyway (``connection: local``,
``delegate_to: localhost``, the implicit localhost) the plugin validates the arguments with the
module's own argument spec and runs the same code in this process. Otherwise (a remote host,
``async``, ``become``, a task ``environment``, or no openstacksdk in the controller's Python)
it runs the module as usual.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import importlib
import logging
import warnings

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

MODULE = 'scs.kolla.flavor_sync'
LOCAL_TRANSPORTS = ('local', 'ansible.builtin.local')
# Libraries that log (keystoneauth's "Retrying in 0.5s", for example).
LIBRARY_LOGGERS = ('keystoneauth', 'keystoneauth1', 'openstack', 'urllib3', 'stevedore')

display = Display()


def _sync_library():
    """(scs_flavor_sync, whether openstacksdk imports), imported when the task runs.

    ansible-playbook's strategy imports action plugins in its main process. Importing
    openstacksdk there would make that process's exit ~0.1 s slower (the interpreter finalises
    every module it imported); the forked worker that runs the task ends without that.
    """
    utils = 'ansible_collections.scs.kolla.plugins.module_utils.'
    sync = importlib.import_module(utils + 'scs_flavor_sync')
    return sync, importlib.import_module(utils + 'scs_openstack').HAS_OPENSTACKSDK


class _VerboseHandler(logging.Handler):
    """Library log records to -vvv output: in a module they would go to the hidden stderr."""

    def emit(self, record):
        try:
            display.vvv('flavor_sync: %s: %s' % (record.name, record.getMessage()))
        except Exception:  # a log line must never break the sync
            pass


@contextlib.contextmanager
def _quiet_libraries():
    """Keep library logging and Python warnings off the worker's stderr, where Ansible would
    report them as data "errantly sent"; they are shown with -vvv instead."""
    handler = _VerboseHandler(logging.WARNING)
    saved = []
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('default')
            yield
        for warning in caught:
            display.vvv('flavor_sync: %s: %s' % (warning.category.__name__, warning.message))
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True

    def _controller_library(self):
        """The sync library when the task can run in this process, else None (run the module)."""
        # become (e.g. to read a root-only clouds.yaml) and a task environment (OS_* variables)
        # only reach a module process, so such tasks run the module.
        if (self._connection.transport not in LOCAL_TRANSPORTS
                or self._task.async_val
                or self._play_context.become
                or any(self._task.environment or [])):
            return None
        sync, has_openstacksdk = _sync_library()
        return sync if has_openstacksdk else None

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # unused, as in every action plugin since 2.10
        sync = self._controller_library()
        if sync is None:
            display.vvv('flavor_sync: running the module on the target host')
            result.update(self._execute_module(module_name=MODULE, module_args=self._task.args,
                                               task_vars=task_vars, wrap_async=self._task.async_val))
            return result

        display.vvv('flavor_sync: running in the controller process')
        validation = ArgumentSpecValidator(sync.sync_argument_spec()).validate(dict(self._task.args))
        no_log_values = validation._no_log_values
        # The validator reports an option set together with its alias; AnsibleModule words it so.
        messages = ['Both option %(option)s and its alias %(alias)s are set.' % w for w in validation._warnings]
        if validation.error_messages:
            result.update(failed=True, msg='; '.join(validation.error_messages), changed=False)
            return remove_values(result, no_log_values)
        params = validation.validated_parameters
        with _quiet_libraries():
            outcome = sync.run(params, check_mode=bool(self._task.check_mode),
                               diff_mode=bool(self._task.diff), warn=messages.append)
        outcome['invocation'] = {'module_args': params}
        if messages:
            outcome['warnings'] = messages
        result.update(outcome)
        # As AnsibleModule.exit_json does: no value of a no_log option (auth) reaches the result.
        return remove_values(result, no_log_values)
