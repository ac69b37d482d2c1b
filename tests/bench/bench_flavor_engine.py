# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Throughput of the flavor-name engine (not a test: prints figures, asserts nothing).

Usage: PYTHONPATH=.cache/collections python tests/bench/bench_flavor_engine.py [COUNT]
(`tests/run bench` sets the path). Generates COUNT distinct valid names plus
10 % invalid ones and reports names per second for each stage, and the
ratio of the full analysis to the bare parse.
"""

from __future__ import print_function

import random
import sys
import time

from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor as sf
from ansible_collections.scs.kolla.plugins.module_utils import scs_flavor_tables as tables


def sample_names(count, seed=42):
    rng = random.Random(seed)
    names = []
    while len(names) < count:
        attrs = {"cpus": rng.randint(1, 256), "cpu_type": rng.choice("LVTC"), "ram": rng.randint(1, 2048) / 2}
        if rng.random() < 0.7:
            attrs["disk"] = rng.randint(1, 2000)
            attrs["disk_type"] = rng.choice("nhsp")
        if rng.random() < 0.3:
            attrs["hypervisor"] = rng.choice(sorted(tables.HYPERVISORS))
        if rng.random() < 0.3:
            attrs["cpu_vendor"] = rng.choice("iz")
            attrs["cpu_gen"] = rng.randint(0, 6)
            attrs["cpu_frequency"] = rng.randint(0, 3)
        if rng.random() < 0.2:
            attrs["gpu_model"] = rng.choice(sorted(tables.GPU_MODELS))
        name = sf.generate(attrs)
        if rng.random() < 0.1:
            name = name.replace("-", "-0x", 1)  # invalid
        names.append(name)
    return names


def rate(label, func, names, baseline=None):
    start = time.perf_counter()
    for name in names:
        func(name)
    elapsed = time.perf_counter() - start
    per_second = len(names) / elapsed
    ratio = "" if baseline is None else "  (%.2fx the time of parse)" % (baseline / per_second)
    print("%-36s %10.0f names/s  %7.3f s%s" % (label, per_second, elapsed, ratio))
    return per_second


def parse_canonical_specs(name):
    try:
        parsed = sf.parse(name)
    except sf.FlavorNameError:
        return None
    flavor = parsed[0]
    return flavor.canonical, flavor.extra_specs()


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    names = sample_names(count)
    print("flavor-name engine, %d names (%d distinct)" % (len(names), len(set(names))))

    def safe_parse(name):
        try:
            return sf.parse(name)
        except sf.FlavorNameError:
            return None

    base = rate("parse", safe_parse, names)
    rate("parse + canonical + extra_specs", parse_canonical_specs, names, base)
    rate("analyse (everything incl. describe)", sf.analyse, names, base)
    start = time.perf_counter()
    sf.check_names(names)
    elapsed = time.perf_counter() - start
    print("%-36s %10.0f names/s  %7.3f s" % ("check_names (module path)", len(names) / elapsed, elapsed))


if __name__ == "__main__":
    main()
