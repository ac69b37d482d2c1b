# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Which input check serves which role: the registry behind ``scs.kolla.validate_input``.

Each role's rules live in a module of their own (``<role>_input.py``) as a pure function
``check(values) -> scs_validate.Problems``; ``values`` is the dict of the role's variables the
preflight passes. Register it here so the one preflight module can reach it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.kolla.plugins.module_utils import (
    flavors_input,
    ovn_ipsec_input,
    pki_input,
    proxysql_tls_input,
    vpnaas_input,
)

CHECKS = {
    "flavors": flavors_input.check,
    "ovn_ipsec": ovn_ipsec_input.check,
    "ovn_ipsec_chassis": ovn_ipsec_input.check_chassis,
    "pki": pki_input.check,
    "proxysql_tls": proxysql_tls_input.check,
    "proxysql_tls_require_ssl": proxysql_tls_input.check_require_ssl,
    "vpnaas": vpnaas_input.check,
    "vpnaas_absent": vpnaas_input.check_absent,
}


def run_check(role, values):
    """The problems (and warnings) of ``values`` for ``role``; KeyError for an unknown role."""
    return CHECKS[role](values)
