"""One small driver interface, three engines: the engines suite's scenarios call only this.

* :class:`ChromiumDriver`: Debian's Chromium through Playwright (a persistent context).
* :class:`FirefoxDriver`: Debian's Firefox ESR through npm's puppeteer-core over WebDriver BiDi,
  in a small Node process (``firefox.mjs``) that speaks JSON lines.
* :class:`WebKitDriver`: Debian's WebKitGTK (MiniBrowser ``--automation``) through Selenium
  and ``WebKitWebDriver``; it needs an X display (``make test`` runs under ``xvfb-run``).
* :class:`OldWebKitDriver`: Debian's WPE WebKit 2.38 (``cog``), which identifies as Safari
  16.0: a real engine too old for Pyodide, for the "needs a newer browser" test only.

Every browser starts with a fresh profile in its own folder. What a page did is read from the
observer every built page carries (``probe.js``: CSP violations of the page and the worker,
uncaught errors, console errors and warnings, the workers started) and from each engine's own
console and request events where it has them (WebKitGTK's WebDriver has neither).
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # one Chromium set-up for both suites

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER_GLOB = "/usr/lib/*/webkit2gtk-4.1/MiniBrowser"
WPE_DRIVER = "/usr/bin/WPEWebDriver"
COG = "/usr/bin/cog"
VIEWPORT = {"width": 1280, "height": 900}

#: What each page's observer recorded, read before the page goes away.
HARVEST = """() => {
  const p = window.__probe;
  const urls = performance.getEntriesByType("resource").map((e) => e.name);
  urls.push(location.href);
  return p ? {id: p.id, violations: p.violations, errors: p.errors, consoleErrors: p.consoleErrors,
              warnings: p.warnings, workers: p.workers, urls, probe: true}
           : {id: location.href, violations: [], errors: [], consoleErrors: [], warnings: [], workers: [],
              urls, probe: false};
}"""


class DriverError(AssertionError):
    """The browser did not do what was asked (a timeout, a missing element)."""


@dataclass
class Observed:
    """Everything the pages of one browser did, across full loads (each document counted once)."""

    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # the observer's record, by document
    native_errors: list[str] = field(default_factory=list)  # the engine's own uncaught errors
    native_console_errors: list[str] = field(default_factory=list)
    native_urls: list[str] = field(default_factory=list)  # the engine's own request log

    def _all(self, key: str) -> list[Any]:
        return [item for page in self.pages.values() for item in page[key]]

    @property
    def violations(self) -> list[dict[str, str]]:
        return self._all("violations")

    @property
    def errors(self) -> list[str]:
        return self._all("errors") + self.native_errors

    @property
    def console_errors(self) -> list[str]:
        return self._all("consoleErrors") + self.native_console_errors

    @property
    def warnings(self) -> list[str]:
        return self._all("warnings")

    @property
    def workers(self) -> list[str]:
        return self._all("workers")

    @property
    def urls(self) -> list[str]:
        return self._all("urls") + self.native_urls

    @property
    def unobserved(self) -> int:
        """Documents without the observer (it must be on every page)."""
        return sum(not page["probe"] for page in self.pages.values())


class Driver(ABC):
    """A browser with one tab. Scripts are JavaScript function expressions taking JSON arguments."""

    engine: ClassVar[str]

    def __init__(self) -> None:
        self.observed = Observed()
        self.closed = False

    # ---- what each engine implements ----
    @abstractmethod
    def _goto(self, url: str) -> None: ...

    @abstractmethod
    def _reload(self) -> None: ...

    @abstractmethod
    def run(self, function: str, *args: Any) -> Any:
        """Call ``function`` (JavaScript source) with ``args`` in the page; await a promise."""

    @abstractmethod
    def click(self, selector: str) -> None:
        """A real click (the engine's own input events)."""

    @abstractmethod
    def type(self, selector: str, text: str) -> None:
        """Replace a field's text by typing it (the engine's own input events)."""

    @abstractmethod
    def _native(self) -> tuple[list[str], list[str], list[str]]:
        """Drain the engine's own console errors, uncaught errors and request URLs."""

    @abstractmethod
    def close(self) -> None: ...

    # ---- shared, built on the above ----
    def quit(self) -> None:
        """Close the browser once (a test may end one early; the fixture then skips it)."""
        if not self.closed:
            self.closed = True
            self.close()

    def goto(self, url: str) -> None:
        self.harvest()
        self._goto(url)

    def reload(self) -> None:
        self.harvest()
        self._reload()

    def harvest(self) -> Observed:
        """Fold the current document's observations (and the engine's) into ``observed``."""
        try:
            page = self.run(HARVEST)
        except Exception:  # noqa: BLE001 - no document yet (a fresh tab) or one that is going away
            page = None
        if page and page["urls"] and not page["urls"][-1].startswith("about:"):
            self.observed.pages[page["id"]] = page
        console_errors, errors, urls = self._native()
        self.observed.native_console_errors += console_errors
        self.observed.native_errors += errors
        self.observed.native_urls += urls
        return self.observed

    def wait(self, function: str, *args: Any, timeout: float = 120.0, what: str = "") -> Any:
        """Poll ``function`` until it returns something truthy; return that."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.run(function, *args)
            except Exception:  # a document going away mid-poll (a reload): poll again
                if time.monotonic() > deadline:
                    raise
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise DriverError(
                    f"{self.engine}: timed out after {timeout:.0f} s waiting for {what or function}"
                )
            time.sleep(0.1)

    def text(self, selector: str) -> str | None:
        return self.run(
            "(s) => { const e = document.querySelector(s); return e ? e.textContent : null }", selector
        )

    def attr(self, selector: str, name: str) -> str | None:
        return self.run("(s, n) => document.querySelector(s)?.getAttribute(n) ?? null", selector, name)

    def wait_text(self, selector: str, expected: str, timeout: float = 30.0) -> None:
        try:
            self.wait(
                "(s, t) => document.querySelector(s)?.textContent === t",
                selector,
                expected,
                timeout=timeout,
                what=f"{selector} to read {expected!r}",
            )
        except DriverError as err:
            raise DriverError(f"{err} (it reads {self.text(selector)!r})") from None

    def set_value(self, selector: str, text: str) -> None:
        """Set a field's value exactly (any string, even one no keyboard types) and fire ``input``."""
        self.run(
            "(s, v) => { const e = document.querySelector(s); e.value = v;"
            " e.dispatchEvent(new Event('input', {bubbles: true})); }",
            selector,
            text,
        )


# ---- Chromium: Playwright ----


class ChromiumDriver(Driver):
    engine = "chromium"

    def __init__(self, playwright: Any, profile: Path, *, args: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, *args],
            headless=True,
            viewport=VIEWPORT,
            service_workers="allow",
        )
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self._console: list[str] = []
        self._errors: list[str] = []
        self._urls: list[str] = []
        self.page.on("console", lambda m: self._console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self._errors.append(str(e)))
        self.context.on("request", lambda r: self._urls.append(r.url))

    def _goto(self, url: str) -> None:
        self.page.goto(url, timeout=120_000)

    def _reload(self) -> None:
        self.page.reload(timeout=120_000)

    def run(self, function: str, *args: Any) -> Any:
        return self.page.evaluate(f"(args) => ({function})(...args)", list(args))

    def click(self, selector: str) -> None:
        self.page.click(selector, timeout=30_000)

    def type(self, selector: str, text: str) -> None:
        self.page.fill(selector, text, timeout=30_000)

    def _native(self) -> tuple[list[str], list[str], list[str]]:
        drained = (self._console, self._errors, self._urls)
        self._console, self._errors, self._urls = [], [], []
        return drained

    def close(self) -> None:
        self.context.close()


