// Precompile the part of Pyodide's standard library that start-up needs, with Pyodide's own
// Python 3.14.
//
//   node site_integration/build_stdlib.mjs IN_ZIP OUT_ZIP [MODULE ...]
//
// Python start-up in the browser spends most of its time compiling about 130 stdlib modules
// from source. This runs the pinned npm Pyodide under Node (the host has no Python 3.14, and
// bytecode must match the interpreter's magic number), boots it, imports the MODULEs the
// calculators use, and records every stdlib module then loaded. Those are written as
// unchecked-hash .pyc files (zipimport prefers .pyc and never re-reads the source); every other
// module stays as source, because bytecode is larger and would only slow the download of
// modules a reader never loads. Entries get a fixed date: the output is byte-for-byte
// reproducible.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [input, output, ...modules] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node site_integration/build_stdlib.mjs IN_ZIP OUT_ZIP [MODULE ...]");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.join(root, "node_modules/pyodide") + "/" });
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(readFileSync(input)));
pyodide.globals.set("wanted", pyodide.toPy(modules));
const summary = pyodide.runPython(`
import importlib.util
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

import importlib
import shutil  # used by pyodide.unpackArchive() when the worker installs the wheel

# Where Pyodide mounts the stdlib zip; code objects carry this path, as if compiled there.
MOUNT = sys.path[1] if sys.path[1].endswith(".zip") else "/lib/python%d%d.zip" % sys.version_info[:2]
for name in wanted:
    importlib.import_module(name)
# Start-up's modules: everything loaded from the zip now, by the boot and by the imports above.
boot = {
    m.__file__[len(MOUNT) + 1:]
    for m in list(sys.modules.values())
    if (getattr(m, "__file__", None) or "").startswith(MOUNT + "/")
}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
compiled = copied = 0
with zipfile.ZipFile("/tmp/in.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w") as out:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        data = src.read(info)
        if info.filename in boot:
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
f"{compiled} start-up modules compiled, {copied} files kept as they were, mount {MOUNT}, magic {importlib.util.MAGIC_NUMBER.hex()}"
`);
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
console.log(summary);
