"""The distribution: a unique name, the import package `calculators`, and a console script.

Installs the wheel the site ships into a fresh virtual environment, as an analyst would with
`pip install`, and runs the command it provides.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from site_integration import runtime
from site_integration.names import DISTRIBUTION, PACKAGE

pytestmark = pytest.mark.slow


def test_wheel_names_the_distribution_and_keeps_the_import_package() -> None:
    wheel = runtime.wheel_path()
    assert wheel.name.startswith("recourse_calculators-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        assert "Name: recourse-calculators\n" in archive.read(meta).decode()
        points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert f"{PACKAGE}/__main__.py" in names
    assert DISTRIBUTION == "recourse-calculators"
    assert "recourse-calculators = calculators.__main__:main" in points


def test_pip_install_gives_a_working_command(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    install = subprocess.run(
        [
            str(bindir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            str(runtime.wheel_path()),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    ok = subprocess.run(
        [
            str(bindir / "recourse-calculators"),
            "run",
            "amortization",
            "loan_amount=1,000",
            "annual_rate=12",
            "term_months=3",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # not the repository: the installed package must answer
    )
    assert ok.returncode == 0, ok.stderr
    # numpy_financial.pmt(0.01, 3, -1000) = 340.0221..., rounded up to the cent: 340.03
    assert json.loads(ok.stdout)["payment"] == "340.03"
    bad = subprocess.run(
        [str(bindir / "recourse-calculators"), "run", "amortization", "annual_rate=lots"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert bad.returncode == 2
