"""A maintained base works today: the real site builds with ProperDocs 1.6.x, a drop-in fork of
MkDocs 1.x (Material reaches end of life on 2027-05-05; MkDocs 1.x is unmaintained).

ProperDocs is pinned exactly in ``requirements-properdocs.txt`` and installed apart from the
project's virtualenv (``make deps``: ``.venv/properdocs``), so it is on the path of this test's
build alone. It reads ``mkdocs.yml``, aliases ``mkdocs.*`` imports to its own modules and loads
plugins from the ``mkdocs.plugins`` entry points, so the calculators plugin, Material and this
site's hooks run unchanged. CONTRIBUTING.md ("Before MkDocs ends") has the exit plan.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_integration.blocks import resolve
from site_integration.render import display

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PROPERDOCS = ROOT / ".venv" / "properdocs"
PIN = (ROOT / "requirements-properdocs.txt").read_text()


def test_the_site_builds_with_properdocs(tmp_path: Path) -> None:
    assert (PROPERDOCS / "properdocs").is_dir(), "ProperDocs is not installed: run `make deps`"
    version = next(PROPERDOCS.glob("properdocs-*.dist-info")).name.split("-")[1].removesuffix(".dist")
    assert f"properdocs=={version}\n" in PIN  # the pinned version is the one tested
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(PROPERDOCS), "SITE_URL": "http://127.0.0.1:9/"},
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    # ProperDocs built it, not MkDocs (Material names the builder and its version).
    assert f'content="mkdocs-ProperDocs {version},' in (site / "index.html").read_text()
    # The plugin did its whole job: the pre-rendered answer, the runtime, the policy, the worker.
    page = (site / "calculators" / "deficiency" / "index.html").read_text()
    # The page's first block, computed by the calculators in this process.
    markdown = (ROOT / "docs" / "calculators" / "deficiency.md").read_text()
    first = re.search(r"^/// calculator \| deficiency\n(.*?)^///$", markdown, re.MULTILINE | re.DOTALL)
    assert first
    _calc, _values, _title, result = resolve("deficiency", first.group(1))
    for output in ("deficiency", "total_claim"):
        found = re.search(rf'data-output="{output}"[^>]*>([^<]*)<', page)
        assert found, output
        assert found.group(1) == display("money", result[output])
    assert "__calculatorsStart" in page  # the plugin's theme override
    assert (site / "pyodide" / "runtime.json").is_file()
    assert (site / "sw.js").is_file()
    assert "Content-Security-Policy:" in (site / "_headers").read_text()
    # This site's own hooks ran too: 51 state pages and the state-law reference blocks.
    assert len(list((site / "states").glob("*/index.html"))) == 51
    assert "data-state-rule=" in (site / "state-laws" / "index.html").read_text()
