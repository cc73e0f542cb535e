"""Assemble the browser runtime: the pinned Pyodide files, a precompiled stdlib, the wheel and its lock.

Output (``build/runtime/pyodide/``, copied into the site as ``pyodide/``)::

    <version>-<hash>/pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm
                                                       from the pinned npm package, unchanged
    files/python_stdlib.<hash>.zip                     the stdlib modules start-up needs, as bytecode
    files/pyodide-lock.<hash>.json                     only our wheel, written by pyodide-lock
    files/bridge.<hash>.py                             the worker's JSON bridge (``bridge.py``)
    wheels/<sha256[:16]>/<distribution>-<version>-py3-none-any.whl
    runtime.json                                       names the three hashed files and the version
    *.br, *.gz beside the big files                    precompressed siblings, for hosts that serve them

* The Pyodide files come from the npm package pinned in package-lock.json
  (``npm ci`` checks its sha512 integrity); their sha256 are checked again
  against ``pyodide-files.sha256`` (beside this module) before they are copied, so a
  changed or truncated file can never ship.
* The stdlib modules that start-up and the calculators load (~145) are compiled by
  Pyodide's own Python 3.14 under Node (``build_stdlib.mjs``), so start-up no longer
  compiles them; the other ~470 files are left out (tests/pyodide/ checks that every module
  the core imports, and every calculator, run from this zip).
* The files a calculator page downloads get precompressed ``.br`` (brotli 11) and ``.gz``
  (gzip 9) siblings, cached by content in the user's cache folder (``Project.cache``). Hosts that serve
  siblings (nginx ``gzip_static``/``brotli_static``, Caddy ``precompressed``) send those;
  other hosts ignore them. The service worker never precaches them.
* The wheel is built by the standard backend (hatchling's wheel builder, in
  this process; the same bytes as ``python -m build --wheel``). The lock is
  written with PyPI's ``pyodide-lock`` tool
  (``pyodide_lock.utils.add_wheels_to_spec``), starting from the npm
  package's lock ``info`` with no other packages, so Pyodide can only ever
  load what the site itself serves.
* Every file whose content can change between deploys has its hash in its
  name; only ``runtime.json`` (a few hundred bytes, fetched with
  ``no-cache``) has a fixed name. Its ``version`` keys the browser's memory
  snapshot, which is only valid for these exact bytes.

Runs on its own (``python -m site_integration.runtime``) and from the MkDocs hook,
which calls :func:`ensure` before every build; it does nothing when nothing
changed, and rebuilds the (slow) stdlib only when Pyodide or its script change.
"""

from __future__ import annotations

import ast
import concurrent.futures
import gzip
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .names import HERE, PACKAGE, REPO

CHECKSUMS = HERE / "pyodide-files.sha256"
STDLIB_SCRIPT = HERE / "build_stdlib.mjs"
BRIDGE = HERE / "bridge.py"
#: The declaration API (fields, outputs, registry, ``run``): shipped in every site's wheel.
CALCKIT = Path(importlib.util.find_spec("calckit").origin or "").parent  # type: ignore[union-attr]


