# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Generating canonical SCS flavor names from attributes and GPU models (scs-0100)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from fractions import Fraction

from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_parse import Flavor, FlavorNameError, parse_gpu
from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_tables import (
    CPU_GENERATIONS, CPU_TYPES, CPU_VENDORS, DISK_TYPES, GPU_GENERATIONS, GPU_MODEL_ALIASES,
    GPU_MODELS, GPU_SLICES, GPU_TYPES, GPU_VENDORS, HYPERVISORS)

_LONG_CPU_TYPES = dict((v, k) for k, v in CPU_TYPES.items())
_LONG_DISK_TYPES = dict((v, k) for k, v in DISK_TYPES.items())
_LONG_CPU_VENDORS = {"intel": "i", "amd": "z", "arm": "a", "risc-v": "r", "riscv": "r"}
_LONG_GPU_VENDORS = {"nvidia": "N", "amd": "A", "intel": "I"}
_LONG_GPU_TYPES = {"pass-through": "G", "passthrough": "G", "virtual": "g", "vgpu": "g"}

GENERATE_KEYS = (
    "cpus", "cpu_type", "insecure", "ram", "ram_no_ecc", "ram_oversubscribed", "disk",
    "disk_count", "disk_type", "hypervisor", "hwv", "cpu_vendor", "cpu_gen", "cpu_frequency",
    "gpu_model", "gpu_fraction", "gpu_type", "gpu_vendor", "gpu_gen", "gpu_units",
    "gpu_units_frequency", "gpu_vram", "gpu_vram_bandwidth", "ib",
)


def _choice(attrs, key, table, long_names=None, what=None):
    value = attrs.get(key)
    if value is None:
        return None
    if value in table:
        return value
    if long_names and isinstance(value, str) and value.lower() in long_names:
        return long_names[value.lower()]
    allowed = list(table)
    if long_names:
        allowed += [n for n in long_names if n != "riscv"]
    raise FlavorNameError("%s %r is not allowed (allowed: %s)" % (what or key, value, ", ".join(allowed)))


def _int_attr(attrs, key, minimum=1, maximum=None):
    value = attrs.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        elif isinstance(value, float) and value == int(value):
            value = int(value)
        else:
            raise FlavorNameError("%s %r is not allowed (must be an integer)" % (key, value))
    if value < minimum or (maximum is not None and value > maximum):
        bounds = ">= %d" % minimum if maximum is None else "%d-%d" % (minimum, maximum)
        raise FlavorNameError("%s %r is not allowed (allowed: %s)" % (key, value, bounds))
    return value


def _bool_attr(attrs, key):
    value = attrs.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise FlavorNameError("%s %r is not allowed (must be true or false)" % (key, value))
    return value


def _suffix_attr(attrs, key, maximum):
    """Frequency/bandwidth modifiers given as 0..maximum or '', 'h', 'hh', ..."""
    value = attrs.get(key)
    if value is None or value == "":
        return 0
    if isinstance(value, str) and value == "h" * len(value) and len(value) <= maximum:
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum:
        return value
    raise FlavorNameError("%s %r is not allowed (allowed: 0-%d or %s)" % (
        key, value, maximum, ", ".join(repr("h" * n) for n in range(maximum + 1))))


def generate(attrs):
    """Canonical SCS name from an attribute dict (see GENERATE_KEYS).

    ``cpus``, ``cpu_type`` and ``ram`` (GiB) are required. ``disk`` is a size
    in GB or ``"auto"`` (provider picks size and type); ``disk_type`` alone
    gives a typed disk without size. GPU: either ``gpu_model`` (+ optional
    ``gpu_fraction``, ``gpu_type``) or ``gpu_vendor`` with generation, units
    and VRAM. Raises FlavorNameError naming the bad attribute.
    """
    if not isinstance(attrs, dict):
        raise FlavorNameError("flavor attributes must be a dict, got %r" % (attrs,))
    unknown = sorted(set(attrs) - set(GENERATE_KEYS) - {"name"})
    if unknown:
        raise FlavorNameError("unknown flavor attribute(s) %s (allowed: %s)" % (
            ", ".join(unknown), ", ".join(GENERATE_KEYS)))
    flavor = Flavor()
    for key in ("cpus", "cpu_type", "ram"):
        if attrs.get(key) is None:
            raise FlavorNameError("flavor attribute %r is required" % key)
    _generate_cpu_ram(flavor, attrs)
    _generate_disk(flavor, attrs)
    flavor.hypervisor = _choice(attrs, "hypervisor", HYPERVISORS)
    flavor.hwv = _bool_attr(attrs, "hwv")
    _generate_arch(flavor, attrs)
    _generate_gpu(flavor, attrs)
    flavor.ib = _bool_attr(attrs, "ib")
    return flavor.canonical


