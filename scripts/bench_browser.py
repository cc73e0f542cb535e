"""Browser benchmark: how fast calculators go live, against a bare Pyodide page. Prints numbers.

Usage: python scripts/bench_browser.py [--runs N] [--no-write] [--skip-throttled]

Builds the real site into a temporary folder, serves it on 127.0.0.1 (scripts/site_server.py,
which applies the site's own _headers file the way Netlify or Cloudflare Pages would), and drives
Debian's Chromium headless through Playwright. Every figure is the median of N runs (default 5).

In the same run it measures a bare baseline page, ``__bench__/baseline.html``, added to the
temporary copy only: it loads the same Pyodide files naively (``loadPyodide()`` from the npm
package's own source stdlib, import, one call, on the main thread, no service worker), and
each of our times is printed as a ratio against it.

Scenarios (each in a fresh browser context unless said):
* cold: first visit to the amortization page (our service worker allowed, not yet installed);
* repeat: a new tab in the same context once the service worker controls the site and the
  memory snapshot is saved (baseline: a new tab with a warm HTTP cache);
* repeat without service worker: the same, workers blocked, to show the worker's own effect;
* no-calculator page: bytes of the runtime fetched on a first visit to the glossary before
  idle, and after (the idle-time precache);
* throttled cold: 10 Mbit/s, 40 ms RTT, text and wasm gzipped as a static host would.

Writes bench/results.json and bench/results.md (included by docs/performance.md) unless
--no-write. Nothing here asserts: it measures and prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.site_server import SiteServer  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, build_site  # noqa: E402

PAGE = "calculators/amortization/"
NO_CALC_PAGE = "glossary/"
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}

BASELINE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide baseline</title>
<link rel="icon" href="data:,"></head>
<body><p id="out">loading</p>
<script type="module">
// The naive way: main thread, loadPyodide(), import, one call.
const base = new URL("../pyodide/", location.href).href;
const runtime = await (await fetch(base + "runtime.json")).json();
const { loadPyodide } = await import(base + runtime.index + "pyodide.mjs");
const lock = await (await fetch(base + runtime.lock)).text();
const pyodide = await loadPyodide({ indexURL: base + runtime.index, stdLibURL: base + "python_stdlib.zip",
                                   lockFileContents: lock, packageBaseUrl: base });
await pyodide.loadPackage("calculators");
const out = pyodide.runPython(`
import calculators
calculators.run("amortization", {"loan_amount": "200,000", "annual_rate": "6.5", "term_months": "360"})["payment"]
`);
document.getElementById("out").textContent = out;
window.__live = performance.now();
</script></body></html>
"""

# Runs in every page before its scripts: when the calculator goes live, layout shifts and
# long tasks, all from navigation start (performance.now()).
INIT_SCRIPT = """
window.__shift = 0; window.__longTasks = [];
new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value }))
  .observe({type: 'layout-shift', buffered: true});
new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push([e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
new MutationObserver(() => {
  const el = document.querySelector('[data-calculator]');
  if (el && el.dataset.state === 'live' && !window.__live) window.__live = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});
"""

LATENCY_SCRIPT = """async (values) => {
  const input = document.querySelector("input[name='loan_amount']");
  const out = document.querySelector("[data-output='payment']");
  const times = [];
  for (const v of values) {
    const changed = new Promise(resolve => {
      const mo = new MutationObserver(() => { mo.disconnect(); resolve(performance.now()); });
      mo.observe(out, {childList: true, characterData: true, subtree: true});
    });
    const start = performance.now();
    input.value = v;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    times.push((await changed) - start);
  }
  return times;
}"""


def measure_page(
    context: Any,
    server: SiteServer,
    url: str,
    *,
    latency: bool = False,
    throttle: dict[str, Any] | None = None,
) -> dict[str, float]:
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", throttle)
    page.add_init_script(INIT_SCRIPT)
    server.reset()
    page.goto(url)
    page.wait_for_function("() => window.__live", timeout=300_000)
    # Bytes the server sent until now (compressed where it compressed): what the network
    # carried until the calculator went live, before any idle-time precaching.
    runtime_bytes, total_bytes = server.bytes_sent(r"^/pyodide/"), server.bytes_sent("")
    result: dict[str, float] = {
        "live_ms": page.evaluate("window.__live"),
        "fcp_ms": page.evaluate(
            "performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')?.startTime ?? -1"
        ),
        "shift": page.evaluate("window.__shift"),
        "long_task_ms": page.evaluate("Math.max(0, ...window.__longTasks.map(t => t[1]))"),
        "runtime_bytes": runtime_bytes,
        "total_bytes": total_bytes,
    }
    if page.locator("[data-calculator]").count():
        result["prerendered_at_fcp"] = float(
            bool(page.evaluate("document.querySelector('[data-output]')?.textContent.trim().length > 0"))
        )
        boot = page.evaluate("window.__calculatorsBoot || null")
        if boot:
            result["snapshot"] = float(boot["mode"] == "snapshot")
            result["worker_started_ms"] = boot["workerStartedAt"]
            for key, value in boot.get("marks", {}).items():
                result[f"worker_{key}_ms"] = value
    if latency:
        values = [f"{150_000 + i * 1_000:,}" for i in range(60)]
        times = page.evaluate(LATENCY_SCRIPT, values)
        result["latency_p50_ms"] = statistics.median(times)
        result["latency_p95_ms"] = sorted(times)[round(0.95 * (len(times) - 1))]
    page.close()
    return result


