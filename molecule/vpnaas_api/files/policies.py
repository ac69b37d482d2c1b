# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Read the VPNaaS policies back with plain openstacksdk (not through the code under test).

    policies.py [--cloud NAME]   every IKE and IPsec policy the cloud's user sees, as JSON:
                                 {"project_id": the user's project,
                                  "policies": [{"kind": "ike"|"ipsec", "name", "id", "project_id",
                                                "description", <the policy's attributes>}, ...]}
                                 sorted by kind, project, name
"""

import argparse
import json

import openstack

IKE = ("encryption_algorithm", "auth_algorithm", "pfs", "ike_version", "phase1_negotiation_mode", "lifetime")
IPSEC = ("encryption_algorithm", "auth_algorithm", "pfs", "transform_protocol", "encapsulation_mode", "lifetime")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cloud", default="scs-kolla-neutron")
    args = parser.parse_args()
    conn = openstack.connect(cloud=args.cloud)
    result = []
    for kind, lister, fields in (("ike", conn.network.vpn_ike_policies, IKE),
                                 ("ipsec", conn.network.vpn_ipsec_policies, IPSEC)):
        for policy in lister():
            entry = dict(kind=kind, name=policy.name, id=policy.id, project_id=policy.project_id,
                         description=policy.description)
            entry.update((f, policy[f]) for f in fields)
            result.append(entry)
    result.sort(key=lambda p: (p["kind"], p["project_id"], p["name"]))
    print(json.dumps({"project_id": conn.current_project_id, "policies": result}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
