"""Hostile input, in every engine: the fuzz test's strings and script-injection strings
(tests/strategies.py) go into a calculator's field, the page URL and the search box.

What depends on the engine is how the page shows what Python answered, and every field's
answer is shown by the same code: so each string goes into one field of each form, and its
result or exact error message must be CPython's. Nothing injected may run (``window.__xss``
stays unset), and nothing may even try: markup that reached the page would trip the
Content-Security-Policy, and the observer would count the violation. Every string in every
field of every calculator is checked in Pyodide itself, where it costs milliseconds
(``tests/pyodide/test_parity.py``).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

import calculators
from scripts.site_server import SiteServer
from tests.strategies import INJECTIONS, NASTY_STRINGS

from .contract import AMORT, DEFICIENCY, assert_clean, expect_outcome, wait_live
from .drivers import Driver

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def text_fields(name: str) -> list[str]:
    return [f.name for f in calculators.CALCULATORS[name].fields if f.kind.value not in ("choice", "yes/no")]


def feed(driver: Driver, name: str, strings: tuple[str, ...], fields: int = 1) -> int:
    """Every string into the first ``fields`` text fields of ``name``'s calculator, each checked
    against CPython."""
    root = f"[data-calculator='{name}']"
    assert wait_live(driver, root) == "live"
    fed = 0
    for field in text_fields(name)[:fields]:
        control = f"{root} [name='{field}']"
        for text in strings:
            driver.set_value(control, text)
            expect_outcome(driver, root, name)
            fed += 1
        driver.set_value(control, driver.run("(s) => document.querySelector(s).defaultValue", control))
        expect_outcome(driver, root, name)
    return fed


def test_hostile_strings_in_every_field_run_nothing(driver: Driver, server: SiteServer) -> None:
    driver.goto(server.url + AMORT)
    fed = feed(driver, "amortization", (*NASTY_STRINGS, *INJECTIONS))
    driver.goto(server.url + DEFICIENCY)
    fed += feed(driver, "deficiency", INJECTIONS)
    print(f"{driver.engine}: {fed} hostile values checked against CPython")
    assert driver.run("() => window.__xss === undefined")
    assert_clean(driver, server)


def test_hostile_strings_in_the_url_and_search_run_nothing(driver: Driver, server: SiteServer) -> None:
    for text in INJECTIONS:
        # Material highlights the search terms named by ?h=, and reads the fragment.
        driver.goto(f"{server.url}glossary/?h={quote(text)}#{quote(text)}")
        assert driver.run("() => window.__xss === undefined"), text
    driver.goto(server.url + "glossary/")
    driver.click("input.md-search__input")
    for text in INJECTIONS:
        driver.type("input.md-search__input", text)
        driver.wait(
            "() => document.querySelector('.md-search-result__meta')?.textContent.length > 0",
            what="Material's search to answer",
        )
        assert driver.run("() => window.__xss === undefined"), text
    assert_clean(driver, server)


# WebKit throws after 100 history.replaceState calls in 10 s (History.cpp's state-object limit);
# a key held down in a field makes about 30 edits a second.
BURST = """(s) => { const e = document.querySelector(s);
  for (let i = 1; i <= 300; i++) { e.value = String(100000 + i * 1000);
    e.dispatchEvent(new Event('input', {bubbles: true})); } }"""


def test_a_burst_of_edits_keeps_computing_and_the_link_catches_up(driver: Driver, server: SiteServer) -> None:
    driver.goto(server.url + AMORT)
    root = "[data-calculator='amortization']"
    assert wait_live(driver, root) == "live"
    for _ in range(2):  # 600 edits: well past any engine's limit on address-bar writes
        driver.run(BURST, f"{root} [name='loan_amount']")
    expect_outcome(driver, root, "amortization")  # the last value, 400,000, computed by CPython
    driver.wait("() => location.hash.includes('loan_amount=400000')", timeout=20, what="the link to catch up")
    driver.set_value(f"{root} [name='loan_amount']", "250,000")
    expect_outcome(driver, root, "amortization")
    assert_clean(driver, server)
