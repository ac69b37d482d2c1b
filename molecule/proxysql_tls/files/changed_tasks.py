# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Print, as a JSON list, the "TASK name | item" pairs an ansible-playbook run reported as
changed, for the tasks of one role (default callback output on stdin).

Used to compare what check mode predicts with what the real run then changes."""
import json
import re
import sys

prefix = sys.argv[1] if len(sys.argv) > 1 else ""
task = None
changed = []
for line in sys.stdin:
    match = re.match(r"TASK \[(.*)\] \*+", line)
    if match:
        task = match.group(1)
        continue
    match = re.match(r"changed: \[[^\]]+\](?: => \(item=(.*?)\))?", line)
    if match and task is not None and task.startswith(prefix):
        changed.append("%s | %s" % (task, match.group(1) or ""))
print(json.dumps(sorted(changed)))