@dataclass(frozen=True)
class Project:
    """A site's calculators: where the package is, and where its runtime is assembled.

    ``root`` holds the import package ``package`` (and, if it has one, the ``pyproject.toml``
    whose name, version and scripts the browser's wheel carries); ``node_modules`` holds the
    pinned npm packages; ``out`` is the build folder (``build/`` beside the package by default).
    """

    root: Path
    package: str = PACKAGE
    node_modules: Path | None = None
    out: Path | None = None

    @property
    def core(self) -> Path:
        return self.root / self.package

    @property
    def npm(self) -> Path:
        return (self.node_modules or find_node_modules(self.root)) / "pyodide"

    @property
    def modules(self) -> Path:
        return self.npm.parent

    @property
    def build_dir(self) -> Path:
        return self.out or self.root / "build"

    @property
    def runtime_dir(self) -> Path:
        return self.build_dir / "runtime"

    @property
    def cache(self) -> Path:
        """Content-addressed caches shared by every project on this machine (the precompiled
        stdlib, brotli of the wasm): ``$CALCULATORS_CACHE``, or ``mkdocs-calculators`` in the
        user's cache folder (``$XDG_CACHE_HOME``, ``~/.cache``)."""
        if os.environ.get("CALCULATORS_CACHE"):
            return Path(os.environ["CALCULATORS_CACHE"])
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "mkdocs-calculators"

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    def metadata(self) -> dict[str, Any]:
        """The ``[project]`` table the wheel is built with: the site's own, or a minimal one."""
        if self.pyproject.is_file():
            config = tomllib.loads(self.pyproject.read_text(encoding="utf-8"))
            if config.get("project", {}).get("name"):
                return dict(config["project"])
        return {"name": self.package.replace("_", "-"), "version": "0", "dependencies": []}

    @property
    def distribution(self) -> str:
        return str(self.metadata()["name"])

    @property
    def wheel_stem(self) -> str:
        """The wheel's file-name stem (PEP 427: the distribution name with "-" as "_")."""
        return self.distribution.replace("-", "_")


def find_node_modules(start: Path) -> Path:
    """The nearest ``node_modules`` with Pyodide in it, from ``start`` upwards (as Node looks)."""
    for folder in [start, *start.parents]:
        if (folder / "node_modules" / "pyodide").is_dir():
            return folder / "node_modules"
    return start / "node_modules"


#: This repository's site.
DEFAULT = Project(REPO)
ROOT = REPO
CORE = DEFAULT.core
PYODIDE_NPM = DEFAULT.npm
OUT = DEFAULT.runtime_dir
STAMP = OUT / ".stamp.json"
#: Runtime files that get .br/.gz siblings, when compressing them saves at least MIN_SAVING.
#: Not the wheel, nor a deflated stdlib zip: their entries are compressed already (brotli 11 saves
#: under 1% on them, and took 3 s on the wheel after every calculator edit under `mkdocs serve`).
SIBLING_SUFFIXES: tuple[str, ...] = (".wasm", ".mjs", ".json")
MIN_SAVING = 0.05
#: The stdlib zip's entries uncompressed (ZIP_STORED), so that a host's brotli works across them.
#: Off (docs/performance.md, "What was tried"): it saves 0.46 MB where the host serves the .br
#: sibling (nginx, Caddy), and costs 2 MB where the host sends .zip files as they are (Cloudflare
#: Pages, and by their documentation GitHub Pages and Netlify). CALCULATORS_STDLIB_STORED=1 builds it.
STDLIB_STORED = os.environ.get("CALCULATORS_STDLIB_STORED", "") == "1"
if STDLIB_STORED:
    SIBLING_SUFFIXES += (".zip",)

#: The Pyodide files a page needs at runtime, copied unchanged (the stdlib is recompiled, the lock is ours).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
#: Checked too, as the input of the precompiled stdlib.
CHECKED_FILES = (*RUNTIME_FILES, "python_stdlib.zip")


class RuntimeError_(RuntimeError):
    """The runtime could not be assembled; the message says what to run."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
    for path in [*inputs, CHECKSUMS, STDLIB_SCRIPT, BRIDGE, Path(__file__)]:
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(project.package.encode())
    digest.update(b"stored" if STDLIB_STORED else b"deflated")
    return digest.hexdigest()


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


def wheel_config(project: Project) -> dict[str, Any]:
    """The wheel's build configuration: the site's package and the declaration API (calckit), with
    the site's name, version and scripts; no other package and no plugin entry point."""
    meta = project.metadata()
    meta.pop("entry-points", None)  # the MkDocs plugin has no use in the browser
    target: dict[str, Any] = {"packages": [project.package]}
    if (project.root / "calckit").resolve() == CALCKIT.resolve():
        target["packages"].append("calckit")
    else:
        target["force-include"] = {str(CALCKIT): "calckit"}
    return {"project": meta, "tool": {"hatch": {"build": {"targets": {"wheel": target}}}}}


