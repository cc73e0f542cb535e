"""The fault suite: on every boot path and under each fault a reader's browser can meet, the page
either shows results that match its inputs or says plainly that it does not, and it recovers
without the reader clearing site data. Each case runs in Chromium, Firefox ESR and WebKitGTK.

Every case ends with the next edit giving CPython's figure (the oracle: ``calculators.run`` in
CPython, which the Pyodide parity test shows answers byte for byte like Pyodide, on both of its
boot paths). The test build shortens the runtime's time limits (``tests.repo.TEST_TIMEOUTS``),
so a deadline is seconds, not the 20 s a reader's browser allows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import calculators
from calculators.states import NAMES
from scripts.site_server import SiteServer
from site_integration.render import display

from .contract import (
    AMORT,
    DEFICIENCY,
    assert_clean,
    boots,
    expect_outcome,
    form_values,
    shown,
    wait_live,
)
from .drivers import Driver

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIVE = "Live: results update as you type."
STOPPED = (
    "The live calculator stopped responding, so the results shown are for earlier values, not the ones above. "
    "Change a value or press Try again."
)
STALLED = "The live calculator stopped downloading. The results shown are for the page's original values."
PAYMENT = "[data-calculator='amortization'] [data-output='payment']"
AMORT_ROOT = "[data-calculator='amortization']"
#: Every calculator that applies a state's law, on the pages that embed it, with the values it
#: needs first for a state to make a difference (a small-balance bar needs the purchase price).
STATE_AWARE: dict[str, dict[str, dict[str, str]]] = {
    DEFICIENCY: {
        "deficiency": {"original_amount": "2,000"},
        "deficiency-check": {"original_amount": "2,000"},
    },
    "calculators/garnishment/": {"garnishment": {}},
}
SNAPSHOT_SAVED = "() => document.documentElement.dataset.calculatorsSnapshot === 'saved'"
OFFLINE_READY = (
    "() => document.querySelector('.offline-status')?.textContent === '\u2713 Saved for offline use'"
)


def status(driver: Driver, root: str = AMORT_ROOT) -> str:
    return str(driver.text(f"{root} [data-status]"))


def classes(driver: Driver, root: str = AMORT_ROOT) -> list[str]:
    return list(driver.run("(s) => [...document.querySelector(s).classList]", root))


def a_state_that_changes_the_answer(name: str, values: dict[str, str]) -> str:
    """The first jurisdiction whose law changes the headline CPython shows for these values: a
    state change that shows nothing new would prove nothing."""
    calc = calculators.CALCULATORS[name]
    before = calculators.run(name, {**calc.defaults(), **values})
    for code in NAMES:
        after = calculators.run(name, {**calc.defaults(), **values, "state": code})
        if after["ok"] and after["headline"] != before.get("headline"):
            return code
    raise AssertionError(f"no state changes {name}'s headline for {values}")


#: The page's own sign that the results shown are for the form's values: no call is pending.
#: An edit sets it at once (the input event's handler marks the results stale), so waiting for
#: it to clear after an edit cannot pass before that edit's answer is shown.
CURRENT = "(s) => !document.querySelector(s).classList.contains('calc--stale')"


def change_state_everywhere(driver: Driver, server: SiteServer, *, restored: bool) -> None:
    """On each page with a state-aware calculator (a full load each), choose a state in every
    one of them and see CPython's answer, live."""
    for path, calculators_on_page in STATE_AWARE.items():
        driver.goto(server.url + path)
        for name, first in calculators_on_page.items():
            root = f"[data-calculator='{name}']"
            assert wait_live(driver, root) == "live"
            if restored:
                assert driver.attr(root, "data-runtime") == "snapshot"
            for field, value in first.items():
                driver.set_value(f"{root} [name='{field}']", value)
            driver.wait(CURRENT, root, timeout=30, what=f"{name}'s answer to the edit")
            expect_outcome(driver, root, name)
            code = a_state_that_changes_the_answer(name, form_values(driver, root))
            driver.set_value(f"{root} select[name='state']", code)
            driver.wait(CURRENT, root, timeout=30, what=f"{name}'s answer for {code}")
            expect_outcome(driver, root, name)
            driver.wait_text(
                f"{root} [data-output='headline']", shown(name, form_values(driver, root), "headline")
            )
            assert status(driver, root) == LIVE, (name, code, status(driver, root))
            assert "calc--error" not in classes(driver, root)
            assert "calc--stale" not in classes(driver, root)


def test_a_state_change_on_a_restored_tab_computes_online_and_offline(
    driver: Driver, server: SiteServer
) -> None:
    """Every return visit restores Python from the memory snapshot: the state rules must be there
    too (they once were read lazily from files the snapshot does not carry: FileNotFoundError)."""
    driver.goto(server.url + DEFICIENCY)
    assert wait_live(driver, "[data-calculator='deficiency']") == "live"
    driver.wait(SNAPSHOT_SAVED, what="the snapshot")
    change_state_everywhere(driver, server, restored=True)
    # Offline: the same, from the service worker's copy of the site.
    driver.wait(OFFLINE_READY, timeout=300, what="the site to be saved for offline use")
    server.offline = True
    change_state_everywhere(driver, server, restored=True)
    assert_clean(driver, server)


