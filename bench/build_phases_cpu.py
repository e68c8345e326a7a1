"""A clean build with each phase's CPU (user + system, this process and the worker processes it
reaped) instead of its wall-clock time: on a shared machine, CPU is what compares.

    python bench/build_phases_cpu.py SITE [JOBS]

For an A/B of two versions, run each from its own copy of the package (PYTHONPATH=COPY) on its own
copy of the site (changing code invalidates the build cache anyway), interleaved A B A B A B, and
compare medians."""
from __future__ import annotations

import os
import sys

import site_builder.build as b
from site_builder.commands.cli import main


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(self, name, phase, *args):  # noqa: ANN001, ANN201 - replaces Clock.run
    start = cpu()
    try:
        return phase(*args)
    finally:
        self.phases.append((name, cpu() - start))


if __name__ == "__main__":
    b.Clock.run = run
    main(["-C", sys.argv[1], "build", "--clean", "--verbose", "--jobs", sys.argv[2] if len(sys.argv) > 2 else "2"])
    print(f"  total   {cpu():6.2f} s of CPU")
