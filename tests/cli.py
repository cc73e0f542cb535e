"""Run the command line as a reader would: ``python -m calculators ...`` from the repository root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m calculators ARGS`` with nothing installed beyond Python; never raises."""
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
