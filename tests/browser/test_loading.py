"""Honest loading, in real Chromium against the real built site: the download's progress in
bytes, a stalled download ending with a message and "Try again", one failed call not ending
live mode, and Save-Data keeping a first visit from precaching the runtime.

The slow network is played by the test server: ``SiteServer.hold`` keeps the wasm request
unanswered, exactly as a stalled connection looks to the browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

import calculators
from scripts.site_server import SiteServer
from site_integration.render import display

from .conftest import Watch, wait_live

pytestmark = pytest.mark.browser

AMORT = "calculators/amortization/"
STALLED = "The live calculator stopped downloading. The results shown are for the page's original values."
CALL_FAILED = "That calculation did not finish, so the results shown are for earlier values. Change a value to try again."
PROGRESS = re.compile(r"^Loading live calculator: (\d+\.\d) of (\d+\.\d) MB")


def runtime_sizes(server: SiteServer) -> dict[str, int]:
    """The bytes a first boot downloads, measured on disk (not read from runtime.json's own
    figures): the oracle for the expected total the page shows."""
    runtime = json.loads((server.root / "pyodide" / "runtime.json").read_text())
    return {path: (server.root / "pyodide" / path).stat().st_size for path in runtime["sizes"]}


def payment(inputs: dict[str, str]) -> str:
    """CPython's answer for the amortization calculator (itself checked against
    numpy-financial in tests/core): what the live page must show."""
    calc = calculators.CALCULATORS["amortization"]
    return display("money", calculators.run("amortization", {**calc.defaults(), **inputs})["payment"])


def test_runtime_json_names_every_file_a_first_boot_downloads(server: SiteServer) -> None:
    sizes = runtime_sizes(server)
    names = {Path(path).name for path in sizes}
    assert {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"} <= names
    assert any(name.startswith("python_stdlib.") for name in names)
    assert any(name.startswith("pyodide-lock.") for name in names)
    assert any(name.endswith(".whl") for name in names)
    runtime = json.loads((server.root / "pyodide" / "runtime.json").read_text())
    assert runtime["sizes"] == sizes


def test_loading_shows_bytes_received_of_expected_and_an_early_edit_is_marked(
    page: Page, server: SiteServer
) -> None:
    gate = server.hold(r"pyodide\.asm\.wasm$")
    try:
        page.goto(server.url + AMORT)
        status = page.locator("[data-status]")
        expect(status).to_have_text(PROGRESS, timeout=30_000)
        total = sum(runtime_sizes(server).values())
        # This host compresses nothing: once its first response shows that, every file counts
        # at its full size (until then the line may count at a brotli host's sizes).
        expect(status).to_have_text(re.compile(rf" of {total / 1_000_000:.1f} MB"), timeout=30_000)
        received, _expected = PROGRESS.match(status.text_content() or "").groups()  # type: ignore[union-attr]
        # The wasm is held back, so what arrived is everything else at most.
        wasm = next(n for p, n in runtime_sizes(server).items() if p.endswith(".wasm"))
        assert 0 < float(received) <= round((total - wasm) / 1_000_000, 1)
        bar = page.eval_on_selector("[data-status]", "el => el.style.getPropertyValue('--calc-progress')")
        assert 0 < float(bar.rstrip("%")) < 100
        # The figure is not read out by screen readers (the status is a live region).
        assert page.eval_on_selector("[data-status] span", "el => el.getAttribute('aria-hidden')") == "true"
        page.fill("input[name='loan_amount']", "90,000")
        expect(page.locator("[data-calculator]")).to_have_class(re.compile(r"calc--stale"))
        expect(status).to_have_text(re.compile(r"MB\. You changed a value: the results shown are still for"))
    finally:
        gate.set()
    assert wait_live(page) == "live"
    expect(page.locator("[data-output='payment']")).to_have_text(payment({"loan_amount": "90,000"}))
    expect(page.locator("[data-calculator]")).not_to_have_class(re.compile(r"calc--stale"))
    assert page.eval_on_selector("[data-status]", "el => el.style.getPropertyValue('--calc-progress')") == ""


def test_the_loading_line_counts_the_bytes_a_brotli_host_sends(page: Page, server: SiteServer) -> None:
    """A brotli host sends about 5 MB of the runtime's 12.6 MB: the line counts what the
    connection carries. Oracles: the server's own log of body bytes sent for each file, and the
    size on disk of the wasm's .br sibling (what this host sends for it, once released)."""
    runtime = json.loads((server.root / "pyodide" / "runtime.json").read_text())
    host = SiteServer(server.root, compress="br")  # the same build, as nginx brotli_static serves it
    gate = host.hold(r"pyodide\.asm\.wasm$")
    try:
        page.goto(host.url + AMORT)
        status = page.locator("[data-status]")
        expect(status).to_have_text(PROGRESS, timeout=30_000)
        wasm = next(p for p in runtime["sizes"] if p.endswith(".wasm"))
        others = [p for p in runtime["sizes"] if p != wasm]
        for _ in range(300):
            if all(host.bytes_sent(re.escape(p) + "$") for p in others):
                break
            page.wait_for_timeout(100)
        sent = sum(host.bytes_sent(re.escape(p) + "$") for p in others)
        wasm_br = (server.root / "pyodide" / f"{wasm}.br").stat().st_size
        total = (sent + wasm_br) / 1_000_000
        page.wait_for_timeout(600)  # the next report (every 250 ms) has every response's length
        _received, shown = PROGRESS.match(status.text_content() or "").groups()  # type: ignore[union-attr]
        assert abs(float(shown) - total) <= 0.1, (shown, total)
        assert float(shown) < 0.6 * sum(runtime["sizes"].values()) / 1_000_000
    finally:
        gate.set()
        host.close()
    assert wait_live(page) == "live"


