"""One summary line per suite and per engine at the end of every run (loaded by pyproject's
``addopts``: ``-p tests.summary``).

A suite is a folder of ``tests/`` (or the doctests of a package); the engines suite gets a line
per engine, read from the test's id (``[chromium]``, ``-webkit-`` ...).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

ENGINES = ("chromium", "firefox", "webkit", "wpe")
_time: dict[str, float] = defaultdict(float)
_outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


def suite_of(nodeid: str) -> str:
    path = nodeid.split("::", maxsplit=1)[0]
    parts = path.split("/")
    if parts[0] != "tests":
        return f"doctests {parts[0]}"
    suite = "/".join(parts[:2]) if len(parts) > 2 else path
    if suite == "tests/engines":
        engine = next((e for e in ENGINES if re.search(rf"[\[-]{e}[\]-]", nodeid)), "")
        return f"{suite} {engine}".rstrip()
    return suite


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    suite = suite_of(report.nodeid)
    _time[suite] += report.duration
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _outcomes[suite][report.outcome] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _time:
        return
    terminalreporter.section("time per suite and engine")
    for suite in sorted(_time):
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(_outcomes[suite].items()))
        terminalreporter.write_line(f"{suite:28} {_time[suite]:7.1f} s  {counts}")
