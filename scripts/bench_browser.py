"""Browser benchmark: how fast a calculator goes live as readers browse, against a bare Pyodide page.

Usage: python scripts/bench_browser.py [--runs N] [--dwell S] [--host br|gzip|none]
                                       [--skip-throttled] [--no-write]

Builds the real site into a temporary folder, serves it on 127.0.0.1 (scripts/site_server.py,
which applies the site's own _headers file the way Netlify or Cloudflare Pages would, and by
default compresses like a host with brotli: precompressed ``.br`` siblings where the build wrote
them, brotli on the fly for other text and wasm, never zip files), and drives Debian's Chromium
headless through Playwright with **on-disk profiles** (``launch_persistent_context``), so the
HTTP cache and V8's code caches work as they do for readers.

In the same run it measures a bare baseline page, ``__bench__/baseline.html``, added to the
temporary copy only: it loads the same Pyodide files naively (``loadPyodide()`` from the npm
package's own source stdlib, then an import and one call, on the main thread, no service
worker), and every ratio is ours divided by the baseline's in the same run.

The time measured is from navigation to the first live result after an edit: on our page the
reader's edit is made as soon as the HTML is parsed, and the clock stops when the output shows
the value Python computed for it; on the baseline, when its one call has returned.

Per run, for each page, in a fresh profile:

* cold: the first visit. This tab then stays open ``--dwell`` seconds of idle reading, so V8 can
  write its wasm code cache (and our page can save its memory snapshot and install its service
  worker); the trace tells when the cache was written;
* second tab: a new tab in the same browser, the first still open;
* after a restart: the browser closed and started again on the same profile;

then, each in a fresh profile, a cold visit under DevTools network throttling, "Fast 3G"
(1.44 Mbit/s, 562.5 ms round trip) and 10 Mbit/s with 40 ms. Chromium's trace
(``wasm.SerializeModule`` / ``wasm.Deserialize``, or Blink's ``v8.wasm.cachedModule`` /
``v8.wasm.moduleCacheHit`` where a build emits them) says whether the wasm code cache was
written and hit, and ``v8.compileModule``'s ``consumedCacheSize`` whether the JS code cache of
``pyodide.asm.mjs`` was used. Bytes are what the server sent until live (compressed where it
compressed), before any idle-time precaching.

Prints medians with min and max; writes bench/results.json and bench/results.md (included by
docs/performance.md) unless --no-write. Nothing here asserts: it measures and prints.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import calculators  # noqa: E402
from scripts.site_server import BROTLI_ON_THE_FLY, COMPRESSIBLE, SiteServer  # noqa: E402
from site_integration.names import DISTRIBUTION  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, build_site  # noqa: E402

PAGE = "calculators/amortization/"
CALCULATOR = "amortization"
#: The reader's edit: one field, and the output whose new value proves Python computed it.
EDIT = {"field": "loan_amount", "value": "250,000", "output": "payment"}
#: DevTools' presets (Chromium's throttling presets; Puppeteer's PredefinedNetworkConditions).
FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6e6 / 8 * 0.9,
    "uploadThroughput": 750e3 / 8 * 0.9,
}
TEN_MBIT = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}
TRACE_CATEGORIES = ["v8", "v8.wasm", "blink.user_timing"]
WASM_WRITTEN = ("wasm.SerializeModule", "v8.wasm.cachedModule")
WASM_HIT = ("wasm.Deserialize", "v8.wasm.moduleCacheHit")
TARGETS = ("ours", "baseline")
#: With --compare-http-cache: our page with service workers blocked, so repeat visits come from
#: the HTTP cache (and V8's code cache for it) instead of the service worker's Cache Storage.
HTTP_ONLY = "ours_http_cache"

BASELINE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Pyodide baseline</title>
<link rel="icon" href="data:,"></head>
<body><p id="out">loading</p>
<script type="module">
// The naive way: main thread, loadPyodide(), loadPackage() by the lock's name, import, one call.
const base = new URL("../pyodide/", location.href).href;
const runtime = await (await fetch(base + "runtime.json")).json();
const { loadPyodide } = await import(base + runtime.index + "pyodide.mjs");
const lock = await (await fetch(base + runtime.lock)).text();
const pyodide = await loadPyodide({ indexURL: base + runtime.index, stdLibURL: base + "python_stdlib.zip",
                                   lockFileContents: lock, packageBaseUrl: base });
await pyodide.loadPackage("%(distribution)s");
const out = pyodide.runPython(`
import calculators
calculators.run("amortization", {"loan_amount": "200,000", "annual_rate": "6.5", "term_months": "360"})["payment"]
`);
document.getElementById("out").textContent = out;
window.__live = performance.now();
</script></body></html>
"""

