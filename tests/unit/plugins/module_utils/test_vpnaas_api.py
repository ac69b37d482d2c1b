# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# PolicyManager's create/update/idempotence logic against an in-memory FAKE of
# openstacksdk's network proxy: no Neutron API with neutron-vpnaas runs in this
# test environment (see docs/vpnaas.md). The fake stores what it is given, like the
# API does; it does not validate values (that is vpnaas_policy's job, tested apart).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

import pytest

from ansible_collections.scs.kolla.plugins.module_utils import vpnaas_api
from ansible_collections.scs.kolla.plugins.module_utils.vpnaas_policy import validate_policies


class FakeResource(dict):
    def __getattr__(self, name):
        return self[name]


class FakeNetwork(object):
    def __init__(self):
        self.store = {"ike": [], "ipsec": []}
        # IPsec site connections (neutron-vpnaas refuses to update/delete policies they use:
        # seen against the real API in molecule/vpnaas_api).
        self.connections = []
        self.calls = []
        self._ids = itertools.count(1)

    def _list(self, kind, **query):
        return [r for r in self.store[kind] if all(r.get(k) == v for k, v in query.items())]

    def _create(self, kind, **attrs):
        self.calls.append(("create", kind))
        res = FakeResource(dict(attrs, id="id-%d" % next(self._ids)))
        res.setdefault("description", "")
        self.store[kind].append(res)
        return res

    def _update(self, kind, res, **changes):
        self.calls.append(("update", kind, sorted(changes)))
        res.update(changes)
        return res

    def vpn_ike_policies(self, **q):
        return self._list("ike", **q)

    def vpn_ipsec_policies(self, **q):
        return self._list("ipsec", **q)

    def vpn_ipsec_site_connections(self, **q):
        return [c for c in self.connections if all(c.get(k) == v for k, v in q.items())]

    def create_vpn_ike_policy(self, **a):
        return self._create("ike", **a)

    def create_vpn_ipsec_policy(self, **a):
        return self._create("ipsec", **a)

    def update_vpn_ike_policy(self, r, **c):
        return self._update("ike", r, **c)

    def update_vpn_ipsec_policy(self, r, **c):
        return self._update("ipsec", r, **c)

    def delete_vpn_ike_policy(self, r):
        self.calls.append(("delete", "ike"))
        self.store["ike"].remove(r)

    def delete_vpn_ipsec_policy(self, r):
        self.calls.append(("delete", "ipsec"))
        self.store["ipsec"].remove(r)


class FakeConnection(object):
    current_project_id = "p-admin"

    def __init__(self):
        self.network = FakeNetwork()


@pytest.fixture
def conn():
    return FakeConnection()


def ensure_pair(conn, release="2024.1", check_mode=False, **kwargs):
    ike, ipsec = validate_policies(release, "strongswan", kwargs.get("ike"), kwargs.get("ipsec"))
    manager = vpnaas_api.PolicyManager(conn, check_mode)
    return (manager.ensure("ike", "scs-default", "p1", ike, "d"),
            manager.ensure("ipsec", "scs-default", "p1", ipsec, "d"))


def test_create_then_idempotent(conn):
    (c1, before, after), (c2, _b, _a) = ensure_pair(conn)
    assert c1 and c2 and before is None
    assert after["pfs"] == "group14" and after["project_id"] == "p1"
    assert after["lifetime"] == {"units": "seconds", "value": 3600}
    calls = list(conn.network.calls)
    (c1, b1, a1), (c2, _b, _a) = ensure_pair(conn)
    assert not c1 and not c2 and b1 == a1
    assert conn.network.calls == calls  # second run: no API writes


def test_check_mode_plans_without_writing(conn):
    (changed, before, after) = ensure_pair(conn, check_mode=True)[0]
    assert changed and before is None and after["id"] is None
    assert conn.network.calls == [] and conn.network.store["ike"] == []


def test_update_only_what_differs(conn):
    ensure_pair(conn)
    conn.network.calls[:] = []
    (changed, before, after), (c_ipsec, _b, _a) = ensure_pair(conn, ike={"lifetime": {"value": 7200}})
    assert changed and not c_ipsec
    assert before["lifetime"]["value"] == 3600 and after["lifetime"]["value"] == 7200
    assert conn.network.calls == [("update", "ike", ["lifetime"])]


