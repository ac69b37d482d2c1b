# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Check a built collection tarball: only what a collection ships, nothing git does not track.

    check_tarball.py TARBALL CHECKOUT

Fails (exit 1, one line per problem) when the tarball is 1 MB or larger, holds a wheel, a
top-level entry other than the collection's own trees and files, or a file that git does
not track in CHECKOUT (a cache, the demo's output, a stray build artefact).
"""

import os
import subprocess
import sys
import tarfile

MAX_BYTES = 1000 * 1000
# The collection's trees and files; tests/ and molecule/ ship as its test trees.
TOP_LEVEL = {
    "plugins", "roles", "playbooks", "meta", "docs", "changelogs", "tests", "molecule",
    "README.md", "LICENSE", "MANIFEST.json", "FILES.json", "CHANGELOG.rst",
}
GENERATED = {"MANIFEST.json", "FILES.json"}


def problems(tarball, checkout):
    found = []
    size = os.path.getsize(tarball)
    if size >= MAX_BYTES:
        found.append("%s is %d bytes; a collection must stay under %d" % (tarball, size, MAX_BYTES))
    tracked = set(subprocess.run(["git", "-C", checkout, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], check=True,
                                 stdout=subprocess.PIPE).stdout.decode().split("\0"))
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            name = member.name.lstrip("./")
            top = name.split("/", 1)[0]
            if top not in TOP_LEVEL:
                found.append("%s: top-level entry %r is not part of a collection" % (name, top))
            elif name.endswith(".whl"):
                found.append("%s: a Python wheel" % name)
            elif member.isfile() and name not in GENERATED and name not in tracked:
                found.append("%s: not tracked by git" % name)
    return found


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    found = problems(argv[1], argv[2])
    for problem in found:
        print(problem)
    if not found:
        print("%s: %d bytes, only tracked collection files" % (os.path.basename(argv[1]), os.path.getsize(argv[1])))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
