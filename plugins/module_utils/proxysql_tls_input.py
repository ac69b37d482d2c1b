# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Input rules of scs.kolla.proxysql_tls (pure Python, no Ansible imports).

``check(values)`` gets the role's variables as the preflight passes them (see
``roles/proxysql_tls/tasks/preflight.yml``) and returns a :class:`scs_validate.Problems`.
It runs on the controller before the role (or scs.kolla.pki for it) writes anything.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.scs.kolla.plugins.module_utils import scs_validate as v

# MariaDB user names: at most 80 characters (mysql.user.User is char(80)); host part 255.
MYSQL_USER_MAX = 80
MYSQL_HOST_MAX = 255
# Paths on the database hosts (only their form can be checked on the controller).
METRICS_HOST_PATHS = ("proxysql_tls_metrics_textfile_dir", "proxysql_tls_metrics_config_dir")


def _address_or_name(problems, name, value):
    """A host's certificate identity: an IP address, or a DNS name that fits a CN."""
    if isinstance(value, str) and v.is_ip_address(value):
        return True
    if not v.check_dns_name(problems, name, value):
        return False
    if len(value) > v.X509_CN_MAX:
        problems.add(name, value, "expected a name of at most %d characters: it becomes the certificate's "
                     "common name (X.509 limit)" % v.X509_CN_MAX)
        return False
    return True


