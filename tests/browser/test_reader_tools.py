"""The reader's tools in a real Chromium: charts, share links, CSV, print, reset, hostile links.

Oracle for every number: ``calculators.run()`` in CPython (the parity test shows Pyodide agrees
byte for byte), formatted by ``site_integration.render.display``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, Route, expect

import calculators
from site_integration.render import display

from .conftest import SiteServer, Watch, wait_live

pytestmark = pytest.mark.browser

AMORT = "calculators/amortization/"
UNDERWATER = "calculators/underwater/"


def outputs(page: Page, root: str = "[data-calculator]") -> dict[str, str]:
    """Every scalar, prose and headline output's text in the first calculator."""
    return page.eval_on_selector(
        root,
        "r => Object.fromEntries([...r.querySelectorAll('[data-output]')]"
        ".filter(e => !['rows', 'steps'].includes(e.dataset.kind)).map(e => [e.dataset.output, e.textContent]))",
    )


def expected(name: str, inputs: dict[str, str]) -> dict[str, str]:
    calc = calculators.CALCULATORS[name]
    result = calculators.run(name, {**calc.defaults(), **inputs})
    return {
        o.name: display(o.kind.value, result[o.name])
        for o in calc.outputs
        if o.kind.value not in ("rows", "steps")
    }


def hold_runtime(page: Page) -> None:
    """Never answer the wasm request: the page stays in its loading state (Python never goes live)."""

    def stall(route: Route) -> None:
        pass  # neither fulfilled nor aborted

    page.route("**/pyodide.asm.wasm", stall)


def test_chart_is_drawn_before_python_is_live_and_redrawn_after_an_edit(
    page: Page, server: SiteServer
) -> None:
    hold_runtime(page)
    page.goto(server.url + UNDERWATER)
    figure = page.locator("figure[data-chart]")
    expect(figure).to_have_attribute("data-drawn", "1", timeout=20_000)
    assert page.get_attribute("[data-calculator]", "data-state") == "loading"
    assert page.locator("figure[data-chart] canvas").count() == 1
    # The space was reserved at build: drawing did not change the figure's height.
    assert page.eval_on_selector(".calc__chart-plot", "e => e.getBoundingClientRect().height") > 200


def test_chart_follows_live_results(page: Page, server: SiteServer) -> None:
    page.goto(server.url + UNDERWATER)
    assert wait_live(page) == "live"
    figure = page.locator("figure[data-chart]")
    expect(figure).to_have_attribute("data-drawn", "1")
    before = page.eval_on_selector("figure[data-chart] canvas", "c => c.toDataURL()")
    page.fill("input[name='loan_amount']", "45,000")
    expect(figure).to_have_attribute("data-drawn", "2")
    after = page.eval_on_selector("figure[data-chart] canvas", "c => c.toDataURL()")
    assert after != before  # the picture changed with the numbers
    balance = calculators.run("underwater", {"loan_amount": "45,000"})["timeline"][0]["balance"]
    assert (
        page.get_attribute("table[data-output='timeline'] tbody tr td:nth-child(2)", "data-value") == balance
    )


