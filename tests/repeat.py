"""``pytest --repeat N``: run each selected test N times, to show a fix for a flaky test holds
(loaded by pyproject's ``addopts``: ``-p tests.repeat``). Example, twenty runs in a row::

    xvfb-run -a .venv/bin/python -m pytest --repeat 20 "tests/engines/test_csp.py::test_every_page_runs_under_the_policy_with_no_violation[firefox]"
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--repeat", type=int, default=1, help="run each selected test this many times")


@pytest.fixture
def _repeat(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    count = int(metafunc.config.getoption("repeat"))
    if count > 1:
        metafunc.fixturenames.append("_repeat")
        metafunc.parametrize("_repeat", range(1, count + 1), indirect=True, ids=lambda n: f"run{n}")
