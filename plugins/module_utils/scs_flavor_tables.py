# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""SCS flavor-name tables: the letters of scs-0100, the standard flavors of scs-0103 and the
GPU models of the standard's implementation table. Data only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from fractions import Fraction

PREFIX = "SCS-"

CPU_TYPES = {
    "L": "crowded-core",
    "V": "shared-core",
    "T": "dedicated-thread",
    "C": "dedicated-core",
}
DISK_TYPES = {"n": "network", "h": "hdd", "s": "ssd", "p": "nvme"}
HYPERVISORS = {
    "kvm": "KVM",
    "chy": "Cloud Hypervisor",
    "xen": "Xen",
    "vmw": "VMware",
    "hyv": "Hyper-V",
    "bms": "bare metal",
}
CPU_VENDORS = {"i": "Intel", "z": "AMD", "a": "ARM", "r": "RISC-V"}
CPU_GENERATIONS = {
    "i": ("pre-Skylake", "Skylake", "Cascade Lake", "Ice Lake", "Sapphire Rapids",
          "Sierra Forest", "Granite Rapids"),
    "z": ("pre-Zen", "Zen-1 Naples", "Zen-2 Rome", "Zen-3 Milan", "Zen-4 Genoa",
          "Zen-5 Turin", "Zen-6 Venice"),
    "a": ("pre-Cortex-A76", "Cortex-A76/Neoverse N1", "Cortex-A78/X1/Neoverse V1",
          "Cortex-A71x/Neoverse N2/V2 (ARMv9)", "AmpereOne", "Cortex-A72x/Neoverse N3/V3"),
    "r": ("",),
}
CPU_FREQUENCIES = {1: ">2.75 GHz", 2: ">3.25 GHz", 3: ">3.75 GHz"}
GPU_TYPES = {"G": "pass-through", "g": "virtual"}
GPU_VENDORS = {"N": "Nvidia", "A": "AMD", "I": "Intel"}
GPU_UNIT_NAMES = {"N": "SMs", "A": "CUs", "I": "EUs"}
GPU_GENERATIONS = {
    "N": {"f": "Fermi", "k": "Kepler", "m": "Maxwell", "p": "Pascal", "v": "Volta",
          "t": "Turing", "a": "Ampere", "l": "Ada Lovelace", "g": "Grace Hopper",
          "b": "Blackwell", "u": "Blackwell Ultra"},
    "A": {"0.4": "GCN 4", "0.5": "GCN 5", "1": "CDNA 1", "2": "CDNA 2", "3": "CDNA 3",
          "4": "CDNA 4", "1.1": "RDNA 1", "2.1": "RDNA 2", "3.1": "RDNA 3", "3.5": "RDNA 3.5",
          "4.1": "RDNA 4", "5.1": "RDNA 5"},
    "I": {"0.9": "Gen9", "0.95": "Gen9.5", "1": "Xe generation 1", "2": "Xe generation 2",
          "3": "Xe generation 3", "4": "Xe generation 4"},
}

# Extension kinds in the only order the grammar allows.
EXTENSION_ORDER = ("hypervisor", "hwv", "CPU architecture", "GPU", "ib")

STANDARD_FLAVORS = {
    "mandatory": (
        "SCS-1V-4", "SCS-2V-8", "SCS-4V-16", "SCS-4V-16-100s", "SCS-8V-32", "SCS-1V-2",
        "SCS-2V-4", "SCS-2V-4-20s", "SCS-4V-8", "SCS-8V-16", "SCS-16V-32", "SCS-1V-8",
        "SCS-2V-16", "SCS-4V-32", "SCS-1L-1",
    ),
    "recommended_part1": (
        "SCS-1V-4-10", "SCS-2V-8-20", "SCS-4V-16-50", "SCS-8V-32-100", "SCS-1V-2-5",
        "SCS-2V-4-10", "SCS-4V-8-20", "SCS-8V-16-50", "SCS-16V-32-100", "SCS-1V-8-20",
        "SCS-2V-16-50", "SCS-4V-32-100", "SCS-1L-1-5",
    ),
    "recommended_part2": ("SCS-16V-64", "SCS-8V-64", "SCS-16V-128"),
}