def test_a_share_link_reproduces_the_scenario_and_a_reload_keeps_it(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    page.fill("input[name='loan_amount']", "150,000")
    page.fill("input[name='annual_rate']", "5.25")
    page.select_option("select[name='frequency']", "biweekly")
    want = expected(
        "amortization", {"loan_amount": "150,000", "annual_rate": "5.25", "frequency": "biweekly"}
    )
    expect(page.locator("[data-output='payment']")).to_have_text(want["payment"])
    link = page.url
    assert "#c=amortization&" in link
    assert "loan_amount=150%2C000" in link
    assert "?" not in link
    fields = [f.name for f in calculators.CALCULATORS["amortization"].fields]
    assert all(f"&{name}=" in link for name in fields)  # every field of the calculator

    other = page.context.new_page()
    other.goto(link)
    # Before Python is live the page says the results are not yet the link's.
    assert other.input_value("input[name='loan_amount']") == "150,000"
    assert wait_live(other) == "live"
    expect(other.locator("[data-output='payment']")).to_have_text(want["payment"])
    assert outputs(other) == want
    other.reload()
    assert wait_live(other) == "live"
    expect(other.locator("[data-output='payment']")).to_have_text(want["payment"])
    assert outputs(other) == want
    assert other.input_value("select[name='frequency']") == "biweekly"


def test_before_live_a_link_says_the_results_are_not_yet_its_own(page: Page, server: SiteServer) -> None:
    hold_runtime(page)
    page.goto(server.url + AMORT + "#c=amortization&loan_amount=90%2C000")
    root = page.locator("[data-calculator]")
    expect(root).to_have_class(re.compile(r"calc--stale"))
    assert page.input_value("input[name='loan_amount']") == "90,000"
    assert "not the link's" in (page.text_content("[data-status]") or "")
    assert page.text_content("[data-output='payment']") == expected("amortization", {})["payment"]


def test_an_edit_before_live_marks_the_results_stale(page: Page, server: SiteServer) -> None:
    hold_runtime(page)
    page.goto(server.url + AMORT)
    page.fill("input[name='loan_amount']", "90,000")
    expect(page.locator("[data-calculator]")).to_have_class(re.compile(r"calc--stale"))
    assert "still for the page's original values" in (page.text_content("[data-status]") or "")


def test_a_link_missing_a_field_takes_the_pages_value(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT + "#c=amortization&term_months=120")
    assert wait_live(page) == "live"
    want = expected("amortization", {"term_months": "120"})
    expect(page.locator("[data-output='payment']")).to_have_text(want["payment"])
    assert page.input_value("input[name='loan_amount']") == "200,000"


def test_reset_brings_the_pages_values_back(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    page.fill("input[name='loan_amount']", "1,234")
    expect(page.locator("[data-output='payment']")).not_to_have_text(expected("amortization", {})["payment"])
    page.click("[data-action='reset']")
    expect(page.locator("[data-output='payment']")).to_have_text(expected("amortization", {})["payment"])
    assert page.input_value("input[name='loan_amount']") == "200,000"
    assert "#c=" not in page.url


def test_csv_has_the_schedules_header_and_rows(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT + "#c=amortization&loan_amount=10%2C000&annual_rate=6&term_months=24")
    assert wait_live(page) == "live"
    page.click("details:has([data-export='csv']) > summary")
    with page.expect_download() as info:
        page.click("[data-export='csv']")
    download = info.value
    assert download.suggested_filename.startswith("amortization-schedule-")
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    result = calculators.run(
        "amortization", {"loan_amount": "10,000", "annual_rate": "6", "term_months": "24"}
    )
    columns = next(o for o in calculators.CALCULATORS["amortization"].outputs if o.name == "schedule").columns
    assert rows[0] == [label for _key, label, _kind in columns]
    assert len(rows) == 1 + len(result["schedule"]) == 25
    # Plain numbers, exactly as run() returns them: no "$" and no thousands separators.
    assert rows[1] == [str(result["schedule"][0][key]) for key, _label, _kind in columns]
    assert "#c=amortization" in page.url  # downloading left the share link in place


def test_print_hides_the_chrome_and_shows_the_report(page: Page, server: SiteServer) -> None:
    page.goto(server.url + UNDERWATER)
    assert wait_live(page) == "live"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.md-header', '.md-sidebar--primary', '.md-search', '.calc__actions']"
        ".map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)"
    )
    assert hidden
    assert set(hidden) == {"none"}
    assert page.eval_on_selector(".calc__print", "e => getComputedStyle(e).display") == "block"
    assert (page.text_content("[data-share-link]") or "").startswith(
        server.url + UNDERWATER + "#c=underwater&"
    )
    assert page.text_content("[data-print-date]")
    assert "Sources: UCC" in (page.text_content(".calc__print") or "")
    assert page.eval_on_selector(".md-copyright__highlight", "e => getComputedStyle(e).display") != "none"


HOSTILE = [
    "<img src=x onerror=window.__pwned=1>",
    '"><script>window.__pwned=1</script>',
    "javascript:window.__pwned=1",
    "${window.__pwned=1}",
]


def test_a_hostile_or_huge_fragment_executes_nothing_and_leaves_the_page_working(
    page: Page, server: SiteServer
) -> None:
    watch = Watch(page)
    junk = "&".join(f"x{i}=" + "A" * 50 for i in range(2000))  # about 100 kB
    parts = [
        f"loan_amount={quote(HOSTILE[0])}",
        f"{quote(HOSTILE[1])}={quote(HOSTILE[2])}",
        f"frequency={quote(HOSTILE[3])}",
    ]
    page.goto(server.url + AMORT + "#c=amortization&" + "&".join(parts) + "&" + junk)
    assert wait_live(page) == "live"
    expect(page.locator("[data-error-for='loan_amount']")).to_contain_text("Loan amount")
    expect(page.locator("[data-error-for='frequency']")).to_contain_text("Payment schedule must be one of")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("img[src='x']").count() == 0
    # The page still works: a good value recomputes.
    page.fill("input[name='loan_amount']", "100,000")
    page.select_option("select[name='frequency']", "monthly")
    expect(page.locator("[data-output='payment']")).to_have_text(
        expected("amortization", {"loan_amount": "100,000"})["payment"]
    )
    assert page.evaluate("window.__pwned === undefined")
    assert watch.page_errors == []


def test_a_links_unknown_fields_are_counted_never_echoed(page: Page, server: SiteServer) -> None:
    # A link's own words must not reach the page: a forged link could put a phone number there.
    phrase = "Call 555-0100 now to settle your debt"
    unknown = "&".join(f"{quote(phrase)}{i}=1" for i in range(5))
    page.goto(server.url + AMORT + "#c=amortization&loan_amount=150%2C000&" + unknown)
    assert wait_live(page) == "live"
    # numpy_financial.pmt(0.065/12, 360, -150000) = 948.10... -> rounded up to the cent
    expect(page.locator("[data-output='payment']")).to_have_text("$948.11")
    expect(page.locator("[data-status]")).to_have_text(
        "This link had 5 values this calculator does not use; they were ignored."
    )
    assert "555-0100" not in page.evaluate("document.body.textContent")


def test_heading_anchors_still_work(page: Page, server: SiteServer) -> None:
    page.goto(server.url + AMORT + "#extra-payments-and-every-two-weeks")
    assert wait_live(page) == "live"
    assert page.url.endswith("#extra-payments-and-every-two-weeks")
    top = page.eval_on_selector("#extra-payments-and-every-two-weeks", "e => e.getBoundingClientRect().top")
    assert top < 200  # scrolled to the heading
