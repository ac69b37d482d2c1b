# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The variable tables of the role READMEs, generated from each role's meta/argument_specs.yml.

    python tests/tools/argspec_tables.py [--check] [ROLE...]

argument_specs is the one source of the roles' variables. Each README carries, between the
lines ``<!-- argument_specs ENTRY begin -->`` and ``<!-- argument_specs ENTRY end -->``, the
table this script makes for that entry point. Without ``--check`` the tables are rewritten in
place; with it, the script lists the READMEs whose tables differ and exits 1.
"""

import argparse
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKER_RE = re.compile(r"<!-- argument_specs (?P<entry>[a-z0-9_]+) begin -->\n.*?<!-- argument_specs (?P=entry) end -->",
                       re.S)
# Ansible's documentation markup, as Markdown.
MARKUP = [
    (re.compile(r"[CVO]\(([^)]*)\)"), r"`\1`"),
    (re.compile(r"I\(([^)]*)\)"), r"*\1*"),
    (re.compile(r"B\(([^)]*)\)"), r"**\1**"),
    (re.compile(r"L\(([^,)]*),\s*([^)]*)\)"), r"[\1](\2)"),
    (re.compile(r"U\(([^)]*)\)"), r"<\1>"),
]


def markdown(text):
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    return text.replace("|", "\\|").replace("\n", " ")


def show_default(option):
    if option.get("required"):
        return "(required)"
    if "default" not in option:
        return ""
    value = option["default"]
    if value is None:
        return "`null`"
    text = yaml.safe_dump(value, default_flow_style=True, width=10000).strip()
    if text.endswith("\n...") or text.endswith("..."):
        text = text.rsplit("\n", 1)[0].strip()
    if isinstance(value, str) and value == "":
        text = '""'
    return "`%s`" % text.replace("|", "\\|")


def show_type(option):
    kind = option.get("type", "str")
    if kind == "list" and option.get("elements"):
        kind = "list of %s" % option["elements"]
    if option.get("choices"):
        kind += ": " + ", ".join("`%s`" % c for c in option["choices"])
    return kind


def table(options):
    lines = ["| Variable | Type | Default | Description |", "| --- | --- | --- | --- |"]
    for name in sorted(options):
        option = options[name] or {}
        description = option.get("description", "")
        if isinstance(description, list):
            description = " ".join(description)
        if option.get("options"):
            description += " Keys: %s." % ", ".join(
                "C(%s)%s" % (key, " (required)" if (sub or {}).get("required") else "")
                for key, sub in sorted(option["options"].items()))
        lines.append("| `%s` | %s | %s | %s |" % (name, show_type(option), show_default(option), markdown(description)))
    return "\n".join(lines)


def generated(role_dir, readme_text):
    """``readme_text`` with every marked table replaced by the one argument_specs gives."""
    with open(os.path.join(role_dir, "meta", "argument_specs.yml")) as handle:
        specs = yaml.safe_load(handle)["argument_specs"]

    def replace(match):
        entry = match.group("entry")
        if entry not in specs:
            raise KeyError("%s: no entry point %r in argument_specs" % (role_dir, entry))
        return "<!-- argument_specs %s begin -->\n%s\n<!-- argument_specs %s end -->" % (
            entry, table(specs[entry].get("options") or {}), entry)

    return MARKER_RE.sub(replace, readme_text)


def roles(names=None):
    base = os.path.join(ROOT, "roles")
    for name in sorted(names or os.listdir(base)):
        role_dir = os.path.join(base, name)
        if os.path.exists(os.path.join(role_dir, "meta", "argument_specs.yml")):
            yield name, role_dir


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--check", action="store_true", help="only report READMEs that differ")
    parser.add_argument("roles", nargs="*")
    args = parser.parse_args(argv)
    differ = []
    for name, role_dir in roles(args.roles):
        path = os.path.join(role_dir, "README.md")
        with open(path) as handle:
            text = handle.read()
        if not MARKER_RE.search(text):
            differ.append("%s: no generated variable table (markers missing)" % path)
            continue
        new = generated(role_dir, text)
        if new != text:
            differ.append("%s: variable table differs from argument_specs" % path)
            if not args.check:
                with open(path, "w") as handle:
                    handle.write(new)
    for line in differ:
        print(line)
    return 1 if differ and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
