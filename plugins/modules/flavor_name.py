#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: flavor_name
short_description: Validate, canonicalise, describe and generate SCS flavor names
version_added: 0.1.0
description:
  - Checks flavor names against the SCS flavor naming standard (scs-0100 v3; v2 has the same
    syntax; legacy v1 names are recognised, converted and reported with a warning).
  - For every valid name returns the canonical and short forms, the v1 spelling, the figures the
    name promises (vCPUs, RAM in MiB, root disk in GB), the C(scs:*) extra_specs of scs-0103 and
    a plain-English description.
  - Generates canonical names from attributes, including the GPU part from a GPU model and an
    optional MIG/vGPU slice fraction.
  - Changes nothing. All names are checked before the module fails, so one run lists every
    problem.
author:
  - SCS kolla maintainers (@SovereignCloudStack)
attributes:
  check_mode:
    support: full
    description: The module never changes anything, so check mode runs it in full.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
seealso:
  - name: SCS flavor naming standard (scs-0100)
    description: The grammar this module implements.
    link: https://docs.scs.community/standards/scs-0100-v3-flavor-naming
  - name: SCS standard flavors (scs-0103)
    description: The standard flavors and their C(scs:*) properties.
    link: https://docs.scs.community/standards/scs-0103-v1-standard-flavors
options:
  names:
    description:
      - Flavor names to check, in the order the results should have.
      - A name that does not start with C(SCS-) (case-sensitive) is not an SCS name. It is
        reported with C(scs=false) and is not an error unless O(require_scs=true).
    type: list
    elements: str
    default: []
  fail_on_invalid:
    description:
      - Fail when any name in O(names) is an invalid SCS name (or, with O(require_scs), not an
        SCS name at all). The failure message lists every such name with its error, after all
        names were checked.
      - When false, invalid names are only reported in RV(results) and RV(invalid).
      - Bad O(flavors) entries always fail the module.
    type: bool
    default: true
  require_scs:
    description:
      - Treat names without the C(SCS-) prefix as invalid.
    type: bool
    default: false
  standard:
    description:
      - Also analyse the SCS standard flavors (scs-0103-v1) of these sets and return them in
        RV(standard_flavors), keyed by set.
      - C(mandatory) (15 flavors), C(recommended_part1) (13, disk size given, disk type left to
        the provider), C(recommended_part2) (3 large-memory flavors).
    type: list
    elements: str
    choices: [mandatory, recommended_part1, recommended_part2]
    default: []
  fields:
    description:
      - Return only these keys in every element of RV(results) (C(name) is always returned).
      - Keeps the module output small when checking very large lists.
      - Default is every key.
    type: list
    elements: str
    choices: [name, scs, valid, error, warnings, syntax, canonical, short, v1, cpus, ram, disk,
              extra_specs, description, attributes]
  flavors:
    description:
      - Attribute sets to generate canonical names from. Each result is returned in
        RV(generated), in order.
      - O(flavors[].cpus), O(flavors[].cpu_type) and O(flavors[].ram) are required in every
        entry; everything else is optional.
    type: list
    elements: dict
    default: []
    suboptions:
      cpus:
        description: Number of vCPUs (positive integer).
        type: int
      cpu_type:
        description:
          - C(L) crowded-core, C(V) shared-core, C(T) dedicated-thread, C(C) dedicated-core
            (the long C(scs:cpu-type) values are accepted too).
        type: str
      insecure:
        description: CPU without timely vulnerability mitigations (the C(i) suffix).
        type: bool
        default: false
      ram:
        description: RAM in GiB, a positive multiple of 0.5.
        type: float
      ram_no_ecc:
        description: RAM without ECC (the C(u) suffix).
        type: bool
        default: false
      ram_oversubscribed:
        description: Oversubscribed RAM (the C(o) suffix).
        type: bool
        default: false
      disk:
        description:
          - Root disk size in GB (positive integer), or C(auto) for a disk whose size and type
            the provider chooses (the bare C(-) disk part).
          - Omit it (and O(flavors[].disk_type)) for a flavor without root disk.
        type: raw
      disk_count:
        description: Number of independent disks of that size (C(3x10s)); needs a size.
        type: int
      disk_type:
        description:
          - C(n) network, C(h) local HDD, C(s) local SSD, C(p) local NVMe (or C(network), C(hdd),
            C(ssd), C(nvme)). A type without O(flavors[].disk) gives a typed disk of any size.
        type: str
      hypervisor:
        description: Hypervisor extension.
        type: str
        choices: [kvm, chy, xen, vmw, hyv, bms]
      hwv:
        description: Nested (hardware) virtualisation available.
        type: bool
        default: false
      cpu_vendor:
        description: CPU vendor C(i) Intel, C(z) AMD, C(a) ARM, C(r) RISC-V (long names accepted).
        type: str
      cpu_gen:
        description: CPU generation (Intel and AMD 0-6, ARM 0-5, RISC-V 0); needs a vendor.
        type: int
      cpu_frequency:
        description: All-core frequency class, the number of C(h) (1 >2.75 GHz, 2 >3.25 GHz, 3 >3.75 GHz).
        type: int
        choices: [0, 1, 2, 3]
        default: 0
      gpu_model:
        description:
          - GPU model (for example C(A30), C(H100), C(MI300X), C(L40S)); derives the GPU part from
            the model table. Cannot be combined with explicit GPU figures.
        type: str
      gpu_fraction:
        description:
          - Slice of O(flavors[].gpu_model) such as C(1/2), C(1/7) or C(2/7). Published MIG codes
            win; otherwise units and VRAM are scaled and rounded down.
        type: str
      gpu_type:
        description: C(G) pass-through or C(g) virtual GPU (C(pass-through), C(virtual) accepted).
        type: str
      gpu_vendor:
        description: GPU vendor C(N) Nvidia, C(A) AMD, C(I) Intel (long names accepted).
        type: str
      gpu_gen:
        description: GPU generation code for the vendor (for example C(a) Ampere, C(3) CDNA 3).
        type: str
      gpu_units:
        description: Number of compute units (SMs, CUs or EUs); needs O(flavors[].gpu_gen).
        type: int
      gpu_units_frequency:
        description: High-frequency compute units, the number of C(h) (0-2).
        type: int
        choices: [0, 1, 2]
        default: 0
      gpu_vram:
        description: VRAM in GiB; needs O(flavors[].gpu_units).
        type: int
      gpu_vram_bandwidth:
        description: High-bandwidth VRAM, the number of C(h) (0-2).
        type: int
        choices: [0, 1, 2]
        default: 0
      ib:
        description: InfiniBand.
        type: bool
        default: false
