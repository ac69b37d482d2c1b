# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Release tables and configuration builders/serialisers (kolla_releases)."""

import pytest
import yaml

from ansible_collections.scs.kolla.plugins.module_utils import kolla_releases as kr
from ansible_collections.scs.kolla.plugins.filter import kolla_config as filters

VPN = {"release": "2026.2", "neutron_plugin_agent": "ovn", "base_distro": "ubuntu", "horizon_panel": True}
PTLS = {"release": "2026.2", "backend": True, "internal": True, "enable_proxysql": None,
        "openstack_cacert": "/etc/ssl/certs/ca-certificates.crt", "galera_replication": False,
        "certificates_dir": "/etc/kolla/certificates"}


def test_tables_cover_the_releases_in_order():
    assert kr.RELEASES == ("2024.1", "2024.2", "2025.1", "2025.2", "2026.1", "2026.2")
    assert list(kr.releases("vpnaas")) == list(kr.RELEASES)
    assert list(kr.releases("proxysql_tls")) == list(kr.RELEASES[1:])
    assert list(kr.releases("proxysql_tls", unsupported=True)) == ["2024.1"]
    with pytest.raises(kr.KollaConfigError, match="no release table"):
        kr.releases("pki")


@pytest.mark.parametrize("release,message", [("2024.1", "refused: kolla-ansible 18"), ("2027.1", "must be one of"),
                                             ("2025.10", "must be one of")])
def test_proxysql_tls_refuses_unknown_and_refused_releases(release, message):
    with pytest.raises(kr.KollaConfigError, match=message):
        kr.proxysql_tls_globals(dict(PTLS, release=release))


def test_proxysql_tls_enable_proxysql_follows_the_release_unless_set():
    assert kr.proxysql_tls_globals(dict(PTLS, release="2025.1"))["data"]["enable_proxysql"] == "yes"
    assert "enable_proxysql" not in kr.proxysql_tls_globals(PTLS)["data"]
    assert kr.proxysql_tls_globals(dict(PTLS, release="2025.1", enable_proxysql="None"))["data"]["enable_proxysql"] == "yes"
    assert kr.proxysql_tls_globals(dict(PTLS, enable_proxysql=True))["data"]["enable_proxysql"] == "yes"
    assert "enable_proxysql" not in kr.proxysql_tls_globals(dict(PTLS, release="2024.2", enable_proxysql=False))["data"]


def test_proxysql_tls_galera_options():
    data = kr.proxysql_tls_globals(dict(PTLS, galera_replication=True, galera_socket_dynamic=True))["data"]
    assert data["mariadb_wsrep_extra_provider_options"][-1] == "socket.dynamic=YES"
    assert data["database_enable_tls_backend"] == "yes" and data["kolla_copy_ca_into_containers"] == "yes"


@pytest.mark.parametrize("bad", ["/x\nenable_foo: yes", "/x\r", "/x\x00", "/x\u2028"])
def test_values_with_line_breaks_are_refused(bad):
    with pytest.raises(kr.KollaConfigError, match="line break"):
        kr.proxysql_tls_globals(dict(PTLS, openstack_cacert=bad))
    with pytest.raises(kr.KollaConfigError, match="line break"):
        kr.ini_text({"sections": {"s": {"k": bad}}})
    with pytest.raises(kr.KollaConfigError):
        kr.comment_lines(["ok", bad])


def test_yaml_of_a_hostile_value_stays_one_key():
    data = kr.proxysql_tls_globals(dict(PTLS, openstack_cacert="/x: y # z ' \""))["data"]
    assert yaml.safe_load(yaml.safe_dump(data))["openstack_cacert"] == "/x: y # z ' \""


def test_ini_refuses_odd_sections_and_keys():
    for doc in ({"sections": {"a]\n[b": {}}}, {"sections": {"a": {"k = v\nx": "1"}}}, {"sections": []},
                {"sections": {"a": "x"}}):
        with pytest.raises(kr.KollaConfigError):
            kr.ini_text(doc)
    text = kr.ini_text({"header": ["h"], "sections": {"AGENT": {"extensions": ["vpnaas", "qos"], "n": 3}}})
    assert text == "# h\n[AGENT]\nextensions = vpnaas\nextensions = qos\nn = 3\n"
    assert kr.parse_ini(text) == {"AGENT": {"extensions": ["vpnaas", "qos"], "n": ["3"]}}


@pytest.mark.parametrize("release", kr.RELEASES)
@pytest.mark.parametrize("distro,provider,cls", [
    ("ubuntu", "strongswan", "OvnStrongSwanDriver"),
    ("rocky", "openswan", "OvnLibreSwanDriver"),
])
def test_vpnaas_overlays_per_release(release, distro, provider, cls):
    inputs = dict(VPN, release=release, base_distro=distro)
    needed = kr.vpnaas_overlays(inputs)
    assert needed == ([] if release in ("2026.1", "2026.2") else ["neutron_vpnaas.conf", "neutron_ovn_vpn_agent.ini"])
    assert kr.vpnaas_overlays(dict(inputs, force_overlays=True)) != []
    assert kr.vpnaas_overlays(dict(inputs, neutron_plugin_agent="openvswitch")) == []
    service = kr.ini_text(kr.vpnaas_overlay(inputs, "neutron_vpnaas.conf"))
    assert "service_provider = VPN:%s:%s:default" % (provider, kr.VPNAAS_SERVICE_DRIVER) in service
    assert service.startswith("# scs.kolla.vpnaas: ")
    agent = kr.ini_text(kr.vpnaas_overlay(inputs, "neutron_ovn_vpn_agent.ini"))
    assert "vpn_device_driver = %s.%s" % (kr.VPNAAS_DEVICE_DRIVER_MODULE, cls) in agent


