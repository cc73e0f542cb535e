"""The reader's state, remembered on their device, and the letters, in a real Chromium.

Oracles: the dataset's names (calculators.states.NAMES) and ``calculators.run()`` in CPython for
the letters' text (the parity test shows Pyodide agrees byte for byte).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

import calculators

from .conftest import SiteServer, Watch, wait_live

pytestmark = pytest.mark.browser

GARNISH = "calculators/garnishment/"
CHECK = "calculators/deficiency-check/"

# Site storage blocked (a privacy setting, or an embedded browser): reading it throws.
BLOCK_STORAGE = """
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, { get() { throw new DOMException("blocked", "SecurityError"); } });
}
"""


def pick_on_home(page: Page, server: SiteServer, code: str) -> None:
    page.goto(server.url)
    picker = page.locator("form[data-state-picker]").first
    expect(picker).to_be_visible()
    picker.locator("select").select_option(code)
    picker.locator("button[type='submit']").click()
    page.wait_for_url("**/states/**")


def test_a_state_picked_on_the_home_page_presets_every_calculator_and_a_link_wins(
    page: Page, server: SiteServer
) -> None:
    watch = Watch(page)
    pick_on_home(page, server, "OH")
    assert page.url.endswith("/states/ohio/")
    # Another page's calculator opens preset to it.
    page.goto(server.url + GARNISH)
    assert page.locator("[data-calculator] select[name='state']").input_value() == "OH"
    assert wait_live(page) == "live"
    expect(page.locator("[data-calculator] [data-output='state_rule']")).to_contain_text("Ohio")
    # The navigation names it and links to its page.
    nav = page.locator(".md-nav--primary a[data-your-state='OH']").first
    expect(nav).to_contain_text("Your state: Ohio")
    # A share link for another state wins over the remembered one.
    page.goto(server.url + GARNISH + "#c=garnishment&state=TX")
    page.reload()
    assert page.locator("[data-calculator] select[name='state']").input_value() == "TX"
    assert wait_live(page) == "live"
    expect(page.locator("[data-calculator] [data-output='state_rule']")).to_contain_text("Texas")
    # ...without forgetting the reader's own choice.
    page.goto(server.url + "calculators/deficiency/")
    assert page.locator("[data-calculator] select[name='state']").first.input_value() == "OH"
    # The choice never travels in a request.
    assert not [u for u in watch.urls if "OH" in u.split("#")[0] and "state=" in u]


def test_choosing_a_state_on_a_calculator_is_remembered_too(page: Page, server: SiteServer) -> None:
    page.goto(server.url + GARNISH)
    assert wait_live(page) == "live"
    page.locator("[data-calculator] select[name='state']").select_option("NY")
    page.goto(server.url + CHECK)
    assert page.locator("[data-calculator] select[name='state']").input_value() == "NY"


def test_with_storage_blocked_the_picker_and_the_calculators_still_work(
    browser: Browser, server: SiteServer
) -> None:
    ctx = browser.new_context(service_workers="block")
    ctx.add_init_script(BLOCK_STORAGE)
    page = ctx.new_page()
    watch = Watch(page)
    pick_on_home(page, server, "CA")
    assert page.url.endswith("/states/california/")
    page.goto(server.url + GARNISH)
    assert page.locator("[data-calculator] select[name='state']").input_value() == ""
    assert wait_live(page) == "live"
    page.locator("[data-calculator] select[name='state']").select_option("CA")
    expect(page.locator("[data-calculator] [data-output='state_rule']")).to_contain_text("California")
    assert watch.page_errors == []
    ctx.close()


def test_a_state_page_opens_with_its_calculators_set_to_it(page: Page, server: SiteServer) -> None:
    page.goto(server.url + "states/texas/")
    states = page.locator("[data-calculator] select[name='state']")
    assert states.count() == 3
    assert {states.nth(i).input_value() for i in range(3)} == {"TX"}
    assert wait_live(page) == "live"
    # The state's facts are asked: Texas's rules depend on a home-equity loan.
    expect(page.locator("[data-calculator='deficiency'] [data-field='home_equity_loan']")).to_be_visible()


def letter_text(page: Page, name: str) -> str:
    return page.locator(f"[data-calculator] pre[data-output='{name}']").text_content() or ""


def test_the_letters_follow_the_form_keep_personal_details_out_of_the_url_and_download(
    page: Page, server: SiteServer, tmp_path: Path
) -> None:
    page.goto(server.url + CHECK)
    assert wait_live(page) == "live"
    root = page.locator("[data-calculator]")
    root.locator("input[name='your_name']").fill("Pat Doe")
    root.locator("input[name='account']").fill("77-1234")
    root.locator("input[name='lender']").fill("Acme Auto Credit")
    root.locator("input[name='sale_date']").fill("2026-03-03")
    inputs = {
        "your_name": "Pat Doe",
        "account": "77-1234",
        "lender": "Acme Auto Credit",
        "sale_date": "2026-03-03",
    }
    want = calculators.run("deficiency-check", inputs)
    expect(root.locator("pre[data-output='request_letter']")).to_have_text(want["request_letter"])
    expect(root.locator("pre[data-output='dispute_letter']")).to_have_text(want["dispute_letter"])
    # The reader's own details never reach the address bar (or a share link); the rest does.
    page.wait_for_function("() => location.hash.includes('lender=Acme')")
    fragment = page.evaluate("location.hash")
    assert "Pat" not in fragment
    assert "77-1234" not in fragment
    assert "sale_date=2026-03-03" in fragment
    # A reload in the same tab keeps them.
    page.reload()
    assert wait_live(page) == "live"
    assert root.locator("input[name='your_name']").input_value() == "Pat Doe"
    expect(root.locator("pre[data-output='request_letter']")).to_contain_text("Pat Doe")
    # Download: the letter exactly as shown.
    root.locator("details.calc__letter-box").first.evaluate("d => d.open = true")
    with page.expect_download() as download:
        root.locator("[data-letter-action='download'][data-letter='request_letter']").click()
    saved = tmp_path / "letter.txt"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "request-letter.txt"
    assert saved.read_text(encoding="utf-8") == letter_text(page, "request_letter")


def test_a_letter_is_not_handed_out_while_it_is_stale(page: Page, server: SiteServer) -> None:
    # Python never goes live: an edit leaves the letters for the page's values, marked stale.
    page.route("**/pyodide.asm.wasm", lambda route: None)
    page.goto(server.url + CHECK + "#c=deficiency-check&claimed_deficiency=" + quote("9,000"))
    root = page.locator("[data-calculator]")
    expect(root).to_have_class(re.compile(r"\bcalc--stale\b"), timeout=10_000)
    root.locator("details.calc__letter-box").first.evaluate("d => d.open = true")
    root.locator("[data-letter-action='copy'][data-letter='request_letter']").click()
    expect(root.locator("[data-letter-done='request_letter']")).to_contain_text(
        "wait until they match the form"
    )


def test_instant_navigation_reaches_the_pages_with_maps(page: Page, server: SiteServer) -> None:
    """Material's instant navigation rewrites every link of a page it loads; the maps' SVG links
    must not break it (an SVG link's `href` property is read-only)."""
    watch = Watch(page)
    page.goto(server.url + "calculators/deficiency/")
    page.evaluate("() => { window.__sameDocument = true }")
    page.locator(".md-nav--primary a.md-nav__link[href$='state-laws/']").first.click()
    page.wait_for_url("**/state-laws/")
    expect(page.locator("svg[data-map='home']")).to_be_visible()
    page.locator("svg[data-map='pay'] a.map__link[aria-label^='Ohio:']").click()
    page.wait_for_url("**/states/ohio/")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Ohio"))
    assert page.evaluate("() => window.__sameDocument === true")
    assert watch.page_errors == []
