"""The calculator platform in a real Chromium against the real built site (no service worker).

Oracle for live numbers: the same ``calculators.run()`` in CPython (the parity test separately
shows CPython and Pyodide agree byte for byte), formatted by ``site_integration.render.display``.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

import calculators
from site_integration.render import display

from .conftest import SiteServer, Watch, wait_live

pytestmark = pytest.mark.browser

AMORT = "calculators/amortization/"
DEFICIENCY = "calculators/deficiency/"


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


def test_changing_an_input_updates_the_output(page: Page, server: SiteServer) -> None:
    watch = Watch(page)
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    page.fill("input[name='loan_amount']", "$150,000")
    expected = shown("amortization", {"loan_amount": "$150,000"}, "payment")
    expect(page.locator("[data-output='payment']")).to_have_text(expected)
    # numpy_financial.pmt(0.065/12, 360, -150000) = 948.102... -> $948.10
    assert expected == "$948.10"
    page.fill("input[name='term_months']", "12")
    expect(page.locator("[data-output='schedule'] tbody tr")).to_have_count(12)
    expect(page.locator("[data-output='schedule'] tbody tr").last.locator("td").last).to_have_text("$0.00")
    assert watch.page_errors == []
    assert watch.console_errors == []


LEAF_TEXTS = """els => els.map(e => e.children.length
    ? [...e.querySelectorAll('*')].filter(x => !x.children.length).map(x => x.textContent)
    : [e.textContent])"""


def test_live_output_matches_prerendered_text_exactly(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT)
    before = page.eval_on_selector_all("[data-output]", LEAF_TEXTS)
    assert wait_live(page) == "live"
    # Recompute with the same values: Python's formatting and format.js must agree to the character.
    page.dispatch_event("input[name='loan_amount']", "input")
    page.wait_for_function("document.querySelector('[data-status]').textContent.startsWith('Live')")
    page.wait_for_timeout(300)
    after = page.eval_on_selector_all("[data-output]", LEAF_TEXTS)
    assert after == before


def test_invalid_input_shows_the_field_error_and_no_traceback(page: Page, server: SiteServer) -> None:
    watch = Watch(page)
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    payment = page.text_content("[data-output='payment']")
    page.fill("input[name='annual_rate']", "six percent")
    error = page.locator("[data-error-for='annual_rate']")
    expect(error).to_have_text("Annual interest rate must be a number between 0 and 100, written like 6.5.")
    field = page.locator("input[name='annual_rate']")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert error.get_attribute("id") in (field.get_attribute("aria-describedby") or "").split()
    assert page.text_content("[data-output='payment']") == payment  # the last good result stays
    assert "Traceback" not in page.content()
    page.fill("input[name='annual_rate']", "6.5")
    expect(error).to_have_text("")
    assert watch.page_errors == []
    assert watch.console_errors == []


def test_in_site_navigation_reuses_the_booted_runtime(page: Page, server: SiteServer) -> None:
    watch = Watch(page)
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    page.evaluate("window.__samePage = true")
    page.click(f"nav a[href$='{DEFICIENCY.split('/')[-2]}/']")
    page.wait_for_url(server.url + DEFICIENCY)
    assert wait_live(page, "[data-calculator='deficiency']") == "live"
    assert page.evaluate("window.__samePage === true"), "instant navigation did not keep the page"
    page.fill("[data-calculator='deficiency'] input[name='sale_price']", "1,000")
    # This page's first calculator has its own defaults: compute from what its form holds.
    values = page.eval_on_selector(
        "[data-calculator='deficiency'] form",
        "f => Object.fromEntries([...f.elements].filter(e => e.name).map(e => [e.name, e.value]))",
    )
    expected = shown("deficiency", values, "deficiency")
    expect(page.locator("[data-calculator='deficiency'] [data-output='deficiency']").first).to_have_text(
        expected
    )
    assert server.count("pyodide.asm.wasm") == 1
    assert len([w for w in watch.workers if w.endswith("worker.js")]) == 1


def test_no_other_origin_and_no_console_errors(page: Page, server: SiteServer) -> None:
    watch = Watch(page)
    for path in ("", AMORT, "glossary/", "state-laws/"):
        page.goto(server.url + path)
        if page.locator("[data-calculator]").count():
            assert wait_live(page) == "live"
    origins = {urlparse(u).netloc for u in watch.urls if urlparse(u).scheme in ("http", "https")}
    assert origins == {urlparse(server.url).netloc}, origins
    assert watch.console_errors == []
    assert watch.page_errors == []


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
    logged = [w for w in watch.console_warnings if w.startswith("Live recalculation is unavailable (unavailable): ")]
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
