"""A working copy of the repository, for tests that must edit calculator code (a new deploy,
the `mkdocs serve` loop) without touching the real one, and the site build the browser tests share."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_repo(dest: Path) -> Path:
    """Copy what a site build reads; share node_modules (the runtime's caches are per user:
    site_integration.runtime.Project.cache)."""
    for name in (
        "calculators",
        "calckit",
        "site_integration",
        "hooks",
        "scripts",
        "docs",
        "includes",
        "bench",
    ):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


#: The runtime's time limits (seconds) in the sites the browser suites build: short, so a fault
#: test waits seconds, not the 20 s a reader's slow connection is given (site_integration/config.py).
TEST_TIMEOUTS = {"call": 6, "stall": 8, "restore": 10}


def build_site(
    dest: Path,
    site_url: str | None,
    config: Path = ROOT / "mkdocs.yml",
    timeouts: dict[str, float] | None = None,
) -> Path:
    """Build the site of ``config`` (this repository's by default, or a copy's).

    ``site_url`` must match the serving origin for instant navigation (None: the config's own);
    ``timeouts`` overrides the runtime's time limits (``CALCULATORS_<NAME>_SECONDS``).
    """
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)],
        cwd=config.parent,  # snippets and the plugin resolve against the repository being built
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            **({"SITE_URL": site_url} if site_url else {}),
            **{f"CALCULATORS_{k.upper()}_SECONDS": str(v) for k, v in (timeouts or {}).items()},
        },
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return dest


#: A second deploy: amortization adds $1,000 to total_paid (so tests can tell which one answered).
V2_PATCH = ('"total_paid": schedule.total_paid,', '"total_paid": schedule.total_paid + 1000,')


def build_v2(tmp: Path, site_url: str, timeouts: dict[str, float] | None = None) -> Path:
    """Build the site from a copy of the repository whose amortization adds $1,000 to total_paid."""
    repo = copy_repo(tmp / "repo-v2")
    module = repo / "calculators" / "amortization.py"
    source = module.read_text()
    assert V2_PATCH[0] in source
    module.write_text(source.replace(*V2_PATCH))
    site = tmp / "site-v2"
    build_site(site, site_url, config=repo / "mkdocs.yml", timeouts=timeouts)
    return site
