"""Put the runtime together in ``build/runtime/pyodide`` and write ``runtime.json``."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from ..names import HERE
from .compress import write_siblings
from .project import CALCKIT, DEFAULT, Project, _sha256
from .pyodide_files import CHECKSUMS, RUNTIME_FILES, expected_checksums, verify_pyodide
from .stdlib import STDLIB_SCRIPT, STDLIB_STORED, build_stdlib
from .wheel import build_wheel, lock_entry, write_lock

BRIDGE = HERE / "bridge.py"
#: This package's own source, hashed into the fingerprint: a change to how the runtime is
#: assembled rebuilds it.
SOURCES = sorted(Path(__file__).parent.glob("*.py"))


def source_fingerprint(project: Project = DEFAULT) -> str:
    """Hash of everything that goes into the wheel and the lock."""
    digest = hashlib.sha256()
    inputs: list[Path] = []
    for folder in (project.core, CALCKIT):
        inputs += sorted(
            p for p in folder.rglob("*") if p.suffix in {".py", ".json"} and "__pycache__" not in p.parts
        )
    if project.pyproject.is_file():
        inputs.append(project.pyproject)
    for path in [*inputs, CHECKSUMS, STDLIB_SCRIPT, BRIDGE, *SOURCES]:
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(project.package.encode())
    digest.update(b"stored" if STDLIB_STORED else b"deflated")
    return digest.hexdigest()


def _hashed_copy(src: Path, dest_dir: Path, stem: str, suffix: str) -> str:
    name = f"{stem}.{_sha256(src)[:16]}{suffix}"
    shutil.copy2(src, dest_dir / name)
    return name


def build(force: bool = False, project: Project = DEFAULT) -> Path:
    """Assemble ``build/runtime/pyodide``; skip when nothing changed. Returns the folder."""
    verify_pyodide(project)
    fingerprint = source_fingerprint(project)
    out = project.runtime_dir
    stamp = out / ".stamp.json"
    npm = project.npm
    target = out / "pyodide"
    if (
        not force
        and stamp.exists()
        and json.loads(stamp.read_text()).get("fingerprint") == fingerprint
        and (target / "runtime.json").exists()
    ):
        return target
    if out.exists():
        shutil.rmtree(out)
    target.mkdir(parents=True)
    npm_version = json.loads((npm / "package.json").read_text())["version"]
    checksums = expected_checksums()
    core_hash = hashlib.sha256("".join(checksums[n] for n in RUNTIME_FILES).encode()).hexdigest()[:8]
    core = f"{npm_version}-{core_hash}/"  # Pyodide loads these by fixed names: version the folder
    (target / core).mkdir()
    for name in RUNTIME_FILES:
        shutil.copy2(npm / name, target / core / name)
    # Everything but runtime.json sits in a sub-folder, so hosts can mark pyodide/*/* immutable.
    (target / "files").mkdir()
    stdlib = "files/" + _hashed_copy(build_stdlib(project), target / "files", "python_stdlib", ".zip")
    staged = build_wheel(out / "staging", project)
    wheel_sha = _sha256(staged)
    wheel_dir = target / "wheels" / wheel_sha[:16]
    wheel_dir.mkdir(parents=True)
    wheel = Path(shutil.move(staged, wheel_dir / staged.name))
    shutil.rmtree(out / "staging")
    lock_tmp = target / "pyodide-lock.json"
    lock = write_lock(wheel, lock_tmp, project)
    entry = lock_entry(lock, project.package)
    assert entry["sha256"] == wheel_sha, "pyodide-lock recorded a different sha256"  # type: ignore[index]
    lock_name = "files/" + _hashed_copy(lock_tmp, target / "files", "pyodide-lock", ".json")
    lock_tmp.unlink()
    bridge = "files/" + _hashed_copy(BRIDGE, target / "files", "bridge", ".py")
    # The version keys the browser's memory snapshot: it changes with anything the snapshot holds.
    version = hashlib.sha256("\n".join([core, stdlib, lock_name, bridge]).encode()).hexdigest()[:16]
    write_siblings(target, project.cache / "compress")
    # Bytes of each file a first boot downloads, so the page can show a download's progress as
    # received of expected: `sizes` as decoded, `wire` as a brotli host sends them (the .br
    # sibling's size, where the file has one). The page starts from `wire` and corrects each
    # file by the host's own Content-Length once its response arrives.
    fetched = [core + name for name in RUNTIME_FILES]
    fetched += [stdlib, lock_name, bridge, wheel.relative_to(target).as_posix()]

    def on_wire(path: str) -> int:
        sibling = target / f"{path}.br"
        return (sibling if sibling.exists() else target / path).stat().st_size

    manifest = {
        "pyodide": npm_version,
        "index": core,
        "stdlib": stdlib,
        "lock": lock_name,
        "bridge": bridge,
        "version": version,
        "sizes": {path: (target / path).stat().st_size for path in fetched},
        "wire": {path: on_wire(path) for path in fetched},
    }
    (target / "runtime.json").write_text(json.dumps(manifest, indent=1) + "\n")
    stamp.write_text(json.dumps({"fingerprint": fingerprint, **manifest}))
    return target


def manifest(project: Project = DEFAULT) -> dict[str, Any]:
    """The current runtime.json (building the runtime first if needed)."""
    return json.loads((build(project=project) / "runtime.json").read_text())  # type: ignore[no-any-return]


def wheel_path(project: Project = DEFAULT) -> Path:
    """The wheel the site ships, as listed in its lock."""
    target = build(project=project)
    lock = json.loads((target / manifest(project)["lock"]).read_text())
    return target / lock_entry(lock, project.package)["file_name"]