"""

EXAMPLES = r"""
- name: Check the flavor names planned for a cloud
  scs.kolla.flavor_name:
    names:
      - SCS-2V-4-20s
      - SCS-16V-64-500s_GNa-14-6h
      - SCS-2C:4:10n          # legacy v1: valid, with a warning
  register: checked

- name: Show what each name promises
  ansible.builtin.debug:
    msg: "{{ item.canonical }}: {{ item.description }}"
  loop: "{{ checked.results }}"
  loop_control:
    label: "{{ item.name }}"

- name: Report, but do not fail on, invalid names
  scs.kolla.flavor_name:
    names: "{{ existing_flavor_names }}"
    fail_on_invalid: false
    fields: [valid, error, canonical]
  register: audit

- name: Derive figures and extra_specs of the mandatory SCS standard flavors
  scs.kolla.flavor_name:
    standard: [mandatory]
  register: standard

- name: Generate GPU flavor names from a GPU model
  scs.kolla.flavor_name:
    flavors:
      - cpus: 16
        cpu_type: C
        ram: 64
        disk: 200
        disk_type: p
        gpu_model: A30
        gpu_fraction: "1/4"
      - cpus: 8
        cpu_type: shared-core
        ram: 32
        gpu_model: L4
        gpu_type: virtual
  register: gpu_flavors
"""

RETURN = r"""
results:
  description: One analysis per element of O(names), in input order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The name as given.
      type: str
      sample: SCS-2V:4:20s
    scs:
      description: Whether the name starts with C(SCS-) and so claims to be an SCS name.
      type: bool
      sample: true
    valid:
      description: Whether the name is a valid SCS name (false for non-SCS names).
      type: bool
      sample: true
    error:
      description: Why an SCS name is invalid, naming the offending part and what is allowed; null otherwise.
      type: str
      sample: "CPU generation 7 is not defined for Intel (allowed: 0-6)"
    warnings:
      description: Non-fatal findings (legacy v1 syntax, non-canonical spelling, uneven RAM of 10 GiB or more).
      type: list
      elements: str
      sample: ["'SCS-2V:4:20s' uses the legacy v1 syntax (tolerated); v3 spelling: 'SCS-2V-4-20s'"]
    syntax:
      description: C(v3) (same as v2) or C(v1); null for non-SCS and invalid names.
      type: str
      sample: v1
    canonical:
      description: Canonical v3 spelling.
      type: str
      sample: SCS-2V-4-20s
    short:
      description: Short (generic) form without hypervisor, hwv, x86 vendor and frequency modifiers.
      type: str
      sample: SCS-2V-4-20s
    v1:
      description: The canonical name spelled in v1 syntax.
      type: str
      sample: SCS-2V:4:20s
    cpus:
      description: Number of vCPUs.
      type: int
      sample: 2
    ram:
      description: RAM in MiB.
      type: int
      sample: 4096
    disk:
      description: Root disk in GB (0 when the name gives no size).
      type: int
      sample: 20
    extra_specs:
      description: The C(scs:*) extra_specs scs-0103 derives from the name, all values strings.
      type: dict
      sample: {"scs:cpu-type": "shared-core", "scs:disk0-type": "ssd", "scs:name-v1": "SCS-2V:4:20s", "scs:name-v2": "SCS-2V-4-20s"}
    description:
      description: Plain-English description of everything the name promises.
      type: str
      sample: 2 shared vCPUs, 4 GiB RAM, 20 GB local SSD
    attributes:
      description: The parsed attributes, in the form O(flavors) accepts.
      type: dict
      sample: {"cpus": 2, "cpu_type": "V", "ram": 4, "disk": 20, "disk_type": "s"}