# Runs in every page before its scripts. On a calculator page it makes the reader's edit as
# soon as the HTML is parsed, and records when the output shows Python's result for it (the
# page applies an edit made before it is live once it goes live). Also layout shifts and long
# tasks. All times are performance.now(): milliseconds from navigation start.
INIT_SCRIPT = """
(() => {
  const EDIT = %s;
  window.__live = 0; window.__shift = 0; window.__longTasks = [];
  new PerformanceObserver(l => l.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value }))
    .observe({type: 'layout-shift', buffered: true});
  new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push([e.startTime, e.duration])))
    .observe({type: 'longtask', buffered: true});
  document.addEventListener('DOMContentLoaded', () => {
    const root = document.querySelector('[data-calculator]');
    const input = root && root.querySelector(`[name='${EDIT.field}']`);
    if (!input) return;
    const out = root.querySelector(`[data-output='${EDIT.output}']`);
    input.value = EDIT.value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    window.__editedAt = performance.now();
    const check = () => {
      if (!window.__live && root.dataset.state === 'live' && out.textContent.replace(/[^0-9.]/g, '') === EDIT.digits)
        window.__live = performance.now();
    };
    new MutationObserver(check).observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    check();
  });
})();
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


def edit_spec() -> dict[str, str]:
    inputs = {**calculators.CALCULATORS[CALCULATOR].defaults(), EDIT["field"]: EDIT["value"]}
    result = calculators.run(CALCULATOR, inputs)
    digits = "".join(c for c in str(result[EDIT["output"]]) if c.isdigit() or c == ".")
    return {**EDIT, "digits": digits}


class Trace:
    """Chromium's trace over CDP, for the whole browser (page, its workers, the service worker)."""

    def __init__(self, context: Any, page: Any) -> None:
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.done: dict[str, Any] = {}
        self.cdp.on("Tracing.tracingComplete", self._complete)
        self.cdp.send(
            "Tracing.start",
            {"traceConfig": {"includedCategories": TRACE_CATEGORIES}, "transferMode": "ReturnAsStream"},
        )

    def _complete(self, event: dict[str, Any]) -> None:  # a bound builtin cannot be a Playwright handler
        self.done.update(event)

    def stop(self) -> list[dict[str, Any]]:
        self.cdp.send("Tracing.end")
        deadline = time.monotonic() + 60
        while "stream" not in self.done and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)  # lets Playwright deliver the event
        chunks = []
        while True:
            part = self.cdp.send("IO.read", {"handle": self.done["stream"], "size": 1 << 22})
            chunks.append(
                base64.b64decode(part["data"]) if part.get("base64Encoded") else part["data"].encode()
            )
            if part.get("eof"):
                break
        self.cdp.send("IO.close", {"handle": self.done["stream"]})
        data = json.loads(b"".join(chunks))
        return data["traceEvents"] if isinstance(data, dict) else data  # type: ignore[no-any-return]


