# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Parsing SCS flavor names (scs-0100 v1/v2/v3) into :class:`Flavor`, and its spellings.

``parse(name)`` gives ``(Flavor, syntax_version)``, ``None`` for a name that is not an SCS name,
or raises :class:`FlavorNameError` naming the offending part. A :class:`Flavor` spells itself
(canonical, short, v1) and derives the scs-0103 ``scs:*`` properties.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.scs.kolla.plugins.module_utils.scs_flavor_tables import (
    CPU_GENERATIONS, CPU_TYPES, CPU_VENDORS, DISK_TYPES, EXTENSION_ORDER, GPU_GENERATIONS,
    GPU_UNIT_NAMES, GPU_VENDORS, HYPERVISORS, PREFIX)


class FlavorNameError(ValueError):
    """An SCS flavor name (or attribute set) that the grammar does not allow."""


class Syntax:
    """Separators of one syntax version; v1 maps 1:1 onto v2/v3."""

    def __init__(self, version, field_sep, ext_sep):
        self.version = version
        self.field_sep = field_sep  # between CPU, RAM, disk and inside the GPU part
        self.ext_sep = ext_sep      # before each extension


V3 = Syntax("v3", "-", "_")
V1 = Syntax("v1", ":", "-")
_V2_TO_V1 = {ord("-"): ":", ord("_"): "-"}


def v2_to_v1(name):
    """Spell a v2/v3 name in v1 syntax (the mechanical 1:1 mapping)."""
    return PREFIX + name[len(PREFIX):].translate(_V2_TO_V1)


class Flavor:
    """The attributes a valid SCS flavor name encodes.

    ``ram`` is in GiB (a multiple of 0.5). ``disk`` is ``None`` when the name
    has no disk part; otherwise ``disk_count`` (>= 1), ``disk_size`` (GB or
    ``None``) and ``disk_type`` (letter or ``None``) describe it.
    """

    __slots__ = (
        "cpus", "cpu_type", "insecure", "ram", "ram_no_ecc", "ram_oversubscribed",
        "disk", "disk_count", "disk_size", "disk_type", "hypervisor", "hwv",
        "cpu_vendor", "cpu_gen", "cpu_frequency", "gpu", "gpu_type", "gpu_vendor",
        "gpu_gen", "gpu_units", "gpu_units_frequency", "gpu_vram", "gpu_vram_bandwidth",
        "ib",
    )

    def __init__(self):
        self.cpus = None
        self.cpu_type = None
        self.insecure = False
        self.ram = None
        self.ram_no_ecc = False
        self.ram_oversubscribed = False
        self.disk = False
        self.disk_count = 1
        self.disk_size = None
        self.disk_type = None
        self.hypervisor = None
        self.hwv = False
        self.cpu_vendor = None
        self.cpu_gen = None
        self.cpu_frequency = 0
        self.gpu = False
        self.gpu_type = None
        self.gpu_vendor = None
        self.gpu_gen = None
        self.gpu_units = None
        self.gpu_units_frequency = 0
        self.gpu_vram = None
        self.gpu_vram_bandwidth = 0
        self.ib = False

    # -- spellings -------------------------------------------------------

    def format(self, short=False):
        """The canonical v3 spelling (``short``: the generic short form)."""
        parts = [PREFIX, str(self.cpus), self.cpu_type, "i" if self.insecure else "",
                 "-", format_ram(self.ram),
                 "u" if self.ram_no_ecc else "", "o" if self.ram_oversubscribed else ""]
        if self.disk:
            parts.append("-")
            if self.disk_count != 1:
                parts.append("%dx" % self.disk_count)
            if self.disk_size:
                parts.append(str(self.disk_size))
            parts.append(self.disk_type or "")
        if not short:
            if self.hypervisor:
                parts.append("_" + self.hypervisor)
            if self.hwv:
                parts.append("_hwv")
        if self.cpu_vendor:
            if not short:
                parts.append("_" + self.cpu_vendor)
                if self.cpu_gen:
                    parts.append(str(self.cpu_gen))
                parts.append("h" * self.cpu_frequency)
            elif self.cpu_vendor in ("a", "r"):
                # The architecture matters even in the generic name.
                parts.append("_" + self.cpu_vendor)
        if self.gpu:
            parts.append("_" + self.gpu_part(short))
        if self.ib:
            parts.append("_ib")
        return "".join(parts)

    def gpu_part(self, short=False):
        """The GPU extension without its separator, e.g. ``GNa-14-6h``."""
        parts = [self.gpu_type, self.gpu_vendor, self.gpu_gen or ""]
        if self.gpu_units:
            parts.append("-%d" % self.gpu_units)
            if not short:
                parts.append("h" * self.gpu_units_frequency)
            if self.gpu_vram:
                parts.append("-%d" % self.gpu_vram)
                if not short:
                    parts.append("h" * self.gpu_vram_bandwidth)
        return "".join(parts)

    @property
    def canonical(self):
        return self.format()

    @property
    def short(self):
        return self.format(short=True)

    # -- derived figures -------------------------------------------------

    @property
    def ram_mib(self):
        return int(self.ram * 1024)

    @property
    def root_disk(self):
        return self.disk_size or 0

    def extra_specs(self):
        """The scs:* properties scs-0103 derives from the name (strings)."""
        specs = {"scs:cpu-type": CPU_TYPES[self.cpu_type]}
        if self.disk:
            disk_type = DISK_TYPES[self.disk_type or "n"]
            for index in range(self.disk_count):
                specs["scs:disk%d-type" % index] = disk_type
        long_v2 = self.canonical
        short_v2 = self.short
        spellings = {(long_v2, 2), (v2_to_v1(long_v2), 1), (short_v2, 2), (v2_to_v1(short_v2), 1)}
        # Longest first; at equal length the v1 spelling first (what the
        # reference and the conformance test expect, see the spec examples).
        ordered = sorted(spellings, key=lambda item: (-len(item[0]), item[1]))
        for index, (spelling, _version) in enumerate(ordered, 1):
            specs["scs:name-v%d" % index] = spelling
        return specs

    def attributes(self):
        """The attribute dict that :func:`generate` turns back into this name."""
        attrs = {
            "cpus": self.cpus,
            "cpu_type": self.cpu_type,
            "insecure": self.insecure,
            "ram": _number(self.ram),
            "ram_no_ecc": self.ram_no_ecc,
            "ram_oversubscribed": self.ram_oversubscribed,
            "disk": None,
            "disk_count": self.disk_count if self.disk else None,
            "disk_type": self.disk_type,
            "hypervisor": self.hypervisor,
            "hwv": self.hwv,
            "cpu_vendor": self.cpu_vendor,
            "cpu_gen": self.cpu_gen,
            "cpu_frequency": self.cpu_frequency,
            "gpu_type": self.gpu_type,
            "gpu_vendor": self.gpu_vendor,
            "gpu_gen": self.gpu_gen,
            "gpu_units": self.gpu_units,
            "gpu_units_frequency": self.gpu_units_frequency,
            "gpu_vram": self.gpu_vram,
            "gpu_vram_bandwidth": self.gpu_vram_bandwidth,
            "ib": self.ib,
        }
        if self.disk:
            attrs["disk"] = self.disk_size if self.disk_size else "auto"
        return attrs


