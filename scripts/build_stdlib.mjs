// Precompile Pyodide's standard library to bytecode, with Pyodide's own Python 3.14.
//
//   node scripts/build_stdlib.mjs IN_ZIP OUT_ZIP
//
// Python start-up in the browser spends most of its time compiling about 130 stdlib modules
// from source. This runs the pinned npm Pyodide under Node (the host has no Python 3.14, and
// bytecode must match the interpreter's magic number), compiles every .py in the stdlib zip and
// writes a zip with only unchecked-hash .pyc files (zipimport prefers .pyc and never re-reads
// the source). Entries get a fixed date so the output is byte-for-byte reproducible.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node scripts/build_stdlib.mjs IN_ZIP OUT_ZIP");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.join(root, "node_modules/pyodide") + "/" });
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(readFileSync(input)));
const summary = pyodide.runPython(`
import importlib.util
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# Where Pyodide mounts the stdlib zip; code objects carry this path, as if compiled there.
MOUNT = sys.path[1] if sys.path[1].endswith(".zip") else "/lib/python%d%d.zip" % sys.version_info[:2]
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
compiled = copied = 0
with zipfile.ZipFile("/tmp/in.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w") as out:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        data = src.read(info)
        if info.filename.endswith(".py"):
            code = compile(data, f"{MOUNT}/{info.filename}", "exec", dont_inherit=True)
            data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
            name = info.filename + "c"
            compiled += 1
        else:
            name = info.filename
            copied += 1
        # A fresh ZipInfo per entry: reusing one across writers silently corrupts the zip.
        entry = zipfile.ZipInfo(name, date_time=FIXED_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        out.writestr(entry, data, compresslevel=9)
f"{compiled} modules compiled, {copied} files copied, mount {MOUNT}, magic {importlib.util.MAGIC_NUMBER.hex()}"
`);
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
console.log(summary);
