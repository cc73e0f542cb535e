// The syntax the Python runtime needs beyond what the worker itself uses. Pyodide's
// pyodide.asm.mjs uses class static blocks (Safari 16.4+, Firefox 93+, Chrome 94+); an older
// engine cannot even parse it, and would fail deep inside the boot with a raw SyntaxError.
// worker.js imports this module first: if the import fails with a SyntaxError, the page says
// the browser is too old, before anything large is downloaded. A module rather than
// `new Function(...)`: the site's Content-Security-Policy allows no 'unsafe-eval'.
class StaticBlocks {
  static {
    this.ok = true;
  }
}

export const supported = StaticBlocks.ok === true;
