// The runtime's names, read once from the page's #__calculators JSON (written by the
// generator's plugin; see site_integration/CONTRACT.md) and resolved against the page that first
// loaded these modules. Instant navigation keeps the modules, so this runs once per full load.
function read() {
  const element = document.getElementById("__calculators");
  if (!element) return null;
  try {
    const raw = JSON.parse(element.textContent);
    const at = (path) => new URL(path, location.href);
    return {
      root: at(raw.root),
      assets: at(raw.assets),
      runtime: at(raw.runtime),
      package: raw.package,
      cachePrefix: raw.cachePrefix,
      version: raw.version || null, // the runtime version this page's results were built with
      timeouts: raw.timeouts || {}, // seconds: call, stall, silence, restore (runtime.js has defaults)
    };
  } catch {
    return null;
  }
}

export const names = read();
