# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Jinja2 filters over module_utils/kolla_releases (documentation: one YAML file per filter)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.scs.kolla.plugins.module_utils import kolla_releases as kr


def _wrap(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except kr.KollaConfigError as exc:
        raise AnsibleFilterError(str(exc))


def kolla_releases(role, unsupported=False):
    return _wrap(kr.releases, role, unsupported=unsupported)


def kolla_config(inputs, role, what):
    return _wrap(kr.build, dict(inputs) if hasattr(inputs, "items") else inputs, role, what)


def kolla_comment(lines):
    return _wrap(kr.comment_lines, list(lines) if not isinstance(lines, str) else lines)


def kolla_ini(document):
    return _wrap(kr.ini_text, document)


class FilterModule(object):
    def filters(self):
        return {
            "kolla_releases": kolla_releases,
            "kolla_config": kolla_config,
            "kolla_comment": kolla_comment,
            "kolla_ini": kolla_ini,
        }
