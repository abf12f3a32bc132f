#!/usr/bin/python3
"""Kernel start-up benchmark: how long the netgeom kernel takes to answer Jupyter, and its first cell,
with the background warm-up (the default) against without it (-Dnetgeom.kernel.warmup=false), in the
same invocation, alternating so that both see the same machine. Prints medians and the ratio.

    notebooks/bench-startup.py [--rounds N] [--kernel NAME]

Needs the kernel installed (./netgeom notebook install) and built (mvn package).
"""
import argparse
import os
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

CELL = "Rational.of(1, 3).add(Rational.of(1, 6))"


def once(kernel, warm):
    env = dict(os.environ)
    opts = "-XX:+UseParallelGC -Xss16m" + ("" if warm else " -Dnetgeom.kernel.warmup=false")
    env["NETGEOM_KERNEL_JAVA_OPTS"] = opts
    t0 = time.monotonic()
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=120, env=env)
    ready = time.monotonic() - t0
    time.sleep(1.0)          # a person reads the notebook before running the first cell
    t1 = time.monotonic()
    reply = kc.execute_interactive(CELL, timeout=120, output_hook=lambda m: None)
    first = time.monotonic() - t1
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    assert reply["content"]["status"] == "ok", reply["content"]
    return ready, first


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--kernel", default="netgeom")
    a = p.parse_args()
    runs = {True: [], False: []}
    for _ in range(a.rounds):
        for warm in (False, True):
            runs[warm].append(once(a.kernel, warm))
    for warm in (False, True):
        r = runs[warm]
        print(f"warm-up {'on ' if warm else 'off'}: ready {statistics.median(x[0] for x in r):.2f} s, "
              f"first cell {statistics.median(x[1] for x in r):.3f} s (medians of {len(r)})")
    off = statistics.median(x[1] for x in runs[False])
    on = statistics.median(x[1] for x in runs[True])
    print(f"first cell with warm-up / without: {on / off:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
