"""The precompiled, trimmed standard library: only the modules the calculators and the bridge import."""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ..names import HERE
from .project import CALCKIT, DEFAULT, Project, RuntimeError_

STDLIB_SCRIPT = HERE / "build_stdlib.mjs"
#: The stdlib zip's entries uncompressed (ZIP_STORED), so that a host's brotli works across them.
#: Off (docs/performance.md, "What was tried"): it saves 0.46 MB where the host serves the .br
#: sibling (nginx, Caddy), and costs 2 MB where the host sends .zip files as they are (Cloudflare
#: Pages, and by their documentation GitHub Pages and Netlify). CALCULATORS_STDLIB_STORED=1 builds it.
STDLIB_STORED = os.environ.get("CALCULATORS_STDLIB_STORED", "") == "1"


def core_imports(project: Project = DEFAULT) -> list[str]:
    """Standard-library modules the core and the declaration API import (read from their source,
    not executed)."""
    names: set[str] = set()
    for path in [*project.core.rglob("*.py"), *CALCKIT.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return sorted(n for n in names if n.split(".")[0] in sys.stdlib_module_names and n != "__future__")


#: Imported by the worker's bridge (``bridge.py``), not by the core.
BRIDGE_IMPORTS = ("importlib", "json")


def stdlib_modules(project: Project = DEFAULT) -> list[str]:
    """The modules the shipped stdlib is built for: the core's imports and the bridge's."""
    return sorted({*core_imports(project), *BRIDGE_IMPORTS})


def build_stdlib(project: Project = DEFAULT) -> Path:
    """The precompiled, trimmed stdlib zip, cached by its inputs (a few seconds under Node)."""
    modules = stdlib_modules(project)
    npm = project.npm
    stdlib_cache = project.cache / "stdlib"
    flags = ["--stored"] if STDLIB_STORED else []
    key = hashlib.sha256(
        (npm / "python_stdlib.zip").read_bytes()
        + STDLIB_SCRIPT.read_bytes()
        + " ".join([*flags, *modules]).encode()
    ).hexdigest()[:16]
    cached = stdlib_cache / f"{key}.zip"
    if not cached.exists():
        stdlib_cache.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        proc = subprocess.run(
            ["node", str(STDLIB_SCRIPT), str(npm / "python_stdlib.zip"), str(tmp), *flags, *modules],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            raise RuntimeError_("precompiling the stdlib failed:\n" + (proc.stdout + proc.stderr)[-2000:])
        tmp.replace(cached)
    return cached
