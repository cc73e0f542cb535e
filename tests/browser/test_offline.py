"""Offline-first: the service worker, a new deploy taking over, and failures, in real Chromium.

These contexts allow service workers (the other browser tests block them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

import calculators
from scripts.site_server import SiteServer
from site_integration.render import display
from tests.repo import build_v2

from .conftest import Watch, build_site, wait_live

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A function, not an expression: Playwright polls an expression with eval, which the pages' CSP forbids.
CONTROLLED = "() => navigator.serviceWorker.controller !== null"


@pytest.fixture
def sw_context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="allow")
    yield ctx
    ctx.close()


def wait_controlled(page: Page) -> None:
    page.wait_for_function(CONTROLLED, timeout=120_000)


def form_values(page: Page, root: str = "[data-calculator]") -> dict[str, str]:
    return page.eval_on_selector(
        f"{root} form",
        "f => Object.fromEntries([...f.elements].filter(e => e.name).map(e => [e.name, e.value]))",
    )


def check_recomputes(page: Page) -> None:
    """Every calculator on the page goes live, and a changed input gives CPython's result."""
    for index in range(page.locator("[data-calculator]").count()):
        root = page.locator("[data-calculator]").nth(index)
        expect(root).to_have_attribute("data-state", "live", timeout=120_000)
        name = root.get_attribute("data-calculator") or ""
        calc = calculators.CALCULATORS[name]
        field = next(f for f in calc.fields if f.kind.value == "money" and f.required)
        root.locator(f"input[name='{field.name}']").fill("12,345")
        values = root.locator("form").evaluate(
            "f => Object.fromEntries([...f.elements].filter(e => e.name).map(e => [e.name, e.value]))"
        )
        result = calculators.run(name, values)
        out = next(o for o in calc.outputs if o.kind.value == "money")
        if result["ok"]:
            expect(root.locator(f"[data-output='{out.name}']")).to_have_text(
                display("money", result[out.name])
            )
        else:
            field_name = next(iter(result["errors"]))
            expect(root.locator(f"[data-error-for='{field_name}']")).to_have_text(
                result["errors"][field_name]
            )


def test_every_page_and_calculator_works_offline_after_one_visit(
    sw_context: BrowserContext, server: SiteServer
) -> None:
    page = sw_context.new_page()
    watch = Watch(page)
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(f"{req.url} {req.failure}"))
    page.goto(server.url)
    wait_controlled(page)
    assert wait_live(page) == "live"  # nothing in flight when the network goes
    expect(page.locator(".offline-status")).to_have_text("\u2713 Saved for offline use")
    nav = page.eval_on_selector_all(".md-nav--primary a.md-nav__link[href]", "els => els.map(e => e.href)")
    pages = sorted({u.split("#")[0] for u in nav if u.startswith(server.url)})
    assert len(pages) >= 25, pages

    sw_context.set_offline(True)
    watch.workers.clear()
    page.reload()
    assert page.locator("[data-calculator]").count() >= 1
    check_recomputes(page)
    for url in pages:
        # Through links: click the page's own nav link (Material's instant navigation).
        page.evaluate(
            "u => { document.querySelector('article').dataset.previous = 'yes';"
            " [...document.querySelectorAll('.md-nav--primary a.md-nav__link[href]')]"
            ".find(a => a.href.split('#')[0] === u).click() }",
            url,
        )
        page.wait_for_url(url)
        page.wait_for_selector("article:not([data-previous]) h1")  # the new page's content is in
        check_recomputes(page)
    assert failed == []
    assert watch.page_errors == []
    # The runtime booted once (at the reload) for the whole offline tour of every page.
    assert len([w for w in watch.workers if w.endswith("worker.js")]) == 1

    # A mistyped address, offline: the site's own 404 page from the cache, with its navigation,
    # not the browser's "no internet" page (to see it fail, drop runtimeCaching in build_sw.mjs).
    page.goto(server.url + "state-law/")
    expect(page.locator("article h1")).to_have_text("404 - Not found")
    expect(page.locator(".md-nav--primary a[href]").first).to_be_attached()


def test_runtime_failure_with_service_worker_keeps_prerendered_results(
    sw_context: BrowserContext, server: SiteServer
) -> None:
    server.faults[r"pyodide\.asm\.wasm$"] = "404"
    page = sw_context.new_page()
    watch = Watch(page)
    page.goto(server.url + "calculators/amortization/")
    assert wait_live(page) == "failed"
    assert page.text_content("[data-status]") == (
        "Live recalculation is unavailable. The results shown are for the page's original values."
    )
    assert any("pyodide.asm.wasm could not be loaded" in w for w in watch.console_warnings)
    assert page.text_content("[data-output='payment']") == "$1,264.14"
    page.wait_for_timeout(3000)  # the worker's precache fails too, quietly
    assert page.locator(".offline-status").count() == 0
    assert watch.page_errors == []


