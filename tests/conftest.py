"""Fixtures shared by the browser suites (tests/browser, Chromium only, and tests/engines)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    """One Playwright per session: its sync API cannot be started twice in one thread."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as pw:
        yield pw


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Units of work for `make test`'s parallel run (pytest-xdist, ``--dist loadgroup``): each
    engine of the cross-engine suite is one unit, run by one worker in order (one browser of
    each engine at a time, as the suite was written for); every other test module is a unit, so
    its module fixtures (a site build, a server) are made once."""
    for item in items:
        engine = getattr(getattr(item, "callspec", None), "params", {}).get("engine")
        if engine is None and item.nodeid.startswith("tests/engines/") and "wpe" in item.nodeid:
            engine = "wpe"
        group = f"engine-{engine}" if engine else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
