"""Where a return visit's time goes: the memory-snapshot restore, phase by phase, in Chromium,
Firefox ESR and WebKitGTK.

Usage: python scripts/bench_restore.py [--runs N] [--engines chromium,firefox,webkit]

Builds the real site, serves it on 127.0.0.1 (scripts/site_server.py with the site's own
``_headers``), and per run, in a fresh on-disk profile: a first visit to the amortization page
(Python boots and saves its snapshot), then

* **reload**: the same page again in the same browser (the worker restores the snapshot);
* **restart**: the browser closed and started again on the same profile, then the page
  (Chromium and Firefox; MiniBrowser's automation mode keeps no data on disk, so WebKitGTK has
  no restart to measure).

Each visit's worker reports its boot milestones (``marks`` of its ``ready`` message, ms since
the worker started: worker.js), read from ``window.__calculatorsBoot``:

* ``runtime``: runtime.json read (revalidated with the server);
* ``snapshot-read``: the stored snapshot's bytes in memory (Cache Storage);
* ``snapshot-unpacked``: its SHA-256 checked and its zero pages put back (31 MB);
* ``prepared``: that, the Pyodide modules, the lock and the bridge all ready;
* ``wasm``: pyodide.asm.wasm compiled (or taken from a code cache) and instantiated;
* ``python``: the memory copied in and the interpreter's state rebuilt;
* ``restored``: every calculator answered at its defaults (the bridge's self-check): live;

and on a first visit ``loaded`` (Python booted from scratch) and ``ready`` (the wheel imported
and every calculator answered). Prints, per engine and visit, the median time each phase took
(from the previous milestone) and the median total (worker start to live), with min and max. Nothing here
asserts: it measures and prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.site_server import SiteServer  # noqa: E402
from tests.engines.drivers import ChromiumDriver, Driver, FirefoxDriver, WebKitDriver  # noqa: E402
from tests.repo import build_site  # noqa: E402

PAGE = "calculators/amortization/"
PHASES = (
    "runtime",
    "snapshot-read",
    "snapshot-unpacked",
    "prepared",
    "wasm",
    "python",
    "restored",
    "loaded",
    "ready",
)
BOOT = "() => window.__calculatorsBoot || null"
SAVED = "() => document.documentElement.dataset.calculatorsSnapshot === 'saved'"


def launch(engine: str, profile: Path, pw: Any) -> Driver:
    if engine == "chromium":
        return ChromiumDriver(pw, profile)
    if engine == "firefox":
        return FirefoxDriver(profile)
    return WebKitDriver(profile)


def boot(driver: Driver) -> dict[str, float]:
    info = driver.wait(BOOT, timeout=180, what="the calculators to go live")
    marks = {k: float(v) for k, v in (info.get("marks") or {}).items()}
    marks["mode"] = 1.0 if info.get("mode") == "snapshot" else 0.0
    return marks


def phases(marks: dict[str, float]) -> dict[str, float]:
    """Each milestone's distance from the one reached before it (ms)."""
    out: dict[str, float] = {}
    previous = 0.0
    for name in sorted((p for p in PHASES if p in marks), key=lambda p: marks[p]):
        out[name] = marks[name] - previous
        previous = marks[name]
    out["total"] = previous
    return out


def run(engines: list[str], runs: int) -> dict[str, dict[str, list[dict[str, float]]]]:
    from playwright.sync_api import sync_playwright

    samples: dict[str, dict[str, list[dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        site = Path(tmp) / "site"
        site.mkdir()
        server = SiteServer(site, host_headers=True, compress="br")
        build_site(site, server.url)
        for i in range(runs):
            for engine in engines:
                print(f"run {i + 1}/{runs}: {engine}", file=sys.stderr)
                profile = Path(tmp) / f"{engine}-{i}"
                profile.mkdir()
                driver = launch(engine, profile, pw)
                try:
                    driver.goto(server.url + PAGE)
                    first = boot(driver)
                    driver.wait(SAVED, timeout=120, what="the snapshot to be saved")
                    driver.reload()
                    reload = boot(driver)
                finally:
                    driver.quit()
                visits = {"first": first, "reload": reload}
                if engine != "webkit":
                    time.sleep(1)  # the profile's files released
                    driver = launch(engine, profile, pw)
                    try:
                        driver.goto(server.url + PAGE)
                        visits["restart"] = boot(driver)
                    finally:
                        driver.quit()
                for visit, marks in visits.items():
                    if visit != "first" and not marks["mode"]:
                        print(f"  {engine} {visit}: booted afresh, not from the snapshot", file=sys.stderr)
                        continue
                    samples.setdefault(engine, {}).setdefault(visit, []).append(phases(marks))
        server.close()
    return samples


def report(samples: dict[str, dict[str, list[dict[str, float]]]], runs: int) -> str:
    lines = [
        f"Snapshot restore by phase: median ms (min–max) over {runs} runs; load average at the end "
        f"{os.getloadavg()[0]:.1f}, {os.cpu_count()} cores.",
        "",
        "| engine | visit | n | " + " | ".join(PHASES) + " | total |",
        "|---|---|---|" + "---|" * (len(PHASES) + 1),
    ]
    for engine, visits in samples.items():
        for visit, rows in visits.items():
            cells = []
            for name in (*PHASES, "total"):  # a phase a visit does not have shows —
                values = [r[name] for r in rows if name in r]
                cells.append(
                    "—"
                    if not values
                    else f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"
                )
            lines.append(f"| {engine} | {visit} | {len(rows)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", default="chromium,firefox,webkit")
    args = parser.parse_args(argv)
    if "webkit" in args.engines and not os.environ.get("DISPLAY"):
        sys.exit("WebKitGTK needs an X display: run under `xvfb-run -a`")
    samples = run(args.engines.split(","), args.runs)
    print(report(samples, args.runs))


if __name__ == "__main__":
    main()
