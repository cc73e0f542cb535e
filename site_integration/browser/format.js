// Display formatting of calculator outputs. Mirrors site_integration/render.py:display()
// exactly (a browser test compares live text with the pre-rendered text). String work
// only: Python computes every number.
const MINUS = "\u2212";

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatValue(kind, value) {
  if (kind === "money" && typeof value === "string") {
    const negative = value.startsWith("-");
    const [whole, frac = ""] = value.replace(/^-/, "").split(".");
    return `${negative ? MINUS : ""}$${group(whole)}.${frac}`;
  }
  if (kind === "percent" && typeof value === "string") {
    const [whole, frac = ""] = value.split(".");
    return `${whole}.${frac.replace(/0+$/, "").padEnd(2, "0")}%`;
  }
  if (kind === "integer" && typeof value === "number") {
    return value < 0 ? MINUS + group(String(-value)) : group(String(value));
  }
  return value === undefined || value === null ? "" : String(value);
}
