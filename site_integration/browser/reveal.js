// Questions asked only when they matter: a field whose wrapper carries data-reveal (JSON: a list
// of alternatives, each mapping other fields to the values that call for it) is shown when any
// alternative matches the form, hidden otherwise. A state's fact appears only for a state whose
// rules depend on it; a carve-out only for a non-recourse loan. The build hid them already for
// the page's own values (render.py), so nothing moves at first paint. A hidden field is still
// read and sent: Python decides, and "Not sure" is every fact's default.
const parsed = new WeakMap();

function alternatives(wrap) {
  if (!parsed.has(wrap)) {
    try {
      parsed.set(wrap, JSON.parse(wrap.dataset.reveal));
    } catch {
      parsed.set(wrap, null); // unreadable: always shown
    }
  }
  return parsed.get(wrap);
}

function value(form, name) {
  const control = form.elements.namedItem(name);
  return control && "value" in control ? String(control.value).trim().toLowerCase() : "";
}

/** Show or hide every conditional field of a form for its current values. */
export function reveal(form) {
  for (const wrap of form.querySelectorAll("[data-reveal]")) {
    const cases = alternatives(wrap);
    const shown =
      !Array.isArray(cases) ||
      cases.some((alt) => Object.entries(alt).every(([name, allowed]) => allowed.map((v) => v.toLowerCase()).includes(value(form, name))));
    // A field with an error message stays in view: the reader must see what to fix.
    const erring = wrap.querySelector("[data-error-for]")?.textContent;
    if (wrap.hidden === (shown || Boolean(erring))) wrap.hidden = !(shown || erring);
  }
}