def test_vpnaas_sysctl_bind_override_only_on_2026_1_with_ovn():
    for release in kr.RELEASES:
        data = kr.vpnaas_globals(dict(VPN, release=release))["data"]
        assert ("neutron_ovn_vpn_agent_default_volumes" in data) == (release == "2026.1")
    data = kr.vpnaas_globals(dict(VPN, release="2026.1"))["data"]
    assert kr.SYSCTL_BIND not in data["neutron_ovn_vpn_agent_default_volumes"]
    assert "neutron_ovn_vpn_agent_default_volumes" not in kr.vpnaas_globals(
        dict(VPN, release="2026.1", neutron_plugin_agent="openvswitch"))["data"]


def test_vpnaas_refuses_bad_inputs():
    for bad in (dict(VPN, release="2023.2"), dict(VPN, base_distro="arch"), dict(VPN, neutron_plugin_agent="linuxbridge")):
        with pytest.raises(kr.KollaConfigError):
            kr.vpnaas_globals(bad)
    with pytest.raises(kr.KollaConfigError, match="no overlay"):
        kr.vpnaas_overlay(VPN, "neutron.conf")
    with pytest.raises(kr.KollaConfigError, match="nothing to build"):
        kr.build(VPN, "vpnaas", "x")
    with pytest.raises(kr.KollaConfigError, match="expected a boolean"):
        kr.vpnaas_globals(dict(VPN, horizon_panel="maybe"))


def test_filters_wrap_errors():
    from ansible.errors import AnsibleFilterError

    f = filters.FilterModule().filters()
    assert sorted(f) == ["kolla_comment", "kolla_config", "kolla_ini", "kolla_releases"]
    assert f["kolla_config"](VPN, "vpnaas", "globals")["data"]["enable_neutron_vpnaas"] == "yes"
    assert f["kolla_comment"](["a", "b"]) == "# a\n# b"
    with pytest.raises(AnsibleFilterError, match="line break"):
        f["kolla_ini"]({"sections": {"a": {"b": "c\nd"}}})
    with pytest.raises(AnsibleFilterError):
        f["kolla_releases"]("nope")


# ------------------------------------------------------------- proxysql_tls metrics

PTLS_HOST = {"config_dir": "/etc/kolla", "backend": True, "internal": True,
             "mariadb": True, "loadbalancer": True, "tls_backend": True, "renew_before_days": "30"}


def _metrics(**changes):
    return [(f["path"], f["role"], f.get("renew_before_days"))
            for f in kr.build(dict(PTLS_HOST, **changes), "proxysql_tls", "metrics")]


def test_proxysql_tls_metrics_cover_what_kolla_deploys_on_a_db_host():
    # kolla-ansible's mariadb role (service-cert-copy) and loadbalancer role (copy-certs.yml).
    assert _metrics() == [
        ("/etc/kolla/mariadb/mariadb-cert.pem", "proxysql_tls_mariadb", 30),
        ("/etc/kolla/mariadb/ca-certificates/root.crt", "proxysql_tls_ca", None),
        ("/etc/kolla/proxysql/proxysql-cert.pem", "proxysql_tls_proxysql", 30),
        ("/etc/kolla/proxysql/proxysql-ca.pem", "proxysql_tls_ca", None),
        ("/etc/kolla/proxysql/mariadb-cert.pem", "proxysql_tls_mariadb", 30),
        ("/etc/kolla/proxysql/ca-certificates/root.crt", "proxysql_tls_ca", None),
    ]


def test_proxysql_tls_metrics_follow_groups_and_switches():
    assert [p for p, _r, _d in _metrics(loadbalancer=False)] == [
        "/etc/kolla/mariadb/mariadb-cert.pem", "/etc/kolla/mariadb/ca-certificates/root.crt"]
    # kolla copies backend certificates only to hosts in tls-backend
    assert _metrics(loadbalancer=False, tls_backend=False) == []
    assert [p for p, _r, _d in _metrics(mariadb=False, backend=False)] == [
        "/etc/kolla/proxysql/proxysql-cert.pem", "/etc/kolla/proxysql/proxysql-ca.pem"]
    assert _metrics(internal="no", backend="no") == []
    # no renewal window (certificates nobody renews here): no renew_before_days at all
    assert {d for _p, _r, d in _metrics(renew_before_days=None, config_dir="/opt/k/")} == {None}
    assert _metrics(config_dir="/opt/k/", mariadb=False, loadbalancer=True, backend=False)[0][0] \
        == "/opt/k/proxysql/proxysql-cert.pem"


@pytest.mark.parametrize("bad,message", [
    ({"config_dir": "etc/kolla"}, "absolute path"),
    ({"config_dir": None}, "absolute path"),
    ({"config_dir": "/etc/kolla\n/x"}, "line break"),
    ({"renew_before_days": "soon"}, "whole number"),
    ({"mariadb": "maybe"}, "expected a boolean"),
])
def test_proxysql_tls_metrics_refuse_bad_inputs(bad, message):
    with pytest.raises(kr.KollaConfigError, match=message):
        kr.build(dict(PTLS_HOST, **bad), "proxysql_tls", "metrics")
