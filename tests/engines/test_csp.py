"""The generated Content-Security-Policy holds on every kind of page, in every engine.

The site is served with its ``_headers`` (header policy) and every page carries its meta
policy, so each page enforces both. What a policy can forbid on a page is its inline scripts
(their hashes differ with the page's depth and whether it has a calculator) and what its
calculators do, so the tour loads one page of each set of inline scripts, plus pages until
every calculator has been live once (the worker compiles WebAssembly under the header policy
alone), plus the pages a reader most often opens (``READER_PAGES``), plus the 404 page; the
observer counts every ``securitypolicyviolation`` of the pages and of the worker: there must be
none, nor any error logged, failed response or request to another origin (``assert_clean``).
This is also the engines' page tour: one tour checks both. Then two violations are provoked on purpose, to show the
count is live in this engine. (``tests/site/test_csp.py`` checks every page's hashes without a
browser.)

To see it fail, build without ``'wasm-unsafe-eval'`` (see README, "Security headers").
"""

from __future__ import annotations

import json
import re

import pytest

from scripts.site_server import SiteServer
from site_integration import csp

from .contract import assert_clean, settle, wait_live
from .drivers import Driver

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The smallest WebAssembly module there is: the magic number and version 1.
EMPTY_MODULE = [0, 97, 115, 109, 1, 0, 0, 0]


def site_pages(server: SiteServer) -> list[str]:
    locs = re.findall(r"<loc>([^<]+)</loc>", (server.root / "sitemap.xml").read_text())
    assert len(locs) >= 25, locs
    return [*locs, server.url + "404.html"]


_CALCULATOR_NAME = re.compile(r'data-calculator="([^"]+)"')


#: The pages a reader most often opens, toured in every engine whatever their inline scripts.
READER_PAGES = (
    "",
    "calculators/amortization/",
    "glossary/",
    "state-laws/",
    "states/",
    "states/ohio/",
    "loan-types/auto-loans/",
)


def tour_pages(server: SiteServer) -> dict[str, set[str]]:
    """One page of each set of inline scripts, then pages until every calculator appears, then
    the reader's pages, then 404: each with the calculators its built HTML holds."""
    pages = site_pages(server)
    classes: dict[frozenset[str], str] = {}
    names: dict[str, set[str]] = {}
    for url in pages:
        path = server.root / url.removeprefix(server.url).lstrip("/")
        html = (path / "index.html" if path.is_dir() else path).read_text(encoding="utf-8")
        classes.setdefault(frozenset(csp.script_hashes(html)), url)
        names[url] = set(_CALCULATOR_NAME.findall(html))
    tour = list(dict.fromkeys(classes.values()))
    every = set().union(*names.values())
    while missing := every - set().union(*(names[u] for u in tour)):
        tour.append(max(pages, key=lambda u: len(names[u] & missing)))
    tour += [server.url + path for path in READER_PAGES]
    assert set(tour) <= set(pages), set(tour) - set(pages)
    return {url: names.get(url, set()) for url in dict.fromkeys([*tour, server.url + "404.html"])}


def test_every_page_runs_under_the_policy_with_no_violation(driver: Driver, server: SiteServer) -> None:
    tour = tour_pages(server)
    assert len(tour) < 20, tour  # a tour of the kinds of page, not of the site
    calculators: set[str] = set()
    first = True
    for url, names in tour.items():
        driver.goto(url)
        for name in sorted(names):  # read from the built page: waits until each is on the page
            calculators.add(name)
            assert wait_live(driver, f"[data-calculator='{name}']") == "live", (url, name)
        if names and first:  # later pages restore Python's memory snapshot: a faster tour
            first = False
            driver.wait(
                "() => document.documentElement.dataset.calculatorsSnapshot === 'saved'",
                what="the snapshot",
            )
        settle(driver)  # nothing in flight when the tour leaves (contract.settle)
    seen = driver.harvest()
    assert len(seen.pages) == len(tour)
    assert len(seen.urls) > 50  # the tour's own requests were seen: the checks below are not vacuous
    assert_clean(driver, server)  # 0 violations (page and worker), errors or other origins
    assert len(calculators) >= 7, calculators  # every calculator went live under the policy

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