def test_a_worker_ended_after_live_is_replaced_and_the_next_edit_computes(
    driver: Driver, server: SiteServer
) -> None:
    """A browser may end a worker (memory pressure) or it may crash: it sends no event. The next
    call misses its deadline; the page says so, marks its results stale, and the next edit runs on
    a replacement worker."""
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    driver.run("() => window.__probe.instances.forEach((worker) => worker.terminate())")
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "300,000")
    assert "calc--stale" in classes(driver)  # at once: the figure shown is not for 300,000
    driver.wait_text(f"{AMORT_ROOT} [data-status]", STOPPED, timeout=30)
    assert "calc--stale" in classes(driver)
    assert driver.attr(AMORT_ROOT, "data-state") == "failed"
    assert (
        driver.run("(s) => document.querySelector(s).hidden", f"{AMORT_ROOT} [data-action='retry']") is False
    )
    # The download button answers too: never "Preparing…" for good.
    driver.run("(s) => document.querySelector(s).closest('details').open = true", "[data-export='csv']")
    driver.click(f"{AMORT_ROOT} [data-export='csv']")
    driver.wait(
        "(s) => !document.querySelector(s).disabled",
        f"{AMORT_ROOT} [data-export='csv']",
        what="the button back",
    )
    # The next edit computes, on the replacement.
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "250,000")
    # numpy_financial.pmt(0.065/12, 360, -250000) = 1580.17... -> rounded up to the cent
    driver.wait_text(PAYMENT, shown("amortization", form_values(driver), "payment"), timeout=120)
    assert driver.text(PAYMENT) == "$1,580.18"
    driver.wait_text(f"{AMORT_ROOT} [data-status]", LIVE)
    assert "calc--stale" not in classes(driver)
    assert boots(driver) == 2
    assert any("(stopped): no answer to a call within" in w for w in driver.harvest().warnings)
    assert_clean(driver, server)


def test_a_call_that_never_returns_is_marked_then_replaced(driver: Driver, server: SiteServer) -> None:
    """A call is lost (or the worker is stuck in it): the results say "Updating…" and are marked
    stale while it is pending, the deadline ends it with a plain sentence, and once calls go
    through again the next edit gives CPython's figure."""
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    before = driver.text(PAYMENT)
    driver.run("() => { window.__probe.dropCalls = true }")
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "300,000")
    assert "calc--stale" in classes(driver)
    assert driver.attr(f"{AMORT_ROOT} .calc__results", "aria-busy") == "true"
    driver.wait_text(f"{AMORT_ROOT} [data-status]", "Updating…", timeout=5)
    assert driver.text(PAYMENT) == before  # the old figure, marked stale, never passed off as current
    driver.wait_text(f"{AMORT_ROOT} [data-status]", STOPPED, timeout=30)
    assert "calc--stale" in classes(driver)
    driver.run("() => { window.__probe.dropCalls = false }")
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "300,000.00")  # the same loan, typed anew
    # numpy_financial.pmt(0.065/12, 360, -300000) = 1896.20... -> rounded up to the cent
    driver.wait_text(PAYMENT, shown("amortization", form_values(driver), "payment"), timeout=120)
    assert driver.text(PAYMENT) == "$1,896.21"
    driver.wait_text(f"{AMORT_ROOT} [data-status]", LIVE)
    assert "calc--stale" not in classes(driver)
    assert_clean(driver, server)


def test_charts_that_cannot_load_leave_the_calculator_live(driver: Driver, server: SiteServer) -> None:
    """charts.js answers 404: each chart says it failed and keeps its table; everything else works."""
    server.faults[r"assets/runtime/charts\.js$"] = "404"
    driver.goto(server.url + "calculators/underwater/")
    root = "[data-calculator='underwater']"
    assert wait_live(driver, root) == "live"
    driver.wait(
        "(s) => document.querySelector(s).dataset.chartState === 'failed'",
        f"{root} figure[data-chart]",
        what="the chart to say it failed",
    )
    assert (
        driver.run(
            "(s) => document.querySelectorAll(s).length", f"{root} table[data-output='timeline'] tbody tr"
        )
        > 0
    )
    driver.type(f"{root} input[name='loan_amount']", "25,000")
    expect_outcome(driver, root, "underwater")
    assert status(driver, root) == LIVE
    assert_clean(driver, server, allow_http_errors=True)


CORRUPT_SNAPSHOT = """async (cachePrefix, rehash) => {
  const cache = await caches.open(`${cachePrefix}-snapshots`);
  const [request] = await cache.keys();
  const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  // 1 MB of the stored memory overwritten, past the header (16 bytes) and the digest (32).
  bytes.fill(0xff, 200000, 1200000);
  if (rehash) {  // a damaged snapshot whose digest was written to match: only the restore can tell
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.subarray(48)));
    bytes.set(digest, 16);
  }
  await cache.put(request, new Response(bytes));
  return request.url;
}"""


