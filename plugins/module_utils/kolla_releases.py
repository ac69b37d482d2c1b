# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""What each kolla-ansible release does, and the configuration the roles write for it.

Pure Python (no Ansible imports). The facts come from the released packages on PyPI
(kolla-ansible 18.8.0, 19.8.0, 20.6.0, 21.3.0, 22.2.0, 23.0.0; neutron-vpnaas 24 ... 29)
and are checked against them by the release matrix (tests/release/).

The roles' kolla-ansible configuration is built here as data: the ``globals.d``
fragments as dicts (written with ``to_nice_yaml``), the INI overlays as sections
(written by :func:`ini_text`, which refuses line breaks and control characters), so no
input value can add a key or a section to what kolla-ansible reads.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Every release the collection knows, oldest first (upgrades go one step at a time).
RELEASES = ("2024.1", "2024.2", "2025.1", "2025.2", "2026.1", "2026.2")
KOLLA_ANSIBLE_MAJOR = dict(zip(RELEASES, (18, 19, 20, 21, 22, 23)))
NEUTRON_VPNAAS_MAJOR = dict(zip(RELEASES, (24, 25, 26, 27, 28, 29)))

# ---------------------------------------------------------------- proxysql_tls
# enable_proxysql: the fragment switches ProxySQL on (kolla-ansible 19/20 default it to
#   "yes", OSISM keeps it off up to 2025.1; from 21 kolla follows enable_mariadb).
# internal_scope: which services connect to ProxySQL with TLS (ssl_ca in their database
#   URL): kolla-ansible 19/20 define <service>_database_enable_tls_internal for keystone
#   only, 21+ for every service.
PROXYSQL_TLS = {
    "2024.2": {"kolla_ansible": 19, "enable_proxysql": True, "internal_scope": "keystone only"},
    "2025.1": {"kolla_ansible": 20, "enable_proxysql": True, "internal_scope": "keystone only"},
    "2025.2": {"kolla_ansible": 21, "enable_proxysql": False, "internal_scope": "all services"},
    "2026.1": {"kolla_ansible": 22, "enable_proxysql": False, "internal_scope": "all services"},
    "2026.2": {"kolla_ansible": 23, "enable_proxysql": False, "internal_scope": "all services"},
}
PROXYSQL_TLS_UNSUPPORTED = {
    "2024.1": "kolla-ansible 18 (2024.1) has no database TLS "
              "(database_enable_tls_* arrived in 19.0.0 / 2024.2)",
}
# kolla-ansible's certificate paths inside the mariadb container (all releases).
MARIADB_CONTAINER_CERTS = "/etc/mariadb/certs"

# ---------------------------------------------------------------------- vpnaas
# ovn_agent: upstream = kolla-ansible deploys neutron_ovn_vpn_agent itself (22.0.0+);
#   none = only with a backport (OSISM ships one for 2024.1).
# ovn_templates: its neutron_vpnaas.conf.j2 / neutron_ovn_vpn_agent.ini.j2 render the
#   OVN service provider and the distro's device driver themselves.
# agent_sysctl_bind: its neutron_ovn_vpn_agent_default_volumes binds /bin/true over
#   /usr/sbin/sysctl (Launchpad 2160208): the agent cannot switch on forwarding in
#   the VPN namespace. 22.x has it; 23.0.0 dropped the bind.
VPNAAS = {
    "2024.1": {"kolla_ansible": 18, "neutron_vpnaas": 24, "ovn_agent": "none",
               "ovn_templates": False, "agent_sysctl_bind": False},
    "2024.2": {"kolla_ansible": 19, "neutron_vpnaas": 25, "ovn_agent": "none",
               "ovn_templates": False, "agent_sysctl_bind": False},
    "2025.1": {"kolla_ansible": 20, "neutron_vpnaas": 26, "ovn_agent": "none",
               "ovn_templates": False, "agent_sysctl_bind": False},
    "2025.2": {"kolla_ansible": 21, "neutron_vpnaas": 27, "ovn_agent": "none",
               "ovn_templates": False, "agent_sysctl_bind": False},
    "2026.1": {"kolla_ansible": 22, "neutron_vpnaas": 28, "ovn_agent": "upstream",
               "ovn_templates": True, "agent_sysctl_bind": True},
    "2026.2": {"kolla_ansible": 23, "neutron_vpnaas": 29, "ovn_agent": "upstream",
               "ovn_templates": True, "agent_sysctl_bind": False},
}
VPNAAS_UNSUPPORTED = {}

