# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""SCS flavor-name engine (scs-0100 v1/v2/v3 names, scs-0103 properties): the public surface.

Pure Python, standard library only, so it runs inside modules on any target,
in filter plugins on the controller and in plain unit tests. The pieces, by concern:
``scs_flavor_tables`` (the standards' letters, standard flavors, GPU models),
``scs_flavor_parse`` (names into :class:`Flavor`, spellings, scs:* properties),
``scs_flavor_generate`` (names from attributes and GPU models) and
``scs_flavor_describe`` (plain-English descriptions). This module puts them together:

* ``analyse(name)``: everything about one name as a plain dict (never raises).
* ``check_names(names)`` / ``generate_many(attribute_sets)``: the flavor_name module's batches.
* ``parse``, ``generate``, ``gpu_code``, ``with_gpu``, ``FlavorNameError``, ``STANDARD_FLAVORS``,
  ``GENERATE_KEYS``, ``PREFIX``: the pieces' public names, for callers of the engine.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_describe import describe
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_generate import GENERATE_KEYS, generate, gpu_code, with_gpu
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_parse import FlavorNameError, format_ram, parse, v2_to_v1
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_tables import PREFIX, STANDARD_FLAVORS

__all__ = ("FlavorNameError", "GENERATE_KEYS", "PREFIX", "RESULT_KEYS", "STANDARD_FLAVORS", "analyse",
           "check_names", "generate", "generate_many", "gpu_code", "parse", "with_gpu")


def _warnings(name, flavor, version):
    warnings = []
    canonical = flavor.canonical
    if version == "v1":
        warnings.append("%r uses the legacy v1 syntax (tolerated); v3 spelling: %r" % (name, canonical))
    elif name != canonical:
        warnings.append("%r is not canonical; canonical spelling: %r" % (name, canonical))
    if flavor.ram >= 10 and flavor.ram != int(flavor.ram):
        warnings.append("RAM %s GiB: half-GiB amounts at 10 GiB and above are discouraged"
                        % format_ram(flavor.ram))
    return warnings


_NOT_SCS = {
    "scs": False, "valid": False, "error": None, "warnings": [], "syntax": None,
    "canonical": None, "short": None, "v1": None, "cpus": None, "ram": None,
    "disk": None, "extra_specs": None, "description": None, "attributes": None,
}


def analyse(name):
    """Everything about one name as a JSON-ready dict; never raises.

    Keys: name, scs, valid, error, warnings, syntax, canonical, short, v1,
    cpus, ram (MiB), disk (GB), extra_specs, description, attributes.
    """
    try:
        parsed = parse(name)
    except FlavorNameError as exc:
        result = dict(_NOT_SCS, name=name, scs=True, warnings=[], error=str(exc))
        return result
    if parsed is None:
        result = dict(_NOT_SCS, name=name, warnings=[])
        if isinstance(name, str) and name.upper().startswith(PREFIX):
            result["warnings"] = ["%r is not an SCS name: the prefix is case-sensitive ('SCS-')" % name]
        return result
    flavor, version = parsed
    canonical = flavor.canonical
    return {
        "name": name,
        "scs": True,
        "valid": True,
        "error": None,
        "warnings": _warnings(name, flavor, version),
        "syntax": version,
        "canonical": canonical,
        "short": flavor.short,
        "v1": v2_to_v1(canonical),
        "cpus": flavor.cpus,
        "ram": flavor.ram_mib,
        "disk": flavor.root_disk,
        "extra_specs": flavor.extra_specs(),
        "description": describe(flavor),
        "attributes": flavor.attributes(),
    }


# -- batches (the flavor_name module) -----------------------------------------

RESULT_KEYS = ("name", "scs", "valid", "error", "warnings", "syntax", "canonical", "short",
               "v1", "cpus", "ram", "disk", "extra_specs", "description", "attributes")


def check_names(names, require_scs=False, fields=None):
    """Analyse a list of names; returns (results, problems).

    ``problems`` lists one message per invalid SCS name (and per non-SCS name
    when ``require_scs``), in input order. ``fields`` limits the keys of each
    result (``name`` is always kept).
    """
    results = []
    cache = {}  # repeated names are analysed once
    for name in names:
        key = name if isinstance(name, str) else repr(name)
        if key in cache:
            results.append(dict(cache[key]))
        else:
            cache[key] = analyse(name)
            results.append(cache[key])
    problems = []
    for result in results:
        if result["error"]:
            problems.append("%r: %s" % (result["name"], result["error"]))
        elif require_scs and not result["scs"]:
            problems.append("%r: not an SCS name (SCS names start with 'SCS-')" % (result["name"],))
    if fields:
        keep = ("name",) + tuple(k for k in RESULT_KEYS if k in fields and k != "name")
        results = [dict((k, r[k]) for k in keep) for r in results]
    return results, problems


def generate_many(attribute_sets):
    """Generate names for a list of attribute dicts; returns (results, problems).

    Each result is the analysis of the generated canonical name plus the
    ``input`` attributes it came from.
    """
    results, problems = [], []
    for index, attrs in enumerate(attribute_sets):
        try:
            name = generate(attrs)
        except FlavorNameError as exc:
            problems.append("flavors[%d]: %s" % (index, exc))
            results.append({"input": attrs, "name": None, "valid": False, "error": str(exc)})
            continue
        result = analyse(name)
        result["input"] = attrs
        results.append(result)
    return results, problems
