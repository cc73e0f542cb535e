"""The calculator platform in a real Chromium against the real built site (no service worker).

What every engine must do (live recompute, field errors, instant navigation, the snapshot,
offline, no console errors, no other origin) is the cross-engine suite, tests/engines/; this
file keeps what Chromium alone checks: JavaScript off, text parity, the fault table, layout.

Oracle for live numbers: the same ``calculators.run()`` in CPython (the parity test separately
shows CPython and Pyodide agree byte for byte), formatted by ``site_integration.render.display``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

import calculators
from site_integration.render import display

from .conftest import SiteServer, Watch, wait_live

pytestmark = pytest.mark.browser

AMORT = "calculators/amortization/"


def shown(name: str, inputs: dict[str, str], output: str) -> str:
    calc = calculators.CALCULATORS[name]
    result = calculators.run(name, {**calc.defaults(), **inputs})
    kind = next(o.kind.value for o in calc.outputs if o.name == output)
    return display(kind, result[output])


def test_prerendered_result_is_there_with_javascript_off(browser: Browser, server: SiteServer) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server.url + AMORT)
    assert page.text_content("[data-calculator='amortization'] [data-output='payment']") == shown(
        "amortization", {}, "payment"
    )
    # numpy_financial.pmt(0.065/12, 360, -200000) = 1264.136... -> the page's default loan
    assert page.text_content("[data-calculator='amortization'] [data-output='payment']") == "$1,264.14"
    assert server.count("pyodide.asm.wasm") == 0
    ctx.close()


LEAF_TEXTS = """els => els.map(e => e.children.length
    ? [...e.querySelectorAll('*')].filter(x => !x.children.length).map(x => x.textContent)
    : [e.textContent])"""


def test_live_output_matches_prerendered_text_exactly(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT)
    before = page.eval_on_selector_all("[data-output]", LEAF_TEXTS)
    assert wait_live(page) == "live"
    # Recompute with the same values: Python's formatting and format.js must agree to the character.
    page.dispatch_event("input[name='loan_amount']", "input")
    page.wait_for_function("() => document.querySelector('[data-status]').textContent.startsWith('Live')")
    page.wait_for_timeout(300)
    after = page.eval_on_selector_all("[data-output]", LEAF_TEXTS)
    assert after == before


def test_pages_without_calculators_load_no_runtime(page: Page, server: SiteServer) -> None:
    page.goto(server.url + "glossary/")
    page.wait_for_load_state("networkidle")
    assert server.count("pyodide.mjs") == 0
    assert server.count("worker.js") == 0


UNAVAILABLE = "Live recalculation is unavailable. The results shown are for the page's original values."


@pytest.mark.parametrize(
    ("path", "fault", "reason"),
    [
        (r"pyodide\.asm\.wasm$", "404", "pyodide.asm.wasm could not be loaded"),
        (r"pyodide\.asm\.wasm$", "truncate", "pyodide.asm.wasm could not be loaded"),
        (r"/pyodide\.mjs$", "404", "pyodide.mjs"),
        (r"runtime\.json$", "404", "runtime.json could not be loaded (HTTP 404)"),
        (r"pyodide-lock\.[0-9a-f]+\.json$", "404", "could not be loaded (HTTP 404)"),
        (r"python_stdlib\.[0-9a-f]+\.zip$", "truncate", "Program terminated"),
        (r"\.whl$", "corrupt", "the calculators package failed its integrity check"),
    ],
)
def test_runtime_failure_keeps_prerendered_results_and_says_so(
    page: Page, server: SiteServer, path: str, fault: str, reason: str
) -> None:
    server.faults[path] = fault
    watch = Watch(page)
    page.goto(server.url + AMORT)
    assert wait_live(page) == "failed"
    # The reader gets a plain sentence; the technical reason goes to the console.
    assert page.text_content("[data-status]") == UNAVAILABLE
    logged = [
        w for w in watch.console_warnings if w.startswith("Live recalculation is unavailable (unavailable): ")
    ]
    assert len(logged) == 1, watch.console_warnings
    assert reason in logged[0], logged
    assert page.text_content("[data-output='payment']") == "$1,264.14"
    assert watch.page_errors == []


def test_no_layout_shift_when_results_go_live(page: Page, server: SiteServer) -> None:
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(l => l.getEntries().forEach(e => {"
        " if (!e.hadRecentInput) window.__shift += e.value })).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") == 0