def _generate_cpu_ram(flavor, attrs):
    flavor.cpus = _int_attr(attrs, "cpus")
    flavor.cpu_type = _choice(attrs, "cpu_type", CPU_TYPES, _LONG_CPU_TYPES)
    flavor.insecure = _bool_attr(attrs, "insecure")
    ram = attrs["ram"]
    try:
        ram = float(ram) if not isinstance(ram, bool) else None
    except (TypeError, ValueError):
        ram = None
    if ram is None or ram <= 0 or ram * 2 != int(ram * 2):
        raise FlavorNameError("ram %r is not allowed (must be GiB, a positive multiple of 0.5)"
                              % (attrs["ram"],))
    flavor.ram = ram
    flavor.ram_no_ecc = _bool_attr(attrs, "ram_no_ecc")
    flavor.ram_oversubscribed = _bool_attr(attrs, "ram_oversubscribed")


def _generate_disk(flavor, attrs):
    disk = attrs.get("disk")
    disk_type = _choice(attrs, "disk_type", DISK_TYPES, _LONG_DISK_TYPES)
    disk_count = _int_attr(attrs, "disk_count")
    if disk is None and disk_type is None and disk_count is None:
        return
    flavor.disk = True
    flavor.disk_type = disk_type
    if disk is not None and disk != "auto":
        flavor.disk_size = _int_attr(attrs, "disk")
    if disk_count is not None:
        if disk_count != 1 and not flavor.disk_size:
            raise FlavorNameError("disk_count %r needs a disk size" % disk_count)
        flavor.disk_count = disk_count


def _generate_arch(flavor, attrs):
    flavor.cpu_vendor = _choice(attrs, "cpu_vendor", CPU_VENDORS, _LONG_CPU_VENDORS)
    if not flavor.cpu_vendor:
        if attrs.get("cpu_gen") is not None or attrs.get("cpu_frequency"):
            raise FlavorNameError("cpu_gen/cpu_frequency need cpu_vendor (allowed: %s)"
                                  % ", ".join(CPU_VENDORS))
        return
    generations = CPU_GENERATIONS[flavor.cpu_vendor]
    gen = attrs.get("cpu_gen")
    if gen is not None:
        if isinstance(gen, bool) or not isinstance(gen, int) or not 0 <= gen < len(generations):
            allowed = "0" if len(generations) == 1 else "0-%d" % (len(generations) - 1)
            raise FlavorNameError("CPU generation %r is not defined for %s (allowed: %s)"
                                  % (gen, CPU_VENDORS[flavor.cpu_vendor], allowed))
        flavor.cpu_gen = gen or None
    flavor.cpu_frequency = _suffix_attr(attrs, "cpu_frequency", 3)


