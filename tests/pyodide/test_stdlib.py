"""The shipped standard library is trimmed to what start-up and the core import: nothing they
need may be missing from it.

The zip (site_integration/build_stdlib.mjs) holds only the stdlib modules that Pyodide's
start-up, the wheel install and the core's own imports load. Here every module the core
imports (read from its source, as the build reads it), every module of the core itself (the
calculators, the state data and its reference views) and the bridge's imports are imported in
the real Pyodide runtime from that zip. The parity test (test_parity.py) then runs every
calculator on it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import calculators
from site_integration import runtime as build_runtime

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.pyodide,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is required for the Pyodide tests"),
]


def core_modules() -> list[str]:
    """Every module of the core package, by dotted name."""
    package = Path(calculators.__file__).parent
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def missing_in(stdlib: Path, modules: list[str]) -> dict[str, str]:
    proc = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide" / "stdlib.mjs")],
        input=json.dumps(
            {"stdlib": str(stdlib), "wheel": str(build_runtime.wheel_path()), "modules": modules}
        ),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    reply = json.loads(proc.stdout)
    assert reply["python"].startswith("3.14")
    return reply["missing"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def shipped() -> Path:
    return build_runtime.OUT / "pyodide" / build_runtime.manifest()["stdlib"]


def test_every_module_the_core_and_the_bridge_import_loads_from_the_shipped_stdlib(shipped: Path) -> None:
    modules = [*build_runtime.stdlib_modules(), *core_modules()]
    assert "json" in modules
    assert "calculators.states.views" in modules
    assert missing_in(shipped, modules) == {}


def test_the_shipped_stdlib_is_trimmed_to_bytecode(shipped: Path) -> None:
    names = zipfile.ZipFile(shipped).namelist()
    npm = zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").namelist()
    assert [n for n in names if not n.endswith(".pyc")] == []
    assert "decimal.pyc" in names
    assert "json/decoder.pyc" in names
    assert len(names) < len(npm) / 2, "the stdlib is not trimmed"
    assert "unittest/__init__.py" in npm
    assert not any(n.startswith("unittest/") for n in names)


def test_a_module_missing_from_the_stdlib_is_found(shipped: Path, tmp_path: Path) -> None:
    """The check above can fail: the same zip without decimal's bytecode is reported."""
    broken = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(shipped) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            if info.filename != "decimal.pyc":
                out.writestr(info, src.read(info))
    missing = missing_in(broken, ["json", "decimal", "calculators"])
    assert set(missing) == {"decimal", "calculators"}
    assert "decimal" in missing["decimal"]