generated:
  description: One analysis per element of O(flavors), in input order, with the same keys as RV(results) plus C(input).
  returned: always
  type: list
  elements: dict
  sample:
    - name: SCS-16C-64-200p_GNa-14-6
      canonical: SCS-16C-64-200p_GNa-14-6
      input: {cpus: 16, cpu_type: C, ram: 64, disk: 200, disk_type: p, gpu_model: A30, gpu_fraction: "1/4"}
standard_flavors:
  description:
    - The standard flavors of the sets named in O(standard), keyed by set, each a list of analyses
      like RV(results) in the order of the standard.
  returned: always
  type: dict
  sample:
    mandatory:
      - name: SCS-1V-4
        cpus: 1
        ram: 4096
        disk: 0
        extra_specs: {"scs:cpu-type": "shared-core", "scs:name-v1": "SCS-1V:4", "scs:name-v2": "SCS-1V-4"}
invalid:
  description: Every problem found, one string each (the quoted name, a colon, the error), in input order.
  returned: always
  type: list
  elements: str
  sample: ["'SCS-2V-4_i7': CPU generation 7 is not defined for Intel (allowed: 0-6)"]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor import (
    RESULT_KEYS,
    STANDARD_FLAVORS,
    check_names,
    generate_many,
)

FLAVOR_OPTIONS = dict(
    cpus=dict(type="int"),
    cpu_type=dict(type="str"),
    insecure=dict(type="bool", default=False),
    ram=dict(type="float"),
    ram_no_ecc=dict(type="bool", default=False),
    ram_oversubscribed=dict(type="bool", default=False),
    disk=dict(type="raw"),
    disk_count=dict(type="int"),
    disk_type=dict(type="str"),
    hypervisor=dict(type="str", choices=["kvm", "chy", "xen", "vmw", "hyv", "bms"]),
    hwv=dict(type="bool", default=False),
    cpu_vendor=dict(type="str"),
    cpu_gen=dict(type="int"),
    cpu_frequency=dict(type="int", choices=[0, 1, 2, 3], default=0),
    gpu_model=dict(type="str"),
    gpu_fraction=dict(type="str"),
    gpu_type=dict(type="str"),
    gpu_vendor=dict(type="str"),
    gpu_gen=dict(type="str"),
    gpu_units=dict(type="int"),
    gpu_units_frequency=dict(type="int", choices=[0, 1, 2], default=0),
    gpu_vram=dict(type="int"),
    gpu_vram_bandwidth=dict(type="int", choices=[0, 1, 2], default=0),
    ib=dict(type="bool", default=False),
)


def _disk_value(value):
    """Inventory values arrive as strings: '100' means 100 GB."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def main():
    module = AnsibleModule(
        argument_spec=dict(
            names=dict(type="list", elements="str", default=[]),
            fail_on_invalid=dict(type="bool", default=True),
            require_scs=dict(type="bool", default=False),
            standard=dict(type="list", elements="str", default=[], choices=sorted(STANDARD_FLAVORS)),
            fields=dict(type="list", elements="str", choices=list(RESULT_KEYS)),
            flavors=dict(type="list", elements="dict", default=[], options=FLAVOR_OPTIONS),
        ),
        supports_check_mode=True,
    )
    params = module.params
    results, problems = check_names(params["names"], params["require_scs"], params["fields"])
    attribute_sets = []
    for entry in params["flavors"]:
        attrs = dict((k, v) for k, v in entry.items() if v is not None)
        if "disk" in attrs:
            attrs["disk"] = _disk_value(attrs["disk"])
        attribute_sets.append(attrs)
    generated, generation_problems = generate_many(attribute_sets)

    standard_flavors = dict(
        (name, check_names(STANDARD_FLAVORS[name], fields=params["fields"])[0]) for name in params["standard"])

    outcome = dict(changed=False, results=results, generated=generated, standard_flavors=standard_flavors,
                   invalid=problems + generation_problems)
    if generation_problems or (problems and params["fail_on_invalid"]):
        failing = generation_problems + (problems if params["fail_on_invalid"] else [])
        module.fail_json(
            msg="%d invalid flavor name(s) or attribute set(s): %s" % (len(failing), "; ".join(failing)),
            **outcome
        )
    module.exit_json(**outcome)


if __name__ == "__main__":
    main()
