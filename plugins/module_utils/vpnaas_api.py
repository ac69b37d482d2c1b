# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Networking API side of scs.kolla's VPNaaS modules (openstacksdk).

Authentication options and the connection come from scs_openstack, shared with the
flavor modules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

IKE_FIELDS = ("encryption_algorithm", "auth_algorithm", "pfs", "ike_version",
              "phase1_negotiation_mode", "lifetime")
IPSEC_FIELDS = ("encryption_algorithm", "auth_algorithm", "pfs", "transform_protocol",
                "encapsulation_mode", "lifetime")
VPN_AGENT_TYPE = "VPN Agent"


def _as_dict(resource, fields):
    data = dict((f, resource[f]) for f in fields)
    data["lifetime"] = dict(data.get("lifetime") or {})
    if "value" in data["lifetime"]:
        data["lifetime"]["value"] = int(data["lifetime"]["value"])
    data.update(id=resource["id"], name=resource["name"], project_id=resource["project_id"],
                description=resource["description"])
    return data


def _differences(current, desired, fields):
    changed = {}
    for field in fields:
        if field == "lifetime":
            want = dict(current.get("lifetime") or {}, **desired["lifetime"])
            if want != current.get("lifetime"):
                changed[field] = want
        elif current.get(field) != desired[field]:
            changed[field] = desired[field]
    if desired.get("description") is not None and current.get("description") != desired["description"]:
        changed["description"] = desired["description"]
    return changed


class PolicyManager(object):
    """Create or update one IKE/IPsec policy pair by name within one project."""

    KINDS = {
        "ike": ("vpn_ike_policies", "create_vpn_ike_policy", "update_vpn_ike_policy",
                "delete_vpn_ike_policy", IKE_FIELDS),
        "ipsec": ("vpn_ipsec_policies", "create_vpn_ipsec_policy", "update_vpn_ipsec_policy",
                  "delete_vpn_ipsec_policy", IPSEC_FIELDS),
    }

    def __init__(self, conn, check_mode=False):
        self.conn = conn
        self.check_mode = check_mode

    def project_id(self, project):
        """ID of ``project`` (name or ID); the token's project when None."""
        if not project:
            return self.conn.current_project_id
        found = self.conn.identity.find_project(project, ignore_missing=True)
        if found is None:
            raise ValueError("project %r not found" % project)
        return found.id

    def _find(self, kind, name, project_id):
        lister = getattr(self.conn.network, self.KINDS[kind][0])
        found = [p for p in lister(name=name, project_id=project_id)
                 if p.name == name and p.project_id == project_id]
        if len(found) > 1:
            raise ValueError("%d %s policies are named %r in project %s; expected at most one"
                             % (len(found), kind.upper(), name, project_id))
        return found[0] if found else None

    def ensure(self, kind, name, project_id, desired, description=None):
        """Returns (changed, before, after) with after None in check mode when created."""
        _lister, create, update, _delete, fields = self.KINDS[kind]
        want = dict((f, desired[f]) for f in fields)
        want["description"] = description
        current = self._find(kind, name, project_id)
        if current is None:
            if self.check_mode:
                planned = dict(want, name=name, project_id=project_id, id=None)
                return True, None, planned
            attrs = dict((f, want[f]) for f in fields)
            attrs.update(name=name, project_id=project_id)
            if description is not None:
                attrs["description"] = description
            created = getattr(self.conn.network, create)(**attrs)
            return True, None, _as_dict(created, fields)
        before = _as_dict(current, fields)
        changes = _differences(before, want, fields)
        if not changes:
            return False, before, before
        if self.check_mode:
            return True, before, dict(before, **changes)
        updated = getattr(self.conn.network, update)(current, **changes)
        return True, before, _as_dict(updated, fields)

    def absent(self, kind, name, project_id):
        current = self._find(kind, name, project_id)
        if current is None:
            return False, None
        before = _as_dict(current, self.KINDS[kind][4])
        if not self.check_mode:
            getattr(self.conn.network, self.KINDS[kind][3])(current)
        return True, before


def vpnaas_status(conn, agent_binary):
    """Extensions of the Networking API and the VPN agents it knows."""
    aliases = sorted(e.alias for e in conn.network.extensions())
    agents = []
    for agent in conn.network.agents(binary=agent_binary):
        agents.append(dict(id=agent.id, host=agent.host, binary=agent.binary,
                           agent_type=agent.agent_type, alive=bool(agent.is_alive),
                           admin_state_up=bool(agent.is_admin_state_up)))
    agents.sort(key=lambda a: a["host"] or "")
    return aliases, agents
