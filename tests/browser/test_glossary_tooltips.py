"""Glossary terms show Material's tooltip on hover and on keyboard focus (content.tooltips)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from scripts.site_server import SiteServer

pytestmark = pytest.mark.browser

TOOLTIP = ".md-tooltip2"


def test_hovering_a_glossary_term_shows_its_definition(page: Page, server: SiteServer) -> None:
    page.goto(server.url + "recourse-vs-non-recourse/")
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title")
    assert definition
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(TOOLTIP).filter(has_text=definition)
    expect(tooltip).to_be_visible()


def test_focusing_a_glossary_term_shows_its_definition(page: Page, server: SiteServer) -> None:
    page.goto(server.url + "default-process/")
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title")
    assert definition
    term.focus()
    expect(page.locator(TOOLTIP).filter(has_text=definition)).to_be_visible()
