// Build the standard library the browser runtime ships, with Pyodide's own Python 3.14.
//
//   node site_integration/build_stdlib.mjs IN_ZIP OUT_ZIP [--stored] [--keep-rest] [MODULE ...]
//
// Python start-up in the browser spends most of its time compiling about 140 stdlib modules
// from source. This runs the pinned npm Pyodide under Node (the host has no Python 3.14, and
// bytecode must match the interpreter's magic number), boots it, unpacks a wheel the way the
// worker does, imports the MODULEs the calculators use, and records every stdlib module then
// loaded. Those are written as unchecked-hash .pyc files (zipimport prefers .pyc and never
// re-reads the source).
//
// Every other module is left out: nothing the calculators, the worker's bridge or Pyodide's
// start-up import needs it, and tests/pyodide/ checks that (every module the core imports, and
// every calculator, run from the zip this writes). --keep-rest keeps them as source instead.
//
// --stored writes the entries uncompressed (ZIP_STORED): a host's brotli then compresses the
// whole archive, across files, which deflate inside the zip cannot (1.02 MB against 1.48 MB for
// the start-up modules). Entries get a fixed date: the output is byte-for-byte reproducible.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const [input, output, ...modules] = args.filter((a) => !a.startsWith("--"));
const known = new Set(["--stored", "--keep-rest"]);
if (!input || !output || [...flags].some((f) => !known.has(f))) {
  console.error("usage: node site_integration/build_stdlib.mjs IN_ZIP OUT_ZIP [--stored] [--keep-rest] [MODULE ...]");
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.join(root, "node_modules/pyodide") + "/" });
pyodide.FS.writeFile("/tmp/in.zip", new Uint8Array(readFileSync(input)));
// The worker installs the calculators with pyodide.unpackArchive(bytes, "wheel"): do the same
// with a one-module wheel, so the modules that code path imports are recorded too.
const wheel = pyodide.runPython(`
import io, zipfile
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as whl:
    whl.writestr("stdlib_probe.py", "")
    whl.writestr("stdlib_probe-0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: stdlib-probe\\nVersion: 0\\n")
    whl.writestr("stdlib_probe-0.dist-info/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    whl.writestr("stdlib_probe-0.dist-info/RECORD", "")
buf.getvalue()
`).toJs();
pyodide.unpackArchive(wheel, "wheel");
pyodide.globals.set("wanted", pyodide.toPy(modules));
pyodide.globals.set("stored", flags.has("--stored"));
pyodide.globals.set("keep_rest", flags.has("--keep-rest"));
const summary = pyodide.runPython(`
import importlib
import importlib.util
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# Where Pyodide mounts the stdlib zip; code objects carry this path, as if compiled there.
MOUNT = sys.path[1] if sys.path[1].endswith(".zip") else "/lib/python%d%d.zip" % sys.version_info[:2]
importlib.import_module("stdlib_probe")
for name in wanted:
    importlib.import_module(name)
# Start-up's modules: everything loaded from the zip now, by the boot and by the imports above.
boot = {
    m.__file__[len(MOUNT) + 1:]
    for m in list(sys.modules.values())
    if (getattr(m, "__file__", None) or "").startswith(MOUNT + "/")
}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
compiled = kept = dropped = 0
with zipfile.ZipFile("/tmp/in.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w") as out:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        data = src.read(info)
        if info.filename in boot:
            code = compile(data, f"{MOUNT}/{info.filename}", "exec", dont_inherit=True)
            data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
            name = info.filename + "c"
            compiled += 1
        elif keep_rest:
            name = info.filename
            kept += 1
        else:
            dropped += 1
            continue
        # A fresh ZipInfo per entry: reusing one across writers silently corrupts the zip.
        entry = zipfile.ZipInfo(name, date_time=FIXED_DATE)
        entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        out.writestr(entry, data, compresslevel=None if stored else 9)
(f"{compiled} start-up modules compiled, {kept} files kept as source, {dropped} left out, "
 f"{'stored' if stored else 'deflated'}, mount {MOUNT}, magic {importlib.util.MAGIC_NUMBER.hex()}")
`);
writeFileSync(output, pyodide.FS.readFile("/tmp/out.zip"));
console.log(summary);