# kolla-ansible 22.2.0's neutron_ovn_vpn_agent_default_volumes without the sysctl bind
# (kolla-ansible's own Jinja, evaluated by kolla-ansible, not by this collection).
VPNAAS_AGENT_VOLUMES_WITHOUT_SYSCTL_BIND = [
    "{{ node_config_directory }}/neutron-ovn-vpn-agent/:{{ container_config_directory }}/:ro",
    "/etc/localtime:/etc/localtime:ro",
    "{{ '/etc/timezone:/etc/timezone:ro' if ansible_facts.os_family == 'Debian' else '' }}",
    "/run/netns:/run/netns:shared",
    "kolla_logs:/var/log/kolla/",
    "{{ '/dev/shm:/dev/shm' }}",
]
SYSCTL_BIND = "/bin/true:/usr/sbin/sysctl:ro"

VPNAAS_DEVICE_DRIVERS = {"debian": "strongswan", "ubuntu": "strongswan",
                         "rocky": "libreswan", "centos": "libreswan", "rhel": "libreswan"}
# Provider names as kolla-ansible 22/23 write them: identical, so that VPN services created
# before an upgrade to 2026.1 keep their provider association.
VPNAAS_PROVIDER_NAME = {"strongswan": "strongswan", "libreswan": "openswan"}
VPNAAS_AGENT_DRIVER_CLASS = {"strongswan": "OvnStrongSwanDriver", "libreswan": "OvnLibreSwanDriver"}
VPNAAS_SERVICE_DRIVER = "neutron_vpnaas.services.vpn.service_drivers.ovn_ipsec.IPsecOvnVPNDriver"
VPNAAS_DEVICE_DRIVER_MODULE = "neutron_vpnaas.services.vpn.device_drivers.ovn_ipsec"
VPNAAS_SERVICE_OVERLAY = "neutron_vpnaas.conf"
VPNAAS_AGENT_OVERLAY = "neutron_ovn_vpn_agent.ini"

TABLES = {"proxysql_tls": (PROXYSQL_TLS, PROXYSQL_TLS_UNSUPPORTED),
          "vpnaas": (VPNAAS, VPNAAS_UNSUPPORTED)}


class KollaConfigError(ValueError):
    """A value the configuration cannot carry, or a release/role the table does not know."""


def releases(role, unsupported=False):
    """The release table of ``role`` ({release: facts}), or its refused releases ({release: why})."""
    if role not in TABLES:
        raise KollaConfigError("no release table for role %r (known: %s)" % (role, ", ".join(sorted(TABLES))))
    table = TABLES[role][1 if unsupported else 0]
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in table.items()}


def _facts(role, release):
    release = str(release)
    table, refused = TABLES[role]
    if release in refused:
        raise KollaConfigError("%s: release %s is refused: %s" % (role, release, refused[release]))
    if release not in table:
        raise KollaConfigError("%s: release must be one of %s (quoted), got %r"
                               % (role, ", ".join(table), release))
    return table[release]


def _yes(value):
    return "yes" if _bool(value) else "no"