def _generate_gpu(flavor, attrs):
    gpu_type = _choice(attrs, "gpu_type", GPU_TYPES, _LONG_GPU_TYPES)
    if attrs.get("gpu_model") is not None:
        explicit = [k for k in ("gpu_vendor", "gpu_gen", "gpu_units", "gpu_vram") if attrs.get(k) is not None]
        if explicit:
            raise FlavorNameError("gpu_model cannot be combined with %s" % ", ".join(explicit))
        with_gpu(flavor, attrs["gpu_model"], attrs.get("gpu_fraction"), virtual=gpu_type == "g")
        return
    if attrs.get("gpu_fraction") is not None:
        raise FlavorNameError("gpu_fraction needs gpu_model")
    vendor = _choice(attrs, "gpu_vendor", GPU_VENDORS, _LONG_GPU_VENDORS)
    if vendor is None:
        if gpu_type is not None or any(attrs.get(k) for k in (
                "gpu_gen", "gpu_units", "gpu_vram", "gpu_units_frequency", "gpu_vram_bandwidth")):
            raise FlavorNameError("GPU attributes need gpu_vendor (allowed: N, A, I) or gpu_model")
        return
    flavor.gpu = True
    flavor.gpu_type = gpu_type or "G"
    flavor.gpu_vendor = vendor
    gen = attrs.get("gpu_gen")
    if gen is not None:
        gen = str(gen)
        if gen not in GPU_GENERATIONS[vendor]:
            raise FlavorNameError("GPU generation %r is not defined for %s (allowed: %s)" % (
                gen, GPU_VENDORS[vendor], ", ".join(GPU_GENERATIONS[vendor])))
        flavor.gpu_gen = gen
    flavor.gpu_units = _int_attr(attrs, "gpu_units")
    flavor.gpu_units_frequency = _suffix_attr(attrs, "gpu_units_frequency", 2)
    flavor.gpu_vram = _int_attr(attrs, "gpu_vram")
    flavor.gpu_vram_bandwidth = _suffix_attr(attrs, "gpu_vram_bandwidth", 2)
    if flavor.gpu_units and not flavor.gpu_gen:
        raise FlavorNameError("gpu_units needs gpu_gen")
    if flavor.gpu_units_frequency and not flavor.gpu_units:
        raise FlavorNameError("gpu_units_frequency needs gpu_units")
    if flavor.gpu_vram and not flavor.gpu_units:
        raise FlavorNameError("gpu_vram needs gpu_units")
    if flavor.gpu_vram_bandwidth and not flavor.gpu_vram:
        raise FlavorNameError("gpu_vram_bandwidth needs gpu_vram")


def _model_key(model):
    return re.sub(r"[\s_-]", "", model).upper()


_MODEL_KEYS = dict((_model_key(model), model) for model in GPU_MODELS)
_MODEL_KEYS.update((_model_key(alias), model) for alias, model in GPU_MODEL_ALIASES.items())


def _fraction(value):
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            # An integer k means a 1/k slice.
            fraction = Fraction(1, value)
        else:
            fraction = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise FlavorNameError("gpu_fraction %r is not allowed (expected a fraction such as "
                              "'1/2', '2/7' or an integer k for a 1/k slice)" % (value,))
    if not 0 < fraction <= 1:
        raise FlavorNameError("gpu_fraction %r is not allowed (must be > 0 and <= 1)" % (value,))
    return fraction


def gpu_code(model, fraction=None, virtual=False):
    """GPU part of a flavor name (without the leading separator) for a model.

    ``fraction`` selects a MIG/vGPU slice: the published code wins; otherwise
    units and VRAM are scaled and rounded down. ``virtual`` gives a ``g``
    (vGPU) instead of ``G`` (pass-through) part.
    """
    return _model_gpu(model, fraction, virtual).gpu_part()


def with_gpu(flavor, model, fraction=None, virtual=False):
    """The canonical name of a parsed Flavor with the GPU part of a model (and slice) added."""
    model_gpu = _model_gpu(model, fraction, virtual)
    for slot in GPU_SLOTS:
        setattr(flavor, slot, getattr(model_gpu, slot))
    return flavor.canonical


# The Flavor slots of the GPU part.
GPU_SLOTS = ("gpu", "gpu_type", "gpu_vendor", "gpu_gen", "gpu_units", "gpu_units_frequency",
             "gpu_vram", "gpu_vram_bandwidth")


def _model_gpu(model, fraction, virtual):
    """A Flavor holding only the GPU part of a model (and slice) from the tables."""
    if not isinstance(model, str) or _model_key(model) not in _MODEL_KEYS:
        raise FlavorNameError("unknown GPU model %r (known: %s)" % (model, ", ".join(sorted(GPU_MODELS))))
    model = _MODEL_KEYS[_model_key(model)]
    fraction = _fraction(fraction)
    gpu = Flavor()
    if fraction is None or fraction == 1:
        parse_gpu(gpu, GPU_MODELS[model], "-")
    elif (model, fraction) in GPU_SLICES:
        parse_gpu(gpu, GPU_SLICES[(model, fraction)], "-")
    else:
        parse_gpu(gpu, GPU_MODELS[model], "-")
        units = gpu.gpu_units * fraction.numerator // fraction.denominator
        vram = gpu.gpu_vram * fraction.numerator // fraction.denominator
        if units < 1 or vram < 1:
            raise FlavorNameError("gpu_fraction %s of %s leaves no whole compute unit or GiB of VRAM"
                                  % (fraction, model))
        gpu.gpu_units, gpu.gpu_vram = units, vram
    if virtual:
        gpu.gpu_type = "g"
    return gpu
