"""A reader on a phone, in a real Chromium: the keyboard never leaves the screen, a tap on a
chart speaks, and print keeps every column and every flag.

(That no page is wider than the screen is checked in three engines: tests/engines/test_phone.py.)

Oracles: the engine's own layout and focus; for the chart, the schedule table under it (built by
CPython at build time, then by Pyodide); for print, the PDF Chromium prints, read back with pypdf,
against ``calculators.run()`` in CPython for the flags' text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

import calculators
from scripts.site_server import SiteServer

from .conftest import wait_live

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CHECK = "calculators/deficiency-check/"
KEYBOARD_PAGES = ["", CHECK, "calculators/deficiency/", "states/ohio/"]

# Where the focused element is, once any transition it set off (the search opening) has ended.
# A visually hidden control (Material's palette switch) is shown by its label: that is measured.
FOCUS = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await frame();
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material opens the search a little after its field takes focus (later on a busy machine):
  // wait for it to be open, then for its transition to end.
  const search = document.getElementById("__search");
  for (let i = 0; i < 100 && el.closest(".md-search__form") && search && !search.checked; i++) await frame();
  await frame();
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  let box = el.getBoundingClientRect();
  const shown = el.nextElementSibling?.tagName === "LABEL" ? el.nextElementSibling : el.labels?.[0];
  if ((!box.width || !box.height) && shown) box = shown.getBoundingClientRect();
  const answer = el.closest("[data-calculator]")?.querySelector(".calc__headline");
  const a = answer && el.closest("form") ? answer.getBoundingClientRect() : null;
  el.__stop ??= window.__stops = (window.__stops || 0) + 1; // which stop this is, to see focus come round
  return {
    key: el.__stop,
    what: `${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\\s+/)[0]} ${(el.name || el.textContent || "").trim().slice(0, 40)}`,
    left: box.left, right: box.right, top: box.top, bottom: box.bottom, width: box.width, height: box.height,
    answer: a && { top: a.top, bottom: a.bottom },
    vw: document.documentElement.clientWidth, vh: window.innerHeight,
  };
}"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")
    yield ctx
    ctx.close()


def tab_through(page: Page, limit: int = 400) -> list[dict]:
    """Press Tab from the top of the page until focus comes back round; every stop seen."""
    stops: list[dict] = []
    seen: set[int] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        at = page.evaluate(FOCUS)
        if at is None:
            break
        key = at["key"]
        if key in seen and stops:
            break
        seen.add(key)
        stops.append(at)
    return stops


@pytest.mark.parametrize("path", KEYBOARD_PAGES)
def test_every_tab_stop_is_on_screen_at_phone_width(
    phone: BrowserContext, server: SiteServer, path: str
) -> None:
    page = phone.new_page()
    page.goto(server.url + path)
    if page.locator("[data-calculator]").count():
        assert wait_live(page) == "live"
    stops = tab_through(page)
    assert len(stops) >= 10, stops
    off = [
        s["what"]
        for s in stops
        if s["width"] == 0
        or s["left"] < -1
        or s["right"] > s["vw"] + 1
        or s["top"] < -1
        or s["bottom"] > s["vh"] + 1
    ]
    assert off == [], (
        f"{len(off)} of {len(stops)} stops off screen: {off[:8]} {[(s['left'], s['top'], s['width'], s['height']) for s in stops if s['what'] in off][:3]}"
    )
    # While a field of a calculator has focus, its answer is on screen and covers no field.
    fields = [s for s in stops if s["answer"]]
    if page.locator("[data-calculator]").count():
        assert fields, "no calculator field was reached"
    for s in fields:
        assert s["answer"]["top"] >= 0, s
        assert s["answer"]["bottom"] <= s["vh"] + 1, s
        assert s["bottom"] <= s["answer"]["top"] + 1 or s["top"] >= s["answer"]["bottom"] - 1, s


def test_the_menu_button_opens_the_drawer_from_the_keyboard_and_escape_closes_it(
    phone: BrowserContext, server: SiteServer
) -> None:
    page = phone.new_page()
    page.goto(server.url + CHECK)
    drawer = page.locator(".md-sidebar--primary")
    # Closed, the drawer takes no focus (to see it fail, drop the theme override's script).
    assert drawer.evaluate("el => el.inert") is True
    button = page.locator("label.md-header__button[for='__drawer']")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    assert drawer.evaluate("el => el.inert") is False
    at = page.evaluate(FOCUS)
    assert at is not None
    assert at["left"] >= 0
    assert "md-nav__link" in at["what"] or "md-logo" in at["what"] or "md-nav__button" in at["what"], at
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    assert drawer.evaluate("el => el.inert") is True
    assert page.evaluate("() => document.activeElement.getAttribute('for')") == "__drawer"
    # Through instant navigation too: the new page's drawer is closed and inert.
    page.locator("article a[href$='/deficiency/']").first.click()
    page.wait_for_url("**/calculators/deficiency/")
    expect(page.locator(".md-sidebar--primary")).to_have_js_property("inert", True)


def test_a_tap_on_a_chart_shows_that_points_values(phone: BrowserContext, server: SiteServer) -> None:
    page = phone.new_page()
    page.goto(server.url + "calculators/amortization/")
    assert wait_live(page) == "live"
    figure = page.locator("figure[data-chart]")
    expect(figure).to_have_attribute("data-point", re.compile(r"^\d+$"))
    legend = figure.locator(".u-legend")
    # Before any tap the legend already shows values (the last payment), not bare names.
    expect(legend).to_contain_text("$")
    plot = figure.locator(".u-over")
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    expect(figure).not_to_have_attribute("data-point", "359")
    index = int(figure.get_attribute("data-point") or "0")
    assert 0 < index < 359
    # The legend's figures are that row of the schedule table under the chart.
    row = page.locator("[data-output='schedule'] tbody tr").nth(index)
    cells = [c.strip() for c in row.locator("td").all_text_contents()]
    text = legend.text_content() or ""
    assert cells[0] in text
    for value in cells[2:]:  # interest, principal, balance
        assert value in text, (value, text)
    # The arrow keys step through the points from there.
    page.locator(".calc__chart-plot").focus()
    page.keyboard.press("ArrowRight")
    expect(figure).to_have_attribute("data-point", str(index + 1))
    page.keyboard.press("Home")
    expect(figure).to_have_attribute("data-point", "0")


def test_print_keeps_every_column_and_every_flag(browser: Browser, server: SiteServer) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + CHECK)
    assert wait_live(page) == "live"
    field = page.locator("[data-calculator] input").first
    field.focus()
    # The PDF Chromium prints (Letter, half-inch margins: 7.5 in = 720 CSS px of text).
    pdf = page.pdf(
        format="Letter", margin={"top": "0.5in", "bottom": "0.5in", "left": "0.5in", "right": "0.5in"}
    )
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    calc = calculators.CALCULATORS["deficiency-check"]
    flags = calculators.run("deficiency-check", calc.defaults())["flags"]
    assert flags, "the letter check's defaults raise no flag to print"
    for flag in flags:
        for key in ("flag", "detail", "source"):  # every column, each in full
            words = " ".join(str(flag[key]).split())
            assert words in text, (key, words)
    # On paper: no focus ring on the focused field, no placeholder, and no table wider than
    # the text (each page below, laid out for print at 720 px).
    page.emulate_media(media="print")
    assert field.evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    for path in [
        "",
        CHECK,
        "calculators/deficiency/",
        "calculators/underwater/",
        "state-laws/",
        "states/ohio/",
    ]:
        page.set_viewport_size({"width": 720, "height": 900})
        page.goto(server.url + path)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('table')].filter((t) => t.getClientRects().length)
                 .map((t) => [t.className, Math.round(t.getBoundingClientRect().right), t.parentElement.scrollWidth - t.parentElement.clientWidth])
                 .filter(([, right, hidden]) => right > 720 || hidden > 1)"""
        )
        assert wide == [], (path, wide)
        placeholders = page.evaluate(
            "() => [...document.querySelectorAll('input[placeholder]')].filter((e) => e.getClientRects().length)"
            ".map((e) => getComputedStyle(e, '::placeholder').color)"
        )
        assert all(c in ("rgba(0, 0, 0, 0)", "transparent") for c in placeholders), (path, placeholders)
    page.close()