def read_trace(events: list[dict[str, Any]], url: str) -> dict[str, float]:
    """Whether the wasm code cache was written (and when, from navigation) or hit, and whether
    pyodide.asm.mjs was compiled from V8's JS code cache."""
    nav = [
        e["ts"] for e in events if e.get("name") == "navigationStart" and _arg(e, "documentLoaderURL") == url
    ]
    written = sorted(e["ts"] for e in events if e.get("name") in WASM_WRITTEN)
    out = {
        "wasm_cache_hit": float(any(e.get("name") in WASM_HIT for e in events)),
        "wasm_cache_written": float(bool(written)),
    }
    if written and nav:
        out["wasm_cache_written_ms"] = (written[0] - nav[-1]) / 1000
    compiles = [
        e
        for e in events
        if e.get("name") in ("v8.compileModule", "v8.compile")
        and str(_arg(e, "url") or "").endswith("/pyodide.asm.mjs")
    ]
    if compiles:
        out["asm_mjs_code_cache_bytes"] = float(max(_arg(e, "consumedCacheSize") or 0 for e in compiles))
    return out


def _arg(event: dict[str, Any], key: str) -> Any:
    args = event.get("args") or {}
    return (args.get("data") or {}).get(key, args.get(key))


class Bench:
    def __init__(self, server: SiteServer, profiles: Path, dwell: float) -> None:
        self.server = server
        self.profiles = profiles
        self.dwell = dwell
        self.init_script = INIT_SCRIPT % json.dumps(edit_spec())
        self.urls = {
            "ours": server.url + PAGE,
            HTTP_ONLY: server.url + PAGE,
            "baseline": server.url + "__bench__/baseline.html",
        }
        self.fetched: dict[str, set[str]] = {}  # paths fetched before live on each cold visit

    @contextmanager
    def browser(self, pw: Any, profile: Path, target: str) -> Iterator[Any]:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            service_workers="block" if target == HTTP_ONLY else "allow",
        )
        try:
            yield context
        finally:
            context.close()

    def visit(
        self, context: Any, target: str, *, throttle: dict[str, Any] | None = None, trace: bool = False
    ) -> tuple[Any, dict[str, float], Trace | None]:
        page = context.new_page()
        if throttle:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", throttle)
        tracer = Trace(context, page) if trace else None
        page.add_init_script(self.init_script)
        self.server.reset()
        page.goto(self.urls[target], wait_until="commit")
        page.wait_for_function("() => window.__live > 0", timeout=600_000, polling=50)
        with self.server._lock:
            sent = list(self.server.sent)
        result: dict[str, float] = {
            "live_ms": page.evaluate("window.__live"),
            "bytes": float(sum(n for _, n in sent)),
            "runtime_bytes": float(sum(n for path, n in sent if path.startswith("/pyodide/"))),
            "requests": float(len(sent)),
            "long_task_ms": page.evaluate("Math.max(0, ...window.__longTasks.map(t => t[1]))"),
            "fcp_ms": page.evaluate(
                "performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint')?.startTime ?? -1"
            ),
        }
        self.fetched.setdefault(target, {path.split("?")[0] for path, _ in sent})
        if target != "baseline":
            result["shift"] = page.evaluate("window.__shift")
            result["edited_ms"] = page.evaluate("window.__editedAt")
            boot = page.evaluate("window.__calculatorsBoot || null") or {}
            result["snapshot"] = float(boot.get("mode") == "snapshot")
            for key, value in (boot.get("marks") or {}).items():
                result[f"worker_{key}_ms"] = value + boot.get("workerStartedAt", 0)
        return page, result, tracer

    def read(self, tracer: Trace | None, target: str, result: dict[str, float]) -> dict[str, float]:
        if tracer:
            result.update(read_trace(tracer.stop(), self.urls[target]))
        return result

    def idle_reading(self, page: Any, target: str, started: float) -> dict[str, float]:
        """Keep the first tab open, idle, for the dwell; say when our page had saved its snapshot
        and its service worker controlled it (seconds after live)."""
        out: dict[str, float] = {}
        deadline = started + self.dwell
        settled = {
            "ours": "!!(navigator.serviceWorker.controller && document.documentElement.dataset.calculatorsSnapshot)",
            HTTP_ONLY: "!!document.documentElement.dataset.calculatorsSnapshot",
        }.get(target)
        while time.monotonic() < deadline:
            if settled and "settled_s" not in out and page.evaluate(settled):
                out["settled_s"] = time.monotonic() - started
            page.wait_for_timeout(250)
        if settled and "settled_s" not in out:  # never leave without both, or later visits mislead
            page.wait_for_function(f"() => {settled}", timeout=300_000)
            out["settled_s"] = time.monotonic() - started
        return out

    def browse(self, pw: Any, target: str, run: int) -> dict[str, dict[str, float]]:
        """Cold visit, idle reading, second tab, restart: one fresh profile."""
        profile = self.profiles / f"{target}-{run}"
        with self.browser(pw, profile, target) as context:
            first, cold, tracer = self.visit(context, target, trace=True)
            live_at = time.monotonic()
            cold.update(self.idle_reading(first, target, live_at))
            cold = self.read(tracer, target, cold)
            tab, second, tracer = self.visit(context, target, trace=True)
            if target != "baseline":
                times = tab.evaluate(LATENCY_SCRIPT, [f"{150_000 + i * 1_000:,}" for i in range(40)])
                second["latency_p50_ms"] = statistics.median(times)
                second["latency_p95_ms"] = sorted(times)[round(0.95 * (len(times) - 1))]
            second = self.read(tracer, target, second)
        with self.browser(pw, profile, target) as context:
            _, restart, tracer = self.visit(context, target, trace=True)
            restart = self.read(tracer, target, restart)
        shutil.rmtree(profile, ignore_errors=True)
        return {"cold": cold, "second_tab": second, "restart": restart}

    def throttled(
        self, pw: Any, target: str, run: int, name: str, conditions: dict[str, Any]
    ) -> dict[str, float]:
        profile = self.profiles / f"{target}-{run}-{name}"
        with self.browser(pw, profile, target) as context:
            _, result, _ = self.visit(context, target, throttle=conditions)
        shutil.rmtree(profile, ignore_errors=True)
        return result


