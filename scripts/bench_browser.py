"""Browser benchmark: how fast calculators go live, against a bare Pyodide page. Prints numbers.

Usage: python scripts/bench_browser.py [--runs N] [--no-write]

Builds the real site into a temporary folder, serves it on 127.0.0.1 with Python's http.server
(threaded), and drives Debian's Chromium headless through Playwright. For each scenario it
reports the median of N runs (default 5). In the same run it measures a bare baseline page,
which loads the same Pyodide files naively (``loadPyodide()`` + import + one call, on the main
thread, no service worker), and prints our time-to-live divided by the baseline's.

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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.site_server import SiteServer  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, build_site  # noqa: E402

PAGE = "calculators/amortization/"

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

# Runs in every page before its scripts: records when the calculator goes live, layout
# shifts and long tasks, from navigation start (performance.now()).
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


def fcp(page: Any) -> float:
    return page.evaluate(
        "performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')?.startTime ?? -1"
    )


def transferred(page: Any, prefix: str = "") -> int:
    return page.evaluate(
        "(p) => performance.getEntriesByType('resource').filter(e => e.name.includes(p))"
        ".reduce((s, e) => s + e.transferSize, 0) + (performance.getEntriesByType('navigation')[0]?.transferSize || 0)",
        prefix,
    )


def measure_page(context: Any, url: str, *, latency: bool = False) -> dict[str, float]:
    page = context.new_page()
    page.add_init_script(INIT_SCRIPT)
    page.goto(url)
    page.wait_for_function("window.__live", timeout=120_000)
    result = {
        "live_ms": page.evaluate("window.__live"),
        "fcp_ms": fcp(page),
        "shift": page.evaluate("window.__shift"),
        "long_task_ms": page.evaluate("Math.max(0, ...window.__longTasks.map(t => t[1]))"),
        "runtime_bytes": page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('/pyodide/'))"
            ".reduce((s, e) => s + e.transferSize, 0)"
        ),
    }
    if "[data-calculator]" and page.locator("[data-calculator]").count():
        # The pre-rendered result is in the HTML itself: present at first contentful paint.
        result["prerendered_at_fcp"] = float(bool(page.evaluate(
            "document.querySelector('[data-output]')?.textContent.trim().length > 0")))
    boot = page.evaluate("window.__calculatorsBoot || null")
    if boot:
        result["worker_started_ms"] = boot["workerStartedAt"]
        for key, value in boot.get("marks", {}).items():
            result[f"worker_{key}_ms"] = value
    if latency:
        values = [f"{150_000 + i * 1_000:,}" for i in range(40)]
        times = page.evaluate(LATENCY_SCRIPT, values)
        result["latency_p50_ms"] = statistics.median(times)
        result["latency_p95_ms"] = sorted(times)[int(0.95 * (len(times) - 1))]
    page.close()
    return result


def run(runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server = SiteServer(site)
        build_site(site, server.url)
        bench_dir = site / "__bench__"
        bench_dir.mkdir()
        (bench_dir / "baseline.html").write_text(BASELINE_HTML)
        # The baseline boots from the npm package's own source stdlib, the naive default.
        shutil.copy2(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip", site / "pyodide" / "python_stdlib.zip")
        samples: dict[str, list[dict[str, float]]] = {k: [] for k in
                                                       ("baseline_cold", "baseline_warm", "ours_cold", "ours_warm")}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                for name, url in (("baseline", server.url + "__bench__/baseline.html"), ("ours", server.url + PAGE)):
                    ctx = browser.new_context(service_workers="block")
                    samples[f"{name}_cold"].append(measure_page(ctx, url, latency=name == "ours"))
                    samples[f"{name}_warm"].append(measure_page(ctx, url, latency=name == "ours"))
                    ctx.close()
            browser.close()
        server.close()
    medians = {
        scenario: {key: statistics.median(s[key] for s in runs_) for key in runs_[0]}
        for scenario, runs_ in samples.items()
    }
    return {"runs": runs, "medians": medians, "samples": samples}


def report(data: dict[str, Any]) -> str:
    m = data["medians"]
    rows = [
        ("Cold visit: navigation → live recomputation ready", f"{m['ours_cold']['live_ms']:.0f} ms",
         f"{m['baseline_cold']['live_ms']:.0f} ms", f"{m['ours_cold']['live_ms'] / m['baseline_cold']['live_ms']:.2f}×"),
        ("Repeat visit: navigation → live ready", f"{m['ours_warm']['live_ms']:.0f} ms",
         f"{m['baseline_warm']['live_ms']:.0f} ms", f"{m['ours_warm']['live_ms'] / m['baseline_warm']['live_ms']:.2f}×"),
        ("First contentful paint (pre-rendered result visible)", f"{m['ours_cold']['fcp_ms']:.0f} ms",
         f"{m['baseline_cold']['fcp_ms']:.0f} ms", "result in the HTML" if m["ours_cold"].get("prerendered_at_fcp") else "no"),
        ("Input → updated output, median", f"{m['ours_warm']['latency_p50_ms']:.1f} ms", "", ""),
        ("Input → updated output, 95th percentile", f"{m['ours_warm']['latency_p95_ms']:.1f} ms", "", ""),
        ("Layout shift caused by the calculator", f"{m['ours_cold']['shift']:.3f}", "", ""),
        ("Longest main-thread task (cold)", f"{m['ours_cold']['long_task_ms']:.0f} ms",
         f"{m['baseline_cold']['long_task_ms']:.0f} ms", ""),
        ("Runtime bytes transferred, cold", f"{m['ours_cold']['runtime_bytes'] / 1e6:.2f} MB",
         f"{m['baseline_cold']['runtime_bytes'] / 1e6:.2f} MB", ""),
        ("Runtime bytes transferred, repeat visit", f"{m['ours_warm']['runtime_bytes'] / 1e6:.2f} MB",
         f"{m['baseline_warm']['runtime_bytes'] / 1e6:.2f} MB", ""),
    ]
    lines = [
        f"Measured {data['date']} on {data['machine']}, Chromium headless, median of {data['runs']} runs "
        f"(commit `{data['commit']}`). Reproduce with `make bench`.",
        "",
        "| figure | ours | bare baseline | ratio |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    data = run(args.runs)
    data["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    data["machine"] = f"{os.cpu_count()} cores, {platform.machine()}"
    data["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                    text=True, check=False).stdout.strip()
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
