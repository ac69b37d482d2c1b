# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The copyright header of every Python and shell file of the repository (docs/contributing.md).

    python tests/tools/copyright_headers.py          list the files without the header
    python tests/tools/copyright_headers.py --fix    give them the header

A file starts with the two header lines, after a shebang and a coding line where present.
The files are those git tracks that end in .py or .sh, or start with a shebang.
"""

import os
import subprocess
import sys

HEADER = ["# Copyright: scs.kolla contributors",
          "# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _preamble(lines):
    """How many leading lines may stand before the header (shebang, coding line)."""
    count = 0
    if lines[count:count + 1] and lines[count].startswith("#!"):
        count += 1
    if lines[count:count + 1] and lines[count].startswith("# -*- coding"):
        count += 1
    return count


def has_header(text):
    lines = text.splitlines()
    start = _preamble(lines)
    return lines[start:start + 2] == HEADER


def with_header(text):
    """``text`` with the header in its place; another copyright line there is replaced."""
    lines = text.splitlines(True)
    start = _preamble([line.rstrip("\n") for line in lines])
    end = start
    # An older form: a copyright line and the licence line below it.
    if end < len(lines) and lines[end].lower().startswith("# copyright"):
        end += 1
        if end < len(lines) and lines[end].lower().startswith("# apache license"):
            end += 1
    return "".join(lines[:start] + [line + "\n" for line in HEADER] + lines[end:])


def source_files(root=ROOT):
    names = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True, check=True,
                           text=True).stdout.split("\0")
    for name in sorted(n for n in names if n):
        path = os.path.join(root, name)
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        if name.endswith((".py", ".sh")):
            yield name
            continue
        with open(path, "rb") as handle:
            if handle.read(2) == b"#!":
                yield name


def missing(root=ROOT):
    """The files of ``source_files`` without the header."""
    result = []
    for name in source_files(root):
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            if not has_header(handle.read()):
                result.append(name)
    return result


def main(argv):
    names = missing()
    if "--fix" in argv:
        for name in names:
            path = os.path.join(ROOT, name)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(with_header(text))
    for name in names:
        print(name)
    return 1 if names and "--fix" not in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