def check(values):
    problems = v.Problems()
    get = values.get

    release = get("proxysql_tls_openstack_release")
    unsupported = get("unsupported_releases") or {}
    if isinstance(release, str) and release in unsupported:
        problems.add("proxysql_tls_openstack_release", release,
                     "%s; upgrade to a supported release first (%s)"
                     % (unsupported[release], ", ".join(get("releases") or [])))
    else:
        v.check_release(problems, "proxysql_tls_openstack_release", release, list(get("releases") or []))

    flags = {}
    for key in ("proxysql_tls_backend", "proxysql_tls_internal", "proxysql_tls_galera_replication",
                "proxysql_tls_require_secure_transport", "proxysql_tls_check_tls_backend_group"):
        flags[key] = get(key) if v.check_bool(problems, key, get(key)) else False
    if "proxysql_tls_backend" in values and "proxysql_tls_internal" in values \
            and not flags["proxysql_tls_backend"] and not flags["proxysql_tls_internal"] \
            and isinstance(get("proxysql_tls_backend"), bool) and isinstance(get("proxysql_tls_internal"), bool):
        problems.note("proxysql_tls_backend and proxysql_tls_internal are both false: nothing to do; "
                      "switch on at least one")

    vip = get("proxysql_tls_internal_vip_address")
    if vip == "":
        problems.note("proxysql_tls_internal_vip_address (kolla_internal_vip_address) is not set; "
                      "the ProxySQL certificate needs the internal VIP")
    else:
        v.check_ip_address(problems, "proxysql_tls_internal_vip_address", vip)
    fqdn = get("proxysql_tls_internal_fqdn")
    if fqdn not in ("", None):
        _address_or_name(problems, "proxysql_tls_internal_fqdn", fqdn)
    v.check_list(problems, "proxysql_tls_extra_dns_names", get("proxysql_tls_extra_dns_names"), v.check_dns_name)

    groups_ok = True
    for key in ("proxysql_tls_mariadb_group", "proxysql_tls_loadbalancer_group", "proxysql_tls_tls_backend_group"):
        groups_ok = v.check_group_name(problems, key, get(key)) and groups_ok
    v.check_list(problems, "proxysql_tls_address_variables", get("proxysql_tls_address_variables"),
                 lambda p, n, x: v.check_pattern(p, n, x, r"[A-Za-z_][A-Za-z0-9_]*",
                                                 "expected a variable name (letters, digits, '_')"),
                 allow_empty=False)
    explicit = get("proxysql_tls_host_addresses")
    if v.check_mapping(problems, "proxysql_tls_host_addresses", explicit):
        for host, address in sorted(explicit.items(), key=lambda kv: str(kv[0])):
            v.check_ip_address(problems, "proxysql_tls_host_addresses[%s]" % v.show(host), address)

    hosts = get("db_hosts") or []
    addresses = get("host_address") or {}
    if groups_ok and not hosts:
        problems.note("no hosts in the inventory groups %s / %s (proxysql_tls_mariadb_group, "
                      "proxysql_tls_loadbalancer_group)"
                      % (get("proxysql_tls_mariadb_group"), get("proxysql_tls_loadbalancer_group")))
    tls_backend = get("tls_backend_hosts") or []
    for host in hosts:
        label = "inventory host %s" % v.show(host)
        # The host name becomes a certificate name, its CN, a DNS SAN and a directory name.
        _address_or_name(problems, label, host)
        address = addresses.get(host, "")
        if address == "":
            problems.note("%s: none of %s is set; set one or proxysql_tls_host_addresses"
                          % (label, ", ".join(str(x) for x in get("proxysql_tls_address_variables") or [])))
        else:
            v.check_ip_address(problems, "%s: database address" % label, address)
        if flags["proxysql_tls_backend"] and flags["proxysql_tls_check_tls_backend_group"] and host not in tls_backend:
            problems.note("%s is not in the inventory group %s: kolla-ansible would not copy its mariadb-cert.pem "
                          "(OSISM: [tls-backend:children] control)" % (label, get("proxysql_tls_tls_backend_group")))

    for key in ("proxysql_tls_kolla_config_dir", "proxysql_tls_certificates_dir", "proxysql_tls_custom_config_dir",
                "proxysql_tls_pki_dir"):
        v.check_abs_path(problems, key, get(key), kind="dir")
    globals_file = get("proxysql_tls_globals_file")
    if v.check_abs_path(problems, "proxysql_tls_globals_file", globals_file, kind="file"):
        v.check_parent_dirs(problems, "proxysql_tls_globals_file", globals_file)
    custom = get("proxysql_tls_custom_config_dir")
    if isinstance(custom, str) and os.path.isabs(custom) and (
            flags["proxysql_tls_galera_replication"] or flags["proxysql_tls_require_secure_transport"]):
        galera = os.path.join(custom, "galera.cnf")
        v.check_abs_path(problems, "proxysql_tls_custom_config_dir (galera.cnf)", galera, kind="file")
    certs = get("proxysql_tls_certificates_dir")
    if isinstance(certs, str) and os.path.isabs(certs):
        for sub in ["ca"] + [h for h in hosts if isinstance(h, str) and "/" not in h]:
            v.check_abs_path(problems, "proxysql_tls_certificates_dir (%s)" % sub, os.path.join(certs, sub), kind="dir")

    cacert = get("proxysql_tls_openstack_cacert")
    if flags["proxysql_tls_internal"] and cacert == "":
        problems.note("proxysql_tls_openstack_cacert is empty: services would get a broken ?ssl_ca= database URL")
    elif cacert != "" or not flags["proxysql_tls_internal"]:
        if cacert != "":
            # A path inside the containers: only its form can be checked here.
            if v.check_text(problems, "proxysql_tls_openstack_cacert", cacert, max_len=4096, what="an absolute path") \
                    and not cacert.startswith("/"):
                problems.add("proxysql_tls_openstack_cacert", cacert,
                             "expected an absolute path inside the containers")
    v.check_list(problems, "proxysql_tls_extra_ca_certificates", get("proxysql_tls_extra_ca_certificates"),
                 v.check_ca_certificate_file)

    users = get("proxysql_tls_require_ssl_users")
    v.check_list(problems, "proxysql_tls_require_ssl_users", users,
                 lambda p, n, x: v.check_text(p, n, x, max_len=MYSQL_USER_MAX, what="a MariaDB user name"))
    v.check_text(problems, "proxysql_tls_require_ssl_user_host", get("proxysql_tls_require_ssl_user_host"),
                 max_len=MYSQL_HOST_MAX, what="a MariaDB host pattern such as '%'")
    needs_backend = [key for key in ("proxysql_tls_galera_replication", "proxysql_tls_require_secure_transport")
                     if flags[key]] + (["proxysql_tls_require_ssl_users"] if isinstance(users, list) and users else [])
    if needs_backend and isinstance(get("proxysql_tls_backend"), bool) and not flags["proxysql_tls_backend"]:
        problems.note("%s need proxysql_tls_backend: true (Galera TLS, require_secure_transport and REQUIRE SSL "
                      "users rely on ProxySQL reaching MariaDB over TLS)" % ", ".join(needs_backend))
    check_metrics(problems, values)
    if not problems:
        problems.data["certificates"] = certificate_requests(values)
    return problems


