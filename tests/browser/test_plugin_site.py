"""Another MkDocs site uses the generator by installing the package and adding one plugin line.

``tests/plugin_site/`` has its own calculator package (``tipcalc``, declared with
:mod:`calckit` alone), the Material theme and ``plugins: [calculators: {package: tipcalc}]``:
no theme override, hooks, headers or assets of its own. It builds under ``--strict``, and in
Chromium its calculator goes live in Pyodide and recomputes what the reader types.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from scripts.site_server import SiteServer
from tests.browser.conftest import wait_live
from tests.repo import build_site

SITE = Path(__file__).resolve().parents[1] / "plugin_site"


@pytest.fixture(scope="module")
def tip_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    out = tmp_path_factory.mktemp("tipsite") / "site"
    out.mkdir()
    srv = SiteServer(out)
    build_site(out, srv.url, config=SITE / "mkdocs.yml")  # --strict, from the site's own folder
    yield srv
    srv.close()


def test_the_plugin_installs_everything_the_site_did_not_list(tip_site: SiteServer) -> None:
    html = (tip_site.root / "index.html").read_text()
    assert "__calculatorsStart" in html  # the plugin's theme override, with no custom_dir
    assert 'data-calculator="split"' in html
    assert "assets/runtime/calculators.js" in html
    headers = (tip_site.root / "_headers").read_text()
    assert "Content-Security-Policy:" in headers
    assert "/pyodide/runtime.json\n  Cache-Control: no-cache" in headers
    (wheel,) = (tip_site.root / "pyodide" / "wheels").glob("*/*.whl")
    assert wheel.name.startswith("tipcalc-")


def test_its_calculator_goes_live_and_recomputes(browser: Browser, tip_site: SiteServer) -> None:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(tip_site.url)
    # Before Python: the build's own answer at the defaults, $90 + 20 % among 4 = $27.00 each.
    assert page.text_content("[data-output='each']") == "$27.00"
    assert wait_live(page) == "live"
    page.fill("[name='bill']", "100")
    page.fill("[name='people']", "3")
    # By hand: a 20 % tip on $100 is $20.00; $120.00 / 3 = $40.00 each.
    page.wait_for_function("() => document.querySelector(\"[data-output='each']\").textContent === '$40.00'")
    assert page.text_content("[data-output='tip']") == "$20.00"
    assert errors == []
    context.close()