def settle_offline(context: Any, server: SiteServer) -> None:
    """Wait until the service worker controls the site and the memory snapshot is saved."""
    page = context.new_page()
    page.goto(server.url + PAGE)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=300_000)
    wait_snapshot(page)
    page.close()


def wait_snapshot(page: Any) -> None:
    """The page's worker restored a snapshot, or made and saved one."""
    page.wait_for_function(
        "() => window.__calculatorsBoot?.mode === 'snapshot' || document.documentElement.dataset.calculatorsSnapshot",
        timeout=120_000,
    )


def settle_snapshot(context: Any, server: SiteServer) -> None:
    page = context.new_page()
    page.goto(server.url + PAGE)
    wait_snapshot(page)
    page.close()


def no_calculator_visit(browser: Any, server: SiteServer) -> dict[str, float]:
    ctx = browser.new_context(service_workers="allow")
    page = ctx.new_page()
    server.reset()
    page.goto(server.url + NO_CALC_PAGE, wait_until="load")
    before_idle = server.bytes_sent(r"^/pyodide/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=300_000)
    after_idle = server.bytes_sent(r"^/pyodide/")
    ctx.close()
    return {"runtime_bytes_before_idle": before_idle, "runtime_bytes_after_idle": after_idle}


def run(runs: int, throttled: bool) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[dict[str, float]]] = {}

    def add(name: str, value: dict[str, float]) -> None:
        samples.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server = SiteServer(site, host_headers=True)
        build_site(site, server.url)
        (site / "__bench__").mkdir()
        (site / "__bench__" / "baseline.html").write_text(BASELINE_HTML)
        # The baseline is a stock page whose inline script the site's policy (it hashes only the
        # site's own) refuses: this copy's _headers drops the policy. Our pages keep their meta one.
        rules = site / "_headers"
        rules.write_text(
            "".join(r for r in rules.read_text().splitlines(True) if "Content-Security-Policy" not in r)
        )
        # The baseline boots from the npm package's own source stdlib, the naive default.
        shutil.copy2(
            ROOT / "node_modules" / "pyodide" / "python_stdlib.zip", site / "pyodide" / "python_stdlib.zip"
        )
        baseline = server.url + "__bench__/baseline.html"
        ours = server.url + PAGE
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            new = browser.new_context
            for i in range(runs):
                print(f"run {i + 1}/{runs}", file=sys.stderr)
                ctx = new(service_workers="block")
                add("baseline_cold", measure_page(ctx, server, baseline))
                add("baseline_warm", measure_page(ctx, server, baseline))
                ctx.close()

                ctx = new(service_workers="allow")
                add("ours_cold", measure_page(ctx, server, ours, latency=True))
                settle_offline(ctx, server)
                add("ours_warm", measure_page(ctx, server, ours, latency=True))
                ctx.close()

                ctx = new(service_workers="block")
                measure_page(ctx, server, ours)
                settle_snapshot(ctx, server)
                add("ours_warm_http_cache", measure_page(ctx, server, ours))
                ctx.close()

                add("no_calculator_page", no_calculator_visit(browser, server))
            if throttled:
                server.compress = True
                for i in range(runs):
                    print(f"throttled run {i + 1}/{runs}", file=sys.stderr)
                    for name, url in (("baseline_throttled", baseline), ("ours_throttled", ours)):
                        ctx = new(service_workers="allow" if name.startswith("ours") else "block")
                        add(name, measure_page(ctx, server, url, throttle=THROTTLE))
                        ctx.close()
                server.compress = False
            browser.close()
        server.close()
    medians = {
        scenario: {key: statistics.median(s[key] for s in values) for key in values[0]}
        for scenario, values in samples.items()
    }
    return {"runs": runs, "medians": medians, "samples": samples}


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _mb(value: float) -> str:
    return f"{value / 1e6:.2f} MB"


