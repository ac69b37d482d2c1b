# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Release knowledge and validation for Neutron VPNaaS (pure Python, no Ansible imports).

Facts are taken from the released sources (PyPI):

* Values the Networking API stores: neutron-vpnaas' DB enums in
  ``neutron_vpnaas/db/vpn/vpn_models.py``. 24.x (2024.1) and 25.x (2024.2) store
  encryption 3des/aes-128/aes-192/aes-256, auth sha1/sha256/sha384/sha512 and PFS
  group2/group5/group14 only; 26.0.0 (2025.1, migration ``b18aab30fddc`` "add more
  ciphers") adds AES CTR/CCM/GCM, aes-xcbc/aes-cmac and group15..group31. neutron-lib's
  API definition (``neutron_lib/api/definitions/vpn.py``) already lists the larger set
  in every release, so on 2024.x the API accepts values the database cannot store.
  29.0.0 (2026.2, migration ``842256a43ce2``) removes sha1 and 3des.
* What the device drivers can express: ``DIALECT_MAP`` in
  ``device_drivers/ipsec.py`` (Libreswan: no CTR/CCM/GCM, no aes-cmac, no group25..30)
  and ``device_drivers/strongswan_ipsec.py`` (strongSwan: all of them).
* ``ah-esp`` is rejected by ``service_drivers/ipsec_validator.py`` for every *Swan.
* Only ``seconds`` is a valid lifetime unit (neutron-lib ``VPN_SUPPORTED_LIFETIME_UNITS``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

# KOLLA_ANSIBLE_MAJOR: re-exported with the release list (callers read it from here).
from ansible_collections.scs.kolla.plugins.module_utils.kolla_releases import (  # noqa: E402  pylint: disable=unused-import
    KOLLA_ANSIBLE_MAJOR, NEUTRON_VPNAAS_MAJOR, RELEASES)

DEVICE_DRIVERS = ("strongswan", "libreswan")

_AES_MODES = tuple(
    "aes-%d-%s" % (bits, mode)
    for mode in ("ctr", "ccm-8", "ccm-12", "ccm-16", "gcm-8", "gcm-12", "gcm-16")
    for bits in (128, 192, 256)
)
_ENC_BASE = ("3des", "aes-128", "aes-192", "aes-256")
_AUTH_BASE = ("sha1", "sha256", "sha384", "sha512")
_PFS_BASE = ("group2", "group5", "group14")
_PFS_ALL = _PFS_BASE + tuple("group%d" % n for n in range(15, 32))

# What the Networking API (its database) accepts, per neutron-vpnaas generation.
_API_2024 = {"encryption_algorithm": _ENC_BASE, "auth_algorithm": _AUTH_BASE, "pfs": _PFS_BASE}
_API_2025 = {
    "encryption_algorithm": _ENC_BASE + _AES_MODES,
    "auth_algorithm": _AUTH_BASE + ("aes-xcbc", "aes-cmac"),
    "pfs": _PFS_ALL,
}
# neutron-vpnaas 29.0.0 (2026.2, migration 842256a43ce2 "remove deprecated sha1 and 3des")
# drops sha1 and 3des from the enums (existing rows are moved to sha256 / aes-128).
_API_2026_2 = {
    "encryption_algorithm": tuple(v for v in _API_2025["encryption_algorithm"] if v != "3des"),
    "auth_algorithm": tuple(v for v in _API_2025["auth_algorithm"] if v != "sha1"),
    "pfs": _PFS_ALL,
}
API_VALUES = {
    "2024.1": _API_2024,
    "2024.2": _API_2024,
    "2025.1": _API_2025,
    "2025.2": _API_2025,
    "2026.1": _API_2025,
    "2026.2": _API_2026_2,
}

# What each device driver translates into its IKE daemon's syntax (DIALECT_MAP).
DRIVER_VALUES = {
    "strongswan": _API_2025,
    "libreswan": {
        "encryption_algorithm": _ENC_BASE,
        "auth_algorithm": _AUTH_BASE + ("aes-xcbc",),
        "pfs": _PFS_BASE + tuple("group%d" % n for n in range(15, 25)) + ("group31",),
    },
}

COMMON_VALUES = {
    "ike_version": ("v1", "v2"),
    "phase1_negotiation_mode": ("main", "aggressive"),
    # ah-esp exists in the API but service_drivers/ipsec_validator.py rejects it.
    "transform_protocol": ("esp", "ah"),
    "encapsulation_mode": ("tunnel", "transport"),
    "lifetime_units": ("seconds",),
}

# Refused even where the release accepts them (RFC 8247 IKEv2 and RFC 8221 ESP
# algorithm requirements; RFC 9395 deprecates IKEv1).
WEAK = {
    "encryption_algorithm": {
        "3des": "64-bit block cipher (RFC 8221: SHOULD NOT)",
        "aes-128-gcm-8": "8-octet ICV", "aes-192-gcm-8": "8-octet ICV", "aes-256-gcm-8": "8-octet ICV",
        "aes-128-ccm-8": "8-octet ICV", "aes-192-ccm-8": "8-octet ICV", "aes-256-ccm-8": "8-octet ICV",
    },
    "auth_algorithm": {"sha1": "SHA-1 (RFC 8247 demotes HMAC-SHA1)"},
    "pfs": {
        "group2": "1024-bit MODP (RFC 8247: SHOULD NOT)",
        "group5": "1536-bit MODP (RFC 8247: SHOULD NOT)",
        "group22": "1024-bit MODP with 160-bit subgroup (RFC 8247: SHOULD NOT)",
        "group23": "2048-bit MODP with 224-bit subgroup (RFC 8247: SHOULD NOT)",
        "group24": "2048-bit MODP with 256-bit subgroup (RFC 8247: SHOULD NOT)",
        "group25": "192-bit random ECP curve",
        "group26": "224-bit random ECP curve",
        "group27": "224-bit Brainpool curve",
    },
    "ike_version": {"v1": "IKEv1 is deprecated (RFC 9395)"},
    "phase1_negotiation_mode": {"aggressive": "aggressive mode exposes the PSK hash"},
    "transform_protocol": {"ah": "AH authenticates only, no confidentiality"},
}

LIFETIME_MIN = 60  # neutron-lib: lifetime value must be >= 60
LIFETIME_MAX = 86400

_IKE_KEYS = ("encryption_algorithm", "auth_algorithm", "pfs", "ike_version",
             "phase1_negotiation_mode", "lifetime")
_IPSEC_KEYS = ("encryption_algorithm", "auth_algorithm", "pfs", "transform_protocol",
               "encapsulation_mode", "lifetime")


class VpnaasValidationError(ValueError):
    """Input that the role/module must refuse; the message names what is accepted."""


def check_release(release):
    """Return the release string or raise with the supported list."""
    release = str(release or "").strip()
    if release not in RELEASES:
        raise VpnaasValidationError(
            "unknown OpenStack release %r: scs.kolla.vpnaas supports %s"
            % (release, ", ".join(RELEASES)))
    return release


def allowed_values(release, device_driver):
    """Values that are both stored by the API of ``release`` and expressed by the driver."""
    release = check_release(release)
    if device_driver not in DEVICE_DRIVERS:
        raise VpnaasValidationError(
            "unknown device driver %r: expected one of %s" % (device_driver, ", ".join(DEVICE_DRIVERS)))
    result = {}
    for key, api in API_VALUES[release].items():
        driver = DRIVER_VALUES[device_driver][key]
        result[key] = tuple(v for v in api if v in driver)
    result.update(COMMON_VALUES)
    return result


def strong_values(release, device_driver):
    """allowed_values minus what this collection refuses as weak."""
    return {key: tuple(v for v in values if v not in WEAK.get(key, {}))
            for key, values in allowed_values(release, device_driver).items()}


def default_policies(release, device_driver):
    """Strong defaults valid for the release and driver: (ike, ipsec) dicts."""
    release = check_release(release)
    if API_VALUES[release] is _API_2024:
        enc, auth, pfs = "aes-256", "sha256", "group14"
    elif device_driver == "strongswan":
        # AES-GCM with a 16-octet ICV and ECP-384: stronger, and supported from 26.0.0.
        enc, auth, pfs = "aes-256-gcm-16", "sha384", "group20"
    else:
        enc, auth, pfs = "aes-256", "sha384", "group20"
    lifetime = {"units": "seconds", "value": 3600}
    ike = {"encryption_algorithm": enc, "auth_algorithm": auth, "pfs": pfs,
           "ike_version": "v2", "phase1_negotiation_mode": "main",
           "lifetime": dict(lifetime)}
    ipsec = {"encryption_algorithm": enc, "auth_algorithm": auth, "pfs": pfs,
             "transform_protocol": "esp", "encapsulation_mode": "tunnel",
             "lifetime": dict(lifetime)}
    return ike, ipsec


def _describe(release, device_driver):
    return "OpenStack %s (neutron-vpnaas %d) with the %s device driver" % (
        release, NEUTRON_VPNAAS_MAJOR[release], device_driver)


def _check_policy(kind, keys, policy, release, device_driver, allow_weak):
    errors = []
    unknown = sorted(set(policy) - set(keys))
    if unknown:
        errors.append("%s policy: unknown keys %s (accepted: %s)"
                      % (kind, ", ".join(unknown), ", ".join(keys)))
    allowed = allowed_values(release, device_driver)
    strong = strong_values(release, device_driver)
    for key in keys:
        if key == "lifetime" or key not in policy:
            continue
        value = policy[key]
        if value not in allowed[key]:
            errors.append(
                "%s policy: %s=%r is not supported on %s; allowed: %s"
                % (kind, key, value, _describe(release, device_driver), ", ".join(allowed[key])))
        elif not allow_weak and value in WEAK.get(key, {}):
            errors.append(
                "%s policy: %s=%r is refused as weak (%s); allowed on %s: %s"
                % (kind, key, value, WEAK[key][value], _describe(release, device_driver),
                   ", ".join(strong[key])))
    lifetime = policy.get("lifetime")
    if lifetime is not None:
        if not isinstance(lifetime, dict) or set(lifetime) - {"units", "value"}:
            errors.append("%s policy: lifetime must be a dict with units and value, got %r" % (kind, lifetime))
        else:
            units = lifetime.get("units", "seconds")
            if units not in COMMON_VALUES["lifetime_units"]:
                errors.append("%s policy: lifetime units %r is not supported; allowed: seconds" % (kind, units))
            value = lifetime.get("value", 3600)
            if isinstance(value, bool) or not isinstance(value, int) or not LIFETIME_MIN <= value <= LIFETIME_MAX:
                errors.append("%s policy: lifetime value %r must be an integer from %d to %d seconds"
                              % (kind, value, LIFETIME_MIN, LIFETIME_MAX))
    return errors


def effective_policies(release, device_driver, ike=None, ipsec=None):
    """Defaults for the release/driver overlaid with the given keys (lifetime merged)."""
    d_ike, d_ipsec = default_policies(release, device_driver)
    result = []
    for default, given in ((d_ike, ike or {}), (d_ipsec, ipsec or {})):
        merged = copy.deepcopy(default)
        for key, value in given.items():
            if key == "lifetime" and isinstance(value, dict):
                merged["lifetime"] = dict(merged["lifetime"], **value)
            else:
                merged[key] = value
        result.append(merged)
    return tuple(result)


def validate_policies(release, device_driver, ike=None, ipsec=None, allow_weak=False):
    """Return the effective (ike, ipsec) policies or raise with every problem found."""
    release = check_release(release)
    if device_driver not in DEVICE_DRIVERS:
        raise VpnaasValidationError(
            "unknown device driver %r: expected one of %s" % (device_driver, ", ".join(DEVICE_DRIVERS)))
    for name, value in (("ike_policy", ike), ("ipsec_policy", ipsec)):
        if value is not None and not isinstance(value, dict):
            raise VpnaasValidationError("%s must be a dict, got %r" % (name, value))
    e_ike, e_ipsec = effective_policies(release, device_driver, ike, ipsec)
    errors = _check_policy("IKE", _IKE_KEYS, e_ike, release, device_driver, allow_weak)
    errors += _check_policy("IPsec", _IPSEC_KEYS, e_ipsec, release, device_driver, allow_weak)
    if errors:
        raise VpnaasValidationError("; ".join(errors))
    return e_ike, e_ipsec
