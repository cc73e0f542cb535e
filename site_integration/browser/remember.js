// Answers kept on the reader's device only. Answers a reader asked to keep (a field declared `remember`: their state). The
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

// The reader's own details (fields declared `personal`: a name, an account number) are kept for
// this tab's session only (sessionStorage), so a reload or another page of the site keeps them,
// and never put in a URL. Closing the tab forgets them.

/** The session storage key of a personal field (CONTRACT.md): `<cachePrefix>-personal-<field>`. */
export const personalKey = (field) => `${names?.cachePrefix ?? "calculators"}-personal-${field}`;

export function recallPersonal(field) {
  try {
    return window.sessionStorage.getItem(personalKey(field));
  } catch {
    return null;
  }
}

export function keepPersonal(field, value) {
  try {
    if (value) window.sessionStorage.setItem(personalKey(field), value);
    else window.sessionStorage.removeItem(personalKey(field));
  } catch {
    // storage blocked: the details live in the form only
  }
}