def build_wheel(dest: Path, project: Project = DEFAULT) -> Path:
    """Build the core's wheel with the standard backend (hatchling); return its path.

    In this process, with the project root given explicitly: the same builder ``python -m build
    --wheel`` runs through its PEP 517 hook, byte for byte the same wheel, without starting two
    Python processes (over a second after every calculator edit under ``mkdocs serve``).
    """
    from hatchling.builders.wheel import WheelBuilder

    with tempfile.TemporaryDirectory() as tmp:
        try:
            builder = WheelBuilder(str(project.root), config=wheel_config(project))
            built = list(builder.build(directory=tmp, versions=["standard"]))
        except Exception as err:
            raise RuntimeError_(f"building the calculators wheel failed: {err}") from err
        (wheel,) = (Path(p) for p in built if Path(p).name.startswith(f"{project.wheel_stem}-"))
        dest.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheel, dest / wheel.name))


def write_lock(wheel: Path, lock_path: Path, project: Project = DEFAULT) -> dict[str, object]:
    """Write pyodide-lock.json listing only our wheel, with its sha256 (via pyodide-lock)."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    npm_lock = json.loads((project.npm / "pyodide-lock.json").read_text())
    base = PyodideLockSpec.from_dict({"info": npm_lock["info"], "packages": {}})
    spec = add_wheels_to_spec(base, [wheel], base_path=lock_path.parent, base_url="")
    spec.to_json(lock_path, indent=1)
    return json.loads(lock_path.read_text())


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


def _compressed(path: Path, encoding: str, cache: Path) -> bytes:
    """Brotli-11 or gzip-9 of a file, cached by content (brotli takes ~1 min for the wasm)."""
    data = path.read_bytes()
    cached = cache / f"{hashlib.sha256(data).hexdigest()}.{encoding}"
    if cached.exists():
        return cached.read_bytes()
    if encoding == "br":
        import brotli

        body = bytes(brotli.compress(data, quality=11))
    else:
        body = gzip.compress(data, compresslevel=9, mtime=0)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(body)
    tmp.replace(cached)
    return body


def write_siblings(folder: Path, cache: Path) -> list[Path]:
    """Write ``X.br`` and ``X.gz`` beside every file in ``folder`` they make smaller by MIN_SAVING."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix in SIBLING_SUFFIXES
        and p.stat().st_size >= 1024
        and p.name != "runtime.json"
    )
    jobs = [(path, enc) for path in files for enc in ("br", "gz")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        bodies = list(pool.map(lambda job: _compressed(*job, cache), jobs))
    written = []
    for (path, encoding), body in zip(jobs, bodies, strict=True):
        if len(body) <= (1 - MIN_SAVING) * path.stat().st_size:
            sibling = path.with_name(f"{path.name}.{encoding}")
            sibling.write_bytes(body)
            shutil.copystat(path, sibling)
            written.append(sibling)
    return written


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


def lock_entry(lock: dict[str, object], package: str = PACKAGE) -> dict[str, str]:
    """The lock's entry for the core's wheel: the one package that provides ``package``."""
    packages: dict[str, dict[str, object]] = lock["packages"]  # type: ignore[assignment]
    (entry,) = (p for p in packages.values() if package in p.get("imports", []))  # type: ignore[operator]
    return entry  # type: ignore[return-value]


def manifest(project: Project = DEFAULT) -> dict[str, Any]:
    """The current runtime.json (building the runtime first if needed)."""
    return json.loads((build(project=project) / "runtime.json").read_text())  # type: ignore[no-any-return]


def wheel_path(project: Project = DEFAULT) -> Path:
    """The wheel the site ships, as listed in its lock."""
    target = build(project=project)
    lock = json.loads((target / manifest(project)["lock"]).read_text())
    return target / lock_entry(lock, project.package)["file_name"]


ensure = build

if __name__ == "__main__":
    try:
        out = build(force="--force" in sys.argv)
    except RuntimeError_ as err:
        sys.exit(f"runtime: {err}")
    print(f"runtime ready in {out.relative_to(ROOT)}")