def report(data: dict[str, Any]) -> str:
    m = data["medians"]

    def ratio(a: str, b: str, key: str = "live_ms") -> str:
        return f"{m[a][key] / m[b][key]:.2f}×"

    rows: list[tuple[str, str, str, str, str]] = [
        (
            "Cold visit: navigation → live recomputation ready",
            _ms(m["ours_cold"]["live_ms"]),
            _ms(m["baseline_cold"]["live_ms"]),
            ratio("ours_cold", "baseline_cold"),
            "≤ 0.50×",
        ),
        (
            "Repeat visit, service worker warm: navigation → live ready",
            _ms(m["ours_warm"]["live_ms"]),
            _ms(m["baseline_warm"]["live_ms"]),
            ratio("ours_warm", "baseline_warm"),
            "≤ 0.30×",
        ),
        (
            "Repeat visit, no service worker (HTTP cache + snapshot)",
            _ms(m["ours_warm_http_cache"]["live_ms"]),
            _ms(m["baseline_warm"]["live_ms"]),
            ratio("ours_warm_http_cache", "baseline_warm"),
            "(for comparison)",
        ),
        (
            "Pre-rendered result visible (first contentful paint)",
            _ms(m["ours_cold"]["fcp_ms"]),
            "—",
            "in the HTML" if m["ours_cold"].get("prerendered_at_fcp") else "NO",
            "at FCP",
        ),
        (
            "Layout shift caused by calculators (cold / repeat)",
            f"{m['ours_cold']['shift']:.3f} / {m['ours_warm']['shift']:.3f}",
            "—",
            "",
            "0",
        ),
        (
            "Longest main-thread task, cold (Python runs in a worker)",
            _ms(m["ours_cold"]["long_task_ms"]),
            _ms(m["baseline_cold"]["long_task_ms"]),
            "",
            "none from Python",
        ),
        (
            "Input → updated output, median / 95th percentile",
            f"{m['ours_warm']['latency_p50_ms']:.1f} / {m['ours_warm']['latency_p95_ms']:.1f} ms",
            "—",
            "",
            "p95 ≤ 30 ms",
        ),
        (
            "Runtime bytes over the network, repeat visit",
            _mb(m["ours_warm"]["runtime_bytes"]),
            _mb(m["baseline_warm"]["runtime_bytes"]),
            "",
            "0",
        ),
        (
            "Runtime bytes, first visit to a page without a calculator, before idle",
            _mb(m["no_calculator_page"]["runtime_bytes_before_idle"]),
            "—",
            "",
            "0",
        ),
        (
            "…and after idle (the offline precache)",
            _mb(m["no_calculator_page"]["runtime_bytes_after_idle"]),
            "—",
            "",
            "",
        ),
        (
            "Runtime bytes, cold visit",
            _mb(m["ours_cold"]["runtime_bytes"]),
            _mb(m["baseline_cold"]["runtime_bytes"]),
            "",
            "",
        ),
    ]
    if "ours_throttled" in m:
        rows += [
            (
                "Cold visit at 10 Mbit/s, 40 ms RTT, gzip: navigation → live",
                _ms(m["ours_throttled"]["live_ms"]),
                _ms(m["baseline_throttled"]["live_ms"]),
                ratio("ours_throttled", "baseline_throttled"),
                "≤ 1.0×",
            ),
            (
                "…bytes transferred until live (all files / runtime)",
                f"{_mb(m['ours_throttled']['total_bytes'])} / {_mb(m['ours_throttled']['runtime_bytes'])}",
                f"{_mb(m['baseline_throttled']['total_bytes'])} / {_mb(m['baseline_throttled']['runtime_bytes'])}",
                "",
                "report",
            ),
        ]
    lines = [
        f"Measured {data['date']} on {data['machine']}: headless Chromium, median of {data['runs']} runs, "
        f"commit `{data['commit']}`. Reproduce with `make bench`.",
        "",
        "| figure | ours | bare baseline | ratio | target |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None, run_fn: Callable[[int, bool], dict[str, Any]] = run) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--skip-throttled", action="store_true")
    args = parser.parse_args(argv)
    data = run_fn(args.runs, not args.skip_throttled)
    data["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    data["machine"] = f"{os.cpu_count()} cores, {platform.machine()}"
    data["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    text = report(data)
    print(text)
    print(json.dumps(data["medians"], indent=1))
    if not args.no_write:
        out = ROOT / "bench"
        out.mkdir(exist_ok=True)
        (out / "results.json").write_text(json.dumps(data, indent=1) + "\n")
        (out / "results.md").write_text(text)


if __name__ == "__main__":
    main()
