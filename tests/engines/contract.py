"""What the engines suite reads and does, in terms of the HTML contract (site_integration/CONTRACT.md).

Oracle for every live number: the same ``calculators.run()`` in CPython (the parity test shows
CPython and Pyodide agree byte for byte), formatted by ``site_integration.render.display``.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import urlparse

import calculators
from scripts.site_server import SiteServer
from site_integration.render import display

from .drivers import Driver

AMORT = "calculators/amortization/"
DEFICIENCY = "calculators/deficiency/"
CALC = "[data-calculator]"

STATE = """(s) => { const e = document.querySelector(s);
  return e && ["live", "failed"].includes(e.dataset.state) ? e.dataset.state : null }"""
FORM_VALUES = """(s) => Object.fromEntries([...document.querySelector(s + " form").elements]
  .filter((e) => e.name).map((e) => [e.name, e.value]))"""


#: What a failed calculator and its page said: its status line, and the runtime's own reason
#: (console.warn, recorded by probe.js), which WebKitGTK's driver cannot read from a console.
WHY_FAILED = """(s) => ({status: document.querySelector(s)?.querySelector("[data-status]")?.textContent,
  warnings: window.__probe?.warnings ?? [], errors: window.__probe?.errors ?? []})"""


def wait_live(driver: Driver, selector: str = CALC, timeout: float = 240.0) -> str:
    """Wait until the calculator leaves its loading state; return that state. A calculator that
    failed prints why (pytest shows it with the failing test)."""
    state = str(driver.wait(STATE, selector, timeout=timeout, what=f"{selector} to go live or fail"))
    if state == "failed":
        print(f"{driver.engine}: {selector} failed: {driver.run(WHY_FAILED, selector)}")
    return state


#: A page has settled when it finished loading, every calculator on it is live (or failed) and
#: every chart on it is drawn (or failed): nothing it asked for is still on its way.
SETTLED = """() => document.readyState === 'complete'
  && [...document.querySelectorAll('[data-calculator]')].every(
       (c) => c.dataset.state === 'live' || c.dataset.state === 'failed')
  && [...document.querySelectorAll('figure[data-chart]')].every(
       (f) => Number(f.dataset.drawn || 0) > 0 || f.dataset.chartState === 'failed')"""


def settle(driver: Driver, timeout: float = 60.0) -> None:
    """Wait until the page has nothing in flight, before a tour leaves it.

    Leaving a page mid-fetch makes the browser cancel what it was loading, and Firefox reports
    each fetch the service worker was answering as an error ("A ServiceWorker intercepted the
    request and encountered an unexpected error"): an error of the abandoned page, not of the
    site. The amortization page imports ``charts.js`` after its calculator goes live, so a tour
    that left as soon as it was live could see exactly that.
    """
    driver.wait(SETTLED, timeout=timeout, what="the page to settle (loaded, live, charts drawn)")


def form_values(driver: Driver, selector: str = CALC) -> dict[str, str]:
    return dict(driver.run(FORM_VALUES, selector))


def shown(name: str, inputs: dict[str, str], output: str) -> str:
    """What the page must show for ``output`` with these form values, per CPython."""
    calc = calculators.CALCULATORS[name]
    result = calculators.run(name, {**calc.defaults(), **inputs})
    assert result["ok"], result
    kind = next(o.kind.value for o in calc.outputs if o.name == output)
    return display(kind, result[output])


#: What a calculator shows: each field's error text, each scalar result, the status line.
VISIBLE = """(s) => { const root = document.querySelector(s);
  const texts = (attr) => Object.fromEntries([...root.querySelectorAll(`[${attr}]`)]
    .map((e) => [e.getAttribute(attr), e.textContent]));
  return {errors: texts("data-error-for"), status: root.querySelector("[data-status]").textContent,
          outputs: Object.fromEntries([...root.querySelectorAll("[data-output-item] [data-output]")]
            .map((e) => [e.dataset.output, e.textContent]))} }"""


def expected_view(name: str, values: dict[str, str]) -> tuple[dict[str, str], str | None, dict[str, str]]:
    """What CPython says the page must show for these values: every field's error text, a text
    the status line must contain (for an error no field owns), and the scalar results (when valid)."""
    calc = calculators.CALCULATORS[name]
    result = calculators.run(name, values)
    fields = {f.name for f in calc.fields}
    if not result["ok"]:
        errors = {f: result["errors"].get(f, "") for f in fields}
        general = [m for f, m in result["errors"].items() if f not in fields]
        return errors, (general[0] if general else None), {}
    outputs = {
        o.name: display(o.kind.value, result[o.name])
        for o in calc.outputs
        if o.kind.value in ("money", "percent", "integer", "text")
    }
    return dict.fromkeys(fields, ""), None, outputs


def expect_outcome(driver: Driver, selector: str, name: str, timeout: float = 30.0) -> None:
    """The calculator at ``selector`` shows what CPython computes from its form's values:
    the results when they are valid, each field's exact message when not."""
    values = form_values(driver, selector)
    errors, general, outputs = expected_view(name, values)

    def matches(view: dict[str, Any]) -> bool:
        return (
            {f: view["errors"].get(f, "") for f in errors} == errors
            and (general is None or general in view["status"])
            and all(view["outputs"].get(k) == v for k, v in outputs.items())
        )

    deadline = time.monotonic() + timeout
    while not matches(view := driver.run(VISIBLE, selector)):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{driver.engine}: {name} with {values} shows {view}, "
                f"CPython says errors={errors} general={general!r} outputs={outputs}"
            )
        time.sleep(0.05)


