# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Plain-English descriptions of parsed SCS flavor names (scs-0100)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_parse import format_ram
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_tables import (
    CPU_FREQUENCIES, CPU_GENERATIONS, CPU_VENDORS, GPU_GENERATIONS, GPU_TYPES, GPU_UNIT_NAMES,
    GPU_VENDORS, HYPERVISORS)


def describe(flavor):
    """Plain-English description of everything a parsed name promises."""
    adjective, unit = {
        "L": ("crowded", "vCPU"),
        "V": ("shared", "vCPU"),
        "T": ("dedicated", "SMT thread"),
        "C": ("dedicated", "core"),
    }[flavor.cpu_type]
    cpu = [str(flavor.cpus), adjective]
    if flavor.cpu_vendor:
        cpu.append(CPU_VENDORS[flavor.cpu_vendor])
        if flavor.cpu_gen is not None and CPU_GENERATIONS[flavor.cpu_vendor][flavor.cpu_gen]:
            cpu.append(CPU_GENERATIONS[flavor.cpu_vendor][flavor.cpu_gen])
    cpu.append(unit if flavor.cpus == 1 else unit + "s")
    cpu_text = " ".join(cpu)
    notes = []
    if flavor.cpu_frequency:
        notes.append("all-core " + CPU_FREQUENCIES[flavor.cpu_frequency])
    if flavor.insecure:
        notes.append("insecure: CPU vulnerabilities not fully mitigated")
    if notes:
        cpu_text += " (%s)" % "; ".join(notes)
    parts = [cpu_text]

    ram_notes = []
    if flavor.ram_no_ecc:
        ram_notes.append("no ECC")
    if flavor.ram_oversubscribed:
        ram_notes.append("oversubscribed")
    ram_text = "%s GiB RAM" % format_ram(flavor.ram)
    if ram_notes:
        ram_text += " (%s)" % ", ".join(ram_notes)
    parts.append(ram_text)

    parts.append(_describe_disk(flavor))
    if flavor.hypervisor:
        parts.append(HYPERVISORS[flavor.hypervisor] if flavor.hypervisor == "bms"
                     else HYPERVISORS[flavor.hypervisor] + " hypervisor")
    if flavor.hwv:
        parts.append("nested virtualisation")
    if flavor.gpu:
        parts.append(_describe_gpu(flavor))
    if flavor.ib:
        parts.append("InfiniBand")
    return ", ".join(parts)


def _describe_disk(flavor):
    if not flavor.disk:
        return "no root disk (boot from volume)"
    kind = {
        None: "disk of a type the provider chooses",
        "n": "network disk",
        "h": "local HDD",
        "s": "local SSD",
        "p": "local NVMe",
    }[flavor.disk_type]
    if not flavor.disk_size:
        return "root %s of a size the provider chooses" % kind
    size = "%d GB" % flavor.disk_size
    if flavor.disk_count > 1:
        return "%d \u00d7 %s %s" % (flavor.disk_count, size, kind)
    return "%s %s" % (size, kind)


def _describe_gpu(flavor):
    words = [GPU_TYPES[flavor.gpu_type], GPU_VENDORS[flavor.gpu_vendor]]
    if flavor.gpu_gen:
        words.append(GPU_GENERATIONS[flavor.gpu_vendor][flavor.gpu_gen])
    words.append("GPU" if flavor.gpu_type == "G" else "vGPU")
    text = " ".join(words)
    if flavor.gpu_units:
        units = "%d %s%s" % (flavor.gpu_units, {0: "", 1: "high-frequency ", 2: "very high-frequency "}
                             [flavor.gpu_units_frequency], GPU_UNIT_NAMES[flavor.gpu_vendor])
        text += " with " + units
        if flavor.gpu_vram:
            memory = {0: "VRAM", 1: "HBM", 2: "very high-bandwidth HBM"}[flavor.gpu_vram_bandwidth]
            text += " and %d GiB %s" % (flavor.gpu_vram, memory)
    return text