# ---- Firefox: puppeteer-core over WebDriver BiDi, in Node ----


class FirefoxDriver(Driver):
    engine = "firefox"

    def __init__(self, profile: Path, *, prefs: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.log = (profile.parent / f"{profile.name}.log").open("w")
        self.proc = subprocess.Popen(
            ["node", str(Path(__file__).with_name("firefox.mjs")), str(profile), json.dumps(prefs or {})],
            cwd=ROOT,  # resolves puppeteer-core from this repository's node_modules
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "FIREFOX": FIREFOX},
        )
        self._next = 0

    def _call(self, cmd: str, **args: Any) -> Any:
        assert self.proc.stdin
        assert self.proc.stdout
        self._next += 1
        self.proc.stdin.write(json.dumps({"id": self._next, "cmd": cmd, **args}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.log.flush()
            tail = Path(self.log.name).read_text()[-2000:]
            raise DriverError(f"firefox: the driver process ended ({self.proc.poll()}): {tail}")
        answer = json.loads(line)
        if "error" in answer:
            raise DriverError(f"firefox: {cmd}: {answer['error']}")
        return answer["value"]

    def _goto(self, url: str) -> None:
        self._call("goto", url=url)

    def _reload(self) -> None:
        self._call("reload")

    def run(self, function: str, *args: Any) -> Any:
        return self._call("evaluate", expression=f"({function})(...{json.dumps(list(args))})")

    def click(self, selector: str) -> None:
        self._call("click", selector=selector)

    def type(self, selector: str, text: str) -> None:
        self._call("type", selector=selector, text=text)

    def _native(self) -> tuple[list[str], list[str], list[str]]:
        events = self._call("events")
        console = [m["text"] for m in events["console"] if m["type"] == "error"]
        return console, events["pageErrors"], events["requests"]

    def close(self) -> None:
        try:
            self._call("close")
            self.proc.wait(timeout=30)
        except (DriverError, OSError, ValueError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe:
                    pipe.close()
            self.log.close()


# ---- WebKitGTK: Selenium, WebKitWebDriver and MiniBrowser ----


def minibrowser() -> str | None:
    found = sorted(glob.glob(MINIBROWSER_GLOB))
    return found[0] if found else None


class _SeleniumDriver(Driver):
    """A WebKit browser through Selenium and its WebKit WebDriver (WebKitGTK or WPE)."""

    driver: Any

    def _session(self, start: Callable[[], Any]) -> None:
        with warnings.catch_warnings():
            # Selenium 4.51's own WebKit classes still pass the deprecated remote_server_addr.
            warnings.filterwarnings("ignore", "setting remote_server_addr", DeprecationWarning)
            self.driver = start()
        self.driver.set_script_timeout(180)
        self.driver.set_page_load_timeout(120)

    def _goto(self, url: str) -> None:
        self.driver.get(url)

    def _reload(self) -> None:
        self.driver.refresh()

    def run(self, function: str, *args: Any) -> Any:
        answer = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({function})(...{json.dumps(list(args))}))"
            ".then((value) => done({value: value === undefined ? null : value}),"
            " (err) => done({error: String(err && err.stack || err)}));"
        )
        if "error" in answer:
            raise DriverError(f"{self.engine}: script failed: {answer['error']}")
        return answer["value"]

    def click(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, selector).click()

    def type(self, selector: str, text: str) -> None:
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        element.clear()
        element.send_keys(text)

    def _native(self) -> tuple[list[str], list[str], list[str]]:
        return [], [], []  # WebKit's WebDriver (without BiDi) exposes no console and no network events

    def close(self) -> None:
        self.driver.quit()


def _xdg(profile: Path, env: dict[str, str] | None) -> dict[str, str]:
    """The environment of a WebKit browser: its on-disk state goes to the fresh profile."""
    return {
        **os.environ,
        "XDG_DATA_HOME": str(profile / "data"),
        "XDG_CACHE_HOME": str(profile / "cache"),
        "XDG_CONFIG_HOME": str(profile / "config"),
        **(env or {}),
    }


class WebKitDriver(_SeleniumDriver):
    """MiniBrowser in automation mode always uses an ephemeral (in-memory) website data store,
    so each session starts empty (and, being ephemeral, prints no console messages even with
    ``--enable-write-console-messages-to-stdout``)."""

    engine = "webkit"

    def __init__(
        self, profile: Path, *, args: tuple[str, ...] = (), env: dict[str, str] | None = None
    ) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        super().__init__()
        binary = minibrowser()
        if not binary:
            raise DriverError(
                f"webkit: no MiniBrowser at {MINIBROWSER_GLOB} (`make test` installs webkit2gtk-driver)"
            )
        if not os.environ.get("DISPLAY"):
            raise DriverError("webkit: no X display; run the tests under `xvfb-run -a` (`make test` does)")
        options = Options()
        options.binary_location = binary
        options.add_argument("--automation")
        for arg in args:
            options.add_argument(arg)
        log = str(profile.parent / f"{profile.name}.log")
        service = Service(WEBKIT_DRIVER, log_output=log, env=_xdg(profile, env))
        self._session(lambda: webdriver.WebKitGTK(options=options, service=service))
        self.driver.set_window_rect(x=0, y=0, **VIEWPORT)


class OldWebKitDriver(_SeleniumDriver):
    """Debian's WPE WebKit 2.38 (cog, headless): it identifies as Safari 16.0 and, like it,
    cannot parse class static blocks. Only the "needs a newer browser" test uses it."""

    engine = "wpe"

    def __init__(self, profile: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.wpewebkit.options import Options
        from selenium.webdriver.wpewebkit.service import Service

        super().__init__()
        if not (Path(WPE_DRIVER).exists() and Path(COG).exists()):
            raise DriverError(
                f"wpe: {WPE_DRIVER} or {COG} is missing (`make test` installs wpewebkit-driver, cog)"
            )
        options = Options()
        options.binary_location = COG
        options.add_argument("--automation")
        options.add_argument("--platform=headless")
        options.set_capability("browserName", "cog")  # WPEWebDriver 2.38 matches the browser's name
        log = str(profile.parent / f"{profile.name}.log")
        service = Service(WPE_DRIVER, log_output=log, env=_xdg(profile, None))
        self._session(lambda: webdriver.WPEWebKit(options=options, service=service))


#: Starts a browser of the test's engine (the ``launch`` fixture); see tests/engines/conftest.py.
Launch = Callable[..., Driver]
