"""MkDocs hooks: thin glue between MkDocs' events and the generator.

All logic lives elsewhere in this package: the Markdown extension
(:mod:`site_integration.blocks`), the HTML contract (:mod:`site_integration.render`), the
runtime assembly (:mod:`site_integration.runtime`) and the names they share
(:mod:`site_integration.names`). This file registers the extension and every asset of the
generator's own, so a site lists only its own assets in ``mkdocs.yml``.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# MkDocs loads hooks by file path, outside any package: make this file's own package importable.
_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:
    sys.path.insert(0, str(_REPO))

from mkdocs.config.config_options import ExtraScriptValue  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from site_integration import csp, runtime  # noqa: E402
from site_integration.blocks import CalculatorBlocksExtension  # noqa: E402
from site_integration.names import ASSET_DIR, CACHE_PREFIX, HERE, PACKAGE, RUNTIME_DIR  # noqa: E402

BROWSER = HERE / "browser"
#: The generator's scripts, loaded on every page as ES modules (worker.js and format.js are
#: imported by them, not listed).
PAGE_SCRIPTS = ("calculators.js", "offline.js")
#: Pinned npm files the browser runtime uses, served under ASSET_DIR/vendor/ (their licences travel
#: with them). uPlot draws the charts; its CSS is registered like the generator's own.
VENDOR = {
    "vendor/uPlot.iife.min.js": "uplot/dist/uPlot.iife.min.js",
    "vendor/uPlot.min.css": "uplot/dist/uPlot.min.css",
    "vendor/uPlot.LICENSE.txt": "uplot/LICENSE",
}
#: Host names reserved for examples (RFC 2606, RFC 6761): a site_url on one is a placeholder.
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(invalid|example|test|localhost|example\.(com|net|org))$")
_CALCULATOR_BLOCK = re.compile(r"^/// calculator\b", re.MULTILINE)
log = logging.getLogger("mkdocs.plugins.calculators")

_extension = CalculatorBlocksExtension()
_command = "build"
_runtime_version = ""  # runtime.json's version, read once per build in on_pre_build
#: The runtime's time limits in seconds (CONTRACT.md, "Page config"): a call's deadline, a stalled
#: download, a silent boot and a snapshot restore. CALCULATORS_<NAME>_SECONDS overrides one (tests
#: shorten them).
TIMEOUTS = {"call": 20, "stall": 20, "silence": 90, "restore": 20}


def timeouts() -> dict[str, float]:
    found: dict[str, float] = {}
    for name, default in TIMEOUTS.items():
        raw = os.environ.get(f"CALCULATORS_{name.upper()}_SECONDS", "")
        try:
            value = float(raw) if raw else float(default)
        except ValueError:
            raise PluginError(
                f"CALCULATORS_{name.upper()}_SECONDS must be a number of seconds, not {raw!r}"
            ) from None
        if value <= 0:
            raise PluginError(f"CALCULATORS_{name.upper()}_SECONDS must be more than 0, not {raw!r}")
        found[name] = value
    return found


def on_startup(command: str, dirty: bool) -> None:
    global _command  # noqa: PLW0603 - MkDocs hooks are module functions; this is their state
    _command = command


_code_seen: tuple[tuple[str, int, int], ...] = ()


def _code_fingerprint() -> tuple[tuple[str, int, int], ...]:
    """Every source file the rendered pages depend on (the core and the generator), with its
    modification time and size."""
    found = []
    for folder in (_REPO / PACKAGE, HERE):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
                stat = path.stat()
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _reload_blocks() -> CalculatorBlocksExtension:
    """A blocks extension built from freshly imported code, when the code changed.

    MkDocs loads this hook file once per process, so under ``mkdocs serve`` an edited
    calculator would otherwise be pre-rendered by the stale module imported at start-up. While
    the code is unchanged (a Markdown edit) the extension, its rendered calculators and the
    core's caches are kept.
    """
    global _code_seen  # noqa: PLW0603 - see _command
    seen = _code_fingerprint()
    if seen == _code_seen:
        return _extension
    _code_seen = seen
    for name in [
        n for n in sys.modules if n == PACKAGE or n.startswith((f"{PACKAGE}.", "site_integration."))
    ]:
        del sys.modules[name]
    return importlib.import_module("site_integration.blocks").CalculatorBlocksExtension()  # type: ignore[no-any-return]


def _warn_placeholder_site_url(config: MkDocsConfig) -> None:
    """A deploy built without SITE_URL silently loses instant navigation (and with it the
    worker that survives page changes): say so loudly, on stderr, without failing --strict."""
    host = urlsplit(config.site_url or "").hostname or ""
    if _command != "build" or (host and not PLACEHOLDER_HOSTS.search(host)):
        return
    bar = "!" * 78
    print(
        f"\n{bar}\n  SITE_URL is not set: site_url is {config.site_url or 'empty'}, a placeholder\n"
        "  Fine for a local look. A deployed site built this way loses instant navigation\n"
        "  (every click reloads the page and boots Python again). Deploy with\n"
        "      SITE_URL=https://your.domain/path/ make build\n"
        f"{bar}\n",
        file=sys.stderr,
    )


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _extension  # noqa: PLW0603 - see _command
    if _command == "serve":
        _extension = _reload_blocks()
    _warn_placeholder_site_url(config)
    if "navigation.tracking" in (config.theme.get("features") or []):
        # It rewrites the fragment to the heading in view while the reader scrolls, which erases a
        # calculator's share link (#c=..., CONTRACT.md): a configuration error, so --strict fails.
        log.warning(
            "theme feature navigation.tracking erases calculator share links: remove it from mkdocs.yml"
        )
    # Registered here, not in mkdocs.yml, so contributors configure one thing (the
    # mkdocstrings pattern) and the repository root need not be on sys.path.
    _extension.deferred = True  # on_post_page puts the calculators back (blocks.CalculatorBlock)
    config.markdown_extensions.append(_extension)  # type: ignore[arg-type]
    # The generator's own assets, first, so a site's stylesheets can override them.
    own = ["vendor/uPlot.min.css", *sorted(p.name for p in BROWSER.glob("*.css"))]
    for index, name in enumerate(own):
        config.extra_css.insert(index, f"{ASSET_DIR}/{name}")
    for name in PAGE_SCRIPTS:
        script = ExtraScriptValue(f"{ASSET_DIR}/{name}")
        script.type = "module"
        config.extra_javascript.append(script)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    # Rebuild the wheel and lock only when the core changed, so `mkdocs serve` picks up edits.
    global _runtime_version  # noqa: PLW0603 - see _command
    _extension.clear_stash()
    try:
        folder = runtime.ensure()
    except runtime.RuntimeError_ as err:
        raise PluginError(str(err)) from None
    _runtime_version = json.loads((folder / "runtime.json").read_text())["version"]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Serve the generator's browser files (browser/*.js, *.css) under ASSET_DIR."""
    for path in sorted(BROWSER.iterdir()):
        if path.suffix in {".js", ".css"}:
            files.append(File.generated(config, f"{ASSET_DIR}/{path.name}", abs_src_path=str(path)))
    modules = runtime.ROOT / "node_modules"
    for served, source in VENDOR.items():
        if not (modules / source).is_file():
            raise PluginError(f"node_modules/{source} is missing: run `make deps` (npm ci) first")
        files.append(File.generated(config, f"{ASSET_DIR}/{served}", abs_src_path=str(modules / source)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Lets block warnings name the page being rendered.
    _extension.current_page = page.file.src_uri
    # Tells the theme override (theme/main.html) to start Python early on this page.
    if _CALCULATOR_BLOCK.search(markdown):
        page.meta["calculators"] = True
    return markdown


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """The names the browser runtime needs, as page-relative URLs (CONTRACT.md, "Page config")."""
    here = page.url

    def rel(path: str) -> str:
        return get_relative_url(path, here).rstrip("/") + "/"

    context["calculators_config"] = {
        "root": rel("."),
        "assets": rel(ASSET_DIR),
        "runtime": rel(RUNTIME_DIR),
        "package": PACKAGE,
        "cachePrefix": CACHE_PREFIX,
        # The runtime version the page's results were computed with: a page reached through
        # instant navigation from another deploy loads in full (calculators.js).
        "version": _runtime_version,
        "timeouts": timeouts(),
    }
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put each calculator's HTML back where its block left a marker (blocks.CalculatorBlock)."""
    return _extension.unstash(output)


@event_priority(-100)  # last: the policy must hash every page, and the precache list every file, others wrote
def on_post_build(config: MkDocsConfig) -> None:
    """Copy the runtime (Pyodide files, stdlib, lock, wheel) in as RUNTIME_DIR, give every page
    its Content-Security-Policy (and ``_headers`` the site's), then write sw.js."""
    dest = Path(config.site_dir) / RUNTIME_DIR
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(runtime.OUT / "pyodide", dest)
    # `mkdocs serve` injects its live-reload script into every page, which the policy would
    # block: the policy ships in builds only.
    if _command != "serve":
        csp.write_header(Path(config.site_dir), csp.apply(Path(config.site_dir)))
    command = [
        "node",
        str(HERE / "build_sw.mjs"),
        config.site_dir,
        *("--prefix", CACHE_PREFIX, "--runtime", RUNTIME_DIR),
    ]
    if _command == "serve":
        command.append("--dev")  # contributors must never be served stale pages
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise PluginError("building the service worker failed:\n" + (proc.stdout + proc.stderr)[-2000:])


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    # Editing the core or the generator rebuilds the site (and the wheel, via on_pre_build).
    # A site's own folders (includes/, ...) are listed under `watch:` in its mkdocs.yml.
    server.watch(str(runtime.CORE))
    server.watch(str(HERE))
    return server
