#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: flavor_sync
short_description: Reconcile a whole list of Nova flavors, SCS standard flavors included
version_added: 0.1.0
description:
  - Makes the cloud's Nova flavors match a desired list in one module run over one
    authenticated connection, instead of one module run per flavor.
  - Flavors are given by name. For SCS names (scs-0100) the vCPU count, RAM, root disk and the
    C(scs:*) extra_specs (scs-0103) are derived from the name by the collection's flavor-name
    engine; other names need their figures.
  - The whole list is validated before the first API call; every problem is reported and
    nothing is changed then.
  - Missing flavors are created with their extra_specs, drifted extra_specs and descriptions
    are fixed in place. Nova cannot change vCPUs, RAM, disk or visibility of a flavor, so such drift
    fails by default, naming the flavors, or deletes and recreates them with
    I(on_figure_drift=recreate).
  - Reads the flavors with their extra_specs in one request (compute API microversion 2.61); a
    run that finds nothing to do makes no write request.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
extends_documentation_fragment:
  - scs.kolla.openstack
attributes:
  check_mode:
    support: full
    description: Reports what would change; only reads from the cloud.
  diff_mode:
    support: full
    description: Before and after of every flavor that is created, changed or deleted.
  platform:
    support: full
    platforms: posix
    description: Runs where openstacksdk is installed and the API endpoints are reachable.
  action:
    support: full
    description: On the controller the sync runs in the action plugin, without a module process.
options:
  flavors:
    description:
      - The flavors to have, each a name (string) or a dict with these keys.
      - C(name) the flavor name. SCS names must be valid and canonical (the spelling this
        module creates). With C(gpu) it is the name without the GPU part.
      - C(gpu) generate the GPU part of the name from a GPU model of the collection's table, a dict
        with C(model), optional C(fraction) and C(virtual). Model C(A30) with fraction C(1/4) turns
        C(SCS-16V-64-500s) into C(SCS-16V-64-500s_GNa-14-6); C(virtual=true) makes it a vGPU slice.
      - C(attributes) instead of C(name), the attributes the engine generates the canonical name
        from (C(cpus), C(cpu_type), C(ram) in GiB, C(disk), C(disk_type), C(gpu_model), ...).
      - C(vcpus), C(ram) (MiB), C(disk) (GB) the figures. Derived from SCS names; given, they must
        not be less than the name says, and for standard flavors exactly that. Required for
        other names (C(disk) defaults to 0).
      - C(id) a fixed flavor id; Nova generates a UUID when it is not given.
      - C(is_public) visibility; defaults to the module's I(is_public).
      - C(description) defaults to the engine's plain-language description of an SCS name.
      - C(extra_specs) further extra_specs of this flavor; values are sent as strings. C(scs:*)
        keys are derived from the name and may only be repeated with the same value.
      - An entry for a name that is also in I(standard_sets) replaces that standard entry, for
        example to give a standard flavor a fixed id or make it private.
    type: list
    elements: raw
    default: []
  standard_sets:
    description:
      - SCS standard flavor sets (scs-0103-v1) to include, by their names in the engine.
    type: list
    elements: str
    choices: [mandatory, recommended_part1, recommended_part2]
    default: []
  extra_specs:
    description:
      - extra_specs for every flavor in the list (C(scs:*) keys are not allowed here); a
        flavor's own I(extra_specs) win.
    type: dict
    default: {}
  hw_rng:
    description:
      - Set C(hw_rng:allowed=True) on every flavor. scs-0101 v1.0 recommended it, v1.1 dropped
        the recommendation, hence off by default.
    type: bool
    default: false
  is_public:
    description: Visibility of flavors that do not say.
    type: bool
    default: true
  descriptions:
    description: Give SCS flavors the engine's plain-language description of their name.
    type: bool
    default: true
  on_figure_drift:
    description:
      - What to do with an existing flavor whose vCPUs, RAM, disk, visibility or fixed id
        differ. C(fail) names them and changes nothing; C(recreate) deletes and recreates
        them (running instances keep their figures, the flavor gets a new id unless fixed).
    type: str
    choices: [fail, recreate]
    default: fail
  prune:
    description:
      - Delete flavors whose names start with C(SCS-) and that are not in the list. Flavors
        with other names are never deleted.
    type: bool
    default: false
  purge_extra_specs:
    description:
      - Remove extra_specs that the list does not name. C(scs:*) keys that the name does not
        derive are always removed.
    type: bool
    default: false
  concurrency:
    description:
      - How many flavors are written at the same time, 1 to 32. The steps of one flavor (create,
        then its extra_specs) always run in order; deletions finish before recreations, and those
        before creations and updates, so names and fixed ids are free when they are needed.
      - When a request fails no further flavor is started; the ones under way are finished, and
        the failure names everything that was changed.
      - C(1) writes one flavor after the other.
    type: int
    default: 4
