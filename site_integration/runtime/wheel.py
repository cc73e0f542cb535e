"""The site's wheel (its calculators package and calckit) and the Pyodide lock that lists it."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..names import PACKAGE
from .project import CALCKIT, DEFAULT, Project, RuntimeError_


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


def lock_entry(lock: dict[str, object], package: str = PACKAGE) -> dict[str, str]:
    """The lock's entry for the core's wheel: the one package that provides ``package``."""
    packages: dict[str, dict[str, object]] = lock["packages"]  # type: ignore[assignment]
    (entry,) = (p for p in packages.values() if package in p.get("imports", []))  # type: ignore[operator]
    return entry  # type: ignore[return-value]
