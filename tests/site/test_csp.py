"""The Content-Security-Policy the build generates (site_integration/csp.py): the hashes, the
two policy texts, and what a real build ships (meta tag on every page, the ``_headers`` rule).

That the policy holds in real browsers is tests/engines/test_csp.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.site_server import SiteServer
from site_integration import csp

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).resolve().parent / "fixture"
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_an_inline_script_is_hashed_as_the_csp_spec_does() -> None:
    # CSP Level 2, "script-src hash usage": <script>alert('Hello, world.');</script>
    assert csp.script_hashes("<script>alert('Hello, world.');</script>") == [
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    ]


def test_only_scripts_that_run_inline_are_hashed() -> None:
    html = (
        '<script src="a.js"></script>'  # a file: 'self' allows it
        '<script type="application/json">{"a": 1}</script>'  # data, never run
        "<script>one()</script>"
        '<script type="module">two()</script>'
        '<script type="text/javascript">if (a < b && "</p>") three()</script>'
    )
    assert csp.script_hashes(html) == [
        *csp.script_hashes("<script>one()</script>"),
        *csp.script_hashes("<script>two()</script>"),
        *csp.script_hashes('<script>if (a < b && "</p>") three()</script>'),
    ]
    assert len(set(csp.script_hashes(html))) == 3


def test_the_header_and_meta_policies() -> None:
    hashes = ["'sha256-A='", "'sha256-B='", "'sha256-A='"]
    assert csp.policy(hashes, header=True) == (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-A=' 'sha256-B='; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
    )
    # A meta policy cannot carry frame-ancestors, and pages never run WebAssembly.
    assert csp.policy(hashes, header=False) == (
        "default-src 'none'; script-src 'self' 'sha256-A=' 'sha256-B='; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "form-action 'self'; base-uri 'none'; object-src 'none'"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site (real theme, hooks and extensions), built with --strict."""
    site = tmp_path_factory.mktemp("csp") / "fixture"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns("site"))
    config = (site / "mkdocs.yml").read_text()
    (site / "mkdocs.yml").write_text(config.replace("project: ../../..", f"project: {ROOT}"))
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return site / "site"


def inline_scripts(html: str) -> list[str]:
    """An independent reading of the inline scripts: every <script> without src or a data type."""
    return [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]


@pytest.mark.slow
def test_every_built_page_carries_its_own_policy_first(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 3  # index, other, 404
    every: set[str] = set()
    for page in pages:
        html = page.read_text()
        metas = META.findall(html)
        assert len(metas) == 1, page
        # Right after <meta charset>, before anything that could run.
        assert (
            html.index('<meta charset="utf-8">')
            < html.index("Content-Security-Policy")
            < html.index("<script")
        )
        scripts = inline_scripts(html)
        assert scripts, page
        hashes = csp.script_hashes("".join(f"<script>{s}</script>" for s in scripts))
        assert metas[0] == csp.policy(hashes, header=False), page
        assert '<link rel="next"' not in html  # Firefox would prefetch it, against default-src
        every.update(hashes)
    # Pages at different depths run different inline scripts (Material's scope line).
    assert len(every) > max(len(set(csp.script_hashes(p.read_text()))) for p in pages)

    # The same policy, with all pages' hashes, for every path of a host that reads _headers.
    server = SiteServer(built, host_headers=True)
    try:
        for path in ("/", "/other/", "/404.html", "/assets/runtime/worker.js", "/sw.js"):
            policies = [v for k, v in server.headers_for(path) if k == "Content-Security-Policy"]
            assert policies == [csp.policy(sorted(every), header=True)], path
    finally:
        server.close()
