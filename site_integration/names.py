"""Every name the generator shares with the browser, the service worker and the host, said once.

The plugin passes these to the page (``<script id="__calculators" type="application/json">``,
see CONTRACT.md), to the service-worker build (``build_sw.mjs --prefix``) and to
``runtime.json``; no JavaScript file spells any of them out.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

__all__ = [
    "ASSET_DIR",
    "CACHE_PREFIX",
    "DISTRIBUTION",
    "HERE",
    "PACKAGE",
    "REPO",
    "RUNTIME_DIR",
    "SNAPSHOT_CACHE",
]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

#: The import package the browser loads and calls (``PACKAGE.run(name, inputs)``): a contract.
PACKAGE = "calculators"
#: Its distribution name, as pyproject.toml declares it; the wheel and the lock entry carry it.
DISTRIBUTION: str = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
#: Where the generator's JavaScript and CSS are served in the built site (a stable URL).
ASSET_DIR = "assets/runtime"
#: Where the Pyodide runtime, the stdlib, the lock and the wheel are served (a stable URL).
RUNTIME_DIR = "pyodide"
#: Every Cache Storage name the site creates starts with this and a hyphen. Deployed service
#: workers delete ``PREFIX-*`` caches of other deploys, so changing it orphans readers' caches.
CACHE_PREFIX = "rvnr"
#: The cache holding the browser's memory snapshot of Python, kept across deploys.
SNAPSHOT_CACHE = f"{CACHE_PREFIX}-snapshots"