def host_bytes(site: Path, paths: set[str]) -> dict[str, float]:
    """What the files fetched before live would weigh on four kinds of host."""
    models = {"none": 0.0, "gzip": 0.0, "brotli": 0.0, "siblings": 0.0}
    for url_path in paths:
        path = site / url_path.lstrip("/")
        if path.is_dir() or url_path.endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            continue
        data = path.read_bytes()
        on_the_fly = path.suffix in COMPRESSIBLE
        models["none"] += len(data)
        models["gzip"] += len(gzip.compress(data, 6)) if on_the_fly else len(data)
        import brotli

        br = len(brotli.compress(data, quality=BROTLI_ON_THE_FLY)) if on_the_fly else len(data)
        models["brotli"] += br
        sibling = path.with_name(path.name + ".br")
        models["siblings"] += sibling.stat().st_size if sibling.is_file() else br
    return models


def run(runs: int, throttled: bool, dwell: float, host: str, http_cache: bool = False) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[dict[str, float]]] = {}

    def add(name: str, value: dict[str, float]) -> None:
        samples.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        server = SiteServer(site, host_headers=True, compress={"none": False}.get(host, host))
        build_site(site, server.url)
        (site / "__bench__").mkdir()
        (site / "__bench__" / "baseline.html").write_text(BASELINE_HTML % {"distribution": DISTRIBUTION})
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
        bench = Bench(server, Path(tmp) / "profiles", dwell)
        started = time.monotonic()
        loads = []
        with sync_playwright() as pw:
            for i in range(runs):
                loads.append(os.getloadavg()[0])
                order = TARGETS if i % 2 == 0 else TARGETS[::-1]  # alternate, so drift hits both alike
                for target in (*order, HTTP_ONLY) if http_cache else order:
                    print(
                        f"run {i + 1}/{runs}: {target} ({time.monotonic() - started:.0f} s)", file=sys.stderr
                    )
                    for scenario, value in bench.browse(pw, target, i).items():
                        add(f"{target}_{scenario}", value)
                if throttled:
                    for target in order:
                        for name, conditions in (("fast3g", FAST_3G), ("10mbit", TEN_MBIT)):
                            add(f"{target}_{name}", bench.throttled(pw, target, i, name, conditions))
        server.close()
        hosts = {target: host_bytes(site, paths) for target, paths in bench.fetched.items()}
        fetched = {
            target: {
                path: (site / path.lstrip("/")).stat().st_size
                for path in sorted(paths)
                if (site / path.lstrip("/")).is_file()
            }
            for target, paths in bench.fetched.items()
        }
    return {
        "runs": runs,
        "dwell_s": dwell,
        "host": host,
        "samples": samples,
        "host_bytes": hosts,
        "fetched_before_live": fetched,
        "load_averages": loads,
    }


