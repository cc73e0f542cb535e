// Imports, in the real Pyodide runtime under Node, every module the shipped (trimmed) stdlib
// is built for, from that zip, with the site's wheel installed as the worker installs it.
// Reads {stdlib, wheel, modules} as JSON on stdin; prints {python, missing: {module: error}}.
// A module the boot itself needs and the zip lacks makes loadPyodide fail: exit code 1.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const request = JSON.parse(readFileSync(0, "utf8"));
const pyodide = await loadPyodide({
  indexURL: path.join(root, "node_modules/pyodide") + "/",
  stdLibURL: request.stdlib,
});
pyodide.unpackArchive(new Uint8Array(readFileSync(request.wheel)), "wheel");
pyodide.globals.set("modules", pyodide.toPy(request.modules));
const missing = pyodide.runPython(`
import importlib, json, sys
missing = {}
for name in modules:
    try:
        importlib.import_module(name)
    except Exception as err:  # report every module, not just the first
        missing[name] = f"{type(err).__name__}: {err}"
json.dumps(missing)
`);
process.stdout.write(JSON.stringify({ python: pyodide.runPython("import sys; sys.version"), missing: JSON.parse(missing) }));
