# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Every tracked Python and shell file carries the one copyright header (docs/contributing.md)."""
import importlib.util
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "tools", "copyright_headers.py")
spec = importlib.util.spec_from_file_location("copyright_headers", SCRIPT)
headers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(headers)

CONTRIBUTING = os.path.join(headers.ROOT, "docs", "contributing.md")


def test_every_source_file_has_the_header():
    files = list(headers.source_files())
    assert any(name.endswith(".py") for name in files) and any(name.endswith(".sh") for name in files)
    assert "tests/run" in files  # a shell script without a suffix
    assert headers.missing() == [], "run: python tests/tools/copyright_headers.py --fix"


def test_the_header_is_the_one_contributing_md_documents():
    with open(CONTRIBUTING, encoding="utf-8") as handle:
        text = handle.read()
    block = re.search(r"starts with this header.*?```\n(.*?)```", text, re.S).group(1)
    assert [line.strip() for line in block.splitlines() if line.strip()] == headers.HEADER


def test_header_placement_and_repair():
    header = "\n".join(headers.HEADER) + "\n"
    assert headers.has_header("#!/bin/bash\n" + header + "set -e\n")
    assert headers.has_header("#!/usr/bin/python\n# -*- coding: utf-8 -*-\n" + header)
    assert not headers.has_header('"""Doc."""\n' + header)
    assert not headers.has_header("#!/bin/bash\n# Copyright: someone else\nset -e\n")
    assert not headers.has_header("# Copyright: scs.kolla contributors\n")
    assert headers.with_header("#!/bin/bash\nset -e\n") == "#!/bin/bash\n" + header + "set -e\n"
    assert headers.with_header('"""Doc."""\n') == header + '"""Doc."""\n'
    old = "# -*- coding: utf-8 -*-\n# Copyright: Someone\n# Apache License 2.0 (see elsewhere)\nx = 1\n"
    assert headers.with_header(old) == "# -*- coding: utf-8 -*-\n" + header + "x = 1\n"
