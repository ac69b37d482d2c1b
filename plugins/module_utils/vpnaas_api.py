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


class PolicyInUseError(ValueError):
    """A policy the run would update or delete is used by an IPsec site connection."""


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

    def _plan(self, kind, name, project_id, desired, description):
        """(current resource or None, wanted values, changes or None when it would be created)."""
        fields = self.KINDS[kind][4]
        want = dict((f, desired[f]) for f in fields)
        want["description"] = description
        current = self._find(kind, name, project_id)
        if current is None:
            return None, want, None
        return current, want, _differences(_as_dict(current, fields), want, fields)

    def connections_using(self, kind, policy):
        """Names (or IDs) of the IPsec site connections that use ``policy``, sorted."""
        key = "ikepolicy_id" if kind == "ike" else "ipsecpolicy_id"
        return sorted(c.name or c.id for c in self.conn.network.vpn_ipsec_site_connections(**{key: policy.id})
                      if getattr(c, key) == policy.id)

    def _refuse_in_use(self, pending, action):
        """Raise PolicyInUseError if a policy in ``pending`` [(kind, resource)] is used by a connection.

        neutron-vpnaas refuses both update and delete of a policy that an IPsec site connection
        uses (409 IKEPolicyInUse / IPsecPolicyInUse). Checking both policies first means a run
        either changes the pair or nothing, with a message that says what to do.
        """
        problems = []
        for kind, policy in pending:
            users = self.connections_using(kind, policy)
            if users:
                problems.append("%s policy %r (%s) is used by IPsec site connection(s) %s"
                                % ({"ike": "IKE", "ipsec": "IPsec"}[kind], policy.name, policy.id, ", ".join(users)))
        if problems:
            raise PolicyInUseError(
                "%s; Neutron refuses to %s a policy that a connection uses. Nothing was changed. Create the "
                "policies under a new name and move the connections to them, or delete those connections first"
                % ("; ".join(problems), action))

    def _apply(self, kind, name, project_id, plan, description):
        _lister, create, update, _delete, fields = self.KINDS[kind]
        current, want, changes = plan
        if current is None:
            if self.check_mode:
                return True, None, dict(want, name=name, project_id=project_id, id=None)
            attrs = dict((f, want[f]) for f in fields)
            attrs.update(name=name, project_id=project_id)
            if description is not None:
                attrs["description"] = description
            created = getattr(self.conn.network, create)(**attrs)
            return True, None, _as_dict(created, fields)
        before = _as_dict(current, fields)
        if not changes:
            return False, before, before
        if self.check_mode:
            return True, before, dict(before, **changes)
        updated = getattr(self.conn.network, update)(current, **changes)
        return True, before, _as_dict(updated, fields)

    def ensure(self, kind, name, project_id, desired, description=None):
        """Returns (changed, before, after) with after's id None in check mode when created."""
        plan = self._plan(kind, name, project_id, desired, description)
        if plan[0] is not None and plan[2]:
            self._refuse_in_use([(kind, plan[0])], "update")
        return self._apply(kind, name, project_id, plan, description)

    def ensure_pair(self, name, project_id, ike, ipsec, description=None):
        """ensure() for both policies, after checking that neither policy to update is in use.

        Returns ((changed, before, after) for IKE, the same for IPsec).
        """
        plans = (("ike", self._plan("ike", name, project_id, ike, description)),
                 ("ipsec", self._plan("ipsec", name, project_id, ipsec, description)))
        self._refuse_in_use([(kind, plan[0]) for kind, plan in plans if plan[0] is not None and plan[2]], "update")
        return tuple(self._apply(kind, name, project_id, plan, description) for kind, plan in plans)

    def absent(self, kind, name, project_id):
        current = self._find(kind, name, project_id)
        if current is None:
            return False, None
        before = _as_dict(current, self.KINDS[kind][4])
        if not self.check_mode:
            getattr(self.conn.network, self.KINDS[kind][3])(current)
        return True, before

    def absent_pair(self, name, project_id):
        """Delete both policies (IPsec first), after checking that neither is in use.

        Returns ((changed, before) for IKE, the same for IPsec).
        """
        found = [(kind, self._find(kind, name, project_id)) for kind in ("ike", "ipsec")]
        self._refuse_in_use([(kind, policy) for kind, policy in found if policy is not None], "delete")
        ipsec = self.absent("ipsec", name, project_id)
        return self.absent("ike", name, project_id), ipsec


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
