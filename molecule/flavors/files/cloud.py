# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Read or tamper with the test cloud's flavors through plain openstacksdk (not our modules).

    cloud.py list                 all flavors with extra_specs as JSON
    cloud.py edit 'JSON-LIST'     apply edits, each one of
        {"set_specs": NAME, "specs": {...}}      {"unset_specs": NAME, "keys": [...]}
        {"delete": NAME}                          {"create": NAME, "vcpus": .., "ram": .., "disk": .., "extra_specs": {..}}
        {"replace": NAME, "vcpus"|"ram"|"disk"|"is_public": ..}  delete + create with other figures,
                                                  same extra_specs ("create" takes "is_public" too)

The verify and side-effect playbooks use it so what they check does not depend on the code under test.
"""
import json
import os
import sys

import openstack


def flavors(conn):
    return {f.name: f for f in conn.compute.flavors(details=True, is_public=None)}


def as_dict(f):
    return {"id": f.id, "name": f.name, "vcpus": f.vcpus, "ram": f.ram, "disk": f.disk,
            "is_public": f.is_public, "description": f.description, "extra_specs": f.extra_specs or {}}


def main():
    conn = openstack.connect(cloud=os.environ.get("OS_CLOUD", "scs-kolla-test"))
    conn.compute.default_microversion = "2.61"
    if sys.argv[1] == "list":
        print(json.dumps(sorted((as_dict(f) for f in flavors(conn).values()), key=lambda f: f["name"])))
        return
    for edit in json.loads(sys.argv[2]):
        existing = flavors(conn)
        if "set_specs" in edit:
            conn.compute.create_flavor_extra_specs(existing[edit["set_specs"]], edit["specs"])
        elif "unset_specs" in edit:
            for key in edit["keys"]:
                conn.compute.delete_flavor_extra_specs_property(existing[edit["unset_specs"]], key)
        elif "delete" in edit:
            conn.compute.delete_flavor(existing[edit["delete"]])
        elif "create" in edit or "replace" in edit:
            name = edit.get("create") or edit["replace"]
            old = existing.get(name)
            figures = {k: edit.get(k, getattr(old, k, None)) for k in ("vcpus", "ram", "disk")}
            specs = edit.get("extra_specs", dict(old.extra_specs or {}) if old else {})
            if old is not None:
                conn.compute.delete_flavor(old)
            public = edit.get("is_public", old.is_public if old is not None else True)
            new = conn.compute.create_flavor(name=name, is_public=public, **figures)
            if specs:
                conn.compute.create_flavor_extra_specs(new, specs)
    print(json.dumps({"edits": len(json.loads(sys.argv[2]))}))


if __name__ == "__main__":
    main()
