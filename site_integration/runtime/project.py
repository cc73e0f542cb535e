"""Where a site's calculators are, and where its runtime is assembled and cached."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..names import PACKAGE, REPO

#: The declaration API (fields, outputs, registry, ``run``): shipped in every site's wheel.
CALCKIT = Path(importlib.util.find_spec("calckit").origin or "").parent  # type: ignore[union-attr]


class RuntimeError_(RuntimeError):
    """The runtime could not be assembled; the message says what to run."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Project:
    """A site's calculators: where the package is, and where its runtime is assembled.

    ``root`` holds the import package ``package`` (and, if it has one, the ``pyproject.toml``
    whose name, version and scripts the browser's wheel carries); ``node_modules`` holds the
    pinned npm packages; ``out`` is the build folder (``build/`` beside the package by default).
    """

    root: Path
    package: str = PACKAGE
    node_modules: Path | None = None
    out: Path | None = None

    @property
    def core(self) -> Path:
        return self.root / self.package

    @property
    def npm(self) -> Path:
        return (self.node_modules or find_node_modules(self.root)) / "pyodide"

    @property
    def modules(self) -> Path:
        return self.npm.parent

    @property
    def build_dir(self) -> Path:
        return self.out or self.root / "build"

    @property
    def runtime_dir(self) -> Path:
        return self.build_dir / "runtime"

    @property
    def cache(self) -> Path:
        """Content-addressed caches shared by every project on this machine (the precompiled
        stdlib, brotli of the wasm): ``$CALCULATORS_CACHE``, or ``mkdocs-calculators`` in the
        user's cache folder (``$XDG_CACHE_HOME``, ``~/.cache``)."""
        if os.environ.get("CALCULATORS_CACHE"):
            return Path(os.environ["CALCULATORS_CACHE"])
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "mkdocs-calculators"

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    def metadata(self) -> dict[str, Any]:
        """The ``[project]`` table the wheel is built with: the site's own, or a minimal one."""
        if self.pyproject.is_file():
            config = tomllib.loads(self.pyproject.read_text(encoding="utf-8"))
            if config.get("project", {}).get("name"):
                return dict(config["project"])
        return {"name": self.package.replace("_", "-"), "version": "0", "dependencies": []}

    @property
    def distribution(self) -> str:
        return str(self.metadata()["name"])

    @property
    def wheel_stem(self) -> str:
        """The wheel's file-name stem (PEP 427: the distribution name with "-" as "_")."""
        return self.distribution.replace("-", "_")


def find_node_modules(start: Path) -> Path:
    """The nearest ``node_modules`` with Pyodide in it, from ``start`` upwards (as Node looks)."""
    for folder in [start, *start.parents]:
        if (folder / "node_modules" / "pyodide").is_dir():
            return folder / "node_modules"
    return start / "node_modules"


#: This repository's site.
DEFAULT = Project(REPO)
ROOT = REPO
CORE = DEFAULT.core
PYODIDE_NPM = DEFAULT.npm
OUT = DEFAULT.runtime_dir
STAMP = OUT / ".stamp.json"


#: This repository's site.
DEFAULT = Project(REPO)
