"""Precompressed ``.br`` and ``.gz`` siblings of the big runtime files, cached by content."""

from __future__ import annotations

import concurrent.futures
import gzip
import hashlib
import os
import shutil
from pathlib import Path

from .stdlib import STDLIB_STORED

#: Runtime files that get .br/.gz siblings, when compressing them saves at least MIN_SAVING.
#: Not the wheel, nor a deflated stdlib zip: their entries are compressed already (brotli 11 saves
#: under 1% on them, and took 3 s on the wheel after every calculator edit under `mkdocs serve`).
SIBLING_SUFFIXES: tuple[str, ...] = (".wasm", ".mjs", ".json")
MIN_SAVING = 0.05
if STDLIB_STORED:
    SIBLING_SUFFIXES += (".zip",)


def _compressed(path: Path, encoding: str, cache: Path) -> bytes:
    """Brotli-11 or gzip-9 of a file, cached by content (brotli takes ~1 min for the wasm)."""
    data = path.read_bytes()
    cached = cache / f"{hashlib.sha256(data).hexdigest()}.{encoding}"
    if cached.exists():
        return cached.read_bytes()
    if encoding == "br":
        import brotli

        body = bytes(brotli.compress(data, quality=11))
    else:
        body = gzip.compress(data, compresslevel=9, mtime=0)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(body)
    tmp.replace(cached)
    return body


def write_siblings(folder: Path, cache: Path) -> list[Path]:
    """Write ``X.br`` and ``X.gz`` beside every file in ``folder`` they make smaller by MIN_SAVING."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in SIBLING_SUFFIXES
        and p.stat().st_size >= 1024
        and p.name != "runtime.json"
    )
    jobs = [(path, enc) for path in files for enc in ("br", "gz")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        bodies = list(pool.map(lambda job: _compressed(*job, cache), jobs))
    written = []
    for (path, encoding), body in zip(jobs, bodies, strict=True):
        if len(body) <= (1 - MIN_SAVING) * path.stat().st_size:
            sibling = path.with_name(f"{path.name}.{encoding}")
            sibling.write_bytes(body)
            shutil.copystat(path, sibling)
            written.append(sibling)
    return written
