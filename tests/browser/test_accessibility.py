"""Accessibility and search: axe-core (from npm, injected locally) finds no WCAG 2.2 A/AA
violations on the pages readers use most, in both palettes, at phone and desktop width; and
Material's search answers offline-capable, from the site's own index."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from scripts.site_server import SiteServer

from .conftest import ROOT, wait_live

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: The pages readers use most: the home page, the comparison, the calculators a borrower in
#: trouble opens, the state law and a state's page, and the answers pages.
PAGES = [
    "",
    "recourse-vs-non-recourse/",
    "calculators/amortization/",
    "calculators/deficiency/",
    "calculators/deficiency-check/",
    "calculators/garnishment/",
    "state-laws/",
    "states/",
    "states/ohio/",
    "faq/",
    "glossary/",
]
#: Phone (as a phone's browser lays it out) and desktop.
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_violations(browser: Browser, server: SiteServer, path: str, device: str) -> None:
    """Each page in the light and the dark palette: one browser context, so the second load
    restores Python from the first's memory snapshot instead of booting it again."""
    ctx = browser.new_context(**VIEWPORTS[device])
    # Material keeps a palette it once chose in localStorage; each load forgets it first, as a
    # new visitor's would, so the palette follows the emulated colour scheme.
    ctx.add_init_script(
        "try { Object.keys(localStorage).filter((k) => k.endsWith('__palette'))"
        ".forEach((k) => localStorage.removeItem(k)); } catch {}"
    )
    page = ctx.new_page()
    problems: list[str] = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        if scheme == "dark":  # Material keeps the first load's palette: forget it, as a new visitor
            page.evaluate(
                "Object.keys(localStorage).filter(k => k.endsWith('__palette')).forEach(k => localStorage.removeItem(k))"
            )
        page.goto(server.url + path)
        assert page.evaluate("() => document.body.dataset.mdColorScheme") == (
            "default" if scheme == "light" else "slate"
        )
        if page.locator("[data-calculator]").count():
            assert wait_live(page) == "live"
            # Show an error too, so its colour is checked.
            page.locator("[data-calculator] input").first.fill("not a number")
            expect(page.locator("[data-calculator] [aria-invalid='true']").first).to_be_visible()
        # Evaluated over the DevTools protocol: a <script> tag with axe's source would be inline
        # code, which the pages' Content-Security-Policy rightly refuses.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        )
        problems += [
            f"{scheme}: {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
        ]
    ctx.close()
    assert problems == []


def test_search_finds_pages(browser: Browser, server: SiteServer) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url)
    page.click("input.md-search__input")
    page.keyboard.type("garnishment")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=15_000)
    assert results.count() >= 2
    page.close()
