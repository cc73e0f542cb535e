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

Runs on its own (``python -m site_integration.runtime``) and from the MkDocs plugin,
which calls :func:`ensure` before every build; it does nothing when nothing
changed, and rebuilds the (slow) stdlib only when Pyodide or its script change.

Each job is a module: :mod:`.project` (where things are), :mod:`.pyodide_files` (the pinned
files and their checksums), :mod:`.stdlib`, :mod:`.wheel` (with the lock), :mod:`.compress`
(the siblings) and :mod:`.assemble` (the folder and ``runtime.json``).
"""

from __future__ import annotations

from .assemble import BRIDGE, build, manifest, source_fingerprint, wheel_path
from .compress import MIN_SAVING, SIBLING_SUFFIXES, write_siblings
from .project import CALCKIT, DEFAULT, Project, RuntimeError_, find_node_modules
from .pyodide_files import CHECKED_FILES, CHECKSUMS, RUNTIME_FILES, expected_checksums, verify_pyodide
from .stdlib import BRIDGE_IMPORTS, STDLIB_SCRIPT, STDLIB_STORED, build_stdlib, core_imports, stdlib_modules
from .wheel import build_wheel, lock_entry, wheel_config, write_lock

__all__ = [
    "BRIDGE",
    "BRIDGE_IMPORTS",
    "CALCKIT",
    "CHECKED_FILES",
    "CHECKSUMS",
    "CORE",
    "DEFAULT",
    "MIN_SAVING",
    "OUT",
    "PYODIDE_NPM",
    "ROOT",
    "RUNTIME_FILES",
    "SIBLING_SUFFIXES",
    "STAMP",
    "STDLIB_SCRIPT",
    "STDLIB_STORED",
    "Project",
    "RuntimeError_",
    "build",
    "build_stdlib",
    "build_wheel",
    "core_imports",
    "ensure",
    "expected_checksums",
    "find_node_modules",
    "lock_entry",
    "manifest",
    "source_fingerprint",
    "stdlib_modules",
    "verify_pyodide",
    "wheel_config",
    "wheel_path",
    "write_lock",
    "write_siblings",
]

#: This repository's site, by the names the tests and scripts use.
ROOT = DEFAULT.root
CORE = DEFAULT.core
PYODIDE_NPM = DEFAULT.npm
OUT = DEFAULT.runtime_dir
STAMP = OUT / ".stamp.json"
ensure = build