def summarise(data: dict[str, Any]) -> dict[str, Any]:
    """Median, min and max of every figure; ratios per run (ours / baseline in the same run)."""
    samples = data["samples"]
    stats: dict[str, dict[str, list[float]]] = {}
    for scenario, values in samples.items():
        keys = sorted({k for v in values for k in v})
        stats[scenario] = {}
        for key in keys:
            column = [v[key] for v in values if key in v]
            stats[scenario][key] = [statistics.median(column), min(column), max(column), len(column)]
    ratios: dict[str, list[float]] = {}
    for mine in ("ours", HTTP_ONLY):
        for scenario in ("cold", "second_tab", "restart", "fast3g", "10mbit"):
            ours, base = samples.get(f"{mine}_{scenario}"), samples.get(f"baseline_{scenario}")
            if ours and base:
                column = [o["live_ms"] / b["live_ms"] for o, b in zip(ours, base, strict=True)]
                key = scenario if mine == "ours" else f"{HTTP_ONLY}_{scenario}"
                ratios[key] = [statistics.median(column), min(column), max(column), len(column)]
    return {"stats": stats, "ratios": ratios}


GOALS = {"cold": 0.50, "second_tab": 0.20, "restart": 0.25, "fast3g": 0.60}
BYTES_GOAL = 3.5e6


