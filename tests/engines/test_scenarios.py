"""The cross-engine scenarios: each runs in Chromium, Firefox ESR and WebKitGTK, against the
real build served with its host headers, through the HTML contract only.

Every scenario ends by asserting the browser stayed clean: no console error, no uncaught
error, no Content-Security-Policy violation (page or worker), no request to another origin and
no failed response (``contract.assert_clean``).
"""

from __future__ import annotations

import pytest

import calculators
from scripts.site_server import SiteServer

from .contract import (
    AMORT,
    CALC,
    DEFICIENCY,
    assert_clean,
    boots,
    check_recomputes,
    form_values,
    shown,
    wait_live,
)
from .drivers import Driver

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYMENT = "[data-calculator='amortization'] [data-output='payment']"


def test_prerendered_result_is_there_before_python(driver: Driver, server: SiteServer) -> None:
    server.hold(r"pyodide\.asm\.wasm$")  # Python cannot start: what shows is the build's
    driver.goto(server.url + AMORT)
    driver.wait(
        "(s) => document.querySelector(s).dataset.state === 'loading'", CALC, what="the loading state"
    )
    # numpy_financial.pmt(0.065/12, 360, -200000) = 1264.136... -> the page's default loan
    assert driver.text(PAYMENT) == shown("amortization", {}, "payment") == "$1,264.14"
    server.reset()  # lets the wasm through
    assert wait_live(driver) == "live"
    assert driver.text(PAYMENT) == "$1,264.14"
    assert_clean(driver, server)


def test_two_calculators_recompute_as_the_reader_types(driver: Driver, server: SiteServer) -> None:
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    driver.type("input[name='loan_amount']", "$150,000")
    # numpy_financial.pmt(0.065/12, 360, -150000) = 948.102..., rounded up to the cent -> $948.11
    driver.wait_text(PAYMENT, shown("amortization", {"loan_amount": "$150,000"}, "payment"))
    assert driver.text(PAYMENT) == "$948.11"
    driver.type("input[name='term_months']", "12")
    driver.wait(
        "() => document.querySelectorAll(\"[data-output='schedule'] tbody tr\").length === 12",
        what="a 12-row schedule",
    )
    last = "[data-output='schedule'] tbody tr:last-child td:last-child"
    assert driver.text(last) == "$0.00"  # the balance ends at zero

    driver.goto(server.url + DEFICIENCY)
    root = "[data-calculator='deficiency']"
    assert wait_live(driver, root) == "live"
    driver.type(f"{root} input[name='sale_price']", "1,000")
    # This page's calculator has its own defaults: compute from what its form holds.
    values = form_values(driver, root)
    driver.wait_text(f"{root} [data-output='deficiency']", shown("deficiency", values, "deficiency"))
    assert_clean(driver, server)


def test_invalid_input_shows_the_field_error_and_keeps_the_last_result(
    driver: Driver, server: SiteServer
) -> None:
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    payment = driver.text(PAYMENT)
    driver.type("input[name='annual_rate']", "six percent")
    error = "[data-error-for='annual_rate']"
    driver.wait_text(error, "Annual interest rate must be a number between 0 and 100, written like 6.5.")
    field = "input[name='annual_rate']"
    assert driver.attr(field, "aria-invalid") == "true"
    assert driver.attr(error, "id") in (driver.attr(field, "aria-describedby") or "").split()
    assert driver.text(PAYMENT) == payment  # the last good result stays
    assert "Traceback" not in driver.run("() => document.body.textContent")
    driver.type(field, "6.5")
    driver.wait_text(error, "")
    assert driver.attr(field, "aria-invalid") is None
    assert_clean(driver, server)


def test_instant_navigation_reuses_the_booted_runtime(driver: Driver, server: SiteServer) -> None:
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    driver.run("() => { window.__samePage = true }")
    driver.click("nav.md-nav--primary a[href$='deficiency/']")
    driver.wait("(u) => location.href === u", server.url + DEFICIENCY, what="the deficiency page")
    root = "[data-calculator='deficiency']"
    assert wait_live(driver, root) == "live"
    assert driver.run("() => window.__samePage === true"), "instant navigation did not keep the page"
    driver.type(f"{root} input[name='sale_price']", "1,000")
    values = form_values(driver, root)
    driver.wait_text(f"{root} [data-output='deficiency']", shown("deficiency", values, "deficiency"))
    assert server.count("pyodide.asm.wasm") == 1
    assert boots(driver) == 1
    assert_clean(driver, server)


def test_the_next_visit_restores_the_memory_snapshot(driver: Driver, server: SiteServer) -> None:
    driver.goto(server.url + AMORT)
    assert wait_live(driver) == "live"
    assert driver.attr(CALC, "data-runtime") == "fresh"
    driver.wait("() => document.documentElement.dataset.calculatorsSnapshot === 'saved'", what="the snapshot")
    driver.goto(server.url + DEFICIENCY)  # a full load: a new worker, a new Python
    root = "[data-calculator='deficiency']"
    assert wait_live(driver, root) == "live"
    assert driver.attr(root, "data-runtime") == "snapshot"
    driver.type(f"{root} input[name='sale_price']", "2,500")
    values = form_values(driver, root)
    driver.wait_text(f"{root} [data-output='deficiency']", shown("deficiency", values, "deficiency"))
    assert boots(driver) == 2
    assert_clean(driver, server)


