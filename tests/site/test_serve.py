"""The contributor loop: `mkdocs serve` rebuilds the page and the wheel when a calculator changes.

Runs the real `mkdocs serve` on a copy of the repository (so the test can edit a calculator),
on a free 127.0.0.1 port, and reads what it serves over HTTP.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_integration.runtime import lock_entry
from tests.repo import copy_repo

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


def wait_for(check: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail("timed out waiting for mkdocs serve")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def serve(repo: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: b"data-calculator" in fetch(url + "calculators/amortization/"))
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def wheel_source(url: str) -> str:
    runtime = json.loads(fetch(url + "pyodide/runtime.json"))
    lock = json.loads(fetch(url + "pyodide/" + runtime["lock"]))
    wheel = fetch(url + "pyodide/" + lock_entry(lock)["file_name"])
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        return archive.read("calculators/amortization.py").decode()


def test_editing_a_calculator_rebuilds_page_and_wheel(repo: Path, serve: str) -> None:
    page = serve + "calculators/amortization/"
    assert b"Total interest (edited)" not in fetch(page)
    # In serve mode the service worker only removes itself: no stale pages for contributors.
    assert b"unregister()" in fetch(serve + "sw.js")
    module = repo / "calculators" / "amortization.py"
    source = module.read_text()
    assert '"Total interest"' in source  # the label the edit changes
    module.write_text(source.replace('"Total interest"', '"Total interest (edited)"'))
    wait_for(lambda: b"Total interest (edited)" in fetch(page))
    assert "Total interest (edited)" in wheel_source(serve)


def test_editing_the_generator_takes_effect_without_a_restart(repo: Path, serve: str) -> None:
    """The plugin imports the generator's modules afresh when their source changed
    (site_integration/plugin.py, ``_load``): an edit to how a calculator is rendered shows on
    the next rebuild, with the same server process."""
    page = serve + "calculators/amortization/"
    assert b">Copy link (edited)<" not in fetch(page)
    module = repo / "site_integration" / "render.py"
    source = module.read_text()
    assert '"Copy link"' in source  # the button label the edit changes
    module.write_text(source.replace('"Copy link"', '"Copy link (edited)"'))
    wait_for(lambda: b">Copy link (edited)<" in fetch(page))
