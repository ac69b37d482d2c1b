# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Run oslo-config-validator's own check on many files in one process.

Runs inside the neutron virtualenv (importing neutron once instead of once per
file). Input on stdin (JSON): {"files": [{"path": ..., "namespaces": [...]}],
"classes": ["dotted.path.Class", ...]}. Output (JSON): per file rc and the
validator's ERROR/WARNING messages; per class whether it imports.
"""

import importlib
import json
import logging
import sys

from oslo_config import cfg
from oslo_config import validator


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def validate(path, namespaces):
    handler = _Collect()
    log = logging.getLogger("oslo_config.validator")
    log.addHandler(handler)
    try:
        conf = cfg.ConfigOpts()
        validator._register_cli_opts(conf)  # pylint: disable=protected-access
        args = ["--input-file", path]
        for namespace in namespaces:
            args += ["--namespace", namespace]
        conf(args)
        rc = validator._validate(conf)  # pylint: disable=protected-access
    finally:
        log.removeHandler(handler)
    return {"rc": rc, "messages": handler.messages}


def importable(dotted):
    module, _sep, name = dotted.rpartition(".")
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def main():
    request = json.load(sys.stdin)
    result = {
        "files": {f["path"]: validate(f["path"], f["namespaces"]) for f in request.get("files", [])},
        "classes": {c: importable(c) for c in request.get("classes", [])},
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