def report(data: dict[str, Any]) -> str:
    s = data["summary"]["stats"]
    r = data["summary"]["ratios"]

    def time_cell(scenario: str) -> str:
        if scenario not in s:
            return "—"
        med, lo, hi, _ = s[scenario]["live_ms"]
        return f"{med / 1000:.2f} s ({lo / 1000:.2f}–{hi / 1000:.2f})"

    def ratio_cell(scenario: str) -> tuple[str, str]:
        if scenario not in r:
            return "—", ""
        med, lo, hi, _ = r[scenario]
        goal = GOALS.get(scenario)
        verdict = "" if goal is None else ("met" if med <= goal else "missed")
        return f"{med:.2f}× ({lo:.2f}–{hi:.2f})", verdict

    def mb(scenario: str, key: str = "bytes") -> str:
        if scenario not in s or key not in s[scenario]:
            return "—"
        med, lo, hi, _ = s[scenario][key]
        return f"{med / 1e6:.2f} MB" if lo == hi else f"{med / 1e6:.2f} MB ({lo / 1e6:.2f}–{hi / 1e6:.2f})"

    def count(scenario: str, key: str) -> str:
        values = [v.get(key, 0.0) for v in data["samples"].get(scenario, [])]
        return f"{int(sum(values))} of {len(values)}" if values else "—"

    def ms(scenario: str, key: str, digits: int = 0) -> str:
        if scenario not in s or key not in s[scenario]:
            return "—"
        med, lo, hi, _ = s[scenario][key]
        return f"{med:,.{digits}f} ms ({lo:,.{digits}f}–{hi:,.{digits}f})"

    rows = []
    names = {
        "cold": "Cold visit (new profile)",
        "second_tab": "Second tab, same browser",
        "restart": "After a browser restart (same profile)",
        "fast3g": 'Cold visit, DevTools "Fast 3G" (1.44 Mbit/s, 562.5 ms RTT)',
        "10mbit": "Cold visit, 10 Mbit/s, 40 ms RTT",
    }
    for scenario, label in names.items():
        if f"ours_{scenario}" not in s:
            continue
        ratio, verdict = ratio_cell(scenario)
        goal = f"≤ {GOALS[scenario]:.2f}×" if scenario in GOALS else "report"
        rows.append(
            f"| {label} | {time_cell('ours_' + scenario)} | {time_cell('baseline_' + scenario)} | {ratio} | {goal} {verdict} |"
        )
    for scenario, label in (("second_tab", "Second tab"), ("restart", "After a browser restart")):
        if f"{HTTP_ONLY}_{scenario}" in s:
            ratio, _ = ratio_cell(f"{HTTP_ONLY}_{scenario}")
            rows.append(
                f"| {label}, our page with service workers blocked (HTTP cache; wasm cache hit "
                f"{count(f'{HTTP_ONLY}_{scenario}', 'wasm_cache_hit')}) | {time_cell(f'{HTTP_ONLY}_{scenario}')} | "
                f"{time_cell('baseline_' + scenario)} | {ratio} | for comparison |"
            )
    bytes_med = s["ours_cold"]["bytes"][0]
    lines = [
        f"Measured {data['date']} on {data['machine']} (1-minute load average {min(data['load_averages']):.1f}–"
        f"{max(data['load_averages']):.1f} at the runs' starts: the machine was shared): headless "
        f"Chromium {data['chromium']} with on-disk profiles, {data['runs']} runs, {data['dwell_s']:.0f} s of idle "
        f"reading after the first visit, host model `{data['host']}`, commit `{data['commit']}`. "
        f"Reproduce with `{data['command']}`.",
        "",
        "Navigation → first live result after an edit: median (min–max). The ratio is ours ÷ baseline, per run.",
        "",
        "| visit | ours | bare baseline | ratio | goal |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "| figure | ours | bare baseline | goal |",
        "|---|---|---|---|",
        f"| Bytes before live, cold, brotli host | {mb('ours_cold')} | {mb('baseline_cold')} | "
        f"≤ 3.50 MB {'met' if bytes_med <= BYTES_GOAL else 'missed'} |",
        f'| Bytes before live, "Fast 3G" cold | {mb("ours_fast3g")} | {mb("baseline_fast3g")} | |',
        f"| Bytes before live, second tab / after a restart | {mb('ours_second_tab')} / {mb('ours_restart')} | "
        f"{mb('baseline_second_tab')} / {mb('baseline_restart')} | |",
        f"| wasm code cache written during the first visit | {count('ours_cold', 'wasm_cache_written')} | "
        f"{count('baseline_cold', 'wasm_cache_written')} | |",
        f"| …at, from navigation | {ms('ours_cold', 'wasm_cache_written_ms')} | "
        f"{ms('baseline_cold', 'wasm_cache_written_ms')} | |",
        f"| wasm code cache hit: second tab | {count('ours_second_tab', 'wasm_cache_hit')} | "
        f"{count('baseline_second_tab', 'wasm_cache_hit')} | |",
        f"| wasm code cache hit: after a restart | {count('ours_restart', 'wasm_cache_hit')} | "
        f"{count('baseline_restart', 'wasm_cache_hit')} | |",
        f"| JS code cache used for `pyodide.asm.mjs` after a restart (bytes) | "
        f"{mb('ours_restart', 'asm_mjs_code_cache_bytes')} | {mb('baseline_restart', 'asm_mjs_code_cache_bytes')} | |",
        f"| Snapshot saved and service worker in control, after live | "
        f"{_seconds(s['ours_cold'].get('settled_s'))} | — | |",
        f"| Memory snapshot restored: second tab / after a restart | {count('ours_second_tab', 'snapshot')} / "
        f"{count('ours_restart', 'snapshot')} | — | |",
        f"| Input → updated output, second tab, median / 95th percentile | "
        f"{ms('ours_second_tab', 'latency_p50_ms', 1)} / {ms('ours_second_tab', 'latency_p95_ms', 1)} | — | p95 ≤ 30 ms |",
        f"| Longest main-thread task, cold | {ms('ours_cold', 'long_task_ms')} | {ms('baseline_cold', 'long_task_ms')} | |",
        f"| First contentful paint (results already in the HTML), cold | {ms('ours_cold', 'fcp_ms')} | — | |",
        f"| Layout shift, cold | {s['ours_cold']['shift'][0]:.3f} | — | 0 |",
        "",
        "Bytes before live on a cold visit if the same files came from other kinds of host "
        "(computed from the files fetched; zip and wheel files are never compressed on the fly):",
        "",
        "| host | ours | bare baseline |",
        "|---|---|---|",
    ]
    hosts = data["host_bytes"]
    for model, label in (
        ("none", "no compression"),
        ("gzip", "gzip on the fly (GitHub Pages)"),
        ("brotli", f"brotli on the fly, quality {BROTLI_ON_THE_FLY} (Cloudflare Pages, Netlify)"),
        ("siblings", "precompressed `.br` siblings, else brotli (nginx `brotli_static`, Caddy)"),
    ):
        lines.append(
            f"| {label} | {hosts.get('ours', {}).get(model, 0) / 1e6:.2f} MB | "
            f"{hosts.get('baseline', {}).get(model, 0) / 1e6:.2f} MB |"
        )
    lines += [
        "",
        "Our worker's boot milestones, from navigation (median ms): "
        + "; ".join(
            f"{scenario.replace('_', ' ')}: "
            + ", ".join(
                f"{key[len('worker_') : -len('_ms')]} {s['ours_' + scenario][key][0]:,.0f}"
                for key in sorted(s["ours_" + scenario], key=lambda k: s["ours_" + scenario][k][0])
                if key.startswith("worker_")
            )
            for scenario in ("cold", "second_tab", "restart")
            if "ours_" + scenario in s
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def _seconds(cell: list[float] | None) -> str:
    return "—" if not cell else f"{cell[0]:.1f} s ({cell[1]:.1f}–{cell[2]:.1f})"


def chromium_version() -> str:
    proc = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False)
    return next((w for w in proc.stdout.split() if w[:1].isdigit()), "?")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dwell", type=float, default=20.0, help="idle seconds after the first visit (20)")
    parser.add_argument("--host", choices=("br", "gzip", "none"), default="br")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--skip-throttled", action="store_true")
    parser.add_argument(
        "--compare-http-cache", action="store_true", help="also our page with service workers blocked"
    )
    args = parser.parse_args(argv)
    commit = subprocess.run(  # before the build: what was measured
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    data = run(args.runs, not args.skip_throttled, args.dwell, args.host, args.compare_http_cache)
    data["summary"] = summarise(data)
    data["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    data["machine"] = f"{os.cpu_count()} cores, {platform.machine()}"
    data["chromium"] = chromium_version()
    data["command"] = " ".join(
        ["python scripts/bench_browser.py", *(argv if argv is not None else sys.argv[1:])]
    )
    data["commit"] = commit
    text = report(data)
    print(text)
    if not args.no_write:
        out = ROOT / "bench"
        out.mkdir(exist_ok=True)
        (out / "results.json").write_text(json.dumps(data, indent=1) + "\n")
        (out / "results.md").write_text(text)


if __name__ == "__main__":
    main()
