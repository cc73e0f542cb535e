// The engines suite's observer, added to the top of every built page's <head> (after the CSP
// meta tag, so the policy governs it too) by tests/engines/conftest.py. WebKitGTK's WebDriver
// has no preload scripts and exposes no console, so the same observer serves all three
// engines: it records on window.__probe what each test asserts about.
//
// A classic script, so it runs before anything else on the page; it survives Material's
// instant navigation like every other script, and is precached by the rebuilt service worker.
(() => {
  const probe = {
    id: `${performance.timeOrigin}-${Math.random()}`, // this document's
    violations: [], // securitypolicyviolation events on the page, and those the worker forwards
    errors: [], // uncaught errors, failed resource loads, unhandled rejections
    consoleErrors: [], // console.error calls
    warnings: [], // console.warn calls (the runtime's failure details go there)
    workers: [], // URLs of every Worker the page started
    // For the fault suite (tests/engines/test_faults.py), the page's workers themselves, and a
    // switch that drops every call sent to them (a call that never returns); `init` messages
    // still pass, so a replacement worker can boot.
    instances: [],
    dropCalls: false,
  };
  window.__probe = probe;
  performance.setResourceTimingBufferSize?.(100000); // every request of a long tab is kept

  const text = (args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" ");
  for (const [name, list] of [["error", probe.consoleErrors], ["warn", probe.warnings]]) {
    const original = console[name].bind(console);
    console[name] = (...args) => {
      list.push(text(args));
      original(...args);
    };
  }
  const violation = (where, e) => ({
    where,
    directive: e.effectiveDirective || e.violatedDirective || e.directive,
    blocked: e.blockedURI || e.blocked || "",
    sample: e.sample || "",
  });
  window.addEventListener("securitypolicyviolation", (e) => probe.violations.push(violation("page", e)), true);
  window.addEventListener(
    "error",
    (e) => {
      const target = e.target;
      if (target && target !== window && target.tagName) {
        probe.errors.push(`failed to load <${target.tagName.toLowerCase()}> ${target.src || target.href || ""}`);
      } else {
        probe.errors.push(`uncaught: ${e.message}`);
      }
    },
    true,
  );
  window.addEventListener("unhandledrejection", (e) => probe.errors.push(`unhandled rejection: ${text([e.reason])}`));

  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        probe.workers.push(String(url));
        probe.instances.push(this);
        this.addEventListener("message", (event) => {
          const msg = event.data || {};
          if (msg.type === "violation") probe.violations.push(violation("worker", msg));
        });
      }
      postMessage(message, ...rest) {
        if (probe.dropCalls && message && message.id !== undefined) return;
        super.postMessage(message, ...rest);
      }
    };
  }
})();