def test_update_in_check_mode_reports_planned_values(conn):
    ensure_pair(conn)
    conn.network.calls[:] = []
    (changed, before, after) = ensure_pair(conn, release="2024.1", check_mode=True, ike={"encryption_algorithm": "aes-192"})[0]
    assert changed and after["encryption_algorithm"] == "aes-192" and before["encryption_algorithm"] == "aes-256"
    assert conn.network.calls == []


def test_policies_of_other_projects_are_not_touched(conn):
    conn.network.store["ike"].append(FakeResource(id="x", name="scs-default", project_id="p2", pfs="group5",
                                                  description="", lifetime={}))
    ensure_pair(conn)
    assert [r["project_id"] for r in conn.network.store["ike"]] == ["p2", "p1"]
    assert conn.network.store["ike"][0]["pfs"] == "group5"


def test_duplicate_names_are_an_error(conn):
    ensure_pair(conn)
    conn.network.store["ike"].append(FakeResource(conn.network.store["ike"][0], id="dup"))
    with pytest.raises(ValueError, match="2 IKE policies are named 'scs-default' in project p1"):
        ensure_pair(conn)


def test_absent(conn):
    ensure_pair(conn)
    manager = vpnaas_api.PolicyManager(conn)
    assert manager.absent("ipsec", "scs-default", "p1")[0]
    assert manager.absent("ike", "scs-default", "p1")[0]
    assert not manager.absent("ike", "scs-default", "p1")[0]
    assert conn.network.store == {"ike": [], "ipsec": []}


def connect_pair(conn, name="site-a"):
    conn.network.connections.append(FakeResource(
        id="c-" + name, name=name, ikepolicy_id=conn.network.store["ike"][0]["id"],
        ipsecpolicy_id=conn.network.store["ipsec"][0]["id"]))


def ensure_both(conn, check_mode=False, **kwargs):
    ike, ipsec = validate_policies("2024.1", "strongswan", kwargs.get("ike"), kwargs.get("ipsec"))
    return vpnaas_api.PolicyManager(conn, check_mode).ensure_pair("scs-default", "p1", ike, ipsec, "d")


@pytest.mark.parametrize("check_mode", [False, True])
def test_policy_in_use_is_not_updated(conn, check_mode):
    ensure_both(conn)
    connect_pair(conn)
    conn.network.calls[:] = []
    # Only IPsec changes, yet the pair is refused as a whole before any write, in check mode too.
    with pytest.raises(vpnaas_api.PolicyInUseError,
                       match=r"IPsec policy 'scs-default' \(id-2\) is used by IPsec site connection\(s\) site-a.*"
                             r"refuses to update.*Nothing was changed"):
        ensure_both(conn, check_mode, ipsec={"lifetime": {"value": 7200}})
    assert conn.network.calls == []


def test_policy_in_use_unchanged_is_fine(conn):
    ensure_both(conn)
    connect_pair(conn)
    (c_ike, _b, _a), (c_ipsec, _b2, _a2) = ensure_both(conn)
    assert not c_ike and not c_ipsec


def test_policy_in_use_is_not_deleted(conn):
    ensure_both(conn)
    connect_pair(conn, "site-b")
    conn.network.calls[:] = []
    with pytest.raises(vpnaas_api.PolicyInUseError, match=r"IKE policy 'scs-default' \(id-1\) .* site-b; IPsec policy"):
        vpnaas_api.PolicyManager(conn).absent_pair("scs-default", "p1")
    assert conn.network.calls == []
    conn.network.connections[:] = []
    (c_ike, b_ike), (c_ipsec, b_ipsec) = vpnaas_api.PolicyManager(conn).absent_pair("scs-default", "p1")
    assert c_ike and c_ipsec and b_ike["id"] == "id-1"
    assert conn.network.calls == [("delete", "ipsec"), ("delete", "ike")]


def test_project_defaults_to_the_token_project(conn):
    assert vpnaas_api.PolicyManager(conn).project_id(None) == "p-admin"
