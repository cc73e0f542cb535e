"""Assemble the browser runtime: the pinned Pyodide files, the calculators wheel and its lock.

Output (``build/runtime/``, copied into the site as ``pyodide/``)::

    pyodide/pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip
    pyodide/pyodide-lock.json                  only our wheel, written by pyodide-lock
    pyodide/wheels/<sha256[:16]>/calculators-<version>-py3-none-any.whl

* The Pyodide files come from the npm package pinned in package-lock.json
  (``npm ci`` checks its sha512 integrity); their sha256 are checked again
  against ``scripts/pyodide-files.sha256`` before they are copied, so a
  changed or truncated file can never ship.
* The wheel is built by the standard backend (hatchling via ``python -m
  build``); the folder named by its hash means a changed wheel never hits a
  stale browser cache.
* The lock is written with PyPI's ``pyodide-lock`` tool
  (``pyodide_lock.utils.add_wheels_to_spec``), starting from the npm
  package's lock ``info`` with no other packages, so Pyodide can only ever
  load what the site itself serves.

Runs on its own (``python scripts/build_runtime.py``) and from the MkDocs hook,
which calls :func:`ensure` before every build; it does nothing when the
calculators sources and the Pyodide files are unchanged.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_NPM = ROOT / "node_modules" / "pyodide"
CHECKSUMS = ROOT / "scripts" / "pyodide-files.sha256"
OUT = ROOT / "build" / "runtime"
STAMP = OUT / ".stamp.json"

#: The only Pyodide files a page needs at runtime (the lock is our own).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")


class RuntimeError_(RuntimeError):
    """The runtime could not be assembled; the message says what to run."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_fingerprint() -> str:
    """Hash of everything that goes into the wheel and the lock."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "calculators").rglob("*.py")) + [ROOT / "pyproject.toml", CHECKSUMS]:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def expected_checksums() -> dict[str, str]:
    pairs = (line.split() for line in CHECKSUMS.read_text().splitlines() if line.strip())
    return {name: sha for sha, name in pairs}


def verify_pyodide() -> None:
    if not (PYODIDE_NPM / "package.json").exists():
        raise RuntimeError_("node_modules/pyodide is missing: run `make deps` (npm ci) first")
    expected = expected_checksums()
    for name in RUNTIME_FILES:
        actual = _sha256(PYODIDE_NPM / name)
        if expected.get(name) != actual:
            raise RuntimeError_(f"node_modules/pyodide/{name} has sha256 {actual}, expected {expected.get(name)}: "
                                "run `npm ci` to restore the pinned package")


def build_wheel(dest: Path) -> Path:
    """Build the calculators wheel with the standard backend; return its path."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp, str(ROOT)],
            check=False, capture_output=True, text=True,
        )
        if proc.returncode:
            raise RuntimeError_("building the calculators wheel failed:\n" + (proc.stdout + proc.stderr)[-2000:])
        (wheel,) = Path(tmp).glob("calculators-*.whl")
        dest.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheel, dest / wheel.name))


def write_lock(wheel: Path, lock_path: Path) -> dict[str, object]:
    """Write pyodide-lock.json listing only our wheel, with its sha256 (via pyodide-lock)."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    npm_lock = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    base = PyodideLockSpec.from_dict({"info": npm_lock["info"], "packages": {}})
    spec = add_wheels_to_spec(base, [wheel], base_path=lock_path.parent, base_url="")
    spec.to_json(lock_path, indent=1)
    return json.loads(lock_path.read_text())


def build(force: bool = False) -> Path:
    """Assemble ``build/runtime/pyodide``; skip when nothing changed. Returns the folder."""
    verify_pyodide()
    fingerprint = source_fingerprint()
    target = OUT / "pyodide"
    if not force and STAMP.exists() and json.loads(STAMP.read_text()).get("fingerprint") == fingerprint \
            and (target / "pyodide-lock.json").exists():
        return target
    if OUT.exists():
        shutil.rmtree(OUT)
    target.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copy2(PYODIDE_NPM / name, target / name)
    staged = build_wheel(OUT / "staging")
    wheel_sha = _sha256(staged)
    wheel_dir = target / "wheels" / wheel_sha[:16]
    wheel_dir.mkdir(parents=True)
    wheel = Path(shutil.move(staged, wheel_dir / staged.name))
    shutil.rmtree(OUT / "staging")
    lock = write_lock(wheel, target / "pyodide-lock.json")
    entry = lock["packages"]["calculators"]  # type: ignore[index]
    assert entry["sha256"] == wheel_sha, "pyodide-lock recorded a different sha256"  # type: ignore[index]
    STAMP.write_text(json.dumps({"fingerprint": fingerprint, "wheel": entry["file_name"]}))  # type: ignore[index]
    return target


ensure = build

if __name__ == "__main__":
    try:
        out = build(force="--force" in sys.argv)
    except RuntimeError_ as err:
        sys.exit(f"build_runtime: {err}")
    print(f"runtime ready in {out.relative_to(ROOT)}")