@pytest.mark.parametrize("rehash", [False, True], ids=["digest-mismatch", "digest-matches"])
def test_a_damaged_snapshot_is_deleted_and_python_starts_afresh(
    driver: Driver, server: SiteServer, rehash: bool
) -> None:
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    driver.wait(SNAPSHOT_SAVED, what="the snapshot")
    driver.run(CORRUPT_SNAPSHOT, "rvnr", rehash)
    driver.reload()
    assert wait_live(driver, timeout=120) == "live"
    assert driver.attr(AMORT_ROOT, "data-runtime") == "fresh"
    assert status(driver) != STALLED
    warnings = driver.harvest().warnings
    assert any("memory snapshot" in w for w in warnings), warnings
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "150,000")
    # numpy_financial.pmt(0.065/12, 360, -150000) = 948.10... -> rounded up to the cent
    driver.wait_text(PAYMENT, "$948.11")
    # A good snapshot replaces it, and the next visit restores that one.
    driver.wait(SNAPSHOT_SAVED, what="a new snapshot")
    driver.reload()
    assert wait_live(driver) == "live"
    assert driver.attr(AMORT_ROOT, "data-runtime") == "snapshot"
    assert_clean(driver, server)


PRECACHED_WASM = """async (cachePrefix, damage) => {
  for (const key of await caches.keys()) {
    if (!key.startsWith(`${cachePrefix}-`) || !key.includes("precache")) continue;
    const cache = await caches.open(key);
    for (const request of await cache.keys()) {
      if (!request.url.split("?")[0].endsWith("/pyodide.asm.wasm")) continue;
      if (damage) {
        const junk = new Uint8Array(4096).fill(7);
        await cache.put(request, new Response(junk, {headers: {"Content-Type": "application/wasm"}}));
      }
      return (await (await cache.match(request)).arrayBuffer()).byteLength;
    }
  }
  return null;
}"""


def test_a_damaged_precached_runtime_file_is_fetched_again(driver: Driver, server: SiteServer) -> None:
    """The service worker's copy of pyodide.asm.wasm is junk: the boot fails, the page evicts the
    precached runtime, the service worker fetches it again (checking its integrity) and the
    retry goes live, with no help from the reader."""
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    driver.wait(OFFLINE_READY, timeout=300, what="the site to be saved for offline use")
    assert driver.run(PRECACHED_WASM, "rvnr", True) == 4096, "no precached wasm to damage"
    driver.reload()
    state = wait_live(driver, timeout=180)
    assert state == "live", (status(driver), driver.harvest().warnings)
    warnings = driver.harvest().warnings
    assert any("precached runtime files" in w for w in warnings), warnings
    # The service worker fetched the wasm again (from the network, or the browser's HTTP cache),
    # checked it against its integrity hash and put it back: the whole file is precached again.
    wasm = next((server.root / "pyodide").glob("*/pyodide.asm.wasm"))
    assert driver.run(PRECACHED_WASM, "rvnr", False) == wasm.stat().st_size
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "150,000")
    driver.wait_text(PAYMENT, "$948.11")  # numpy_financial.pmt(0.065/12, 360, -150000), rounded up
    # The precache was repaired: the next visit boots without a failure, and so does one offline.
    failures = len([w for w in driver.harvest().warnings if "failed to start" in w])
    driver.reload()
    assert wait_live(driver, timeout=180) == "live"
    assert len([w for w in driver.harvest().warnings if "failed to start" in w]) == failures
    server.offline = True
    driver.reload()
    state = wait_live(driver, timeout=180)
    assert state == "live", "\n".join([status(driver), *driver.harvest().warnings, *server.requests[-30:]])
    assert_clean(driver, server)


def test_a_deploy_during_a_visit_without_a_service_worker_loads_the_next_page_in_full(
    driver: Driver, server: SiteServer, v2_site: Path
) -> None:
    """No service worker holds the old deploy's pages back (its sw.js never arrives): a click to
    another page fetches the new deploy's HTML. That page loads in full, so its pre-rendered
    figures and its live ones come from the same deploy."""
    server.hold(r"/sw\.js$")  # never answered during this test: no service worker
    driver.goto(server.url + DEFICIENCY)
    assert wait_live(driver, "[data-calculator='deficiency']") == "live"
    driver.run("() => { window.__samePage = true }")
    server.swap_root(v2_site)
    driver.click("nav.md-nav--primary a[href$='amortization/']")
    # A full load: a new document (no __samePage) whose calculator goes live.
    driver.wait(
        "(s) => window.__samePage === undefined && document.querySelector(s)?.dataset.state === 'live'",
        AMORT_ROOT,
        timeout=120,
        what="the new deploy's page, loaded in full and live",
    )
    # The v2 runtime answers: total_paid is $1,000 more (oracle: CPython + 1,000.00, tests.repo.V2_PATCH).
    driver.type(f"{AMORT_ROOT} input[name='loan_amount']", "100,000")
    total = calculators.run("amortization", form_values(driver))["total_paid"]
    driver.wait_text(
        f"{AMORT_ROOT} [data-output='total_paid']", display("money", f"{float(total) + 1000:.2f}")
    )
    assert_clean(driver, server)
