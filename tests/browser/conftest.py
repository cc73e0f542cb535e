"""Browser test harness: the real built site, served over HTTP on 127.0.0.1, in Debian's Chromium.

* ``site_server``: the real site built once per session with ``mkdocs build --strict`` for its port.
* ``server``: ``scripts/site_server.py``, a threaded ``http.server`` for that folder that logs
  every request and can inject faults per path (404, truncated body, corrupted bytes), so
  failure tests exercise a real server answering badly rather than a mocked browser.
* ``browser``: Chromium launched headless with the flags this machine needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright

from scripts.site_server import SiteServer
from tests.repo import build_site

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The real site, built for and served at one 127.0.0.1 port for the whole session."""
    site = tmp_path_factory.mktemp("site") / "site"
    site.mkdir()
    srv = SiteServer(site)
    build_site(site, srv.url)
    yield srv
    srv.close()


@pytest.fixture
def server(site_server: SiteServer) -> SiteServer:
    """The session's server with a fresh request log and no faults."""
    site_server.reset()
    return site_server


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


class Watch:
    """Collects console errors and warnings, uncaught page errors, requests and workers of one page."""

    def __init__(self, page: Page) -> None:
        self.console_errors: list[str] = []
        self.console_warnings: list[str] = []
        self.page_errors: list[str] = []
        self.urls: list[str] = []
        self.workers: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.on("request", lambda req: self.urls.append(req.url))
        page.on("worker", lambda worker: self.workers.append(worker.url))

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)
        elif msg.type == "warning":
            self.console_warnings.append(msg.text)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def wait_live(page: Page, selector: str = "[data-calculator]", timeout: float = 90_000) -> str:
    """Wait until the calculator leaves its loading state; return the final state."""
    page.wait_for_selector(f"{selector}[data-state='live'], {selector}[data-state='failed']", timeout=timeout)
    return page.get_attribute(selector, "data-state") or ""