def format_ram(ram):
    return "%d" % ram if ram == int(ram) else "%.1f" % ram


def _number(value):
    return int(value) if value == int(value) else value


_DIGITS = re.compile(r"[0-9]*")
_RAM = re.compile(r"([0-9.]*)(.*)\Z", re.S)
_ARCH = re.compile(r"([izar])([0-9]*)(h*)\Z")
_HYPERVISOR_LIST = ", ".join(HYPERVISORS)


def _positive(text, what):
    value = int(text)
    if value <= 0:
        raise FlavorNameError("%s %s is not allowed (must be a positive integer)" % (what, text))
    return value


def _parse_cpu(flavor, part):
    count = _DIGITS.match(part).group()
    if not count:
        raise FlavorNameError(
            "CPU part %r must start with the number of vCPUs (e.g. 2V)" % part)
    flavor.cpus = _positive(count, "vCPU count")
    rest = part[len(count):]
    if not rest:
        raise FlavorNameError(
            "CPU part %r has no CPU type after the count (allowed: L, V, T, C)" % part)
    if rest[0] not in CPU_TYPES:
        raise FlavorNameError(
            "CPU type %r in %r is not defined (allowed: L, V, T, C)" % (rest[0], part))
    flavor.cpu_type = rest[0]
    suffix = rest[1:]
    if suffix == "i":
        flavor.insecure = True
    elif suffix:
        raise FlavorNameError(
            "unexpected %r after CPU type in %r (only the insecure suffix 'i' may follow)"
            % (suffix, part))


