# -*- coding: utf-8 -*-
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""SCS flavor-name engine (scs-0100 v1/v2/v3 names, scs-0103 properties).

Pure Python, standard library only, so it runs inside modules on any target,
in filter plugins on the controller and in plain unit tests.

The public surface:

* ``analyse(name)``: everything about one name as a plain dict (never raises).
* ``parse(name)``: a :class:`Flavor` or ``None`` for non-SCS names; raises
  :class:`FlavorNameError` for invalid SCS names.
* ``generate(attrs)``: canonical name from an attribute dict.
* ``gpu_code(model, fraction=None, virtual=False)``: GPU part from a GPU model.
* ``STANDARD_FLAVORS``: the scs-0103-v1 standard flavor names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
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
_V1_TO_V2 = {ord(":"): "-", ord("-"): "_"}


def v2_to_v1(name):
    """Spell a v2/v3 name in v1 syntax (the mechanical 1:1 mapping)."""
    return PREFIX + name[len(PREFIX):].translate(_V2_TO_V1)


def v1_to_v2(name):
    """Spell a v1 name in v2/v3 syntax."""
    return PREFIX + name[len(PREFIX):].translate(_V1_TO_V2)


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
                 "-", _format_ram(self.ram),
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

    def describe(self):
        """Plain-English description of everything the name promises."""
        return ", ".join(self._describe_parts())

    def _describe_parts(self):
        adjective, unit = {
            "L": ("crowded", "vCPU"),
            "V": ("shared", "vCPU"),
            "T": ("dedicated", "SMT thread"),
            "C": ("dedicated", "core"),
        }[self.cpu_type]
        cpu = [str(self.cpus), adjective]
        if self.cpu_vendor:
            cpu.append(CPU_VENDORS[self.cpu_vendor])
            if self.cpu_gen is not None and CPU_GENERATIONS[self.cpu_vendor][self.cpu_gen]:
                cpu.append(CPU_GENERATIONS[self.cpu_vendor][self.cpu_gen])
        cpu.append(unit if self.cpus == 1 else unit + "s")
        cpu_text = " ".join(cpu)
        notes = []
        if self.cpu_frequency:
            notes.append("all-core " + CPU_FREQUENCIES[self.cpu_frequency])
        if self.insecure:
            notes.append("insecure: CPU vulnerabilities not fully mitigated")
        if notes:
            cpu_text += " (%s)" % "; ".join(notes)
        parts = [cpu_text]

        ram_notes = []
        if self.ram_no_ecc:
            ram_notes.append("no ECC")
        if self.ram_oversubscribed:
            ram_notes.append("oversubscribed")
        ram_text = "%s GiB RAM" % _format_ram(self.ram)
        if ram_notes:
            ram_text += " (%s)" % ", ".join(ram_notes)
        parts.append(ram_text)

        parts.append(self._describe_disk())
        if self.hypervisor:
            parts.append(HYPERVISORS[self.hypervisor] if self.hypervisor == "bms"
                         else HYPERVISORS[self.hypervisor] + " hypervisor")
        if self.hwv:
            parts.append("nested virtualisation")
        if self.gpu:
            parts.append(self._describe_gpu())
        if self.ib:
            parts.append("InfiniBand")
        return parts

    def _describe_disk(self):
        if not self.disk:
            return "no root disk (boot from volume)"
        kind = {
            None: "disk of a type the provider chooses",
            "n": "network disk",
            "h": "local HDD",
            "s": "local SSD",
            "p": "local NVMe",
        }[self.disk_type]
        if not self.disk_size:
            return "root %s of a size the provider chooses" % kind
        size = "%d GB" % self.disk_size
        if self.disk_count > 1:
            return "%d \u00d7 %s %s" % (self.disk_count, size, kind)
        return "%s %s" % (size, kind)

    def _describe_gpu(self):
        words = [GPU_TYPES[self.gpu_type], GPU_VENDORS[self.gpu_vendor]]
        if self.gpu_gen:
            words.append(GPU_GENERATIONS[self.gpu_vendor][self.gpu_gen])
        words.append("GPU" if self.gpu_type == "G" else "vGPU")
        text = " ".join(words)
        if self.gpu_units:
            units = "%d %s%s" % (self.gpu_units, {0: "", 1: "high-frequency ", 2: "very high-frequency "}
                                 [self.gpu_units_frequency], GPU_UNIT_NAMES[self.gpu_vendor])
            text += " with " + units
            if self.gpu_vram:
                memory = {0: "VRAM", 1: "HBM", 2: "very high-bandwidth HBM"}[self.gpu_vram_bandwidth]
                text += " and %d GiB %s" % (self.gpu_vram, memory)
        return text