notes:
  - When the task runs on the controller (C(connection=local), C(delegate_to=localhost) or
    the implicit localhost) and the controller's Python has openstacksdk, the action plugin
    runs the sync inside ansible-playbook instead of starting a module process; the result is
    the same. On other hosts, and for tasks with C(async), C(become) or an C(environment)
    (which only a module process receives), the module runs on the target as usual.
  - Needs Nova with compute API microversion 2.61 (Rocky and later; every Nova that
    kolla-ansible 2024.1 to 2026.1 deploys).
  - Flavor access lists of private flavors are not managed.
seealso:
  - module: scs.kolla.flavor_audit
  - module: openstack.cloud.compute_flavor
'''

EXAMPLES = r'''
- name: The mandatory SCS flavors plus recommended part 1
  scs.kolla.flavor_sync:
    cloud: admin
    standard_sets: [mandatory, recommended_part1]

- name: Own flavors, a GPU flavor from its model, hw_rng on every flavor
  scs.kolla.flavor_sync:
    cloud: admin
    standard_sets: [mandatory]
    hw_rng: true
    flavors:
      - SCS-8V-32-100s
      - name: SCS-16V-64-500s
        gpu: {model: A30, fraction: "1/4"}
        extra_specs:
          "pci_passthrough:alias": "a30-quarter:1"
      - name: m1.tiny
        vcpus: 1
        ram: 512
        disk: 1
        is_public: false

- name: Repair figure drift by recreating, delete SCS flavors not listed
  scs.kolla.flavor_sync:
    cloud: admin
    standard_sets: [mandatory]
    on_figure_drift: recreate
    prune: true
'''

RETURN = r'''
created:
  description: Names of the flavors created (would be created in check mode).
  returned: always
  type: list
  elements: str
  sample: [SCS-1V-4, SCS-2V-8]
updated:
  description: Names of the flavors whose extra_specs or description were fixed in place.
  returned: always
  type: list
  elements: str
recreated:
  description: Names of the flavors deleted and created again because of figure drift.
  returned: always
  type: list
  elements: str
deleted:
  description: Names of the SCS flavors deleted by I(prune).
  returned: always
  type: list
  elements: str
unchanged:
  description: Names of the listed flavors that were already right.
  returned: always
  type: list
  elements: str
flavors:
  description: The listed flavors as they are after the run (id null for new flavors in check mode).
  returned: success
  type: list
  elements: dict
  sample:
    - name: SCS-2V-4-20s
      id: 5b1c...
      vcpus: 2
      ram: 4096
      disk: 20
      is_public: true
      description: "2 shared vCPUs, 4 GiB RAM, 20 GB local SSD"
      extra_specs:
        "scs:cpu-type": shared-core
        "scs:disk0-type": ssd
        "scs:name-v1": "SCS-2V:4:20s"
        "scs:name-v2": SCS-2V-4-20s
api_requests:
  description: Compute API requests this run made, by HTTP method.
  returned: always
  type: dict
  sample: {GET: 1, POST: 0, PUT: 0, DELETE: 0}
problems:
  description: Every problem found in the input or against the cloud when the module fails for them.
  returned: failure
  type: list
  elements: str
'''

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_sync as sync
from ansible_collections.scs.kolla.plugins.module_utils.scs_openstack import OpenStackModule


class FlavorSyncModule(OpenStackModule):
    # The same options as the action plugin validates on the controller.
    argument_spec = sync.SYNC_OPTIONS
    api_name = 'Compute API'

    def run(self):
        # sync.run reports a failed run in its result (failed=True), which the base turns
        # into fail_json; the connection is made by the base, once the input is valid.
        return sync.run(self.params, check_mode=self.check_mode, diff_mode=self.ansible._diff,
                        warn=self.ansible.warn, connect=lambda params: self.conn)


def main():
    FlavorSyncModule()()


if __name__ == '__main__':
    main()
