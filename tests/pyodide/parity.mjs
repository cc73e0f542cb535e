// Runs calculators.run() in the real Pyodide runtime under Node, with the pinned npm package
// and the same wheel the site ships. Reads {wheel, cases: [{name, inputs}]} as JSON on stdin,
// prints a JSON array with json.dumps(run(name, inputs)) for each case. The bridge is the
// same as site_integration/browser/worker.js's: JSON text in, JSON text out.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));

const request = JSON.parse(readFileSync(0, "utf8"));
// The stdlib the site ships (partly precompiled), so parity covers it too.
const pyodide = await loadPyodide({ indexURL: path.join(root, "node_modules/pyodide") + "/", stdLibURL: request.stdlib });
// Node's Buffer must be wrapped in a Uint8Array for unpackArchive.
pyodide.unpackArchive(new Uint8Array(readFileSync(request.wheel)), "wheel");
const bridge = pyodide.runPython(`
import json, sys
import calculators
assert sys.version_info[:2] == (3, 14), sys.version
def _bridge(name, inputs_json):
    return json.dumps(calculators.run(name, json.loads(inputs_json)))
_bridge
`);
const out = request.cases.map(({ name, inputs }) => bridge(name, JSON.stringify(inputs)));
process.stdout.write(JSON.stringify({ python: pyodide.runPython("import sys; sys.version"), results: out }));
