"""MkDocs hooks: thin glue between MkDocs and the calculator blocks and runtime.

All logic lives in :mod:`site_integration.blocks` (the Markdown extension)
and ``scripts/build_runtime.py`` (the runtime assembly); this file only
wires them into MkDocs' events.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path; make the repo's packages importable
    sys.path.insert(0, str(ROOT))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from scripts import build_runtime  # noqa: E402
from site_integration.blocks import CalculatorBlocksExtension  # noqa: E402

BROWSER = ROOT / "browser"
ASSET_DIR = "assets/runtime"
_extension = CalculatorBlocksExtension()
_CALCULATOR_BLOCK = re.compile(r"^/// calculator\b", re.MULTILINE)
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving  # noqa: PLW0603 - MkDocs hooks are module functions; this is their state
    _serving = command == "serve"


def _reload_blocks() -> CalculatorBlocksExtension:
    """A blocks extension built from freshly imported code.

    MkDocs loads this hook file once per process, so under ``mkdocs serve`` an edited
    calculator would otherwise be pre-rendered by the stale module imported at start-up.
    """
    for name in [
        n for n in sys.modules if n == "calculators" or n.startswith(("calculators.", "site_integration."))
    ]:
        del sys.modules[name]
    return importlib.import_module("site_integration.blocks").CalculatorBlocksExtension()  # type: ignore[no-any-return]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _extension  # noqa: PLW0603 - see _serving
    if _serving:
        _extension = _reload_blocks()
    # Registered here, not in mkdocs.yml, so the repository root need not be on sys.path
    # and contributors configure one thing (the mkdocstrings pattern).
    config.markdown_extensions.append(_extension)  # type: ignore[arg-type]
    for name in sorted(p.name for p in BROWSER.glob("*.css")):
        config.extra_css.append(f"{ASSET_DIR}/{name}")
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    # Rebuild the wheel and lock only when calculators/ changed, so `mkdocs serve` picks up edits.
    try:
        build_runtime.ensure()
    except build_runtime.RuntimeError_ as err:
        raise PluginError(str(err)) from None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Serve the browser runtime (browser/*.js, *.css) under assets/runtime/."""
    for path in sorted(BROWSER.iterdir()):
        if path.suffix in {".js", ".css"}:
            files.append(File.generated(config, f"{ASSET_DIR}/{path.name}", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Lets block warnings name the page being rendered.
    _extension.current_page = page.file.src_uri
    # Tells the theme override (site_integration/theme/main.html) to start Python early.
    if _CALCULATOR_BLOCK.search(markdown):
        page.meta["calculators"] = True
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    """Copy the runtime (Pyodide files, stdlib, lock, wheel) in as pyodide/, then write sw.js."""
    src = build_runtime.OUT / "pyodide"
    dest = Path(config.site_dir) / "pyodide"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)
    # Last, so the service worker's precache manifest sees every file of the finished site.
    command = ["node", str(ROOT / "scripts" / "build_sw.mjs"), config.site_dir]
    if _serving:
        command.append("--dev")  # contributors must never be served stale pages
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise PluginError("building the service worker failed:\n" + (proc.stdout + proc.stderr)[-2000:])


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    # Editing the core or the browser runtime rebuilds the site (and the wheel, via on_pre_build).
    server.watch(str(ROOT / "calculators"))
    server.watch(str(BROWSER))
    server.watch(str(ROOT / "includes"))
    return server
