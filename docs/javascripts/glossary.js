// Glossary tooltips for keyboard users: Material shows an <abbr>'s definition on hover and on
// focus, but an <abbr> cannot take focus by itself. Make each one focusable, once per page
// (Material's instant navigation emits document$ for every page).
function makeFocusable() {
  for (const term of document.querySelectorAll(".md-content abbr")) {
    if (!term.hasAttribute("tabindex")) term.tabIndex = 0;
  }
}

if (window.document$?.subscribe) window.document$.subscribe(makeFocusable);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", makeFocusable);
else makeFocusable();
