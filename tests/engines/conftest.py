"""The engines suite: one scenario list, run in Chromium, Firefox ESR and WebKitGTK.

* ``engine_site``: the real site, built once for the port that serves it (instant navigation
  needs ``site_url`` to match), served with its own ``_headers`` applied as Netlify would
  (so every page gets the Content-Security-Policy twice: header and meta tag). One thing is
  added after the build: the observer ``probe.js``, first in every page's ``<head>``, and the
  service worker is rebuilt so the observer is precached like every other file.
* ``driver``: a fresh browser of the test's engine, with a fresh on-disk profile.
* At the end, the time each engine's share of the suite took is printed (never asserted).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from scripts.site_server import SiteServer
from site_integration.names import CACHE_PREFIX, RUNTIME_DIR
from tests.repo import ROOT, TEST_TIMEOUTS, build_site, build_v2

from .drivers import ChromiumDriver, Driver, FirefoxDriver, Launch, OldWebKitDriver, WebKitDriver

ENGINES = ("chromium", "firefox", "webkit")
PROBE = Path(__file__).with_name("probe.js")
PROBE_URL = "/__probe.js"
CSP_META = '<meta http-equiv="Content-Security-Policy"'
SW_OPTIONS = ("--prefix", CACHE_PREFIX, "--runtime", RUNTIME_DIR)  # as hooks.on_post_build passes them

pytestmark = pytest.mark.browser


def instrument(site: Path) -> None:
    """Add the observer to every page, right after its CSP meta tag, and rebuild sw.js."""
    shutil.copy2(PROBE, site / PROBE_URL.lstrip("/"))
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        at = html.find(CSP_META)
        assert at >= 0, f"{page} has no Content-Security-Policy meta tag"
        end = html.index(">", at) + 1
        page.write_text(
            f'{html[:end]}\n    <script src="{PROBE_URL}"></script>{html[end:]}', encoding="utf-8"
        )
    proc = subprocess.run(
        ["node", str(ROOT / "site_integration" / "build_sw.mjs"), str(site), *SW_OPTIONS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="session")
def engine_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    site = tmp_path_factory.mktemp("engines") / "site"
    site.mkdir()
    server = SiteServer(site, host_headers=True)
    build_site(site, server.url, timeouts=TEST_TIMEOUTS)
    instrument(site)
    yield server
    server.close()


@pytest.fixture
def server(engine_site: SiteServer) -> Iterator[SiteServer]:
    """The session's server with a fresh log, no faults, online, serving the session's build."""
    engine_site.reset()
    root = engine_site.root
    yield engine_site
    engine_site.reset()
    if engine_site.root != root:
        engine_site.swap_root(root)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def launch(engine: str, tmp_path: Path, playwright_instance: Playwright) -> Iterator[Launch]:
    """Start a browser of this test's engine with a fresh on-disk profile.

    Options: ``chromium_args`` (command-line flags), ``chromium_prefs`` (the profile's
    Preferences file), ``firefox_prefs`` (about:config),
    ``webkit_args`` (MiniBrowser's WebKitSettings options) and ``webkit_env`` (environment,
    e.g. JavaScriptCore options).
    """
    started: list[Driver] = []

    def start(
        *,
        chromium_args: tuple[str, ...] = (),
        chromium_prefs: dict[str, Any] | None = None,
        firefox_prefs: dict[str, Any] | None = None,
        webkit_args: tuple[str, ...] = (),
        webkit_env: dict[str, str] | None = None,
    ) -> Driver:
        profile = tmp_path / f"{engine}-profile-{len(started)}"
        profile.mkdir()
        driver: Driver
        if engine == "chromium":
            if chromium_prefs:
                (profile / "Default").mkdir()
                (profile / "Default" / "Preferences").write_text(json.dumps(chromium_prefs))
            driver = ChromiumDriver(playwright_instance, profile, args=chromium_args)
        elif engine == "firefox":
            driver = FirefoxDriver(profile, prefs=firefox_prefs)
        elif engine == "webkit":
            driver = WebKitDriver(profile, args=webkit_args, env=webkit_env)
        else:
            driver = OldWebKitDriver(profile)
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.quit()


@pytest.fixture
def driver(launch: Launch) -> Driver:
    return launch()


@pytest.fixture(scope="session")
def v2_site(engine_site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second deploy of the site, for the same address (see tests.repo.build_v2)."""
    site = build_v2(tmp_path_factory.mktemp("engines-v2"), engine_site.url, timeouts=TEST_TIMEOUTS)
    instrument(site)
    return site


# ---- the time each engine took, printed at the end ----