# GPU model -> full-device code; (model, fraction) -> published slice code.
GPU_MODELS = {
    "A10": "GNa-72-24", "A40": "GNa-84-48", "A30": "GNa-56-24", "A30X": "GNa-56h-24h",
    "A100-80": "GNa-108h-80h", "A100X": "GNa-108-80h", "L4": "GNl-58-24",
    "L40": "GNl-142-48", "L40G": "GNl-142h-48", "L40S": "GNl-142hh-48",
    "RTX2000-Ada": "GNl-22-16", "RTX4000-Ada": "GNl-48-20", "RTX4500-Ada": "GNl-60-24",
    "RTX5000-Ada": "GNl-100-32", "RTX5880-Ada": "GNl-110-48", "RTX6000-Ada": "GNl-142-48",
    "H100": "GNg-132-80h", "H200": "GNg-132-141h", "GB200": "GNb-160-192h",
    "GB300": "GNu-160-288h", "RTXPro2000-Blackwell": "GNb-34-16",
    "RTXPro4000-Blackwell": "GNb-70-24", "RTXPro4500-Blackwell": "GNb-82-32",
    "RTXPro5000-Blackwell": "GNb-110-72", "RTXPro6000-Blackwell": "GNb-188-96",
    "MI210": "GA2-104-64h", "MI250": "GA2-208-128h", "MI250X": "GA2-220-128h",
    "MI300X": "GA3-304-192h", "MI325X": "GA3-304-288h", "MI350X": "GA4-256-288h",
    "MI355X": "GA4-256h-288h", "ProW7900": "GA3.1-96-48", "AIProR9700": "GA4.1-64-32",
    "Max1100": "GI3-56-48h", "Max1550": "GI3-128-128h",
    "ArcProB50": "GI4-128-16", "ArcProB60": "GI4-160-24", "ArcProB65": "GI4-160-32",
    "ArcProB70": "GI4-256-32",
}
# Other spellings of the same models, as the standard's implementation table
# (scs-0100-w1) writes them; compared like model names (case, spaces, dashes).
GPU_MODEL_ALIASES = {
    "A100": "A100-80",
    "Inst MI210": "MI210", "Inst MI250": "MI250", "Inst MI250X": "MI250X",
    "Inst MI300X": "MI300X", "Inst MI325X": "MI325X", "Inst MI350X": "MI350X",
    "Inst MI355X": "MI355X",
    "Instinct MI210": "MI210", "Instinct MI250": "MI250", "Instinct MI250X": "MI250X",
    "Instinct MI300X": "MI300X", "Instinct MI325X": "MI325X", "Instinct MI350X": "MI350X",
    "Instinct MI355X": "MI355X",
}
GPU_SLICES = {
    ("A30", Fraction(1, 2)): "GNa-28-12", ("A30", Fraction(1, 4)): "GNa-14-6",
    ("A100-80", Fraction(1, 2)): "GNa-54h-40h", ("A100-80", Fraction(1, 4)): "GNa-27h-20h",
    ("A100-80", Fraction(1, 7)): "GNa-15h-10h",
    ("H100", Fraction(1, 2)): "GNg-66-40h", ("H100", Fraction(1, 4)): "GNg-33-20h",
    ("H100", Fraction(1, 7)): "GNg-18-10h", ("H200", Fraction(1, 2)): "GNg-66-70h",
    ("GB200", Fraction(1, 2)): "GNb-80-96h", ("GB200", Fraction(2, 7)): "GNb-44-45h",
    ("GB200", Fraction(1, 7)): "GNb-22-23h", ("GB300", Fraction(1, 2)): "GNu-80-144h",
    ("RTXPro5000-Blackwell", Fraction(1, 2)): "GNb-55-36",
    ("RTXPro6000-Blackwell", Fraction(1, 2)): "GNb-94-48",
    ("RTXPro6000-Blackwell", Fraction(1, 4)): "GNb-47-24",
}