def test_an_offline_reload_recomputes_from_the_service_worker(driver: Driver, server: SiteServer) -> None:
    driver.goto(server.url)
    assert wait_live(driver) == "live"  # nothing in flight when the network goes
    driver.wait(
        "() => document.querySelector('.offline-status')?.textContent === '\u2713 Saved for offline use'",
        timeout=300,
        what="the site to be saved for offline use",
    )
    assert driver.run("() => navigator.serviceWorker.controller !== null")
    server.offline = True  # from here on the server answers nothing
    before = len(server.requests)
    driver.reload()
    check_recomputes(driver)
    # Through a link (instant navigation), still offline: another page, another calculator.
    driver.click("nav.md-nav--primary a[href$='amortization/']")
    # Material puts the new address in the bar as the link is clicked, before the page arrives.
    driver.wait(
        "(u) => location.href === u && document.querySelector(\"[data-calculator='amortization']\") !== null",
        server.url + AMORT,
        what="the amortization page",
    )
    check_recomputes(driver)
    assert all(name in calculators.CALCULATORS for name in ("amortization", "deficiency"))
    unanswered = server.requests[before:]
    assert not [p for p in unanswered if "pyodide" in p], unanswered  # the runtime came from the cache
    assert_clean(driver, server)


def test_a_states_facts_are_asked_only_when_its_rules_need_them(driver: Driver, server: SiteServer) -> None:
    """Iowa's court-sale rules turn on whether the lender gave up the deficiency (Iowa Code
    § 628.26): the question appears for Iowa and a court sale, and goes for Texas, whose rules never
    ask it. Its answer changes the figure to CPython's."""
    root = "[data-calculator='deficiency']"
    question = f"{root} [name='lender_waived_deficiency']"
    hidden = "(s) => document.querySelector(s).closest('[data-field]').hidden"
    driver.goto(server.url + DEFICIENCY)
    assert wait_live(driver, root) == "live"
    assert driver.run(hidden, question) is True  # no state chosen: not asked
    driver.set_value(f"{root} [name='state']", "IA")
    driver.set_value(f"{root} [name='sale_type']", "judicial")
    assert driver.run(hidden, question) is False
    before = form_values(driver, root)
    driver.set_value(question, "yes")
    driver.wait_text(
        f"{root} [data-output='borrower_exposure']",
        shown("deficiency", form_values(driver, root), "borrower_exposure"),
    )
    assert shown("deficiency", form_values(driver, root), "borrower_exposure") == "$0.00"  # § 628.26
    assert shown("deficiency", before, "borrower_exposure") != "$0.00"  # not sure: the highest case
    driver.set_value(f"{root} [name='state']", "TX")
    assert driver.run(hidden, question) is True
    assert_clean(driver, server)


def test_a_state_page_and_its_letters_work_offline(driver: Driver, server: SiteServer) -> None:
    """Saved for offline use from the home page, then with no network: a state's page opens from
    the service worker with its three calculators preset and live, and the letter check writes
    the reader's letter exactly as CPython does."""
    driver.goto(server.url)
    assert wait_live(driver) == "live"
    driver.wait(
        "() => document.querySelector('.offline-status')?.textContent === '\u2713 Saved for offline use'",
        timeout=300,
        what="the site to be saved for offline use",
    )
    server.offline = True
    driver.goto(server.url + "states/ohio/")
    states = driver.run(
        "() => [...document.querySelectorAll('[data-calculator] select[name=state]')].map(s => s.value)"
    )
    assert states == ["OH", "OH", "OH"]
    root = "[data-calculator='deficiency-check']"
    assert wait_live(driver, root) == "live"
    driver.type(f"{root} input[name='lender']", "Acme Auto Credit")
    letter = f"{root} pre[data-output='request_letter']"
    driver.wait(
        "(s) => document.querySelector(s).textContent.includes('Acme Auto Credit')", letter, what="the letter"
    )
    expected = calculators.run("deficiency-check", form_values(driver, root))
    assert driver.text(letter) == expected["request_letter"]
    assert "To: Acme Auto Credit" in expected["request_letter"]
    assert_clean(driver, server)


def test_a_state_on_a_map_opens_its_page_by_instant_navigation(driver: Driver, server: SiteServer) -> None:
    """Each state on a map is an SVG link (xlink:href); a click opens its page without reloading
    the document, so the tab's runtime keeps running."""
    driver.goto(server.url + "state-laws/")
    driver.run("() => { window.__sameDocument = true }")
    driver.click("svg[data-map='home'] a.map__link[aria-label^='Texas:'] path")
    driver.wait("(u) => location.href === u", server.url + "states/texas/", what="Texas's page")
    driver.wait("() => document.querySelector('h1')?.textContent.startsWith('Texas')", what="its content")
    assert driver.run("() => window.__sameDocument === true")
    assert wait_live(driver) == "live"
    assert driver.run("() => document.querySelector('[data-calculator] select[name=state]').value") == "TX"
    assert_clean(driver, server)