def test_a_stalled_download_ends_with_a_message_and_try_again_works(page: Page, server: SiteServer) -> None:
    watch = Watch(page)
    gate = server.hold(r"pyodide\.asm\.wasm$")
    try:
        page.goto(server.url + AMORT)
        retry = page.locator("[data-action='retry']")
        assert retry.is_hidden()
        assert wait_live(page, timeout=60_000) == "failed"
        assert page.text_content("[data-status]") == STALLED
        expect(retry).to_be_visible()
        stalled = [
            w for w in watch.console_warnings if w.startswith("Live recalculation is unavailable (stalled): ")
        ]
        assert len(stalled) == 1, watch.console_warnings
        assert "no data for 20 s" in stalled[0]
        # The pre-rendered result is still there: numpy_financial.pmt(0.065/12, 360, -200000).
        assert page.text_content("[data-output='payment']") == "$1,264.14"
    finally:
        gate.set()
        server.holds.clear()
    requests_before = server.count("pyodide.asm.wasm")
    retry.click()
    expect(retry).to_be_hidden()
    expect(page.locator("[data-calculator]")).to_have_attribute("data-state", "live", timeout=90_000)
    assert server.count("pyodide.asm.wasm") == requests_before + 1  # a new download, not the dead one
    page.fill("input[name='loan_amount']", "150,000")
    expect(page.locator("[data-output='payment']")).to_have_text(payment({"loan_amount": "150,000"}))
    assert watch.page_errors == []


# Makes the page's next calculation message fail to send once, as a postMessage that throws
# (a DataCloneError) would: a failure of one call, while the worker itself runs on.
FAIL_ONE_CALL = """
window.__failNextCall = false;
const send = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (window.__failNextCall && message && message.id && message.name) {
    window.__failNextCall = false;
    throw new DOMException("could not be cloned", "DataCloneError");
  }
  return send.call(this, message, ...rest);
};
"""


def test_one_failed_call_does_not_end_live_mode(page: Page, server: SiteServer) -> None:
    page.add_init_script(FAIL_ONE_CALL)
    page.goto(server.url + AMORT)
    assert wait_live(page) == "live"
    page.evaluate("() => { window.__failNextCall = true; }")
    page.fill("input[name='loan_amount']", "90,000")
    expect(page.locator("[data-status]")).to_have_text(CALL_FAILED)
    root = page.locator("[data-calculator]")
    assert root.get_attribute("data-state") == "live"
    expect(root).to_have_class(re.compile(r"calc--stale"))
    page.fill("input[name='loan_amount']", "95,000")
    expect(page.locator("[data-output='payment']")).to_have_text(payment({"loan_amount": "95,000"}))
    expect(page.locator("[data-status]")).to_have_text("Live: results update as you type.")
    expect(root).not_to_have_class(re.compile(r"calc--stale"))


# What Chromium reports when the reader has turned on a data saver (Android's Data Saver or
# Lite mode sends Save-Data); the browser under test has no switch for it.
SAVE_DATA = """
Object.defineProperty(Navigator.prototype, "connection", {
  configurable: true,
  get: () => ({ saveData: true, effectiveType: "4g", addEventListener() {}, removeEventListener() {} }),
});
"""


@pytest.fixture
def sw_context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="allow")
    yield ctx
    ctx.close()


def test_save_data_downloads_no_runtime_until_the_reader_asks(
    sw_context: BrowserContext, server: SiteServer
) -> None:
    sw_context.add_init_script(SAVE_DATA)
    page = sw_context.new_page()
    page.goto(server.url + "glossary/")
    page.wait_for_load_state("load")
    offer = page.locator(".offline-offer")
    expect(offer).to_have_text("Make the calculators work offline", timeout=15_000)
    page.wait_for_timeout(1000)
    assert [p for p in server.requests if "/pyodide/" in p] == []
    assert server.bytes_sent("/pyodide/") == 0
    assert page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r === undefined)")
    offer.click()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
    expect(page.locator(".offline-status")).to_have_text("\u2713 Saved for offline use", timeout=120_000)
    assert server.count("pyodide.asm.wasm") == 1  # precached once the reader asked
    expect(offer).to_have_count(0)
