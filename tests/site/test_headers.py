"""The _headers file shipped for Netlify / Cloudflare Pages: only content-hashed paths are
cached forever, and what announces a new deploy is always revalidated."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.site_server import SiteServer
from site_integration import headers
from site_integration import runtime as build_runtime

ROOT = Path(__file__).resolve().parents[2]
HASHED = re.compile(r"/(\d+\.\d+\.\d+-[0-9a-f]{8}|[0-9a-f]{16})/|\.[0-9a-f]{16}\.")


@pytest.fixture
def rules(tmp_path: Path) -> Iterator[SiteServer]:
    # The site's own rules and the plugin's, as the build writes them (site_integration/headers.py).
    (tmp_path / "_headers").write_text(headers.merged((ROOT / "docs" / "_headers").read_text()))
    server = SiteServer(tmp_path, host_headers=True)
    yield server
    server.close()


def cache_control(server: SiteServer, path: str) -> list[str]:
    return [value for name, value in server.headers_for(path) if name == "Cache-Control"]


@pytest.mark.parametrize("path", ["/sw.js", "/pyodide/runtime.json", "/assets/runtime/worker.js"])
def test_what_announces_a_deploy_is_revalidated(rules: SiteServer, path: str) -> None:
    assert cache_control(rules, path) == ["no-cache"]


def test_every_runtime_file_but_the_manifest_is_immutable_and_hashed(rules: SiteServer) -> None:
    runtime = build_runtime.build()
    files = sorted("/pyodide/" + p.relative_to(runtime).as_posix() for p in runtime.rglob("*") if p.is_file())
    assert "/pyodide/runtime.json" in files
    for path in files:
        if path == "/pyodide/runtime.json":
            continue
        assert cache_control(rules, path) == ["public, max-age=31536000, immutable"], path
        assert HASHED.search(path), f"{path} is cached forever but has no content hash in its path"


def test_pages_are_not_cached_forever(rules: SiteServer) -> None:
    for path in ("/index.html", "/calculators/amortization/index.html", "/search/search_index.json"):
        assert not any("immutable" in v for v in cache_control(rules, path)), path
