"""The generated Content-Security-Policy holds on every page, in every engine.

The site is served with its ``_headers`` (header policy) and every page carries its meta
policy, so each page enforces both. Every page is loaded in full (each first load runs that
page's own inline scripts, whose hashes differ by depth), its calculators go live (the worker
compiles WebAssembly under the header policy alone), and the observer counts every
``securitypolicyviolation`` of the pages and of the worker: there must be none. Then two
violations are provoked on purpose, to show the count is live in this engine.

To see it fail, build without ``'wasm-unsafe-eval'`` (see README, "Security headers").
"""

from __future__ import annotations

import json
import re

import pytest

from scripts.site_server import SiteServer
from site_integration import csp

from .contract import CALC, assert_clean, wait_live
from .drivers import Driver, Launch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The smallest WebAssembly module there is: the magic number and version 1.
EMPTY_MODULE = [0, 97, 115, 109, 1, 0, 0, 0]


def site_pages(server: SiteServer) -> list[str]:
    locs = re.findall(r"<loc>([^<]+)</loc>", (server.root / "sitemap.xml").read_text())
    assert len(locs) >= 25, locs
    return [*locs, server.url + "404.html"]


#: Pages one browser tours before a fresh one takes over. WebKitGTK's session ended (its web
#: process gone) partway through a tour of all 79 pages, twice in three full runs, once the
#: 51 state pages (three live calculators each) joined the sitemap.
TOUR = 27


def test_every_page_runs_under_the_policy_with_no_violation(
    launch: Launch, driver: Driver, server: SiteServer
) -> None:
    pages = site_pages(server)
    calculator_pages = 0
    for start in range(0, len(pages), TOUR):
        if start:
            driver.quit()
            driver = launch()
        tour = pages[start : start + TOUR]
        first = True
        for url in tour:
            driver.goto(url)
            if driver.run("(s) => document.querySelector(s) !== null", CALC):
                calculator_pages += 1
                for name in driver.run(
                    "(s) => [...document.querySelectorAll(s)].map(e => e.dataset.calculator)", CALC
                ):
                    assert wait_live(driver, f"[data-calculator='{name}']") == "live", (url, name)
                if first:  # later pages restore Python's memory snapshot: a faster tour
                    first = False
                    driver.wait(
                        "() => document.documentElement.dataset.calculatorsSnapshot === 'saved'",
                        what="the snapshot",
                    )
        seen = driver.harvest()
        assert len(seen.pages) == len(tour)
        assert_clean(driver, server)  # 0 violations, page and worker, and no console errors
    assert calculator_pages >= 7

    # The page got both policies: the header (with frame-ancestors, and the worker's
    # 'wasm-unsafe-eval') and its own meta tag (neither).
    header = driver.run("() => fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    meta = driver.run("() => document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
    assert header
    assert "frame-ancestors 'none'" in header
    assert csp.WASM in header
    assert meta.startswith("default-src 'none'; script-src 'self' 'sha256-")
    assert "frame-ancestors" not in meta
    assert csp.WASM not in meta

    # Provoked: a page may not run WebAssembly (the worker alone may), nor reach another origin.
    # (WebKitGTK 2.50 refuses WebAssembly at instantiation, not compilation, and reports
    # no securitypolicyviolation event for it.)
    instantiated = driver.run(
        "(bytes) => WebAssembly.instantiate(new Uint8Array(bytes)).then(() => 'instantiated', (e) => e.name)",
        EMPTY_MODULE,
    )
    assert instantiated == "CompileError"
    fetched = driver.run("() => fetch('http://localhost:9/x').then(() => 'fetched', (e) => e.name)")
    assert fetched == "TypeError"
    expected = {"connect-src"} if driver.engine == "webkit" else {"script-src", "connect-src"}
    provoked = driver.wait(
        "(n) => window.__probe.violations.length >= n && window.__probe.violations",
        len(expected),
        what="the provoked violations",
    )
    assert {v["directive"] for v in provoked} == expected, json.dumps(provoked)
