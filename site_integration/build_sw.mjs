// Generate the site's service worker with Workbox (workbox-build from npm, runtime inlined).
//
//   node build_sw.mjs SITE_DIR --prefix P [--runtime DIR]   the production worker (precaches the site)
//   node build_sw.mjs SITE_DIR --prefix P --dev             a self-removing worker for `mkdocs serve`
//
// P is the cache prefix (site_integration/names.py CACHE_PREFIX): every cache this site makes
// is named "P-...", and only those are ever deleted. DIR is the runtime's folder (RUNTIME_DIR).
//
// Production: every page, asset, the search index, the Pyodide runtime files, the lock and
// the wheel are precached. The cache name carries a hash of the whole precache manifest, so
// each deploy gets its own cache; sw-cleanup.<version>.js (generated beside it, imported by
// sw.js) deletes the other versions' caches when the new worker activates. Its name carries
// the version: a browser checking for an update may take imported scripts from its HTTP
// cache, and a stale cleanup script would delete the new deploy's cache instead of the old.
// The new worker waits until the page asks it to take over (offline.js does so on the next
// navigation), so no page ever mixes two deploys. The Workbox runtime is inlined: no CDN, no workbox-*.js files.
//
// Dev: contributors must never see stale pages, so `mkdocs serve` ships a worker that deletes
// this site's caches and unregisters itself, replacing any production worker on that origin.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const siteDir = args[0];
const prefixAt = args.indexOf("--prefix");
const PREFIX = prefixAt > 0 ? args[prefixAt + 1] : "";
const runtimeAt = args.indexOf("--runtime");
const RUNTIME_DIR = runtimeAt > 0 ? args[runtimeAt + 1] : "pyodide";
const flag = args.includes("--dev") ? "--dev" : "";
if (!siteDir || siteDir.startsWith("--") || !/^[a-z][a-z0-9]*$/.test(PREFIX)) {
  console.error("usage: node build_sw.mjs SITE_DIR --prefix PREFIX [--dev]");
  process.exit(2);
}

// Stale Workbox runtime chunks and cleanup scripts from older builds must not pile up.
for (const name of readdirSync(siteDir)) {
  if (/^(workbox-[0-9a-f]+\.js(\.map)?|sw-cleanup\.[0-9a-f]+\.js)$/.test(name)) rmSync(path.join(siteDir, name));
}

if (flag === "--dev") {
  writeFileSync(
    path.join(siteDir, "sw.js"),
    `// Development (mkdocs serve): never cache. Remove this site's caches and unregister.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith("${PREFIX}-")) await caches.delete(key);
    await self.registration.unregister();
  })());
});
`,
  );
  console.log("dev service worker written (self-unregistering)");
  process.exit(0);
}

// Loaded only here: requiring workbox-build takes about a second, which the dev worker above
// (written on every rebuild under `mkdocs serve`) need not wait for.
const { generateSW, getManifest } = require("workbox-build");

const config = {
  globDirectory: siteDir,
  globPatterns: ["**/*.{html,css,js,mjs,json,wasm,zip,whl,py,svg,png,ico,xml,woff,woff2}"],
  globIgnores: [
    "sw.js",
    "sw-cleanup.*.js",
    // Precompressed siblings (runtime.py) are the same bytes as their file, for hosts that
    // serve them; precaching them would download the runtime a second time.
    "**/*.br",
    "**/*.gz",
    "**/*.map",
    // Material's search language packs: only used for non-English sites.
    "assets/javascripts/lunr/**",
  ],
  // Raise the default 2 MB limit, which silently skips the wasm and the stdlib.
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  // Files whose names carry a content hash (Material's bundles, our stdlib, lock, wheel and
  // versioned Pyodide folder) need no cache-busting: Workbox may then fill the precache from
  // the HTTP cache, so a first visit does not download the 13 MB runtime twice.
  dontCacheBustURLsMatching: /(\.[0-9a-f]{8,}\.|\/[0-9a-f]{16}\/|\/\d+\.\d+\.\d+-[0-9a-f]{8}\/)/,
  // The runtime's files carry their Subresource Integrity hash, so the service worker checks
  // them when it precaches them and, when one is missing from the precache (a page evicted a
  // damaged copy after a failed boot: runtime.js), fetches it from the network, checks it and
  // repairs the precache (Workbox repairs only entries that have an integrity).
  manifestTransforms: [
    async (entries) => ({
      manifest: entries.map((entry) =>
        entry.url.startsWith(`${RUNTIME_DIR}/`)
          ? {
              ...entry,
              integrity: `sha384-${createHash("sha384")
                .update(readFileSync(path.join(siteDir, entry.url)))
                .digest("base64")}`,
            }
          : entry,
      ),
      warnings: [],
    }),
  ],
};

const { manifestEntries, size, warnings } = await getManifest(config);
if (warnings.length) {
  console.error(warnings.join("\n"));
  process.exit(1);
}
const version = createHash("sha256")
  .update(JSON.stringify(manifestEntries.map((e) => [e.url, e.revision])))
  .digest("hex")
  .slice(0, 16);
const cacheId = `${PREFIX}-${version}`;

const cleanup = `sw-cleanup.${version}.js`;
writeFileSync(
  path.join(siteDir, cleanup),
  `// Generated by site_integration/build_sw.mjs for deploy ${version}: when this worker activates,
// delete the precaches of every other deploy (this site's caches start with "${PREFIX}-").
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys
    .filter((key) => key.startsWith("${PREFIX}-") && !key.startsWith("${cacheId}-") && key !== "${PREFIX}-snapshots")
    .map((key) => caches.delete(key)))));
});
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "VERSION") event.ports[0]?.postMessage("${version}");
});
`,
);

await generateSW({
  ...config,
  swDest: path.join(siteDir, "sw.js"),
  cacheId,
  inlineWorkboxRuntime: true,
  mode: "production",
  sourcemap: false,
  skipWaiting: false, // take over only when the page says so: on the next navigation
  clientsClaim: true, // a first visit is controlled as soon as the cache is complete
  cleanupOutdatedCaches: true,
  importScripts: [cleanup],
  directoryIndex: "index.html",
  // A page that is not precached (a mistyped address, say) is asked of the network; when the
  // network fails (offline), the site's own 404 page answers from the precache instead of the
  // browser's "no internet" page. Online, the host's answer stands (a page a newer deploy added
  // still opens while this worker controls the tab).
  runtimeCaching: [
    {
      urlPattern: ({ request }) => request.mode === "navigate",
      handler: "NetworkOnly",
      options: { precacheFallback: { fallbackURL: "404.html" } },
    },
  ],
});
console.log(`service worker ${version}: ${manifestEntries.length} files, ${(size / 1e6).toFixed(1)} MB precached`);