def _format_ram(ram):
    return "%d" % ram if ram == int(ram) else "%.1f" % ram


def _number(value):
    return int(value) if value == int(value) else value


# -- parsing ---------------------------------------------------------------

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


def _parse_gpu(flavor, ext, sep):
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
            _parse_gpu(flavor, ext, syntax.field_sep)
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


def _warnings(name, flavor, version):
    warnings = []
    canonical = flavor.canonical
    if version == "v1":
        warnings.append("%r uses the legacy v1 syntax (tolerated); v3 spelling: %r" % (name, canonical))
    elif name != canonical:
        warnings.append("%r is not canonical; canonical spelling: %r" % (name, canonical))
    if flavor.ram >= 10 and flavor.ram != int(flavor.ram):
        warnings.append("RAM %s GiB: half-GiB amounts at 10 GiB and above are discouraged"
                        % _format_ram(flavor.ram))
    return warnings


_NOT_SCS = {
    "scs": False, "valid": False, "error": None, "warnings": [], "syntax": None,
    "canonical": None, "short": None, "v1": None, "cpus": None, "ram": None,
    "disk": None, "extra_specs": None, "description": None, "attributes": None,
}


def analyse(name):
    """Everything about one name as a JSON-ready dict; never raises.

    Keys: name, scs, valid, error, warnings, syntax, canonical, short, v1,
    cpus, ram (MiB), disk (GB), extra_specs, description, attributes.
    """
    try:
        parsed = parse(name)
    except FlavorNameError as exc:
        result = dict(_NOT_SCS, name=name, scs=True, warnings=[], error=str(exc))
        return result
    if parsed is None:
        result = dict(_NOT_SCS, name=name, warnings=[])
        if isinstance(name, str) and name.upper().startswith(PREFIX):
            result["warnings"] = ["%r is not an SCS name: the prefix is case-sensitive ('SCS-')" % name]
        return result
    flavor, version = parsed
    canonical = flavor.canonical
    return {
        "name": name,
        "scs": True,
        "valid": True,
        "error": None,
        "warnings": _warnings(name, flavor, version),
        "syntax": version,
        "canonical": canonical,
        "short": flavor.short,
        "v1": v2_to_v1(canonical),
        "cpus": flavor.cpus,
        "ram": flavor.ram_mib,
        "disk": flavor.root_disk,
        "extra_specs": flavor.extra_specs(),
        "description": flavor.describe(),
        "attributes": flavor.attributes(),
    }


def analyse_many(names):
    """``analyse`` over a list; repeated names are analysed once."""
    cache = {}
    results = []
    for name in names:
        key = name if isinstance(name, str) else repr(name)
        if key not in cache:
            cache[key] = analyse(name)
            results.append(cache[key])
        else:
            results.append(dict(cache[key]))
    return results


# -- generation ------------------------------------------------------------

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

    disk = attrs.get("disk")
    disk_type = _choice(attrs, "disk_type", DISK_TYPES, _LONG_DISK_TYPES)
    disk_count = _int_attr(attrs, "disk_count")
    if disk is not None or disk_type is not None or disk_count is not None:
        flavor.disk = True
        flavor.disk_type = disk_type
        if disk == "auto":
            pass
        elif disk is not None:
            flavor.disk_size = _int_attr(attrs, "disk")
        if disk_count is not None:
            if disk_count != 1 and not flavor.disk_size:
                raise FlavorNameError("disk_count %r needs a disk size" % disk_count)
            flavor.disk_count = disk_count

    flavor.hypervisor = _choice(attrs, "hypervisor", HYPERVISORS)
    flavor.hwv = _bool_attr(attrs, "hwv")
    flavor.cpu_vendor = _choice(attrs, "cpu_vendor", CPU_VENDORS, _LONG_CPU_VENDORS)
    if flavor.cpu_vendor:
        generations = CPU_GENERATIONS[flavor.cpu_vendor]
        gen = attrs.get("cpu_gen")
        if gen is not None:
            if isinstance(gen, bool) or not isinstance(gen, int) or not 0 <= gen < len(generations):
                allowed = "0" if len(generations) == 1 else "0-%d" % (len(generations) - 1)
                raise FlavorNameError("CPU generation %r is not defined for %s (allowed: %s)"
                                      % (gen, CPU_VENDORS[flavor.cpu_vendor], allowed))
            flavor.cpu_gen = gen or None
        flavor.cpu_frequency = _suffix_attr(attrs, "cpu_frequency", 3)
    elif attrs.get("cpu_gen") is not None or attrs.get("cpu_frequency"):
        raise FlavorNameError("cpu_gen/cpu_frequency need cpu_vendor (allowed: %s)"
                              % ", ".join(CPU_VENDORS))

    _generate_gpu(flavor, attrs)
    flavor.ib = _bool_attr(attrs, "ib")
    return flavor.canonical


