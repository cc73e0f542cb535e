"""The ``calculators`` MkDocs plugin: thin glue between MkDocs' events and the generator.

Installed with the package (entry point ``mkdocs.plugins: calculators``), a site adds one line
to ``mkdocs.yml``::

    plugins:
      - search
      - calculators

and the plugin installs everything else of its own: the ``/// calculator`` Markdown extension
(:mod:`site_integration.blocks`), the theme override (``theme/main.html``), the browser files
served under ``assets/runtime/``, the Pyodide runtime under ``pyodide/`` (:mod:`.runtime`), the
Content-Security-Policy (:mod:`.csp`), the service worker and its ``_headers`` rules
(:mod:`.headers`). Options: :mod:`.config`.

The work lives in those modules. Under ``mkdocs serve`` the plugin object is kept across
rebuilds (it has ``on_startup``), so its state lives here; when the generator's or the site's
calculator code changes, the plugin imports those modules afresh, so an edit takes effect
without a restart. Only an edit to this file or to ``config.py`` needs one, and the server
says so.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .config import CalculatorsConfig
from .names import ASSET_DIR, CACHE_PREFIX, HERE, RUNTIME_DIR

log = logging.getLogger("mkdocs.plugins.calculators")

BROWSER = HERE / "browser"
THEME = HERE / "theme"
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
#: The runtime's time limits by name (CONTRACT.md, "Page config"); each is the option
#: ``<name>_seconds`` or the environment's ``CALCULATORS_<NAME>_SECONDS``.
TIMEOUTS = ("call", "stall", "silence", "restore")
#: Modules whose edits need a restart of `mkdocs serve`: the plugin object is made from them.
_FIXED = ("plugin.py", "config.py")


def _fingerprint(folders: list[Path]) -> dict[str, str]:
    """Every Python and JSON source file of ``folders``, with a hash of its content."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class CalculatorsPlugin(BasePlugin[CalculatorsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.project: Any = None  # runtime.Project
        self.limits: dict[str, float] = {}  # the runtime's time limits, read in on_config
        self.runtime_version = ""  # runtime.json's version, read once per build in on_pre_build
        self.extension: Any = None  # blocks.CalculatorBlocksExtension
        self.modules: dict[str, ModuleType] = {}
        self.seen: dict[str, str] = {}

    # -- the generator's modules, imported afresh when their code changed --------------------

    def _code_folders(self) -> list[Path]:
        from .runtime import CALCKIT

        return [HERE, CALCKIT, Path(self.project.core)]

    def _load(self) -> None:
        """Import the generator (and through it the site's calculators) once, and again whenever
        their source changed since: `mkdocs serve` then renders with the edited code."""
        seen = _fingerprint(self._code_folders()) if self.project else {}
        if self.modules and seen == self.seen:
            return
        if self.seen:
            changed = {p for p in set(seen) | set(self.seen) if seen.get(p) != self.seen.get(p)}
            fixed = sorted(name for name in _FIXED if str(HERE / name) in changed)
            if fixed:
                # On stderr, not as a warning: `mkdocs serve --strict` would abort the rebuild.
                print(
                    f"\n  {' and '.join(f'site_integration/{name}' for name in fixed)} changed: restart"
                    " `mkdocs serve` for it to take effect (the rest of the generator reloads by itself)\n",
                    file=sys.stderr,
                )
            keep = {f"{__package__}.{Path(name).stem}" for name in _FIXED}
            stale = (__package__, "calckit", self.project.package)
            for name in [n for n in sys.modules if n.split(".")[0] in stale and n not in keep]:
                if name != __package__:
                    del sys.modules[name]
        self.seen = seen
        self.modules = {
            name: importlib.import_module(f"{__package__}.{name}")
            for name in ("blocks", "runtime", "csp", "headers")
        }
        self.extension = self.modules["blocks"].CalculatorBlocksExtension(package=self.project.package)

    def timeouts(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for name in TIMEOUTS:
            env = f"CALCULATORS_{name.upper()}_SECONDS"
            raw = os.environ.get(env, "")
            try:
                value = float(raw) if raw else float(self.config[f"{name}_seconds"])
            except ValueError:
                raise PluginError(f"{env} must be a number of seconds, not {raw!r}") from None
            if value <= 0:
                where = env if raw else f"calculators: {name}_seconds"
                raise PluginError(
                    f"{where} must be more than 0, not {raw or self.config[f'{name}_seconds']!r}"
                )
            found[name] = value
        return found

    # -- MkDocs events -------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def _warn_placeholder_site_url(self, config: MkDocsConfig) -> None:
        """A deploy built without SITE_URL silently loses instant navigation (and with it the
        worker that survives page changes): say so loudly, on stderr, without failing --strict."""
        host = urlsplit(config.site_url or "").hostname or ""
        if self.command != "build" or (host and not PLACEHOLDER_HOSTS.search(host)):
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

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from .runtime import Project

        root = Path(self.config.project or Path(config.config_file_path).parent).resolve()
        modules = Path(self.config.node_modules).resolve() if self.config.node_modules else None
        self.project = Project(root, self.config.package, node_modules=modules)
        # The site's calculators package is imported from its folder, as Python would from there.
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        self.limits = self.timeouts()  # read once per build; a bad limit fails it now, named
        self._load()
        self._warn_placeholder_site_url(config)
        if "navigation.tracking" in (config.theme.get("features") or []):
            # It rewrites the fragment to the heading in view while the reader scrolls, which erases a
            # calculator's share link (#c=..., CONTRACT.md): a configuration error, so --strict fails.
            log.warning(
                "theme feature navigation.tracking erases calculator share links: remove it from mkdocs.yml"
            )
        if not self.config.enabled:
            return config
        # The theme override: after the site's own custom_dir (which may extend it), before the theme.
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        # The Markdown extension, registered here (the mkdocstrings pattern): a site lists only its own.
        self.extension.deferred = True  # on_post_page puts the calculators back (blocks.CalculatorBlock)
        self.extension.enabled = self.config.enabled
        config.markdown_extensions.append(self.extension)
        # The generator's own assets, first, so a site's stylesheets can override them.
        own = ["vendor/uPlot.min.css", *sorted(p.name for p in BROWSER.glob("*.css"))]
        for index, name in enumerate(own):
            config.extra_css.insert(index, f"{ASSET_DIR}/{name}")
        for name in PAGE_SCRIPTS:
            script = ExtraScriptValue(f"{ASSET_DIR}/{name}")
            script.type = "module"
            config.extra_javascript.append(script)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Rebuild the wheel and lock only when the core changed, so `mkdocs serve` picks up edits.
        self._load()
        self.extension.clear_stash()
        if not self.config.enabled:
            return
        runtime = self.modules["runtime"]
        try:
            folder = runtime.build(project=self.project)
        except runtime.RuntimeError_ as err:
            raise PluginError(str(err)) from None
        self.runtime_version = json.loads((folder / "runtime.json").read_text())["version"]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Serve the generator's browser files (browser/*.js, *.css) under ASSET_DIR."""
        if not self.config.enabled:
            return files
        for path in sorted(BROWSER.iterdir()):
            if path.suffix in {".js", ".css"}:
                files.append(File.generated(config, f"{ASSET_DIR}/{path.name}", abs_src_path=str(path)))
        modules = self.project.modules
        for served, source in VENDOR.items():
            if not (modules / source).is_file():
                raise PluginError(f"{modules / source} is missing: run `npm ci` (make deps) first")
            files.append(File.generated(config, f"{ASSET_DIR}/{served}", abs_src_path=str(modules / source)))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Lets block warnings name the page being rendered.
        self.extension.current_page = page.file.src_uri
        # Tells the theme override (theme/main.html) to start Python early on this page.
        if _CALCULATOR_BLOCK.search(markdown):
            page.meta["calculators"] = True
        return markdown

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        """The names the browser runtime needs, as page-relative URLs (CONTRACT.md, "Page config")."""
        if not self.config.enabled:
            return context
        here = page.url

        def rel(path: str) -> str:
            return get_relative_url(path, here).rstrip("/") + "/"

        context["calculators_config"] = {
            "root": rel("."),
            "assets": rel(ASSET_DIR),
            "runtime": rel(RUNTIME_DIR),
            "package": self.project.package,
            "cachePrefix": CACHE_PREFIX,
            # The runtime version the page's results were computed with: a page reached through
            # instant navigation from another deploy loads in full (calculators.js).
            "version": self.runtime_version,
            "timeouts": self.limits,
        }
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Put each calculator's HTML back where its block left a marker (blocks.CalculatorBlock)."""
        return str(self.extension.unstash(output))

    @event_priority(-100)  # last: the policy must hash every page, and the precache list every file
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Copy the runtime (Pyodide files, stdlib, lock, wheel) in as RUNTIME_DIR, add the
        generator's ``_headers`` rules, give every page its Content-Security-Policy, then write sw.js."""
        if not self.config.enabled:
            return
        site = Path(config.site_dir)
        dest = site / RUNTIME_DIR
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(self.project.runtime_dir / "pyodide", dest)
        try:
            self.modules["headers"].write(site)
        except ValueError as err:
            raise PluginError(str(err)) from None
        # `mkdocs serve` injects its live-reload script into every page, which the policy would
        # block: the policy ships in builds only.
        if self.command != "serve":
            csp = self.modules["csp"]
            csp.write_header(site, csp.apply(site))
        command = ["node", str(HERE / "build_sw.mjs"), config.site_dir]
        command += ["--prefix", CACHE_PREFIX, "--runtime", RUNTIME_DIR]
        if self.command == "serve":
            command.append("--dev")  # contributors must never be served stale pages
        env = {**os.environ, "NODE_PATH": str(self.project.modules)}
        proc = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if proc.returncode:
            raise PluginError("building the service worker failed:\n" + (proc.stdout + proc.stderr)[-2000:])

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # Editing the core or the generator rebuilds the site (and the wheel, via on_pre_build).
        # A site's own folders (includes/, ...) are listed under `watch:` in its mkdocs.yml.
        for folder in self._code_folders():
            server.watch(str(folder))
        return server