# ---- A new deploy ----


def deploy_version(site: Path) -> str:
    match = re.search(r"for deploy ([0-9a-f]{16})", next(site.glob("sw-cleanup.*.js")).read_text())
    assert match
    return match.group(1)


def test_new_deploy_takes_over_on_next_navigation_and_old_caches_go(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "site-v1").mkdir()
    server = SiteServer(tmp_path / "site-v1")
    try:
        v1 = build_site(tmp_path / "site-v1", server.url)
        v2 = build_v2(tmp_path, server.url)
        old, new = deploy_version(v1), deploy_version(v2)
        assert old != new
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="allow")
        page = ctx.new_page()
        watch = Watch(page)
        page.goto(server.url + "calculators/amortization/")
        wait_controlled(page)
        assert wait_live(page) == "live"
        v1_total = calculators.run("amortization", form_values(page))["total_paid"]
        assert page.text_content("[data-output='total_paid']") == display("money", v1_total)
        # A second tab, also on version 1, stays open through the update.
        other = ctx.new_page()
        other.goto(server.url + "calculators/deficiency/")
        wait_controlled(other)

        server.swap_root(v2)
        page.reload()  # a navigation: the browser finds the new sw.js; it installs and waits
        page.wait_for_selector("html[data-update='waiting']", state="attached", timeout=120_000)
        # Until the next navigation the page is still wholly version 1.
        assert page.text_content("[data-output='total_paid']") == display("money", v1_total)

        page.click("nav.md-nav--primary a[href$='deficiency/']")
        page.wait_for_url(server.url + "calculators/deficiency/")
        page.wait_for_function(CONTROLLED)
        page.click("nav.md-nav--primary a[href$='amortization/']")
        page.wait_for_url(server.url + "calculators/amortization/")
        assert wait_live(page) == "live"
        # Version 2 everywhere: the pre-rendered page and the live wheel both add $1,000
        # (oracle: CPython's version-1 result + 1,000.00, the patch above).
        expected = f"{float(v1_total) + 1000:.2f}"
        assert page.text_content("[data-output='total_paid']") == display("money", expected)
        page.fill("input[name='loan_amount']", "100,000")
        live_v1 = calculators.run("amortization", form_values(page))["total_paid"]
        expect(page.locator("[data-output='total_paid']")).to_have_text(
            display("money", f"{float(live_v1) + 1000:.2f}")
        )
        # The other tab was handed to the new deploy by this one: its next click loads in full.
        other.wait_for_selector("html[data-update='replaced']", state="attached", timeout=30_000)
        other.evaluate("window.__version1Page = true")
        other.click("nav.md-nav--primary a[href$='amortization/']")
        other.wait_for_url(server.url + "calculators/amortization/")
        other.wait_for_load_state()
        assert other.evaluate("window.__version1Page === undefined"), "not a full load: old scripts kept"
        expect(other.locator("[data-output='total_paid']")).to_have_text(display("money", expected))
        keys = page.evaluate("caches.keys()")
        assert not [k for k in keys if old in k], keys
        assert [k for k in keys if new in k], keys
        assert watch.page_errors == []
        ctx.close()
    finally:
        server.close()


def test_precache_urls_resolve(server: SiteServer) -> None:
    """Cheap sanity for the offline test: the manifest's URLs are served by the site."""
    manifest = re.findall(r'url:"([^"]+)"', (server.root / "sw.js").read_text())
    assert manifest
    assert all((server.root / url).is_file() for url in manifest), [
        u for u in manifest if not (server.root / u).is_file()
    ]
    assert urljoin(server.url, "sw.js").endswith("/sw.js")


@pytest.mark.parametrize(
    "container",
    [
        "undefined",  # older Firefox private windows: the property exists and is undefined
        "(() => { throw new DOMException('denied', 'SecurityError') })()",  # Chromium, opaque origins
    ],
)
def test_a_browser_without_a_service_worker_container_still_works(
    browser: Browser, server: SiteServer, container: str
) -> None:
    """Replays what some browsers do (Chromium has its container): the page scripts must not
    trip over it; "serviceWorker" in navigator still holds."""
    ctx = browser.new_context(service_workers="allow")
    ctx.add_init_script(
        f"Object.defineProperty(Navigator.prototype, 'serviceWorker', {{get() {{ return {container}; }}}})"
    )
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(server.url + "calculators/amortization/")
    assert page.evaluate("'serviceWorker' in navigator")
    assert wait_live(page) == "live"
    page.fill("input[name='loan_amount']", "100,000")
    total = calculators.run("amortization", form_values(page))["total_paid"]
    expect(page.locator("[data-output='total_paid']")).to_have_text(display("money", total))
    assert watch.page_errors == []
    assert watch.console_errors == []
    ctx.close()
