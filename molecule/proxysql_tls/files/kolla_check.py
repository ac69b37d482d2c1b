# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Check the role's kolla-ansible configuration with a release's own kolla-ansible code.

    kolla_check.py GLOBALS_FRAGMENT GALERA_OVERLAY [RELEASE]   (default 2026.1)

1. Every variable the globals.d fragment sets is defined by kolla-ansible
   (ansible/group_vars or a role's defaults).
2. proxysql.yaml.j2 and galera.cnf.j2 rendered with the fragment carry the TLS
   settings, and rendered WITHOUT it they do not (so the fragment is what
   switches them on).
3. kolla-ansible's merge_configs of galera.cnf.j2 + the overlay keeps kolla's
   ssl_* lines and adds the overlay's [sst] and require_secure_transport.
Prints a JSON report; exits 1 with the failed checks.
"""
import configparser
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tests", "harness"))
import kolla_ansible  # noqa: E402  pylint: disable=wrong-import-position

PROXYSQL = "roles/loadbalancer/templates/proxysql/proxysql.yaml.j2"
GALERA = "roles/mariadb/templates/galera.cnf.j2"
HOSTS = {"db1": "127.0.0.1", "db2": "127.0.0.2"}


def inventory():
    """What kolla-ansible's templates need from inventory and facts for db1."""
    facts = {h: {"hostname": h, "memtotal_mb": 4096, "processor_vcpus": 2,
                 "lo": {"ipv4": {"address": a}}} for h, a in HOSTS.items()}
    return {
        "kolla_internal_vip_address": "127.0.0.10",
        "kolla_internal_fqdn": "db-internal.test",
        "network_interface": "lo",
        "api_interface": "lo",
        "api_interface_address": HOSTS["db1"],
        "inventory_hostname": "db1",
        "groups": {"all": list(HOSTS), "mariadb": list(HOSTS), "mariadb_shard_0": list(HOSTS),
                   "loadbalancer": list(HOSTS), "tls-backend": list(HOSTS)},
        "ansible_facts": facts["db1"],
        "hostvars": {h: {"ansible_facts": facts[h], "inventory_hostname": h} for h in HOSTS},
        "wsrep_notify_stat": {"stat": {"exists": False}},
        "database_password": "x", "proxysql_admin_password": "x",
        "proxysql_stats_password": "x", "mariadb_monitor_password": "x",
    }


def main(globals_path, overlay_path, release=kolla_ansible.DEFAULT_RELEASE, quiet=False):
    """Print the report (rc 1 on failures), or with quiet=True return it."""
    with open(globals_path) as f:
        fragment = yaml.safe_load(f)
    failures = []
    report = {"release": release, "fragment": fragment}

    with_tls = dict(inventory(), **fragment)
    without = dict(inventory(), enable_proxysql="yes")
    # One worker process of the release's kolla-ansible for every question below.
    known, proxysql, proxysql_plain, galera, galera_plain, merged = kolla_ansible.batch([
        ("variables", {}),
        ("render", {"template": PROXYSQL, "variables": with_tls}),
        ("render", {"template": PROXYSQL, "variables": without}),
        ("render", {"template": GALERA, "variables": with_tls}),
        ("render", {"template": GALERA, "variables": without}),
        ("merge", {"sources": [GALERA, os.path.abspath(overlay_path)], "variables": with_tls}),
    ], release=release)
    proxysql, proxysql_plain = yaml.safe_load(proxysql), yaml.safe_load(proxysql_plain)

    undefined = sorted(name for name in fragment if name not in known)
    report["undefined_variables"] = undefined
    if undefined:
        failures.append("kolla-ansible does not define: %s" % ", ".join(undefined))

    mv = proxysql["mysql_variables"]
    expected = {"ssl_p2s_ca": "/etc/proxysql/certs/root.crt",
                "ssl_p2s_cert": "/etc/proxysql/certs/mariadb-cert.pem",
                "ssl_p2s_key": "/etc/proxysql/certs/mariadb-key.pem",
                "have_ssl": True}
    for key, value in expected.items():
        if mv.get(key) != value:
            failures.append("proxysql.yaml mysql_variables.%s = %r, expected %r" % (key, mv.get(key), value))
    servers = proxysql["mysql_servers"]
    report["proxysql_servers"] = [{k: s.get(k) for k in ("address", "use_ssl")} for s in servers]
    if sorted(s["address"] for s in servers) != sorted(HOSTS.values()):
        failures.append("proxysql.yaml servers %r" % report["proxysql_servers"])
    if not all(s.get("use_ssl") == 1 for s in servers):
        failures.append("not every mysql_servers entry has use_ssl: 1: %r" % report["proxysql_servers"])
    if "have_ssl" in proxysql_plain["mysql_variables"] or any("use_ssl" in s for s in proxysql_plain["mysql_servers"]):
        failures.append("kolla-ansible defaults alone already enable backend TLS: the check proves nothing")

    ssl_lines = ["ssl_ca=/etc/mariadb/certs/root.crt",
                 "ssl_cert=/etc/mariadb/certs/mariadb-cert.pem",
                 "ssl_key=/etc/mariadb/certs/mariadb-key.pem"]
    for line in ssl_lines:
        if line not in galera.splitlines():
            failures.append("galera.cnf lacks %s" % line)
        if line in galera_plain.splitlines():
            failures.append("galera.cnf has %s without the fragment" % line)
    provider = [line for line in galera.splitlines() if line.startswith("wsrep_provider_options=")]
    report["wsrep_provider_options"] = provider
    for option in fragment.get("mariadb_wsrep_extra_provider_options", []):
        if not provider or option not in provider[0].split("=", 1)[1].split(";"):
            failures.append("wsrep_provider_options lacks %s" % option)

    report["merged_galera"] = merged
    parser = configparser.RawConfigParser(strict=False)
    parser.read_string(merged)
    wanted = {("mysqld", "ssl_ca"): "/etc/mariadb/certs/root.crt",
              ("mysqld", "ssl_cert"): "/etc/mariadb/certs/mariadb-cert.pem",
              ("mysqld", "ssl_key"): "/etc/mariadb/certs/mariadb-key.pem",
              ("mysqld", "require_secure_transport"): "ON",
              ("sst", "encrypt"): "4",
              ("sst", "ssl-ca"): "/etc/mariadb/certs/root.crt",
              ("sst", "ssl-cert"): "/etc/mariadb/certs/mariadb-cert.pem",
              ("sst", "ssl-key"): "/etc/mariadb/certs/mariadb-key.pem"}
    for (section, option), value in wanted.items():
        got = parser.get(section, option, fallback=None)
        if got != value:
            failures.append("merged galera.cnf [%s] %s = %r, expected %r" % (section, option, got, value))

    report["failures"] = failures
    if quiet:
        return report
    print(json.dumps(report, indent=2, default=str))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
