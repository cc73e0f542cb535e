"""The pinned Pyodide files: which a page needs, and their checksums (``pyodide-files.sha256``)."""

from __future__ import annotations

from ..names import HERE
from .project import DEFAULT, Project, RuntimeError_, _sha256

CHECKSUMS = HERE / "pyodide-files.sha256"
#: The Pyodide files a page needs at runtime, copied unchanged (the stdlib is recompiled, the lock is ours).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
#: Checked too, as the input of the precompiled stdlib.
CHECKED_FILES = (*RUNTIME_FILES, "python_stdlib.zip")


def expected_checksums() -> dict[str, str]:
    pairs = (line.split() for line in CHECKSUMS.read_text().splitlines() if line.strip())
    return {name: sha for sha, name in pairs}


def verify_pyodide(project: Project = DEFAULT) -> None:
    if not (project.npm / "package.json").exists():
        raise RuntimeError_("node_modules/pyodide is missing: run `make deps` (npm ci) first")
    expected = expected_checksums()
    for name in CHECKED_FILES:
        actual = _sha256(project.npm / name)
        if expected.get(name) != actual:
            raise RuntimeError_(
                f"node_modules/pyodide/{name} has sha256 {actual}, expected {expected.get(name)}: "
                "run `npm ci` to restore the pinned package"
            )
