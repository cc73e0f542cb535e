// Answers a reader asked to keep on this device (a field declared `remember`: their state). The
// last value chosen presets every form that asks the same question and whose page left it empty;
// a share link's value, or the page's own, always wins. Kept in localStorage, never in a request
// or a URL; where site storage is blocked, nothing is remembered and everything else works.
import { names } from "./names.js";

/** The storage key of a remembered field (CONTRACT.md): `<cachePrefix>-remember-<field>`. */
export const rememberKey = (field) => `${names?.cachePrefix ?? "calculators"}-remember-${field}`;

export function recall(field) {
  try {
    return window.localStorage.getItem(rememberKey(field));
  } catch {
    return null; // storage blocked
  }
}

export function keep(field, value) {
  try {
    if (value) window.localStorage.setItem(rememberKey(field), value);
    else window.localStorage.removeItem(rememberKey(field));
  } catch {
    // storage blocked: nothing is remembered
  }
}
