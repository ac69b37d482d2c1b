# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Input rules of the scs.kolla.flavors role: ``check(values) -> scs_validate.Problems``.

The flavor list itself is checked by the rules the flavor_sync module applies before its first
API call (``scs_flavor_sync.desired_state``: shapes, Nova's limits, SCS names, figures and
``scs:*`` properties), so the preflight and the module refuse the same inputs with the same
words; here they are named after the role's variables.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as validate

MAX_CONCURRENCY = 32  # scs_flavor_sync.MAX_CONCURRENCY (a unit test keeps them equal)

BOOLEANS = ("flavors_mandatory", "flavors_recommended_part1", "flavors_recommended_part2",
            "flavors_hw_rng", "flavors_public", "flavors_descriptions", "flavors_prune",
            "flavors_purge_extra_specs")
SETS = (("flavors_mandatory", "mandatory"), ("flavors_recommended_part1", "recommended_part1"),
        ("flavors_recommended_part2", "recommended_part2"))
# The sync's labels, as the role's variables are called.
_LABELS = ((re.compile(r"flavors\["), "flavors_custom["), (re.compile(r"extra_specs(?=:)"), "flavors_extra_specs"))


def _role_label(problem):
    for pattern, label in _LABELS:
        if pattern.match(problem):
            return pattern.sub(label, problem, count=1)
    return problem


# What argument_specs' bool and int types accept, as extra vars (-e) arrive: as strings.
_TRUE = ("1", "on", "t", "true", "y", "yes")
_FALSE = ("0", "off", "f", "false", "n", "no")


def _as_bool(value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    return True if text in _TRUE else False if text in _FALSE else None


def _as_int(value):
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value)
    return value


def check(values):
    """Problems of the flavors role's variables (``values``: variable name -> value)."""
    problems = validate.Problems()
    values = dict(values)
    ok = True
    for name in BOOLEANS:
        if name in values:
            flag = _as_bool(values[name])
            if flag is None:
                problems.add(name, values[name], "expected true or false")
                ok = False
            values[name] = flag
    if "flavors_concurrency" in values:
        ok = validate.check_int(problems, "flavors_concurrency", _as_int(values["flavors_concurrency"]), 1,
                                MAX_CONCURRENCY) and ok
    timeout = values.get("flavors_api_timeout")
    if timeout is not None:
        ok = validate.check_int(problems, "flavors_api_timeout", _as_int(timeout), 1, 86400) and ok
    cloud = values.get("flavors_cloud")
    if cloud is not None and not isinstance(cloud, dict):
        ok = validate.check_text(problems, "flavors_cloud", cloud, max_len=255,
                                 what="a clouds.yaml entry name, or a mapping") and ok
    custom = values.get("flavors_custom", [])
    if not isinstance(custom, list):
        problems.add("flavors_custom", custom, "expected a list of flavor names or mappings")
        ok = False
    specs = values.get("flavors_extra_specs", {})
    if specs is not None and not isinstance(specs, dict):
        problems.add("flavors_extra_specs", specs, "expected a mapping of extra spec key: value")
        ok = False
    if not ok:
        return problems  # the list rules below build on these shapes
    # Imported here: the sync code (and openstacksdk, which it can use) loads only for this role,
    # not for every role's preflight that imports the registry.
    from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_sync import (
        FlavorInputError, desired_state)
    try:
        desired_state(custom, standard_sets=[s for var, s in SETS if values.get(var, var == "flavors_mandatory")],
                      extra_specs=specs, hw_rng=values.get("flavors_hw_rng", False),
                      is_public=values.get("flavors_public", True),
                      descriptions=values.get("flavors_descriptions", True))
    except FlavorInputError as exc:
        for problem in exc.problems:
            problems.note(_role_label(problem))
    return problems