def _parse_ram(flavor, part):
    amount, suffix = _RAM.match(part).groups()
    if not amount:
        raise FlavorNameError("RAM part %r must start with the amount in GiB (e.g. 4 or 0.5)" % part)
    if amount.count(".") > 1 or amount == ".":
        raise FlavorNameError("RAM amount %r is not a number" % amount)
    ram = float(amount)
    if ram <= 0 or ram * 2 != int(ram * 2):
        raise FlavorNameError(
            "RAM amount %r GiB is not allowed (must be a positive multiple of 0.5)" % amount)
    flavor.ram = ram
    if suffix in ("", "u", "o", "uo"):
        flavor.ram_no_ecc = "u" in suffix
        flavor.ram_oversubscribed = "o" in suffix
    elif suffix == "ou":
        raise FlavorNameError("RAM suffixes in %r must be in the order 'uo', not 'ou'" % part)
    else:
        raise FlavorNameError(
            "unexpected %r after RAM amount in %r (allowed suffixes: u = no ECC, "
            "o = oversubscribed)" % (suffix, part))


def _parse_disk(flavor, part):
    flavor.disk = True
    rest = part
    first = _DIGITS.match(rest).group()
    rest = rest[len(first):]
    if rest.startswith("x"):
        # An empty count before the x means one disk, as in the reference
        # parser ("x10n" reads as "1x10n"); not canonical.
        flavor.disk_count = _positive(first, "disk count") if first else 1
        rest = rest[1:]
        size = _DIGITS.match(rest).group()
        if not size:
            raise FlavorNameError(
                "disk part %r: a disk count needs a size (e.g. %sx10s)" % (part, first or "2"))
        rest = rest[len(size):]
    else:
        size = first
    if size:
        flavor.disk_size = _positive(size, "disk size")
    if rest and rest[0] == ".":
        raise FlavorNameError("disk size in %r must be whole GB" % part)
    if rest:
        if rest[0] not in DISK_TYPES or len(rest) > 1:
            raise FlavorNameError(
                "disk type %r in %r is not defined (allowed: n = network, h = local HDD, "
                "s = local SSD, p = local NVMe)" % (rest, part))
        flavor.disk_type = rest


def _classify_extension(ext):
    if ext in HYPERVISORS:
        return "hypervisor"
    if ext == "hwv":
        return "hwv"
    if ext == "ib":
        return "ib"
    if ext[:1] in ("G", "g"):
        return "GPU"
    if ext[:1] in CPU_VENDORS:
        return "CPU architecture"
    raise FlavorNameError(
        "unknown extension %r (allowed, in this order: hypervisor %s; hwv; CPU architecture "
        "i/z/a/r[generation][h|hh|hhh]; GPU G/g + N/A/I...; ib)" % (ext, _HYPERVISOR_LIST))


def _parse_arch(flavor, ext):
    match = _ARCH.match(ext)
    if not match:
        raise FlavorNameError(
            "CPU architecture %r is not valid (expected vendor i/z/a/r, optional generation "
            "digits, optional h, hh or hhh)" % ext)
    vendor, gen, freq = match.groups()
    flavor.cpu_vendor = vendor
    generations = CPU_GENERATIONS[vendor]
    if gen:
        number = int(gen)
        if number >= len(generations):
            allowed = "0" if len(generations) == 1 else "0-%d" % (len(generations) - 1)
            raise FlavorNameError("CPU generation %s is not defined for %s (allowed: %s)"
                                  % (gen, CPU_VENDORS[vendor], allowed))
        flavor.cpu_gen = number
    if len(freq) > 3:
        raise FlavorNameError("CPU frequency suffix %r in %r is too long (allowed: h, hh, hhh)"
                              % (freq, ext))
    flavor.cpu_frequency = len(freq)


