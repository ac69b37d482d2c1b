# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The input rules of proxysql_tls, vpnaas and ovn_ipsec, case by case.

Every bad case asserts that the check fails and that its message shows the bad value (or, for
rules that span several inputs, names the inputs); every table starts from input the role
accepts, so each case changes one thing.
"""

import copy
import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.scs.kolla.plugins.module_utils import (
    ovn_ipsec_input,
    proxysql_tls_input,
    scs_input,
    scs_validate as v,
    vpnaas_input,
)


def make_cert(cn, ca=False, days=(-1, 30), dns=(), org="SCS Test"):
    private_key = ec.generate_private_key(ec.SECP256R1())
    attributes = ([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)] if org else []) + [
        x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    name = x509.Name(attributes)
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
               .public_key(private_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now + datetime.timedelta(days=days[0]))
               .not_valid_after(now + datetime.timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if dns:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False)
    cert = builder.sign(private_key, hashes.SHA256())
    key_pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode("ascii")
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii"), key_pem


@pytest.fixture(scope="module")
def pem(tmp_path_factory):
    """Files: a CA, a leaf, an expired CA, a not-yet-valid CA, a key, an encrypted key, garbage."""
    d = tmp_path_factory.mktemp("pem")
    ca, ca_key = make_cert("Test CA", ca=True, days=(-1, 365))
    leaf = make_cert("db1", dns=["db1"])[0]
    expired = make_cert("Old CA", ca=True, days=(-30, -1))[0]
    future = make_cert("Future CA", ca=True, days=(5, 30))[0]
    chassis, chassis_key = make_cert("chassis-1", dns=["chassis-1"])
    cn_only = make_cert("chassis-1", dns=["chassis-1"], org=None)[0]
    no_san = make_cert("chassis-1")[0]
    encrypted = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"secret")).decode("ascii")
    files = {
        "ca": ca, "leaf": leaf, "expired": expired, "future": future, "key": ca_key, "garbage": "hello\n",
        "ca_and_key": ca + ca_key, "two_cas": ca + ca, "ca_and_text": ca + "trailing words\n",
        "ca_and_leaf": ca + leaf,
        "chassis": chassis, "chassis_key": chassis_key, "cn_only": cn_only, "no_san": no_san,
        "encrypted_key": encrypted, "broken": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    }
    paths = {}
    for name, text in files.items():
        path = d / (name + ".pem")
        path.write_text(text)
        paths[name] = str(path)
    paths["dir"] = str(d)
    (d / "a-dir").mkdir()
    paths["a-dir"] = str(d / "a-dir")
    paths["a-file"] = paths["garbage"]
    return paths


def problems_of(check, values):
    problems = check(values)
    assert isinstance(problems, v.Problems)
    return list(problems)


def assert_refused(check, values, expected):
    problems = problems_of(check, values)
    assert problems, "accepted: %r" % (values,)
    text = "\n".join(problems)
    for part in expected if isinstance(expected, (list, tuple)) else [expected]:
        assert part in text, "%r not in %s" % (part, text)


def with_changes(base, changes):
    values = copy.deepcopy(base)
    for key, value in changes.items():
        if value is DROP:
            values.pop(key, None)
        else:
            values[key] = value
    return values


DROP = object()


def resolve(value, pem):
    """'@name' in a case stands for the path of test file ``name``."""
    if isinstance(value, str) and value.startswith("@"):
        return pem[value[1:]]
    if isinstance(value, list):
        return [resolve(x, pem) for x in value]
    if isinstance(value, dict):
        return dict((k, resolve(x, pem)) for k, x in value.items())
    return value


def test_registry_names_every_role():
    assert {"proxysql_tls", "proxysql_tls_require_ssl", "vpnaas", "ovn_ipsec", "ovn_ipsec_chassis"} <= set(scs_input.CHECKS)


# --------------------------------------------------------------------------- proxysql_tls

RELEASES = ["2024.2", "2025.1", "2025.2", "2026.1", "2026.2"]


@pytest.fixture
def ptls(tmp_path):
    config = tmp_path / "etc-kolla"
    return {
        "proxysql_tls_openstack_release": "2026.1",
        "releases": RELEASES,
        "unsupported_releases": {"2024.1": "kolla-ansible 18 (2024.1) has no database TLS"},
        "proxysql_tls_backend": True, "proxysql_tls_internal": True,
        "proxysql_tls_internal_vip_address": "192.0.2.10", "proxysql_tls_internal_fqdn": "db-internal.test",
        "proxysql_tls_extra_dns_names": [],
        "proxysql_tls_mariadb_group": "mariadb", "proxysql_tls_loadbalancer_group": "loadbalancer",
        "proxysql_tls_tls_backend_group": "tls-backend", "proxysql_tls_check_tls_backend_group": True,
        "db_hosts": ["db1", "db2"], "tls_backend_hosts": ["db1", "db2"],
        "host_address": {"db1": "192.0.2.1", "db2": "192.0.2.2"},
        "proxysql_tls_address_variables": ["api_interface_address", "ansible_host"],
        "proxysql_tls_host_addresses": {},
        "proxysql_tls_kolla_config_dir": str(config), "proxysql_tls_certificates_dir": str(config / "certificates"),
        "proxysql_tls_globals_file": str(config / "globals.d" / "scs-proxysql-tls.yml"),
        "proxysql_tls_custom_config_dir": str(config / "config"), "proxysql_tls_pki_dir": str(config / "scs-pki"),
        "proxysql_tls_openstack_cacert": "/etc/ssl/certs/ca-certificates.crt",
        "proxysql_tls_extra_ca_certificates": [],
        "proxysql_tls_galera_replication": True, "proxysql_tls_require_secure_transport": False,
        "proxysql_tls_require_ssl_users": ["nova"], "proxysql_tls_require_ssl_user_host": "%",
    }


def test_proxysql_tls_derives_the_certificate_requests(ptls):
    problems = proxysql_tls_input.check(dict(ptls, proxysql_tls_extra_dns_names=["db.example.org", "db-internal.test"]))
    assert list(problems) == []
    assert problems.data["certificates"] == [
        {"name": "proxysql", "common_name": "db-internal.test", "dns": ["db-internal.test", "db.example.org"],
         "ip": ["192.0.2.10"]},
        {"name": "mariadb-db1", "common_name": "db1", "dns": ["db1"], "ip": ["192.0.2.1"]},
        {"name": "mariadb-db2", "common_name": "db2", "dns": ["db2"], "ip": ["192.0.2.2"]},
    ]


def test_proxysql_tls_addresses_as_names_go_in_the_ip_sans(ptls):
    problems = proxysql_tls_input.check(dict(ptls, proxysql_tls_internal_fqdn="", db_hosts=["192.0.2.5"],
                                             tls_backend_hosts=["192.0.2.5"], host_address={"192.0.2.5": "192.0.2.1"}))
    assert list(problems) == []
    assert problems.data["certificates"] == [
        {"name": "proxysql", "common_name": "192.0.2.10", "dns": [], "ip": ["192.0.2.10"]},
        {"name": "mariadb-192.0.2.5", "common_name": "192.0.2.5", "dns": [], "ip": ["192.0.2.1", "192.0.2.5"]},
    ]


def test_proxysql_tls_derives_nothing_from_refused_input(ptls):
    problems = proxysql_tls_input.check(dict(ptls, proxysql_tls_internal_vip_address="not-an-ip"))
    assert list(problems) and problems.data == {}


def test_proxysql_tls_accepts_good_input(ptls, pem):
    assert problems_of(proxysql_tls_input.check, ptls) == []
    assert problems_of(proxysql_tls_input.check, dict(ptls, proxysql_tls_extra_ca_certificates=[pem["ca"], pem["two_cas"]],
                                                      proxysql_tls_internal_fqdn="192.0.2.11",
                                                      proxysql_tls_openstack_release="2026.2",
                                                      db_hosts=["192.0.2.1"], tls_backend_hosts=["192.0.2.1"],
                                                      host_address={"192.0.2.1": "192.0.2.1"})) == []


PTLS_BAD = [
    ("release float", {"proxysql_tls_openstack_release": 2025.1}, ["2025.1 (a float)", "quote it"]),
    ("release 2025.10 read as float", {"proxysql_tls_openstack_release": 2025.10}, "quote it"),
    ("release int", {"proxysql_tls_openstack_release": 2026}, ["2026 (an integer)", "quote it"]),
    ("release unknown", {"proxysql_tls_openstack_release": "2023.2"}, "'2023.2' is not accepted"),
    ("release unsupported", {"proxysql_tls_openstack_release": "2024.1"}, "kolla-ansible 18 (2024.1) has no database TLS"),
    ("release newline", {"proxysql_tls_openstack_release": "2026.1\n"}, "'2026.1\\n'"),
    ("release empty", {"proxysql_tls_openstack_release": ""}, "proxysql_tls_openstack_release: ''"),
    ("release none", {"proxysql_tls_openstack_release": None}, "None (a null)"),
    ("release list", {"proxysql_tls_openstack_release": ["2026.1"]}, "['2026.1'] (a list)"),
    ("both off", {"proxysql_tls_backend": False, "proxysql_tls_internal": False, "proxysql_tls_galera_replication": False,
                  "proxysql_tls_require_ssl_users": []}, "both false"),
    ("backend string", {"proxysql_tls_backend": "yes"}, "proxysql_tls_backend: 'yes'"),
    ("vip missing", {"proxysql_tls_internal_vip_address": ""}, "is not set"),
    ("vip name", {"proxysql_tls_internal_vip_address": "vip.test"}, "'vip.test' is not accepted"),
    ("vip cidr", {"proxysql_tls_internal_vip_address": "192.0.2.10/24"}, "'192.0.2.10/24'"),
    ("vip newline", {"proxysql_tls_internal_vip_address": "192.0.2.10\n"}, "'192.0.2.10\\n'"),
    ("vip int", {"proxysql_tls_internal_vip_address": 3221225994}, "3221225994 (an integer)"),
    ("vip list", {"proxysql_tls_internal_vip_address": ["192.0.2.10"]}, "['192.0.2.10'] (a list)"),
    ("vip bad octet", {"proxysql_tls_internal_vip_address": "192.0.2.300"}, "'192.0.2.300'"),
    ("fqdn newline", {"proxysql_tls_internal_fqdn": "db.test\n"}, "'db.test\\n'"),
    ("fqdn underscore", {"proxysql_tls_internal_fqdn": "db_internal.test"}, "'db_internal.test'"),
    ("fqdn too long for a CN", {"proxysql_tls_internal_fqdn": "a" * 60 + ".test"}, "common name"),
    ("fqdn over 253", {"proxysql_tls_internal_fqdn": ".".join(["a" * 60] * 5)}, "at most 253"),
    ("fqdn trailing dot", {"proxysql_tls_internal_fqdn": "db.test."}, "'db.test.'"),
    ("fqdn wildcard", {"proxysql_tls_internal_fqdn": "*.test"}, "'*.test'"),
    ("fqdn int", {"proxysql_tls_internal_fqdn": 5}, "5 (an integer)"),
    ("dns san ip literal", {"proxysql_tls_extra_dns_names": ["192.0.2.20"]}, ["'192.0.2.20'", "IP addresses go in the IP list"]),
    ("dns san ipv6 literal", {"proxysql_tls_extra_dns_names": ["2001:db8::1"]}, "'2001:db8::1'"),
    ("dns san label 64", {"proxysql_tls_extra_dns_names": ["l" * 64 + ".test"]}, "proxysql_tls_extra_dns_names[0]"),
    ("dns san nul", {"proxysql_tls_extra_dns_names": ["a\x00b"]}, "'a\\x00b'"),
    ("dns san space", {"proxysql_tls_extra_dns_names": ["a b"]}, "'a b'"),
    ("dns san string", {"proxysql_tls_extra_dns_names": "db.test"}, "'db.test' is not accepted; expected a list"),
    ("dns san second bad", {"proxysql_tls_extra_dns_names": ["ok.test", "-bad.test"]}, "proxysql_tls_extra_dns_names[1]: '-bad.test'"),
    ("group list", {"proxysql_tls_mariadb_group": ["mariadb"]}, "['mariadb'] (a list)"),
    ("group newline", {"proxysql_tls_loadbalancer_group": "loadbalancer\n"}, "'loadbalancer\\n'"),
    ("group space", {"proxysql_tls_tls_backend_group": "tls backend"}, "'tls backend'"),
    ("group int", {"proxysql_tls_mariadb_group": 5}, "5 (an integer)"),
    ("no hosts", {"db_hosts": [], "host_address": {}}, "no hosts in the inventory groups mariadb / loadbalancer"),
    ("host not in tls-backend", {"tls_backend_hosts": ["db1"]}, "'db2' is not in the inventory group tls-backend"),
    ("host underscore", {"db_hosts": ["db_1"], "tls_backend_hosts": ["db_1"], "host_address": {"db_1": "192.0.2.1"}},
     "inventory host 'db_1'"),
    ("host name too long for CN", {"db_hosts": ["h" * 63 + ".x"], "tls_backend_hosts": ["h" * 63 + ".x"],
                                   "host_address": {"h" * 63 + ".x": "192.0.2.1"}}, "common name"),
    ("host without address", {"host_address": {"db1": "192.0.2.1", "db2": ""}}, "inventory host 'db2': none of api_interface_address, ansible_host"),
    ("host address name", {"host_address": {"db1": "db1.test", "db2": "192.0.2.2"}}, "database address: 'db1.test'"),
    ("host address int", {"host_address": {"db1": 10, "db2": "192.0.2.2"}}, "database address: 10 (an integer)"),
    ("host address list", {"host_address": {"db1": ["192.0.2.1"], "db2": "192.0.2.2"}}, "['192.0.2.1'] (a list)"),
    ("host address null", {"host_address": {"db1": None, "db2": "192.0.2.2"}}, "None (a null)"),
    ("explicit address bad", {"proxysql_tls_host_addresses": {"db1": "10.0.0.300"}}, "proxysql_tls_host_addresses['db1']: '10.0.0.300'"),
    ("explicit addresses list", {"proxysql_tls_host_addresses": ["db1"]}, "proxysql_tls_host_addresses: ['db1'] (a list)"),
    ("address variables empty", {"proxysql_tls_address_variables": []}, "expected a non-empty list"),
    ("address variables string", {"proxysql_tls_address_variables": "ansible_host"}, "proxysql_tls_address_variables: 'ansible_host'"),
    ("address variable bad name", {"proxysql_tls_address_variables": ["api-address"]}, "'api-address'"),
    ("relative config dir", {"proxysql_tls_kolla_config_dir": "etc/kolla"}, "'etc/kolla' is not accepted; expected an absolute path"),
    ("dotdot certificates dir", {"proxysql_tls_certificates_dir": "/etc/kolla/../x"}, "'/etc/kolla/../x'"),
    ("newline pki dir", {"proxysql_tls_pki_dir": "/etc/kolla/pki\n"}, "'/etc/kolla/pki\\n'"),
    ("config dir is a file", {"proxysql_tls_kolla_config_dir": "@a-file"}, "expected a directory, found a file"),
    ("pki dir is a file", {"proxysql_tls_pki_dir": "@a-file"}, "proxysql_tls_pki_dir"),
    ("custom dir is a file", {"proxysql_tls_custom_config_dir": "@a-file"}, "proxysql_tls_custom_config_dir"),
    ("globals file is a directory", {"proxysql_tls_globals_file": "@a-dir"}, "expected a file, found a directory"),
    ("globals file relative", {"proxysql_tls_globals_file": "globals.d/x.yml"}, "'globals.d/x.yml'"),
    ("globals file below a file", {"proxysql_tls_globals_file": "@a-file", "__below": True}, "is a file"),
    ("galera.cnf is a directory", {"proxysql_tls_custom_config_dir": "@dir", "__galera_dir": True}, "galera.cnf"),
    ("certificates host dir is a file", {"proxysql_tls_certificates_dir": "@dir", "__host_file": True},
     "proxysql_tls_certificates_dir (db1)"),
    ("cacert empty with internal", {"proxysql_tls_openstack_cacert": ""}, "proxysql_tls_openstack_cacert is empty"),
    ("cacert relative", {"proxysql_tls_openstack_cacert": "ca.crt"}, "'ca.crt' is not accepted"),
    ("cacert newline", {"proxysql_tls_openstack_cacert": "/etc/ssl/ca.crt\n"}, "'/etc/ssl/ca.crt\\n'"),
    ("extra ca private key", {"proxysql_tls_extra_ca_certificates": ["@key"]}, "PRIVATE KEY"),
    ("extra ca with a key appended", {"proxysql_tls_extra_ca_certificates": ["@ca_and_key"]}, "PRIVATE KEY"),
    ("extra ca leaf", {"proxysql_tls_extra_ca_certificates": ["@leaf"]}, "CN=db1,O=SCS Test is not a CA"),
    ("extra ca expired", {"proxysql_tls_extra_ca_certificates": ["@expired"]}, "valid now"),
    ("extra ca not yet valid", {"proxysql_tls_extra_ca_certificates": ["@future"]}, "valid now"),
    ("extra ca garbage", {"proxysql_tls_extra_ca_certificates": ["@garbage"]}, "expected a file of PEM certificates"),
    ("extra ca text after", {"proxysql_tls_extra_ca_certificates": ["@ca_and_text"]}, "expected a file of PEM certificates"),
    ("extra ca broken pem", {"proxysql_tls_extra_ca_certificates": ["@broken"]}, "expected a readable PEM certificate"),
    ("extra ca bundle with a leaf", {"proxysql_tls_extra_ca_certificates": ["@ca_and_leaf"]},
     "CN=db1,O=SCS Test (certificate 2 of 2) is not a CA"),
    ("extra ca missing", {"proxysql_tls_extra_ca_certificates": ["/nonexistent/ca.pem"]}, "'/nonexistent/ca.pem' is not accepted; expected an existing file"),
    ("extra ca relative", {"proxysql_tls_extra_ca_certificates": ["ca.pem"]}, "'ca.pem'"),
    ("extra ca directory", {"proxysql_tls_extra_ca_certificates": ["@a-dir"]}, "expected a file, found a directory"),
    ("extra ca string", {"proxysql_tls_extra_ca_certificates": "/etc/ca.pem"}, "expected a list"),
    ("ssl user newline", {"proxysql_tls_require_ssl_users": ["nova\n"]}, "proxysql_tls_require_ssl_users[0]: 'nova\\n'"),
    ("ssl user too long", {"proxysql_tls_require_ssl_users": ["u" * 81]}, "at most 80 characters"),
    ("ssl user int", {"proxysql_tls_require_ssl_users": [5]}, "5 (an integer)"),
    ("ssl user host tab", {"proxysql_tls_require_ssl_user_host": "%\t"}, "'%\\t'"),
    ("galera without backend", {"proxysql_tls_backend": False}, "need proxysql_tls_backend: true"),
    ("secure transport without backend", {"proxysql_tls_backend": False, "proxysql_tls_galera_replication": False,
                                          "proxysql_tls_require_ssl_users": [],
                                          "proxysql_tls_require_secure_transport": True}, "proxysql_tls_require_secure_transport need"),
]


@pytest.mark.parametrize("name,changes,expected", PTLS_BAD, ids=[c[0] for c in PTLS_BAD])
def test_proxysql_tls_refuses(ptls, pem, tmp_path, name, changes, expected):
    changes = resolve(dict(changes), pem)
    if changes.pop("__below", False):
        changes["proxysql_tls_globals_file"] += "/globals.d/x.yml"
    if changes.pop("__galera_dir", False):
        (tmp_path / "custom" / "galera.cnf").mkdir(parents=True)
        changes["proxysql_tls_custom_config_dir"] = str(tmp_path / "custom")
    if changes.pop("__host_file", False):
        (tmp_path / "certs").mkdir()
        (tmp_path / "certs" / "db1").write_text("x")
        changes["proxysql_tls_certificates_dir"] = str(tmp_path / "certs")
    assert_refused(proxysql_tls_input.check, with_changes(ptls, changes), expected)


def test_proxysql_tls_never_shows_key_material(ptls, pem):
    text = "\n".join(problems_of(proxysql_tls_input.check, dict(ptls, proxysql_tls_extra_ca_certificates=[pem["key"]])))
    key_line = open(pem["key"]).read().splitlines()[1]
    assert key_line not in text and pem["key"] in text


def test_proxysql_tls_lists_every_problem(ptls):
    values = dict(ptls, proxysql_tls_openstack_release=2025.1, proxysql_tls_internal_vip_address="x",
                  proxysql_tls_extra_dns_names=["1.2.3.4"])
    problems = problems_of(proxysql_tls_input.check, values)
    assert len(problems) == 3


# --------------------------------------------------------------------------- vpnaas

VPNAAS_TABLE = {
    "2024.1": {"kolla_ansible": 18, "ovn_agent": "none", "ovn_templates": False},
    "2025.1": {"kolla_ansible": 20, "ovn_agent": "none", "ovn_templates": False},
    "2026.1": {"kolla_ansible": 22, "ovn_agent": "upstream", "ovn_templates": True},
}


@pytest.fixture
def vpn(tmp_path):
    config = tmp_path / "kolla"
    return {
        "vpnaas_openstack_release": "2026.1", "releases": VPNAAS_TABLE,
        "device_drivers": {"debian": "strongswan", "ubuntu": "strongswan", "rocky": "libreswan"},
        "vpnaas_neutron_plugin_agent": "ovn", "vpnaas_base_distro": "ubuntu",
        "vpnaas_ovn_backport_releases": ["2024.1"], "vpnaas_inventory_check": True,
        "vpnaas_ovn_agent_group": "neutron-ovn-vpn-agent", "vpnaas_ovn_chassis_group": "ovn-controller",
        "vpnaas_ovn_gateway_group": "ovn-controller-network", "vpnaas_l3_agent_group": "neutron-l3-agent",
        "hosts": {"agent": ["net1"], "chassis": ["net1", "comp1"], "gateway": ["net1"], "l3": ["net1"]},
        "vpnaas_file_mode": "0644", "vpnaas_kolla_config_dir": str(config),
        "vpnaas_globals_file": str(config / "globals.d" / "scs-vpnaas.yml"),
        "vpnaas_overlay_dir": str(config / "config"), "overlays": True,
        "overlay_files": ["neutron/neutron_vpnaas.conf", "neutron/neutron_ovn_vpn_agent.ini", "neutron/.scs-kolla-vpnaas"],
        "vpnaas_ike_policy": {}, "vpnaas_ipsec_policy": {}, "vpnaas_policies_allow_weak": False,
        "vpnaas_policies_create": True, "vpnaas_policies_name": "scs-default",
        "vpnaas_policies_description": "Strong defaults", "vpnaas_policies_projects": ["service"],
        "vpnaas_cloud_shape": "string", "vpnaas_auth_shape": "mapping", "vpnaas_region_name": "",
        "vpnaas_ca_cert": "",
    }


def test_vpnaas_accepts_good_input(vpn, pem):
    assert problems_of(vpnaas_input.check, vpn) == []
    assert problems_of(vpnaas_input.check, dict(vpn, vpnaas_openstack_release="2024.1", vpnaas_base_distro="Rocky",
                                                vpnaas_ca_cert=pem["ca"], vpnaas_file_mode="0640")) == []
    assert problems_of(vpnaas_input.check, dict(vpn, vpnaas_neutron_plugin_agent="openvswitch",
                                                vpnaas_openstack_release="2025.1")) == []


VPN_BAD = [
    ("release float", {"vpnaas_openstack_release": 2025.1}, ["2025.1 (a float)", "quote it"]),
    ("release int", {"vpnaas_openstack_release": 2026}, "quote it"),
    ("release unknown", {"vpnaas_openstack_release": "2023.2"}, "'2023.2' is not accepted"),
    ("release newline", {"vpnaas_openstack_release": "2026.1\n"}, "'2026.1\\n'"),
    ("release none", {"vpnaas_openstack_release": None}, "None (a null)"),
    ("agent unknown", {"vpnaas_neutron_plugin_agent": "linuxbridge"}, "'linuxbridge' is not accepted"),
    ("agent bool", {"vpnaas_neutron_plugin_agent": True}, "True (a boolean)"),
    ("distro unknown", {"vpnaas_base_distro": "gentoo"}, "'gentoo' is not accepted"),
    ("distro int", {"vpnaas_base_distro": 7}, "7 (an integer)"),
    ("ovn without backport", {"vpnaas_openstack_release": "2025.1"}, "kolla-ansible 20 (2025.1) deploys no OVN VPN agent"),
    ("backport float", {"vpnaas_openstack_release": "2024.1", "vpnaas_ovn_backport_releases": [2024.1]},
     "vpnaas_ovn_backport_releases[0]: 2024.1 (a float)"),
    ("backport string", {"vpnaas_ovn_backport_releases": "2024.1"}, "vpnaas_ovn_backport_releases: '2024.1'"),
    ("backport unknown", {"vpnaas_ovn_backport_releases": ["2023.1"]}, "'2023.1'"),
    ("agent group list", {"vpnaas_ovn_agent_group": ["network"]}, "['network'] (a list)"),
    ("chassis group newline", {"vpnaas_ovn_chassis_group": "ovn\n"}, "'ovn\\n'"),
    ("gateway group empty", {"vpnaas_ovn_gateway_group": ""}, "vpnaas_ovn_gateway_group: ''"),
    ("l3 group dict", {"vpnaas_l3_agent_group": {"a": 1}}, "(a mapping)"),
    ("agent group empty", {"hosts": {"agent": [], "chassis": [], "gateway": [], "l3": []}}, "is missing or empty"),
    ("agent not chassis", {"hosts": {"agent": ["net1", "x"], "chassis": ["net1"], "gateway": ["net1", "x"], "l3": []}},
     "not in 'ovn-controller' (vpnaas_ovn_chassis_group): x"),
    ("agent not gateway", {"hosts": {"agent": ["comp1"], "chassis": ["comp1"], "gateway": ["net1"], "l3": []}},
     "not in 'ovn-controller-network' (vpnaas_ovn_gateway_group): comp1"),
    ("ovs without l3", {"vpnaas_neutron_plugin_agent": "openvswitch", "hosts": {"l3": []}}, "vpnaas_l3_agent_group"),
    ("inventory check string", {"vpnaas_inventory_check": "yes"}, "vpnaas_inventory_check: 'yes'"),
    ("mode world writable", {"vpnaas_file_mode": "0666"}, "'0666' is not accepted"),
    ("mode group writable", {"vpnaas_file_mode": "0664"}, "'0664'"),
    ("mode int", {"vpnaas_file_mode": 420}, ["420 (an integer)", "quote it"]),
    ("mode symbolic", {"vpnaas_file_mode": "rw-r--r--"}, "'rw-r--r--'"),
    ("mode newline", {"vpnaas_file_mode": "0644\n"}, "'0644\\n'"),
    ("config dir relative", {"vpnaas_kolla_config_dir": "kolla"}, "'kolla' is not accepted"),
    ("config dir file", {"vpnaas_kolla_config_dir": "@a-file"}, "expected a directory, found a file"),
    ("globals file dir", {"vpnaas_globals_file": "@a-dir"}, "expected a file, found a directory"),
    ("globals below file", {"vpnaas_globals_file": "@a-file", "__below": True}, "is a file"),
    ("globals newline", {"vpnaas_globals_file": "/etc/kolla/globals.d/x.yml\n"}, "'/etc/kolla/globals.d/x.yml\\n'"),
    ("overlay dir relative", {"vpnaas_overlay_dir": "config"}, "'config'"),
    ("overlay dir file", {"vpnaas_overlay_dir": "@a-file"}, "vpnaas_overlay_dir"),
    ("overlay neutron is file", {"__neutron_file": True}, "vpnaas_overlay_dir (neutron)"),
    ("overlay file is dir", {"__overlay_dir": True}, "vpnaas_overlay_dir (neutron/neutron_vpnaas.conf)"),
    ("ike list", {"vpnaas_ike_policy": ["pfs"]}, "vpnaas_ike_policy: ['pfs'] (a list)"),
    ("ipsec string", {"vpnaas_ipsec_policy": "esp"}, "vpnaas_ipsec_policy: 'esp'"),
    ("ike unknown key", {"vpnaas_ike_policy": {"cipher": "x"}}, "unknown keys cipher"),
    ("ike weak pfs", {"vpnaas_ike_policy": {"pfs": "group5"}}, "pfs='group5' is refused as weak"),
    ("ike v1", {"vpnaas_ike_policy": {"ike_version": "v1"}}, "ike_version='v1' is refused as weak"),
    ("ipsec 3des", {"vpnaas_ipsec_policy": {"encryption_algorithm": "3des"}}, "'3des' is refused as weak"),
    ("ipsec ah", {"vpnaas_ipsec_policy": {"transform_protocol": "ah"}}, "'ah' is refused as weak"),
    ("ipsec gcm on libreswan", {"vpnaas_base_distro": "rocky", "vpnaas_ipsec_policy": {"encryption_algorithm": "aes-256-gcm-16"}},
     "is not supported"),
    ("group20 on 2024.1", {"vpnaas_openstack_release": "2024.1", "vpnaas_ipsec_policy": {"pfs": "group20"}}, "'group20' is not supported"),
    ("lifetime small", {"vpnaas_ike_policy": {"lifetime": {"value": 10}}}, "lifetime value 10"),
    ("lifetime string", {"vpnaas_ike_policy": {"lifetime": {"value": "3600"}}}, "lifetime value '3600'"),
    ("lifetime units", {"vpnaas_ike_policy": {"lifetime": {"units": "kilobytes"}}}, "'kilobytes'"),
    ("lifetime list", {"vpnaas_ike_policy": {"lifetime": [3600]}}, "lifetime must be a dict"),
    ("allow weak string", {"vpnaas_policies_allow_weak": "no"}, "vpnaas_policies_allow_weak: 'no'"),
    ("policy name long", {"vpnaas_policies_name": "p" * 256}, "at most 255 characters"),
    ("policy name newline", {"vpnaas_policies_name": "scs\n"}, "'scs\\n'"),
    ("policy name empty", {"vpnaas_policies_name": ""}, "vpnaas_policies_name: ''"),
    ("description long", {"vpnaas_policies_description": "d" * 256}, "vpnaas_policies_description"),
    ("description control", {"vpnaas_policies_description": "a\x1bb"}, "'a\\x1bb'"),
    ("project newline", {"vpnaas_policies_projects": ["service\n"]}, "vpnaas_policies_projects[0]: 'service\\n'"),
    ("project long", {"vpnaas_policies_projects": ["p" * 65]}, "at most 64 characters"),
    ("projects string", {"vpnaas_policies_projects": "service"}, "vpnaas_policies_projects: 'service'"),
    ("cloud list", {"vpnaas_cloud_shape": "list"}, "vpnaas_cloud: '(a list)'"),
    ("auth string", {"vpnaas_auth_shape": "string"}, "vpnaas_auth: '(a string)'"),
    ("region newline", {"vpnaas_region_name": "RegionOne\n"}, "'RegionOne\\n'"),
    ("ca cert relative", {"vpnaas_ca_cert": "ca.pem"}, "vpnaas_ca_cert: 'ca.pem'"),
    ("ca cert missing", {"vpnaas_ca_cert": "/nonexistent/ca.pem"}, "expected an existing file"),
]


@pytest.mark.parametrize("name,changes,expected", VPN_BAD, ids=[c[0] for c in VPN_BAD])
def test_vpnaas_refuses(vpn, pem, tmp_path, name, changes, expected):
    changes = resolve(dict(changes), pem)
    if "hosts" in changes:
        changes["hosts"] = dict(vpn["hosts"], **changes["hosts"])
    if changes.pop("__below", False):
        changes["vpnaas_globals_file"] += "/globals.d/x.yml"
    if changes.pop("__neutron_file", False):
        (tmp_path / "ov").mkdir()
        (tmp_path / "ov" / "neutron").write_text("x")
        changes["vpnaas_overlay_dir"] = str(tmp_path / "ov")
    if changes.pop("__overlay_dir", False):
        (tmp_path / "ov2" / "neutron" / "neutron_vpnaas.conf").mkdir(parents=True)
        changes["vpnaas_overlay_dir"] = str(tmp_path / "ov2")
    assert_refused(vpnaas_input.check, with_changes(vpn, changes), expected)


def test_vpnaas_release_table_keys_flow_through(vpn):
    table = dict(VPNAAS_TABLE, **{"2026.2": {"kolla_ansible": 23, "ovn_agent": "upstream", "ovn_templates": True}})
    problems = problems_of(vpnaas_input.check, dict(vpn, releases=table, vpnaas_openstack_release=2026.2))
    assert any("2026.2" in p and "quote it" in p for p in problems)


@pytest.mark.parametrize("params,expected", [
    ({"name": "n" * 256}, "name: 'nnnn"),
    ({"name": "a\nb"}, "name: 'a\\nb'"),
    ({"name": ""}, "name: ''"),
    ({"name": "ok", "description": "d" * 256}, "description"),
    ({"name": "ok", "project": "p\n"}, "project: 'p\\n'"),
    ({"name": "ok", "project": "p" * 65}, "at most 64"),
])
def test_vpnaas_policies_options(params, expected):
    problems = list(vpnaas_input.module_option_problems(params))
    assert problems and expected in "\n".join(problems)


def test_vpnaas_policies_options_accept():
    assert not vpnaas_input.module_option_problems({"name": "scs-default", "description": "", "project": "service"})


@pytest.mark.parametrize("value", ["-x", "agent\n", "", "a b", "a" * 256, None])
def test_vpnaas_info_agent_binary(value):
    problems = list(vpnaas_input.info_option_problems({"agent_binary": value}))
    assert problems and v.show(value) in problems[0]


def test_vpnaas_info_agent_binary_accepts():
    assert not vpnaas_input.info_option_problems({"agent_binary": "neutron-ovn-vpn-agent"})


# --------------------------------------------------------------------------- ovn_ipsec

@pytest.fixture
def ovn():
    return {
        "inventory_hostname": "chassis-1", "chassis_hosts": ["chassis-1", "chassis-2"], "ovn_ipsec_state": "present",
        "ovn_ipsec_chassis_group": "ovn-controller", "ovn_ipsec_nb_group": "ovn-nb-db",
        "ovn_ipsec_nbctl_command": ["docker", "exec", "ovn_nb_db", "ovn-nbctl"], "ovn_ipsec_nb_connection": "",
        "ovn_ipsec_nb_timeout": 20, "ovn_ipsec_ovs_runtime": "kolla", "ovn_ipsec_ovsdb": "unix:/run/openvswitch/db.sock",
        "ovn_ipsec_ike_daemon": "strongswan", "ovn_ipsec_packages": ["openvswitch-ipsec", "strongswan"],
        "ovn_ipsec_monitor_script": "/usr/share/openvswitch/scripts/ovs-monitor-ipsec",
        "ovn_ipsec_libreswan_nss_dir": "/var/lib/ipsec/nss", "ovn_ipsec_libreswan_whack_timeout": 60,
        "ovn_ipsec_verify_timeout": 120, "ovn_ipsec_certificate_source": "pki",
        "ovn_ipsec_pki_dir": "/nonexistent/scs-pki", "ovn_ipsec_pki_ca_mode": "create",
        "ovn_ipsec_pki_ca_common_name": "SCS OVN IPsec CA", "ovn_ipsec_certificate_organization": "SCS OVN IPsec",
        "ovn_ipsec_certificate_valid_days": 365, "ovn_ipsec_renew_before_days": 30,
        "ovn_ipsec_certificate_src": "", "ovn_ipsec_private_key_src": "", "ovn_ipsec_ca_certificate_src": "",
        "ovn_ipsec_certificate_path": "/etc/ipsec.d/certs/c.pem", "ovn_ipsec_private_key_path": "/etc/ipsec.d/private/k.pem",
        "ovn_ipsec_ca_certificate_path": "/etc/ipsec.d/cacerts/ca.pem", "ovn_ipsec_firewall": True,
        "ovn_ipsec_firewall_chain": "OVN-IPSEC", "ovn_ipsec_firewall_guard": True,
        "ovn_ipsec_firewall_guard_chain": "OVN-IPSEC-GUARD", "ovn_ipsec_ca_rollover": "none",
    }


def test_ovn_ipsec_accepts_good_input(ovn, pem):
    assert problems_of(ovn_ipsec_input.check, ovn) == []
    for phase in ("trust", "reissue", "finish"):
        assert problems_of(ovn_ipsec_input.check, dict(ovn, ovn_ipsec_ca_rollover=phase)) == []
    # Without the guard its chain name does not matter.
    assert problems_of(ovn_ipsec_input.check, dict(ovn, ovn_ipsec_firewall_guard=False,
                                                   ovn_ipsec_firewall_guard_chain="OUTPUT")) == []
    assert problems_of(ovn_ipsec_input.check, dict(
        ovn, ovn_ipsec_certificate_source="files", ovn_ipsec_certificate_src=pem["chassis"],
        ovn_ipsec_private_key_src=pem["chassis_key"], ovn_ipsec_ca_certificate_src=pem["ca"],
        ovn_ipsec_nb_connection="tcp:192.0.2.1:6641,ssl:[2001:db8::1]:6641", ovn_ipsec_ike_daemon="libreswan")) == []
    # absent needs neither certificates nor a firewall chain name of its own
    assert problems_of(ovn_ipsec_input.check, dict(ovn, ovn_ipsec_state="absent", ovn_ipsec_certificate_source="files",
                                                   ovn_ipsec_firewall=False, ovn_ipsec_firewall_chain="INPUT")) == []


OVN_BAD = [
    ("state unknown", {"ovn_ipsec_state": "on"}, "'on' is not accepted"),
    ("chassis group list", {"ovn_ipsec_chassis_group": ["ovn-controller"]}, "['ovn-controller'] (a list)"),
    ("chassis group empty", {"chassis_hosts": []}, "is empty or not in the inventory"),
    ("host not in group", {"inventory_hostname": "control-1"}, "control-1 is not in ovn_ipsec_chassis_group"),
    ("nb group newline", {"ovn_ipsec_nb_group": "ovn-nb-db\n"}, "'ovn-nb-db\\n'"),
    ("nbctl empty", {"ovn_ipsec_nbctl_command": []}, "ovn_ipsec_nbctl_command: [] (a list)"),
    ("nbctl string", {"ovn_ipsec_nbctl_command": "ovn-nbctl"}, "ovn_ipsec_nbctl_command: 'ovn-nbctl'"),
    ("nbctl word newline", {"ovn_ipsec_nbctl_command": ["ovn-nbctl\n"]}, "ovn_ipsec_nbctl_command[0]: 'ovn-nbctl\\n'"),
    ("nbctl word int", {"ovn_ipsec_nbctl_command": ["docker", 5]}, "ovn_ipsec_nbctl_command[1]: 5 (an integer)"),
    ("nb connection bad", {"ovn_ipsec_nb_connection": "192.0.2.1:6641"}, "'192.0.2.1:6641'"),
    ("nb connection port", {"ovn_ipsec_nb_connection": "tcp:192.0.2.1:70000"}, "'tcp:192.0.2.1:70000'"),
    ("nb connection second", {"ovn_ipsec_nb_connection": "tcp:192.0.2.1:6641,tcp:x y:1"}, "(remote 2): 'tcp:x y:1'"),
    ("nb connection newline", {"ovn_ipsec_nb_connection": "tcp:192.0.2.1:6641\n"}, "'tcp:192.0.2.1:6641\\n'"),
    ("nb timeout zero", {"ovn_ipsec_nb_timeout": 0}, "ovn_ipsec_nb_timeout: 0 (an integer)"),
    ("nb timeout string", {"ovn_ipsec_nb_timeout": "20"}, "ovn_ipsec_nb_timeout: '20'"),
    ("runtime unknown", {"ovn_ipsec_ovs_runtime": "docker"}, "'docker'"),
    ("ovsdb relative", {"ovn_ipsec_ovsdb": "unix:db.sock"}, "'unix:db.sock'"),
    ("ovsdb no scheme", {"ovn_ipsec_ovsdb": "/run/openvswitch/db.sock"}, "'/run/openvswitch/db.sock'"),
    ("ike daemon unknown", {"ovn_ipsec_ike_daemon": "openswan"}, "'openswan'"),
    ("package option", {"ovn_ipsec_packages": ["-oDebug::pkgProblemResolver=1"]}, "'-oDebug::pkgProblemResolver=1'"),
    ("package upper", {"ovn_ipsec_packages": ["StrongSwan"]}, "'StrongSwan'"),
    ("packages string", {"ovn_ipsec_packages": "strongswan"}, "ovn_ipsec_packages: 'strongswan'"),
    ("monitor script relative", {"ovn_ipsec_monitor_script": "ovs-monitor-ipsec"}, "'ovs-monitor-ipsec'"),
    ("nss dir newline", {"ovn_ipsec_libreswan_nss_dir": "/var/lib/ipsec/nss\n"}, "'/var/lib/ipsec/nss\\n'"),
    ("certificate path relative", {"ovn_ipsec_certificate_path": "certs/c.pem"}, "'certs/c.pem'"),
    ("key path dotdot", {"ovn_ipsec_private_key_path": "/etc/ipsec.d/../k.pem"}, "'/etc/ipsec.d/../k.pem'"),
    ("ca path trailing slash", {"ovn_ipsec_ca_certificate_path": "/etc/ipsec.d/cacerts/"}, "'/etc/ipsec.d/cacerts/'"),
    ("key path is cert path", {"ovn_ipsec_private_key_path": "/etc/ipsec.d/certs/c.pem"}, "three different files"),
    ("whack timeout short", {"ovn_ipsec_ike_daemon": "libreswan", "ovn_ipsec_libreswan_whack_timeout": 5},
     "ovn_ipsec_libreswan_whack_timeout: 5 (an integer) is not accepted; expected an integer >= 10"),
    ("whack timeout huge", {"ovn_ipsec_ike_daemon": "libreswan", "ovn_ipsec_libreswan_whack_timeout": 10 ** 9}, "<= 86400"),
    ("verify timeout negative", {"ovn_ipsec_verify_timeout": -1}, "ovn_ipsec_verify_timeout: -1"),
    ("source unknown", {"ovn_ipsec_certificate_source": "vault"}, "'vault'"),
    ("pki dir relative", {"ovn_ipsec_pki_dir": "scs-pki"}, "ovn_ipsec_pki_dir: 'scs-pki'"),
    ("pki dir is a file", {"ovn_ipsec_pki_dir": "@a-file"}, "expected a directory, found a file"),
    ("ca mode unknown", {"ovn_ipsec_pki_ca_mode": "import"}, "'import'"),
    ("ca cn empty", {"ovn_ipsec_pki_ca_common_name": ""}, "ovn_ipsec_pki_ca_common_name: ''"),
    ("ca cn long", {"ovn_ipsec_pki_ca_common_name": "C" * 65}, "at most 64 characters"),
    ("ca cn newline", {"ovn_ipsec_pki_ca_common_name": "CA\n"}, "'CA\\n'"),
    ("organization empty", {"ovn_ipsec_certificate_organization": ""}, "must not be empty"),
    ("organization long", {"ovn_ipsec_certificate_organization": "O" * 65}, "at most 64 characters"),
    ("organization control", {"ovn_ipsec_certificate_organization": "O\x07"}, "'O\\x07'"),
    ("valid days huge", {"ovn_ipsec_certificate_valid_days": 99999999}, "99999999 (an integer)"),
    ("valid days zero", {"ovn_ipsec_certificate_valid_days": 0}, "ovn_ipsec_certificate_valid_days: 0"),
    ("renew before validity", {"ovn_ipsec_renew_before_days": 365}, "ovn_ipsec_renew_before_days: 365"),
    ("renew negative", {"ovn_ipsec_renew_before_days": -1}, "ovn_ipsec_renew_before_days: -1"),
    ("files cert missing", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "",
                            "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@ca"},
     "ovn_ipsec_certificate_src: ''"),
    ("files cert relative", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "c.pem",
                             "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@ca"}, "'c.pem'"),
    ("files cert is a key", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis_key",
                             "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@ca"},
     "the file holds a PRIVATE KEY"),
    ("files key is a cert", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                             "ovn_ipsec_private_key_src": "@chassis", "ovn_ipsec_ca_certificate_src": "@ca"},
     "expected one PEM private key"),
    ("files key encrypted", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                             "ovn_ipsec_private_key_src": "@encrypted_key", "ovn_ipsec_ca_certificate_src": "@ca"},
     "expected an unencrypted private key"),
    ("files key missing", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                           "ovn_ipsec_private_key_src": "/nonexistent/k.pem", "ovn_ipsec_ca_certificate_src": "@ca"},
     "'/nonexistent/k.pem' is not accepted; expected an existing file"),
    ("files ca is a leaf", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                            "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@leaf"},
     "is not a CA"),
    ("files ca expired", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                          "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@expired"},
     "valid now"),
    ("files ca garbage", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                          "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@garbage"},
     "expected a file of PEM certificates"),
    ("files ca with a leaf after it", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                                       "ovn_ipsec_private_key_src": "@chassis_key",
                                       "ovn_ipsec_ca_certificate_src": "@ca_and_leaf"},
     "(certificate 2 of 2) is not a CA"),
    ("files ca with a key", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@chassis",
                             "ovn_ipsec_private_key_src": "@chassis_key", "ovn_ipsec_ca_certificate_src": "@ca_and_key"},
     "the file holds a PRIVATE KEY"),
    ("chain builtin", {"ovn_ipsec_firewall_chain": "INPUT"}, "ovn_ipsec_firewall_chain: 'INPUT' is not accepted"),
    ("chain builtin lower", {"ovn_ipsec_firewall_chain": "forward"}, "'forward'"),
    ("chain target", {"ovn_ipsec_firewall_chain": "ACCEPT"}, "'ACCEPT'"),
    ("chain option", {"ovn_ipsec_firewall_chain": "-F"}, "'-F'"),
    ("chain option long", {"ovn_ipsec_firewall_chain": "--flush"}, "'--flush'"),
    ("chain newline", {"ovn_ipsec_firewall_chain": "OVN-IPSEC\n"}, "'OVN-IPSEC\\n'"),
    ("chain too long", {"ovn_ipsec_firewall_chain": "C" * 29}, "1-28 letters"),
    ("chain space", {"ovn_ipsec_firewall_chain": "OVN IPSEC"}, "'OVN IPSEC'"),
    ("chain empty", {"ovn_ipsec_firewall_chain": ""}, "ovn_ipsec_firewall_chain: ''"),
    ("chain list", {"ovn_ipsec_firewall_chain": ["OVN"]}, "['OVN'] (a list)"),
    ("guard chain builtin", {"ovn_ipsec_firewall_guard_chain": "OUTPUT"},
     "ovn_ipsec_firewall_guard_chain: 'OUTPUT' is not accepted"),
    ("guard chain is the openings chain", {"ovn_ipsec_firewall_guard_chain": "OVN-IPSEC"},
     "ovn_ipsec_firewall_guard_chain: 'OVN-IPSEC' is not accepted; expected a chain of its own"),
    ("rollover unknown", {"ovn_ipsec_ca_rollover": "start"},
     "ovn_ipsec_ca_rollover: 'start' is not accepted; expected one of: none, trust, reissue, finish"),
    ("rollover libreswan", {"ovn_ipsec_ca_rollover": "trust", "ovn_ipsec_ike_daemon": "libreswan"},
     "ovn_ipsec_ca_rollover: 'trust' is not accepted; expected 'none' with ovn_ipsec_ike_daemon=libreswan"),
    ("rollover files", {"ovn_ipsec_ca_rollover": "reissue", "ovn_ipsec_certificate_source": "files",
                        "ovn_ipsec_certificate_src": "@chassis", "ovn_ipsec_private_key_src": "@chassis_key",
                        "ovn_ipsec_ca_certificate_src": "@ca"},
     "ovn_ipsec_ca_rollover: 'reissue' is not accepted; expected 'none' with ovn_ipsec_certificate_source='files'"),
]


@pytest.mark.parametrize("name,changes,expected", OVN_BAD, ids=[c[0] for c in OVN_BAD])
def test_ovn_ipsec_refuses(ovn, pem, name, changes, expected):
    assert_refused(ovn_ipsec_input.check, with_changes(ovn, resolve(dict(changes), pem)), expected)


NB_OK = '{"data": [[false, ["map", []]]], "headings": ["ipsec", "options"]}'


@pytest.fixture
def chassis():
    return {
        "inventory_hostname": "chassis-1", "ovn_ipsec_state": "present", "ovn_ipsec_ovsdb": "unix:/run/openvswitch/db.sock",
        "ovn_ipsec_ike_daemon": "strongswan", "ovn_ipsec_monitor_script": "/usr/share/ovs-monitor-ipsec",
        "ovn_ipsec_firewall": True, "ovn_ipsec_manage_packages": False, "ovn_ipsec_certificate_source": "pki",
        "ovn_ipsec_certificate_src": "", "ovn_ipsec_certificate_path": "/etc/ipsec.d/certs/c.pem",
        "ovn_ipsec_private_key_path": "/etc/ipsec.d/private/k.pem", "ovn_ipsec_ca_certificate_path": "/etc/ipsec.d/cacerts/ca.pem",
        "unit_path": "/etc/systemd/system/ovn-ipsec-monitor.service",
        "ovs": {"reachable": True, "error": None, "system_id": "chassis-1", "encap_type": "geneve",
                "encap_ips": ["192.0.2.1"]},
        "files": {"/etc/ipsec.d/private/k.pem": {"exists": True, "type": "file"},
                  "/etc/ipsec.d/private": {"exists": True, "type": "directory"},
                  "/usr/share/ovs-monitor-ipsec": {"exists": True, "type": "file"}},
        "packages": {"iptables": True}, "first_host": True, "nb_host": "control-1",
        "nbctl": ["docker", "exec", "ovn_nb_db", "ovn-nbctl"], "nb": {"rc": 0, "stdout": NB_OK, "stderr": ""},
        "system_ids": {"chassis-1": "chassis-1", "chassis-2": "chassis-2"},
    }


def test_ovn_ipsec_chassis_accepts(chassis, pem):
    assert problems_of(ovn_ipsec_input.check_chassis, chassis) == []
    assert problems_of(ovn_ipsec_input.check_chassis, dict(
        chassis, ovn_ipsec_certificate_source="files", ovn_ipsec_certificate_src=pem["chassis"])) == []


CHASSIS_BAD = [
    ("ovs unreachable", {"ovs": {"reachable": False, "error": "cannot connect"}}, "no Open vSwitch database at unix:/run/openvswitch/db.sock (cannot connect)"),
    ("no system id", {"ovs": {"system_id": ""}}, "system-id is not set"),
    ("system id newline", {"ovs": {"system_id": "chassis-1\n"}}, "'chassis-1\\n'"),
    ("system id underscore", {"ovs": {"system_id": "chassis_1"}}, "'chassis_1'"),
    ("system id too long for CN", {"ovs": {"system_id": "c" * 63 + ".x"}}, "common name"),
    ("system id slash", {"ovs": {"system_id": "../../etc/x"}}, "'../../etc/x'"),
    ("no encap ip", {"ovs": {"encap_ips": []}}, "ovn-encap-ip is not set"),
    ("encap ip garbage", {"ovs": {"encap_ips": ["192.0.2.1x"]}}, "'192.0.2.1x'"),
    ("encap type stt", {"ovs": {"encap_type": "stt"}}, "ovn-encap-type is 'stt'"),
    ("key path is a directory", {"files": {"/etc/ipsec.d/private/k.pem": {"exists": True, "type": "directory"}}},
     "chassis-1: ovn_ipsec_private_key_path: '/etc/ipsec.d/private/k.pem' is not accepted; expected a regular file"),
    ("key path is a link", {"files": {"/etc/ipsec.d/private/k.pem": {"exists": True, "type": "link"}}}, "found a link"),
    ("key directory is a file", {"files": {"/etc/ipsec.d/private": {"exists": True, "type": "file"}}},
     "expected its directory to be a directory"),
    ("libreswan without script", {"ovn_ipsec_ike_daemon": "libreswan", "files": {"/usr/share/ovs-monitor-ipsec": {"exists": False}}},
     "no ovs-monitor-ipsec at ovn_ipsec_monitor_script /usr/share/ovs-monitor-ipsec"),
    ("firewall without iptables", {"packages": {"iptables": False}}, "iptables is not installed"),
    ("files cert wrong cn", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@leaf",
                             "ovs": {"system_id": "chassis-1"}}, "has CN 'db1' but the chassis name (system-id) is 'chassis-1'"),
    ("files cert cn only", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@cn_only"},
     "cannot read a CN-only subject"),
    ("files cert without san", {"ovn_ipsec_certificate_source": "files", "ovn_ipsec_certificate_src": "@no_san"},
     "lacks subjectAltName DNS:chassis-1"),
    ("nb unreachable", {"nb": {"rc": 1, "stderr": "connection refused"}},
     "northbound database unreachable from control-1 with docker exec ovn_nb_db ovn-nbctl: connection refused"),
    ("nb garbage", {"nb": {"rc": 0, "stdout": "Welcome!"}}, "printed no NB_Global row"),
    ("nb empty table", {"nb": {"rc": 0, "stdout": '{"data": []}'}}, "printed no NB_Global row"),
    ("duplicate system id", {"system_ids": {"chassis-1": "same", "chassis-2": "same"}},
     "chassis name same (system-id) is used by more than one host: chassis-1, chassis-2"),
]


@pytest.mark.parametrize("name,changes,expected", CHASSIS_BAD, ids=[c[0] for c in CHASSIS_BAD])
def test_ovn_ipsec_chassis_refuses(chassis, pem, name, changes, expected):
    changes = resolve(dict(changes), pem)
    for key in ("ovs", "files"):
        if key in changes:
            changes[key] = dict(chassis[key], **changes[key])
    assert_refused(ovn_ipsec_input.check_chassis, with_changes(chassis, changes), expected)


def test_ovn_ipsec_chassis_absent_needs_less(chassis):
    values = dict(chassis, ovn_ipsec_state="absent", packages={}, ovs=dict(chassis["ovs"], encap_ips=[], encap_type=""))
    assert problems_of(ovn_ipsec_input.check_chassis, values) == []


REQUIRE_SSL_OK = {"proxysql_tls_backend": True, "password_set": True, "proxysql_tls_db_host": "192.0.2.10",
                  "proxysql_tls_db_port": "3306", "proxysql_tls_db_user": "root",
                  "proxysql_tls_require_ssl_users": ["nova"], "proxysql_tls_require_ssl_user_host": "%"}


def test_require_ssl_accepts():
    assert problems_of(proxysql_tls_input.check_require_ssl, REQUIRE_SSL_OK) == []
    assert problems_of(proxysql_tls_input.check_require_ssl, dict(REQUIRE_SSL_OK, proxysql_tls_db_port=3306,
                                                                  proxysql_tls_db_host="db.test")) == []


@pytest.mark.parametrize("changes,expected", [
    ({"proxysql_tls_backend": False}, "needs proxysql_tls_backend: true"),
    ({"password_set": False}, "proxysql_tls_db_password (database_password) is not set"),
    ({"proxysql_tls_db_host": "db\n"}, "proxysql_tls_db_host: 'db\\n'"),
    ({"proxysql_tls_db_port": "33o6"}, "proxysql_tls_db_port: '33o6'"),
    ({"proxysql_tls_db_port": 70000}, "proxysql_tls_db_port: 70000"),
    ({"proxysql_tls_db_user": ""}, "proxysql_tls_db_user: ''"),
    ({"proxysql_tls_require_ssl_users": ["nova", "x\ny"]}, "proxysql_tls_require_ssl_users[1]: 'x\\ny'"),
    ({"proxysql_tls_require_ssl_user_host": ["%"]}, "proxysql_tls_require_ssl_user_host: ['%'] (a list)"),
])
def test_require_ssl_refuses(changes, expected):
    assert_refused(proxysql_tls_input.check_require_ssl, dict(REQUIRE_SSL_OK, **changes), expected)


@pytest.mark.parametrize("changes,expected", [
    ({"vpnaas_kolla_config_dir": "kolla"}, "vpnaas_kolla_config_dir: 'kolla'"),
    ({"vpnaas_globals_file": "/etc/kolla/globals.d/x.yml\n"}, "'/etc/kolla/globals.d/x.yml\\n'"),
    ({"vpnaas_overlay_dir": "/etc/kolla/../config"}, "'/etc/kolla/../config'"),
])
def test_vpnaas_absent_refuses(changes, expected):
    values = dict({"vpnaas_kolla_config_dir": "/etc/kolla", "vpnaas_globals_file": "/etc/kolla/globals.d/scs-vpnaas.yml",
                   "vpnaas_overlay_dir": "/etc/kolla/config"}, **changes)
    assert_refused(vpnaas_input.check_absent, values, expected)


def test_proxysql_tls_metrics_paths_and_switches(ptls):
    good = dict(ptls, proxysql_tls_metrics=True, proxysql_tls_metrics_textfile_dir="/var/lib/prometheus/node-exporter",
                proxysql_tls_metrics_config_dir="/etc/kolla", proxysql_tls_metrics_rules=True,
                proxysql_tls_metrics_rules_dir=ptls["proxysql_tls_custom_config_dir"] + "/prometheus")
    assert problems_of(proxysql_tls_input.check, good) == []
    assert_refused(proxysql_tls_input.check, dict(good, proxysql_tls_metrics_textfile_dir="node-exporter"),
                   ["proxysql_tls_metrics_textfile_dir", "'node-exporter'", "absolute path"])
    assert_refused(proxysql_tls_input.check, dict(good, proxysql_tls_metrics_config_dir="/etc/../kolla"),
                   ["proxysql_tls_metrics_config_dir", "absolute path"])
    assert_refused(proxysql_tls_input.check, dict(good, proxysql_tls_metrics="yes"),
                   ["proxysql_tls_metrics", "expected true or false"])
    # switched off: the host paths do not matter
    assert problems_of(proxysql_tls_input.check, dict(good, proxysql_tls_metrics=False,
                                                      proxysql_tls_metrics_textfile_dir="x")) == []
