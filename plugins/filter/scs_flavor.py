# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Jinja2 filters over the SCS flavor-name engine (documentation: one YAML file per filter)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor import (
    FlavorNameError,
    analyse,
    generate,
    gpu_code,
)

SPEC_KEYS = ("name", "canonical", "short", "v1", "syntax", "cpus", "ram", "disk", "extra_specs",
             "description", "warnings")


def _valid(name, filter_name):
    if not isinstance(name, str):
        raise AnsibleFilterError("%s expects a flavor name string, got %r" % (filter_name, name))
    result = analyse(name)
    if result["error"]:
        raise AnsibleFilterError("%s: invalid SCS flavor name %r: %s" % (filter_name, name, result["error"]))
    if not result["scs"]:
        raise AnsibleFilterError("%s: %r is not an SCS flavor name (SCS names start with 'SCS-')"
                                 % (filter_name, name))
    return result


def flavor_analysis(name):
    """Full analysis of any name; never fails (see the flavor_name module's results)."""
    return analyse(name if isinstance(name, str) else str(name))


def flavor_spec(name):
    """Figures, scs:* extra_specs and spellings of a valid SCS name."""
    result = _valid(name, "flavor_spec")
    return dict((key, result[key]) for key in SPEC_KEYS)


def flavor_canonical(name):
    return _valid(name, "flavor_canonical")["canonical"]


def flavor_short(name):
    return _valid(name, "flavor_short")["short"]


def flavor_v1(name):
    return _valid(name, "flavor_v1")["v1"]


def flavor_describe(name):
    return _valid(name, "flavor_describe")["description"]


def flavor_name(attributes):
    """Canonical SCS name from an attribute dict."""
    try:
        return generate(attributes)
    except FlavorNameError as exc:
        raise AnsibleFilterError("flavor_name: %s" % exc)


def flavor_gpu(model, fraction=None, virtual=False):
    """GPU part of a flavor name for a GPU model and optional slice."""
    try:
        return gpu_code(model, fraction, virtual)
    except FlavorNameError as exc:
        raise AnsibleFilterError("flavor_gpu: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {
            "flavor_analysis": flavor_analysis,
            "flavor_spec": flavor_spec,
            "flavor_canonical": flavor_canonical,
            "flavor_short": flavor_short,
            "flavor_v1": flavor_v1,
            "flavor_describe": flavor_describe,
            "flavor_name": flavor_name,
            "flavor_gpu": flavor_gpu,
        }