def _generate_gpu(flavor, attrs):
    gpu_type = _choice(attrs, "gpu_type", GPU_TYPES, _LONG_GPU_TYPES)
    if attrs.get("gpu_model") is not None:
        explicit = [k for k in ("gpu_vendor", "gpu_gen", "gpu_units", "gpu_vram") if attrs.get(k) is not None]
        if explicit:
            raise FlavorNameError("gpu_model cannot be combined with %s" % ", ".join(explicit))
        code = gpu_code(attrs["gpu_model"], attrs.get("gpu_fraction"), virtual=gpu_type == "g")
        _parse_gpu(flavor, code, "-")
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
    if not isinstance(model, str) or _model_key(model) not in _MODEL_KEYS:
        raise FlavorNameError("unknown GPU model %r (known: %s)" % (model, ", ".join(sorted(GPU_MODELS))))
    model = _MODEL_KEYS[_model_key(model)]
    fraction = _fraction(fraction)
    if fraction is None or fraction == 1:
        code = GPU_MODELS[model]
    elif (model, fraction) in GPU_SLICES:
        code = GPU_SLICES[(model, fraction)]
    else:
        flavor = Flavor()
        _parse_gpu(flavor, GPU_MODELS[model], "-")
        units = flavor.gpu_units * fraction.numerator // fraction.denominator
        vram = flavor.gpu_vram * fraction.numerator // fraction.denominator
        if units < 1 or vram < 1:
            raise FlavorNameError("gpu_fraction %s of %s leaves no whole compute unit or GiB of VRAM"
                                  % (fraction, model))
        flavor.gpu_units, flavor.gpu_vram = units, vram
        code = flavor.gpu_part()
    if virtual:
        code = "g" + code[1:]
    return code


# -- batch checks (used by the flavor_name module) ---------------------------

RESULT_KEYS = ("name", "scs", "valid", "error", "warnings", "syntax", "canonical", "short",
               "v1", "cpus", "ram", "disk", "extra_specs", "description", "attributes")


def check_names(names, require_scs=False, fields=None):
    """Analyse a list of names; returns (results, problems).

    ``problems`` lists one message per invalid SCS name (and per non-SCS name
    when ``require_scs``), in input order. ``fields`` limits the keys of each
    result (``name`` is always kept).
    """
    results = analyse_many(names)
    problems = []
    for result in results:
        if result["error"]:
            problems.append("%r: %s" % (result["name"], result["error"]))
        elif require_scs and not result["scs"]:
            problems.append("%r: not an SCS name (SCS names start with 'SCS-')" % (result["name"],))
    if fields:
        keep = ("name",) + tuple(k for k in RESULT_KEYS if k in fields and k != "name")
        results = [dict((k, r[k]) for k in keep) for r in results]
    return results, problems


def generate_many(attribute_sets):
    """Generate names for a list of attribute dicts; returns (results, problems).

    Each result is the analysis of the generated canonical name plus the
    ``input`` attributes it came from.
    """
    results, problems = [], []
    for index, attrs in enumerate(attribute_sets):
        try:
            name = generate(attrs)
        except FlavorNameError as exc:
            problems.append("flavors[%d]: %s" % (index, exc))
            results.append({"input": attrs, "name": None, "valid": False, "error": str(exc)})
            continue
        result = analyse(name)
        result["input"] = attrs
        results.append(result)
    return results, problems
