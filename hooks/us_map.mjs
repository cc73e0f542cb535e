// Draw a US map as an inline SVG, at build time, from the pinned npm packages us-atlas (Census
// shapes, already projected to Albers USA: states-albers-10m.json), topojson-client,
// topojson-simplify and d3-geo.
// No hand-drawn path, and nothing is fetched when a reader opens the page.
//
//   node hooks/us_map.mjs < spec.json > map.svg
//
// spec: {name, title, description, states: {"Ohio": {category, label, href}, ...}}
//        (every state by its Census name)
//
// Each state is a link to its own page, named for screen readers ("Ohio: limited by fair
// value"), with a <title> for a pointer's tooltip. The link is `xlink:href`, which every engine
// follows: Material's instant navigation rewrites every element's `href` property in a page it
// loads, and an SVG link's is read-only (the page would fail to load); your-state.js hands a
// click on one to instant navigation. Colours come from the stylesheet by class
// (map__area--CATEGORY), so both palettes work and the page's CSP (no inline style) holds; the
// legend repeats each category in words. The District of Columbia is a few pixels on any such
// map: it also gets a labelled box of its own, linked like the states.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { feature } = require("topojson-client");
const { filter, filterWeight, presimplify, simplify } = require("topojson-simplify");
const { geoPath } = await import("d3-geo");

// Simplified to what the screen shows (topojson-simplify, Visvalingam weights): islands under 4
// square pixels of the 975-pixel-wide map go, then every point whose triangle is under 3 square
// pixels; about a fifth of the markup of the full shapes, with no visible change on a phone.
const projected = presimplify(require("us-atlas/states-albers-10m.json"));
const atlas = simplify(filter(projected, filterWeight(projected, 4)), 3);
const spec = JSON.parse(readFileSync(0, "utf8"));

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const token = (text) => String(text).replace(/[^a-z0-9_-]/gi, "");

// The shapes are projected already (Albers USA, 975 x 610): the identity path draws them, with
// coordinates rounded to whole pixels of that box (a phone shows it at under half that size).
const path = geoPath().digits(0);
const states = feature(atlas, atlas.objects.states).features;
const missing = Object.keys(spec.states).filter((name) => !states.some((s) => s.properties.name === name));
if (missing.length) {
  console.error(`no shape for: ${missing.join(", ")}`);
  process.exit(2);
}

const id = token(spec.name);
const parts = [];
parts.push(
  // data-generated: every word in it comes from the engine's answers (the site tests skip it
  // when they look for state rules typed by hand).
  `<svg class="map" data-map="${escape(spec.name)}" data-generated="map" viewBox="0 0 975 610" role="group" aria-labelledby="map-${id}-title map-${id}-desc">`,
  `<title id="map-${id}-title">${escape(spec.title)}</title>`,
  `<desc id="map-${id}-desc">${escape(spec.description)}</desc>`,
);
for (const state of states) {
  const name = state.properties.name;
  const info = spec.states[name];
  if (!info || name === "District of Columbia") continue; // a few pixels: its own box below
  const label = `${name}: ${info.label}`;
  parts.push(
    `<a xlink:href="${escape(info.href)}" class="map__link" aria-label="${escape(label)}">` +
      `<title>${escape(label)}</title>` +
      `<path class="map__area map__area--${token(info.category)}" d="${path(state)}"/></a>`,
  );
}
const dc = spec.states["District of Columbia"];
if (dc) {
  // Its accessible name includes the "DC" it shows (WCAG 2.5.3, label in name).
  const label = `DC, the District of Columbia: ${dc.label}`;
  parts.push(
    // No <title>: its text would join the visible "DC" and no longer match the accessible name.
    `<a xlink:href="${escape(dc.href)}" class="map__link" aria-label="${escape(label)}">` +
      `<rect class="map__area map__area--${token(dc.category)}" x="905" y="300" width="36" height="24" rx="3"/>` +
      `<text class="map__dc" x="923" y="317" text-anchor="middle">DC</text></a>`,
  );
}
// The legend, in words as well as colour, is the page's own list under the map (reference.py).
parts.push("</svg>");
process.stdout.write(parts.join(""));