def check_recomputes(driver: Driver) -> None:
    """Every calculator on the page goes live, and a changed money field gives CPython's result."""
    count = driver.run("(s) => document.querySelectorAll(s).length", CALC)
    assert count >= 1
    for index in range(count):
        name = driver.run("(s, i) => document.querySelectorAll(s)[i].dataset.calculator", CALC, index)
        selector = f"[data-calculator='{name}']"
        assert wait_live(driver, selector) == "live"
        calc = calculators.CALCULATORS[name]
        field = next(f for f in calc.fields if f.kind.value == "money" and f.required)
        driver.type(f"{selector} input[name='{field.name}']", "12,345")
        expect_outcome(driver, selector, name)


def other_origins(urls: list[str], server: SiteServer) -> set[str]:
    own = urlparse(server.url).netloc
    return {
        urlparse(u).netloc
        for u in urls
        if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != own
    }


#: An engine's own console line for a response the server failed (Chromium's for any request,
#: Firefox's for a module script it then refuses as the error page's text/html).
HTTP_ERROR = re.compile(
    r"Failed to load resource: the server responded with a status of [45]\d\d"
    r"|Loading module from .* was blocked because of a disallowed MIME type"
)


def assert_clean(driver: Driver, server: SiteServer, *, allow_http_errors: bool = False) -> None:
    """No console error, uncaught error or CSP violation (page or worker), no request to
    another origin, and no failed response, on any page this browser showed."""
    seen = driver.harvest()
    assert seen.unobserved == 0, "a page was shown without the observer"
    assert seen.violations == [], json.dumps(seen.violations, indent=1)
    errors, console_errors = seen.errors, seen.console_errors
    if allow_http_errors:  # the engine's own line for each failed response, which the test caused
        errors = [e for e in errors if not HTTP_ERROR.match(e)]
        console_errors = [e for e in console_errors if not HTTP_ERROR.match(e)]
    assert errors == [], errors
    assert console_errors == [], console_errors
    assert other_origins(seen.urls, server) == set()
    if not allow_http_errors:
        assert server.errors() == [], server.errors()


def boots(driver: Driver) -> int:
    """How many calculator workers this browser's pages started."""
    return len([u for u in driver.harvest().workers if u.endswith("worker.js")])


def probe(driver: Driver) -> Any:
    return driver.run("() => window.__probe")
