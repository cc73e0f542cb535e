"""``python -m site_integration.runtime [--force]``: assemble this repository's runtime."""

from __future__ import annotations

import sys

from . import ROOT, RuntimeError_, build

try:
    out = build(force="--force" in sys.argv)
except RuntimeError_ as err:
    sys.exit(f"runtime: {err}")
print(f"runtime ready in {out.relative_to(ROOT)}")