def check_metrics(problems, values):
    """The expiry metrics on the database hosts (checked only where the preflight passes them)."""
    metrics = True
    for key in ("proxysql_tls_metrics", "proxysql_tls_metrics_rules"):
        if key in values and not v.check_bool(problems, key, values[key]):
            metrics = False
    if not metrics or not values.get("proxysql_tls_metrics", False):
        return
    for key in METRICS_HOST_PATHS:
        if key in values:
            v.check_abs_path(problems, key, values[key])
    if values.get("proxysql_tls_metrics_rules") is True and "proxysql_tls_metrics_rules_dir" in values:
        v.check_abs_path(problems, "proxysql_tls_metrics_rules_dir", values["proxysql_tls_metrics_rules_dir"], kind="dir")


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def certificate_requests(values):
    """The scs.kolla.pki requests for checked input: the ProxySQL frontend certificate (CN = the
    internal FQDN, else the VIP; SANs the FQDN and extra DNS names, IPs the VIP) and one MariaDB
    certificate per database host (CN = the inventory name; a name that is an address goes in
    the IP SANs, not the DNS ones)."""
    fqdn = values.get("proxysql_tls_internal_fqdn") or ""
    vip = values["proxysql_tls_internal_vip_address"]
    fqdn_is_ip = bool(fqdn) and v.is_ip_address(fqdn)
    requests = [{
        "name": "proxysql",
        "common_name": fqdn or vip,
        "dns": _unique(([fqdn] if fqdn and not fqdn_is_ip else []) + list(values.get("proxysql_tls_extra_dns_names") or [])),
        "ip": _unique([vip] + ([fqdn] if fqdn_is_ip else [])),
    }]
    addresses = values.get("host_address") or {}
    for host in values.get("db_hosts") or []:
        host_is_ip = v.is_ip_address(host)
        address = addresses[host]
        requests.append({
            "name": "mariadb-%s" % host,
            "common_name": host,
            "dns": [] if host_is_ip else [host],
            "ip": [address] + ([host] if host_is_ip and host != address else []),
        })
    return requests


def check_require_ssl(values):
    """tasks_from: require_ssl -- REQUIRE SSL for service users through a live database."""
    problems = v.Problems()
    get = values.get
    if get("proxysql_tls_backend") is not True:
        problems.note("REQUIRE SSL needs proxysql_tls_backend: true (ProxySQL must reach MariaDB over TLS)")
    if get("password_set") is not True:
        problems.note("proxysql_tls_db_password (database_password) is not set")
    _address_or_name(problems, "proxysql_tls_db_host", get("proxysql_tls_db_host"))
    port = get("proxysql_tls_db_port")
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    if not v.check_int(v.Problems(), "proxysql_tls_db_port", port, 1, 65535):
        problems.add("proxysql_tls_db_port", get("proxysql_tls_db_port"), "expected a port number 1..65535")
    v.check_text(problems, "proxysql_tls_db_user", get("proxysql_tls_db_user"), max_len=MYSQL_USER_MAX,
                 what="a MariaDB user name")
    v.check_list(problems, "proxysql_tls_require_ssl_users", get("proxysql_tls_require_ssl_users"),
                 lambda p, n, x: v.check_text(p, n, x, max_len=MYSQL_USER_MAX, what="a MariaDB user name"))
    v.check_text(problems, "proxysql_tls_require_ssl_user_host", get("proxysql_tls_require_ssl_user_host"),
                 max_len=MYSQL_HOST_MAX, what="a MariaDB host pattern such as '%'")
    return problems
