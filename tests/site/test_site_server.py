"""The benchmark's host models (scripts/site_server.py): what each sends, decoded, is the file."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

import brotli
import pytest

from scripts.site_server import SiteServer


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "pyodide").mkdir()
    wasm = tmp_path / "pyodide" / "engine.wasm"
    wasm.write_bytes(b"\0asm" + bytes(range(256)) * 400)
    (tmp_path / "pyodide" / "engine.wasm.br").write_bytes(brotli.compress(wasm.read_bytes(), quality=11))
    (tmp_path / "page.html").write_text("<p>hello</p>" * 500)
    (tmp_path / "stdlib.zip").write_bytes(bytes(range(256)) * 40)
    return tmp_path


def get(server: SiteServer, path: str, accept: str) -> tuple[str | None, bytes]:
    request = urllib.request.Request(server.url + path, headers={"Accept-Encoding": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Encoding"), bytes(response.read())


def decode(encoding: str | None, body: bytes) -> bytes:
    if encoding == "br":
        return bytes(brotli.decompress(body))
    return gzip.decompress(body) if encoding == "gzip" else body


@pytest.mark.parametrize(
    ("compress", "path", "accept", "expected"),
    [
        (False, "pyodide/engine.wasm", "gzip, br", None),
        ("gzip", "pyodide/engine.wasm", "gzip, br", "gzip"),
        ("gzip", "stdlib.zip", "gzip, br", None),  # hosts do not compress zip files
        ("br", "pyodide/engine.wasm", "gzip, deflate, br, zstd", "br"),  # the precompressed sibling
        ("br", "pyodide/engine.wasm", "gzip", "gzip"),  # no .gz sibling: gzip on the fly
        ("br", "page.html", "br", "br"),  # no sibling: brotli on the fly
        ("br", "page.html", "identity", None),
        ("br", "stdlib.zip", "gzip, br", None),
    ],
)
def test_each_host_model_sends_the_file(
    folder: Path, compress: str | bool, path: str, accept: str, expected: str | None
) -> None:
    server = SiteServer(folder, compress=compress)
    try:
        encoding, body = get(server, path, accept)
        assert encoding == expected
        assert decode(encoding, body) == (folder / path).read_bytes()
        assert server.bytes_sent(path) == len(body)
    finally:
        server.close()


def test_the_precompressed_sibling_is_what_is_sent(folder: Path) -> None:
    server = SiteServer(folder, compress="br")
    try:
        _, body = get(server, "pyodide/engine.wasm", "br")
        assert body == (folder / "pyodide" / "engine.wasm.br").read_bytes()
    finally:
        server.close()
