"""Median time of ``calculators.run`` for every registered calculator.

Each calculator runs on its default inputs, except that a ``term_months``
field is set to 360 (a 30-year loan), the size the performance budget is
stated for. Run from the repository root with nothing installed::

    python scripts/bench_calculators.py [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calculators import CALCULATORS, run  # the path above makes this import work

TERM = "360"


def bench(name: str, repeats: int) -> tuple[float, bool]:
    """Median seconds of one ``run(name, inputs)`` over ``repeats`` calls, and whether it succeeded."""
    calc = CALCULATORS[name]
    inputs = calc.defaults()
    if "term_months" in inputs:
        inputs["term_months"] = TERM
    ok = bool(run(name, inputs)["ok"])  # warm-up, and a check that the inputs are valid
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(name, inputs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="timed calls per calculator (default 200)")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; median of {args.repeats} runs; term_months={TERM} where present")
    print(f"{'calculator':<20} {'median ms':>10}  ok")
    for name in CALCULATORS:
        median, ok = bench(name, args.repeats)
        print(f"{name:<20} {median * 1000:>10.3f}  {'yes' if ok else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