def parse_gpu(flavor, ext, sep):
    flavor.gpu = True
    flavor.gpu_type = ext[0]
    if len(ext) < 2 or ext[1] not in GPU_VENDORS:
        raise FlavorNameError("GPU vendor %r in %r is not defined (allowed: N = Nvidia, "
                              "A = AMD, I = Intel)" % (ext[1:2], ext))
    vendor = flavor.gpu_vendor = ext[1]
    rest = ext[2:]
    end = len(rest)
    for stop in (sep, "h"):
        pos = rest.find(stop)
        if pos != -1 and pos < end:
            end = pos
    gen, rest = rest[:end], rest[end:]
    if gen:
        if gen not in GPU_GENERATIONS[vendor]:
            raise FlavorNameError("GPU generation %r is not defined for %s (allowed: %s)" % (
                gen, GPU_VENDORS[vendor], ", ".join(GPU_GENERATIONS[vendor])))
        flavor.gpu_gen = gen
    if rest.startswith("h"):
        raise FlavorNameError(
            "GPU part %r: a frequency suffix 'h' needs a compute unit count before it "
            "(e.g. %s%s14h)" % (ext, ext[:2] + (gen or "a"), sep))
    if not rest:
        return
    if not gen:
        raise FlavorNameError(
            "GPU part %r: a compute unit count needs a GPU generation before it (e.g. %sa%s14)"
            % (ext, ext[:2], sep))
    fields = rest[1:].split(sep)
    if len(fields) > 2:
        raise FlavorNameError("GPU part %r has too many %r-separated fields "
                              "(at most: count of %s, then VRAM in GiB)"
                              % (ext, sep, GPU_UNIT_NAMES[vendor]))
    units, units_freq = _gpu_figure(fields[0], ext, "compute unit count", "frequency")
    flavor.gpu_units, flavor.gpu_units_frequency = units, units_freq
    if len(fields) == 2:
        flavor.gpu_vram, flavor.gpu_vram_bandwidth = _gpu_figure(
            fields[1], ext, "VRAM size", "bandwidth")


def _gpu_figure(field, ext, what, modifier):
    digits = _DIGITS.match(field).group()
    if not digits:
        raise FlavorNameError("GPU part %r: %s missing in %r (expected digits)" % (ext, what, field))
    value = _positive(digits, "GPU " + what)
    suffix = field[len(digits):]
    if suffix not in ("", "h", "hh"):
        raise FlavorNameError("GPU part %r: %s suffix %r is not allowed (allowed: h, hh)"
                              % (ext, modifier, suffix))
    return value, len(suffix)


def _parse_body(body, syntax):
    """Parse everything after ``SCS-`` in one syntax; returns a Flavor."""
    flavor = Flavor()
    chunks = body.split(syntax.ext_sep)
    fields = chunks[0].split(syntax.field_sep)
    if len(fields) < 2:
        raise FlavorNameError("%r must have a CPU part and a RAM part separated by %r (e.g. SCS-2V%s4)"
                              % (chunks[0], syntax.field_sep, syntax.field_sep))
    if len(fields) > 3:
        raise FlavorNameError("unexpected %r after the disk part %r" % (
            syntax.field_sep + syntax.field_sep.join(fields[3:]), fields[2]))
    _parse_cpu(flavor, fields[0])
    _parse_ram(flavor, fields[1])
    if len(fields) == 3:
        _parse_disk(flavor, fields[2])
    seen = -1
    names = {}
    for ext in chunks[1:]:
        if not ext:
            raise FlavorNameError("empty extension after %r" % syntax.ext_sep)
        kind = _classify_extension(ext)
        rank = EXTENSION_ORDER.index(kind)
        if kind in names:
            raise FlavorNameError("more than one %s extension (%r and %r)" % (kind, names[kind], ext))
        if rank < seen:
            raise FlavorNameError(
                "extension %r (%s) must come before %r (order: %s)" % (
                    ext, kind, names[EXTENSION_ORDER[seen]], ", ".join(EXTENSION_ORDER)))
        seen = rank
        names[kind] = ext
        if kind == "hypervisor":
            if syntax is V1 and ext == "chy":
                raise FlavorNameError("hypervisor 'chy' does not exist in the v1 syntax "
                                      "(use the v3 spelling)")
            flavor.hypervisor = ext
        elif kind == "hwv":
            flavor.hwv = True
        elif kind == "CPU architecture":
            _parse_arch(flavor, ext)
        elif kind == "GPU":
            parse_gpu(flavor, ext, syntax.field_sep)
        else:
            flavor.ib = True
    return flavor


def parse(name):
    """Parse a flavor name.

    Returns ``None`` for a name that is not an SCS name (no ``SCS-`` prefix),
    a tuple ``(Flavor, syntax_version)`` for a valid one, and raises
    :class:`FlavorNameError` naming the offending part for an invalid one.
    """
    if not isinstance(name, str) or not name.startswith(PREFIX):
        return None
    body = name[len(PREFIX):]
    # v3 names never contain ':', v1 names always do (CPU:RAM).
    syntax = V1 if ":" in body else V3
    return _parse_body(body, syntax), syntax.version
