# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Stand-in for get-pip.py, which ansible-test downloads from a host CI cannot reach.

ansible-test runs this file with pip's install arguments (plus get-pip's own
--no-setuptools/--no-wheel flags) inside a fresh venv without pip. We seed pip
from the interpreter's bundled ensurepip wheel, then let it install the pinned
versions from the package index.
"""
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + args)
