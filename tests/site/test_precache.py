"""The service worker's precache manifest: every file a page needs, and nothing else.

Reads the manifest Workbox wrote into ``sw.js`` of the real site (``mkdocs build --strict``,
built once per session for the site checks: ``tests/site/conftest.py``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from site_integration.names import CACHE_PREFIX
from site_integration.runtime import lock_entry

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
BASE = "http://site.test/"


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site  # tests/site/conftest.py: the real site, built once per session


ENTRY = re.compile(r'\{url:"([^"]+)",revision:(?:"[0-9a-f]+"|null)(?:,integrity:"([^"]+)")?\}')


@pytest.fixture(scope="module")
def entries(site: Path) -> dict[str, str]:
    """The precache manifest Workbox wrote into sw.js: each URL and its integrity ("" if none)."""
    found = ENTRY.findall((site / "sw.js").read_text())
    assert found, "no precache manifest found in sw.js"
    assert len(found) == len({url for url, _ in found})
    return dict(found)


@pytest.fixture(scope="module")
def manifest(entries: dict[str, str]) -> set[str]:
    return set(entries)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "source") and a.get("src"):
            self.refs.append(a["src"] or "")
        if (
            tag == "link"
            and a.get("href")
            and (a.get("rel") or "") in ("stylesheet", "icon", "modulepreload")
        ):
            self.refs.append(a["href"] or "")


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_manifest_lists_only_files_of_the_site(site: Path, manifest: set[str]) -> None:
    files = site_files(site)
    assert manifest <= files, sorted(manifest - files)
    outside = [u for u in manifest if u.endswith(".map") or u.startswith(("assets/javascripts/lunr/", "sw"))]
    assert outside == []


def test_manifest_lists_every_page_and_everything_pages_load(site: Path, manifest: set[str]) -> None:
    pages = sorted(p for p in site_files(site) if p.endswith(".html"))
    assert set(pages) <= manifest, sorted(set(pages) - manifest)
    needed: set[str] = set()
    for page in pages:
        parser = _Refs()
        parser.feed((site / page).read_text())
        for ref in parser.refs:
            absolute = urljoin(BASE + page, ref)
            if absolute.startswith(BASE):
                needed.add(urlparse(absolute).path.removeprefix("/"))
    assert needed, "no assets found in pages"
    assert needed <= manifest, sorted(needed - manifest)
    # Loaded by scripts rather than tags: search, instant navigation, the worker and Pyodide.
    runtime = json.loads((site / "pyodide" / "runtime.json").read_text())
    lock = json.loads((site / "pyodide" / runtime["lock"]).read_text())
    dynamic = {
        "search/search_index.json",
        "sitemap.xml",
        "assets/runtime/worker.js",
        "assets/runtime/format.js",
        "assets/runtime/runtime.js",
        "assets/runtime/charts.js",
        "pyodide/runtime.json",
        f"pyodide/{runtime['stdlib']}",
        f"pyodide/{runtime['lock']}",
        f"pyodide/{runtime['bridge']}",
        f"pyodide/{lock_entry(lock)['file_name']}",
        *(
            f"pyodide/{runtime['index']}{name}"
            for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
        ),
    }
    search_workers = {
        u for u in manifest if re.fullmatch(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", u)
    }
    assert len(search_workers) == 1
    assert dynamic <= manifest, sorted(dynamic - manifest)


def test_cache_is_versioned_by_content_hash(site: Path) -> None:
    version = re.search(r"for deploy ([0-9a-f]{16})", next(site.glob("sw-cleanup.*.js")).read_text())
    assert version
    assert f"{CACHE_PREFIX}-{version.group(1)}" in (site / "sw.js").read_text()
    assert f'importScripts("sw-cleanup.{version.group(1)}.js")' in (site / "sw.js").read_text()
    assert len(list(site.glob("sw-cleanup.*.js"))) == 1
    assert not list(site.glob("workbox-*.js")), "the Workbox runtime must be inlined, not left as chunks"


def test_precompressed_siblings_ship_but_are_not_precached(site: Path, manifest: set[str]) -> None:
    """The runtime's .br/.gz siblings are for hosts that serve them; the service worker
    caches each file once, as itself."""
    compressed = {f for f in site_files(site) if f.endswith((".br", ".gz"))}  # and MkDocs' sitemap.xml.gz
    runtime = json.loads((site / "pyodide" / "runtime.json").read_text())
    wasm = f"pyodide/{runtime['index']}pyodide.asm.wasm"
    assert {wasm + ".br", wasm + ".gz", f"pyodide/{runtime['index']}pyodide.asm.mjs.br"} <= compressed
    assert manifest & compressed == set()
    assert wasm in manifest


def test_every_runtime_file_is_precached_with_its_integrity(site: Path, entries: dict[str, str]) -> None:
    """Workbox checks what it precaches against these, and repairs an evicted entry only when it
    has one (a page evicts the runtime after a failed boot: runtime.js)."""
    runtime = {url: integrity for url, integrity in entries.items() if url.startswith("pyodide/")}
    assert len(runtime) >= 7  # runtime.json, 3 Pyodide files, stdlib, lock, bridge, wheel
    for url, integrity in runtime.items():
        digest = base64.b64encode(hashlib.sha384((site / url).read_bytes()).digest()).decode()
        assert integrity == f"sha384-{digest}", url
    assert all(not integrity for url, integrity in entries.items() if not url.startswith("pyodide/"))
