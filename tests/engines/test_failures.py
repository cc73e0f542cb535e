"""The failure paths a reader can meet, in every engine: a browser that cannot run Python, a
runtime file the server will not give, a new deploy in the middle of a boot, site storage
blocked, and (Firefox) a private window.

Readers only ever see plain sentences; the technical reason goes to the console (the
observer records console.warn), so it is still there for whoever debugs.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import calculators
from scripts.site_server import SiteServer
from site_integration.render import display
from tests.repo import TEST_TIMEOUTS

from .contract import AMORT, CALC, assert_clean, form_values, shown, wait_live
from .drivers import Driver, Launch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNSUPPORTED = (
    "Live recalculation needs a newer browser (Safari 16.4 or later, or a current Chrome, Edge or Firefox);"
    " the results shown are for the page's values."
)
UNAVAILABLE = "Live recalculation is unavailable. The results shown are for the page's original values."
PAYMENT = "[data-calculator='amortization'] [data-output='payment']"


def test_a_browser_without_webassembly_is_told_plainly(launch: Launch, server: SiteServer) -> None:
    # Each engine with its WebAssembly switched off: a real engine lacking what Pyodide needs.
    driver = launch(
        chromium_args=("--js-flags=--jitless",),  # V8 without its compilers exposes no WebAssembly
        firefox_prefs={"javascript.options.wasm": False},
        webkit_env={"JSC_useWasm": "false"},
    )
    driver.goto(server.url + AMORT)
    assert driver.run("() => typeof WebAssembly") == "undefined"
    assert wait_live(driver) == "failed"
    assert driver.text("[data-status]") == UNSUPPORTED
    assert driver.text(PAYMENT) == "$1,264.14"  # the pre-rendered result stays
    seen = driver.harvest()
    assert not [w for w in seen.workers if w.endswith("worker.js")]  # nothing was started...
    assert server.count("worker.js") == 0
    assert server.count("pyodide.asm.wasm") == 0
    assert any("no module workers or no WebAssembly" in w for w in seen.warnings), seen.warnings
    assert_clean(driver, server)


STATE_LOADING = "() => document.querySelector('[data-calculator]').dataset.state === 'loading'"


@pytest.mark.parametrize("engine", ["wpe"])
@pytest.mark.parametrize("answer", ["as-it-comes", "after-the-page-listens"])
def test_safari_16_0_is_told_to_update(launch: Launch, server: SiteServer, answer: str) -> None:
    """WPE WebKit 2.38 runs modules, module workers and WebAssembly, but cannot parse the class
    static blocks in pyodide.asm.mjs: the worker's features.js import says so first. Its
    answer must reach the page whenever it comes: as it comes (most often before runtime.js has
    taken the worker over from the theme's inline script), or held at the server until after."""
    gate = server.hold(r"features\.js$") if answer == "after-the-page-listens" else None
    driver = launch()
    driver.goto(server.url + AMORT)
    if gate:
        driver.wait(STATE_LOADING, what="the page's runtime to take over the worker")
        gate.set()
    assert "Version/16.0 Safari" in driver.run("() => navigator.userAgent")
    assert driver.run("() => typeof WebAssembly") == "object"
    assert wait_live(driver) == "failed"
    # What the worker had asked for by then, should it ever fail otherwise again.
    asked = {name: server.count(name) for name in ("worker.js", "features.js", "runtime.json")}
    assert driver.text("[data-status]") == UNSUPPORTED, asked
    assert driver.text(PAYMENT) == "$1,264.14"
    assert server.count("features.js") == 1, asked
    assert server.count("pyodide.mjs") == 0  # nothing of the runtime was downloaded
    assert server.count("pyodide.asm.wasm") == 0
    seen = driver.harvest()
    assert any("cannot parse the runtime" in w for w in seen.warnings), seen.warnings
    assert_clean(driver, server)


@pytest.mark.parametrize(("path", "fault"), [(r"pyodide\.asm\.wasm$", "404"), (r"\.whl$", "corrupt")])
def test_a_runtime_failure_is_told_plainly_and_logged(
    driver: Driver, server: SiteServer, path: str, fault: str
) -> None:
    server.faults[path] = fault
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "failed"
    assert driver.text("[data-status]") == UNAVAILABLE  # no engine text, no CSP text
    assert driver.text(PAYMENT) == "$1,264.14"
    reason = "pyodide.asm.wasm could not be loaded" if fault == "404" else "failed its integrity check"
    assert any(reason in w for w in driver.harvest().warnings), driver.harvest().warnings
    assert_clean(driver, server, allow_http_errors=True)


STALLED = "The live calculator stopped downloading. The results shown are for the page's original values."


def test_a_stalled_download_shows_its_progress_then_offers_try_again(
    driver: Driver, server: SiteServer
) -> None:
    """The wasm request is held unanswered (a connection that stopped): the status line counts
    the bytes that did arrive, gives up after the stall limit without new ones (20 s for
    readers, shorter in the test build), and "Try again" boots."""
    gate = server.hold(r"pyodide\.asm\.wasm$")
    try:
        driver.goto(server.url + AMORT)
        progress = driver.wait(
            "() => /^Loading live calculator: \\d+\\.\\d of \\d+\\.\\d MB/.test("
            "document.querySelector('[data-status]').textContent) && document.querySelector('[data-status]').textContent",
            timeout=30,
            what="the download's progress",
        )
        assert re.match(r"Loading live calculator: \d+\.\d of \d+\.\d MB… the results shown", progress)
        assert wait_live(driver) == "failed"
        assert driver.text("[data-status]") == STALLED
        assert driver.run("() => document.querySelector(\"[data-action='retry']\").hidden") is False
        stall = f"(stalled): no data for {TEST_TIMEOUTS['stall']} s"  # the time limit the test build sets
        assert any(stall in w for w in driver.harvest().warnings)
    finally:
        gate.set()
        server.holds.clear()
    driver.click("[data-action='retry']")
    assert wait_live(driver) == "live"
    driver.set_value("[data-calculator='amortization'] [name='loan_amount']", "150,000")
    # numpy_financial.pmt(0.065/12, 360, -150000) = 948.10... -> rounded up to the cent
    driver.wait_text(PAYMENT, "$948.11")
    assert_clean(driver, server)


@pytest.mark.parametrize("held", [r"pyodide-lock\.[0-9a-f]+\.json$", r"\.whl$"])
def test_a_tab_booting_through_a_new_deploy_recovers(
    driver: Driver, server: SiteServer, v2_site: Path, held: str
) -> None:
    """Another tab switches deploys while this one boots: the hashed file this tab asks for
    next is answered by the new deploy, which does not have it (a 404). The worker reads
    runtime.json again, finds the new deploy's files and boots from them."""
    gate = server.hold(held)
    driver.goto(server.url + AMORT)  # the old deploy's page; its worker is soon waiting on `held`
    deadline = time.monotonic() + 120
    while not [p for p in server.requests if re.search(held, p.split("?")[0])]:
        assert time.monotonic() < deadline, f"the worker never asked for {held}"
        time.sleep(0.1)
    server.swap_root(v2_site)  # the new deploy
    gate.set()
    assert wait_live(driver) == "live"
    assert next(code for p, code in server.statuses if re.search(held, p.split("?")[0])) == 404
    assert server.count("runtime.json") == 2  # read again after the 404
    # The live calculator now runs the new deploy's code: total_paid is $1,000 more
    # (oracle: CPython's result + 1,000.00, tests.repo.V2_PATCH).
    driver.type("input[name='loan_amount']", "100,000")
    total = calculators.run("amortization", form_values(driver))["total_paid"]
    driver.wait_text(
        "[data-calculator='amortization'] [data-output='total_paid']",
        display("money", f"{float(total) + 1000:.2f}"),
    )
    assert_clean(driver, server, allow_http_errors=True)


BLOCK_STORAGE = {
    # Chromium: Settings > Privacy > "Block all cookies" also blocks every other site storage.
    "chromium_prefs": {"profile": {"default_content_setting_values": {"cookies": 2}}},
    # Firefox: cookieBehavior 2 blocks all cookies, and with them every other site storage.
    "firefox_prefs": {"network.cookie.cookieBehavior": 2},
}


@pytest.mark.parametrize("engine", ["chromium", "firefox"])  # MiniBrowser cannot block all storage
def test_with_all_site_storage_blocked_calculators_and_the_palette_work(
    launch: Launch, server: SiteServer
) -> None:
    driver = launch(**BLOCK_STORAGE)
    driver.goto(server.url + AMORT)
    blocked = driver.run("() => { try { localStorage.length; return false } catch (e) { return e.name } }")
    assert blocked == "SecurityError", "site storage is not blocked: this test would prove nothing"
    assert wait_live(driver) == "live"
    driver.type("input[name='loan_amount']", "$150,000")
    driver.wait_text(PAYMENT, shown("amortization", {"loan_amount": "$150,000"}, "payment"))
    # Material's palette toggle is there and switches the scheme (it just cannot remember it).
    scheme = driver.run("() => document.body.dataset.mdColorScheme")
    driver.click("form[data-md-component='palette'] label:not([hidden])")
    driver.wait("(s) => document.body.dataset.mdColorScheme !== s", scheme, what="the palette to switch")
    assert driver.run("(s) => document.querySelector(s).dataset.runtime", CALC) == "fresh"
    assert_clean(driver, server)


@pytest.mark.parametrize("engine", ["firefox"])
def test_a_private_window_works(launch: Launch, server: SiteServer) -> None:
    """Firefox ESR 153's private windows have service workers (older ones had none); either way
    the calculators work and nothing is logged. (The undefined `navigator.serviceWorker` older
    private windows had is replayed in Chromium: tests/browser/test_offline.py.)"""
    driver = launch(firefox_prefs={"browser.privatebrowsing.autostart": True})
    driver.goto(server.url + AMORT)
    assert driver.run("() => 'serviceWorker' in navigator")
    assert wait_live(driver) == "live"
    driver.type("input[name='loan_amount']", "$150,000")
    driver.wait_text(PAYMENT, shown("amortization", {"loan_amount": "$150,000"}, "payment"))
    driver.click("nav.md-nav--primary a[href$='deficiency/']")
    assert wait_live(driver, "[data-calculator='deficiency']") == "live"
    assert_clean(driver, server)