def _bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "on", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("no", "false", "off", "0", ""):
        return False
    if isinstance(value, int):
        return bool(value)
    raise KollaConfigError("expected a boolean, got %r" % (value,))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def _line(value, what):
    """A value for one line of a config file: a string without line breaks or control characters."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise KollaConfigError("%s must be a string, got %r" % (what, value))
    match = _UNSAFE.search(value)
    if match:
        raise KollaConfigError("%s %r contains a line break or control character (%r)"
                               % (what, value, match.group(0)))
    return value


# ------------------------------------------------------------- proxysql_tls build

def proxysql_tls_globals(inputs):
    """The globals.d fragment of scs.kolla.proxysql_tls: {"header": [lines], "data": dict}.

    inputs: release, backend, internal, enable_proxysql (None = what the release needs),
    openstack_cacert, galera_replication, galera_socket_dynamic, certificates_dir.
    """
    release = str(inputs.get("release"))
    facts = _facts("proxysql_tls", release)
    enable = inputs.get("enable_proxysql")
    # null (None; "None" where Ansible renders it as text): what the release needs.
    enable = facts["enable_proxysql"] if enable in (None, "", "None") else _bool(enable)
    data = {}
    if enable:
        data["enable_proxysql"] = "yes"
    data["database_enable_tls_backend"] = _yes(inputs.get("backend", True))
    data["database_enable_tls_internal"] = _yes(inputs.get("internal", True))
    data["kolla_copy_ca_into_containers"] = "yes"
    data["openstack_cacert"] = _line(inputs.get("openstack_cacert", ""), "proxysql_tls_openstack_cacert")
    if _bool(inputs.get("galera_replication", False)):
        certs = MARIADB_CONTAINER_CERTS
        options = ["socket.ssl_cert=%s/mariadb-cert.pem" % certs,
                   "socket.ssl_key=%s/mariadb-key.pem" % certs,
                   "socket.ssl_ca=%s/root.crt" % certs]
        if _bool(inputs.get("galera_socket_dynamic", False)):
            options.append("socket.dynamic=YES")
        data["mariadb_wsrep_extra_provider_options"] = options
    header = [
        "Database TLS for kolla-ansible %s (kolla-ansible %d), written by scs.kolla.proxysql_tls."
        % (release, facts["kolla_ansible"]),
        "Services using TLS to ProxySQL: %s." % facts["internal_scope"],
        "Certificates: %s" % _line(inputs.get("certificates_dir", ""), "proxysql_tls_certificates_dir"),
    ]
    if enable:
        header.append("enable_proxysql: database TLS exists only with ProxySQL in front of MariaDB.")
    return {"header": header, "data": data}


def proxysql_tls_metrics(inputs):
    """The certificate files kolla-ansible deploys for database TLS on one host, for the
    expiry metrics (scs.kolla.certificate_metrics): [{path, role, renew_before_days?}].

    inputs: config_dir (kolla's node_config_directory on the host), backend, internal, the
    host's groups as booleans mariadb, loadbalancer, tls_backend, and renew_before_days
    (the scs.kolla.pki renewal window of the leaf certificates; None: not exported).

    Where kolla-ansible (19 ... 23) puts them: the mariadb role copies mariadb-cert.pem and
    ca-certificates/root.crt (kolla_copy_ca_into_containers, which the fragment sets) to
    <config_dir>/mariadb/ on hosts in the tls-backend group (database_enable_tls_backend);
    the loadbalancer role copies proxysql-cert.pem and proxysql-ca.pem to
    <config_dir>/proxysql/ (database_enable_tls_internal) and, for the backend connections,
    mariadb-cert.pem and ca-certificates/root.crt next to them.
    """
    config_dir = inputs.get("config_dir")
    if not isinstance(config_dir, str) or not config_dir.startswith("/"):
        raise KollaConfigError("the host's kolla config directory must be an absolute path, got %r" % (config_dir,))
    config_dir = _line(config_dir.rstrip("/") or "/", "config_dir")
    days = inputs.get("renew_before_days")
    if days in ("", "None"):
        days = None
    if days is not None:
        try:
            days = int(days)
        except (TypeError, ValueError):
            raise KollaConfigError("renew_before_days must be a whole number of days, got %r" % (days,))
    backend = _bool(inputs.get("backend", True)) and _bool(inputs.get("tls_backend", False))
    internal = _bool(inputs.get("internal", True))
    files = []

    def add(service, name, role):
        entry = {"path": "%s/%s/%s" % (config_dir, service, name), "role": role}
        if role != "proxysql_tls_ca" and days is not None:
            entry["renew_before_days"] = days
        files.append(entry)

    if _bool(inputs.get("mariadb", False)) and backend:
        add("mariadb", "mariadb-cert.pem", "proxysql_tls_mariadb")
        add("mariadb", "ca-certificates/root.crt", "proxysql_tls_ca")
    if _bool(inputs.get("loadbalancer", False)):
        if internal:
            add("proxysql", "proxysql-cert.pem", "proxysql_tls_proxysql")
            add("proxysql", "proxysql-ca.pem", "proxysql_tls_ca")
        if backend:
            add("proxysql", "mariadb-cert.pem", "proxysql_tls_mariadb")
            add("proxysql", "ca-certificates/root.crt", "proxysql_tls_ca")
    return files


# ------------------------------------------------------------------- vpnaas build

def vpnaas_driver(base_distro):
    distro = str(base_distro).lower()
    if distro not in VPNAAS_DEVICE_DRIVERS:
        raise KollaConfigError("kolla base distro must be one of %s, got %r"
                               % (", ".join(VPNAAS_DEVICE_DRIVERS), base_distro))
    return VPNAAS_DEVICE_DRIVERS[distro]


def _vpnaas(inputs):
    release = str(inputs.get("release"))
    facts = _facts("vpnaas", release)
    agent = inputs.get("neutron_plugin_agent", "ovn")
    if agent not in ("ovn", "openvswitch"):
        raise KollaConfigError("neutron_plugin_agent must be ovn or openvswitch, got %r" % (agent,))
    return release, facts, agent, vpnaas_driver(inputs.get("base_distro", "ubuntu"))


def vpnaas_overlays(inputs):
    """File names (below node_custom_config/neutron) of the overlays the release needs."""
    _release, facts, agent, _driver = _vpnaas(inputs)
    if agent != "ovn":
        return []
    if facts["ovn_templates"] and not _bool(inputs.get("force_overlays", False)):
        return []
    return [VPNAAS_SERVICE_OVERLAY, VPNAAS_AGENT_OVERLAY]


def vpnaas_globals(inputs):
    """The globals.d fragment of scs.kolla.vpnaas: {"header": [lines], "data": dict}.

    inputs: release, neutron_plugin_agent, base_distro, horizon_panel.
    """
    release, facts, agent, driver = _vpnaas(inputs)
    data = {"enable_neutron_vpnaas": "yes",
            "enable_horizon_neutron_vpnaas": _yes(inputs.get("horizon_panel", True))}
    header = ["scs.kolla.vpnaas: OpenStack %s (kolla-ansible %d)," % (release, facts["kolla_ansible"]),
              "neutron_plugin_agent %s, %s device driver." % (agent, driver)]
    if agent == "ovn" and facts["agent_sysctl_bind"]:
        data["neutron_ovn_vpn_agent_default_volumes"] = list(VPNAAS_AGENT_VOLUMES_WITHOUT_SYSCTL_BIND)
        header.append("kolla-ansible %d binds /bin/true over /usr/sbin/sysctl in the OVN VPN agent "
                      "(Launchpad 2160208):" % facts["kolla_ansible"])
        header.append("its volume list without that bind, so the agent can switch on forwarding.")
    return {"header": header, "data": data}


def vpnaas_overlay(inputs, name):
    """One INI overlay of scs.kolla.vpnaas: {"header": [lines], "sections": {section: {key: value}}}."""
    release, _facts_, _agent, driver = _vpnaas(inputs)
    if name == VPNAAS_SERVICE_OVERLAY:
        return {
            "header": ["scs.kolla.vpnaas: the OVN service driver for OpenStack %s (%s)." % (release, driver)],
            "sections": {"service_providers": {
                "service_provider": "VPN:%s:%s:default" % (VPNAAS_PROVIDER_NAME[driver], VPNAAS_SERVICE_DRIVER)}},
        }
    if name == VPNAAS_AGENT_OVERLAY:
        return {
            "header": ["scs.kolla.vpnaas: device driver of the OVN VPN agent for OpenStack %s" % release,
                       "(kolla base distro %s)." % _line(str(inputs.get("base_distro")), "base distro")],
            "sections": {"vpnagent": {
                "vpn_device_driver": "%s.%s" % (VPNAAS_DEVICE_DRIVER_MODULE, VPNAAS_AGENT_DRIVER_CLASS[driver])}},
        }
    raise KollaConfigError("vpnaas has no overlay %r (known: %s, %s)"
                           % (name, VPNAAS_SERVICE_OVERLAY, VPNAAS_AGENT_OVERLAY))


BUILDERS = {
    ("proxysql_tls", "globals"): proxysql_tls_globals,
    ("proxysql_tls", "metrics"): proxysql_tls_metrics,
    ("vpnaas", "globals"): vpnaas_globals,
    ("vpnaas", "overlays"): vpnaas_overlays,
    ("vpnaas", VPNAAS_SERVICE_OVERLAY): lambda inputs: vpnaas_overlay(inputs, VPNAAS_SERVICE_OVERLAY),
    ("vpnaas", VPNAAS_AGENT_OVERLAY): lambda inputs: vpnaas_overlay(inputs, VPNAAS_AGENT_OVERLAY),
}


def build(inputs, role, what):
    """Dispatch for the kolla_config filter: build ``what`` of ``role`` from ``inputs``."""
    if not isinstance(inputs, dict):
        raise KollaConfigError("the inputs must be a dict, got %r" % (inputs,))
    if (role, what) not in BUILDERS:
        raise KollaConfigError("nothing to build for %s/%s (known: %s)"
                               % (role, what, ", ".join("%s/%s" % k for k in sorted(BUILDERS))))
    return BUILDERS[(role, what)](inputs)


# -------------------------------------------------------------------- serialisers

def comment_lines(lines):
    """Header lines as '# ' comments; each must be one line."""
    if isinstance(lines, str):
        lines = [lines]
    return "\n".join(("# " + _line(line, "comment line")).rstrip() for line in lines)


_SECTION = re.compile(r"[A-Za-z0-9_.:-]+\Z")
_KEY = re.compile(r"[A-Za-z0-9_.-]+\Z")


def ini_text(document):
    """An INI document ({"header": [...], "sections": {...}}) as text, header first.

    Section names and keys must be plain names; values are single lines (no CR/LF or
    control characters), so nothing can open a section or add a key. A list value
    writes the key once per item (a multi-valued option, as merge_configs keeps it).
    """
    if not isinstance(document, dict) or not isinstance(document.get("sections"), dict):
        raise KollaConfigError("an INI document needs a 'sections' dict, got %r" % (document,))
    out = []
    if document.get("header"):
        out.append(comment_lines(document["header"]))
    for section, options in document["sections"].items():
        if not isinstance(section, str) or not _SECTION.match(section):
            raise KollaConfigError("INI section name %r is not a plain name" % (section,))
        if not isinstance(options, dict):
            raise KollaConfigError("INI section [%s] must be a dict of options, got %r" % (section, options))
        out.append("[%s]" % section)
        for key, value in options.items():
            if not isinstance(key, str) or not _KEY.match(key):
                raise KollaConfigError("INI key %r in [%s] is not a plain name" % (key, section))
            for item in (value if isinstance(value, list) else [value]):
                out.append("%s = %s" % (key, _line(item, "[%s] %s" % (section, key))))
    return "\n".join(out) + "\n"


def parse_ini(text):
    """Sections of an INI text as {section: {key: [values]}} (comments skipped), for tests and diffs."""
    result, current = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = result.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        if not sep or current is None:
            raise KollaConfigError("not an INI line: %r" % raw)
        current.setdefault(key.strip(), []).append(value.strip())
    return result
