"""The bridge between the browser's worker and the calculators package: JSON text in, JSON text out.

Run once in Pyodide after the package's wheel is unpacked, by the worker
(``browser/worker.js``) and by the parity test (``tests/pyodide/parity.mjs``): the same file,
so the test exercises exactly what readers run. The caller defines ``PACKAGE`` (the import
name, from ``names.py``) before running it.

JSON text is the only transport, both ways, so no JavaScript object ever enters Python: the
memory snapshot taken after this file has run holds no page state.

The build copies this file into the runtime folder under a content-hashed name
(``runtime.json`` names it), so a change to it is a new runtime version and a memory
snapshot made with older bridge code is never restored.
"""

import importlib
import json

_package = importlib.import_module(PACKAGE)  # type: ignore[name-defined]  # noqa: F821 - set by the caller


def run_json(name, inputs_json):
    """``PACKAGE.run(name, inputs)`` as JSON text."""
    return json.dumps(_package.run(name, json.loads(inputs_json)))


def export_json(name, inputs_json, output):
    """One table of ``run(name, inputs)`` as CSV, through ``PACKAGE.export_csv``, as JSON text."""
    return json.dumps(_package.export_csv(name, json.loads(inputs_json), output))


def selfcheck():
    """Every calculator, at its own defaults, must compute: proves the package imports and runs.

    Returns the names of those that did not, as JSON text (``[]`` when all did).
    """
    failed = [name for name in _package.CALCULATORS if not _package.run(name, {})["ok"]]
    return json.dumps(failed)
