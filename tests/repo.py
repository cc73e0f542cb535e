"""A working copy of the repository, for tests that must edit calculator code (a new deploy,
the `mkdocs serve` loop) without touching the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_repo(dest: Path) -> Path:
    """Copy what a site build reads; share node_modules, the compiled-stdlib and compression caches."""
    for name in ("calculators", "site_integration", "scripts", "docs", "includes", "bench"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    for cache in ("stdlib-cache", "compress-cache"):
        if (ROOT / "build" / cache).exists():
            shutil.copytree(ROOT / "build" / cache, dest / "build" / cache)
    return dest
