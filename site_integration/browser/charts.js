// Charts of a calculator's table outputs, drawn with uPlot (pinned in package.json, served from
// assets/runtime/vendor/). They plot exactly the values Python returned: the pre-rendered table's
// data-value attributes at first, then every live result. No arithmetic happens here; the
// shaded stretch and the marker come from outputs and fields the core names in the chart spec
// (calckit.fields.Chart). The table stays the text alternative.
import { formatValue } from "./format.js";

const VENDOR = new URL("./vendor/uPlot.iife.min.js", import.meta.url);
// Axis ticks are labels of the scale uPlot chose, written short: $120K.
const LEGEND = 88; // px kept under the plot for the legend (on a phone, one line per series)
const LABEL_ROW = 16; // px of each row kept above the plot for the band's and the marker's labels
const TICKS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact" });
let loading = null;

// uPlot builds an Intl.NumberFormat from navigator.language as it loads. A browser can report a
// tag Intl rejects (WebKitGTK under LANG=C says "C"), which would throw inside uPlot and leave no
// charts; in that one case this page reads the language as "en-US", as its own labels are.
function languageIntlAccepts() {
  try {
    new Intl.NumberFormat(navigator.language);
  } catch {
    Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
  }
}

function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  loading ??= new Promise((resolve, reject) => {
    languageIntlAccepts();
    const script = document.createElement("script");
    script.src = VENDOR.href;
    script.onload = () =>
      window.uPlot ? resolve(window.uPlot) : reject(new Error("the chart library did not start"));
    script.onerror = () => reject(new Error("the chart library could not be loaded"));
    document.head.append(script);
  });
  return loading;
}

function palette(el) {
  const style = getComputedStyle(el);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read("--calc-chart-text", "#333"),
    grid: read("--calc-chart-grid", "rgba(0,0,0,0.1)"),
    band: read("--calc-chart-band", "rgba(200,0,0,0.08)"),
    marker: read("--calc-chart-marker", "#b3261e"),
    series: [1, 2, 3, 4].map((n) => read(`--calc-chart-${n}`, "#3f51b5")),
  };
}

/** Columns of a table output as {key: [raw strings]}, from the table's cells. */
function readTable(table) {
  const keys = [...table.querySelectorAll("thead th")].map((th) => th.dataset.key);
  const columns = Object.fromEntries(keys.map((k) => [k, []]));
  for (const tr of table.tBodies[0].rows) {
    [...tr.cells].forEach((td, i) => columns[keys[i]].push(td.dataset.value ?? td.textContent));
  }
  return columns;
}

/** Columns from a live result's rows: [{key: raw}, ...] -> {key: [raw strings]}. */
function fromRows(rows, keys) {
  return Object.fromEntries(keys.map((k) => [k, rows.map((row) => String(row[k]))]));
}

/** An output's raw value as Python returned it (the element's data-value), or "". */
function outputValue(root, name) {
  const el = name ? root.querySelector(`[data-output="${name}"]`) : null;
  return el ? (el.dataset.value ?? el.textContent) : "";
}

function outputText(root, name) {
  const el = name ? root.querySelector(`[data-output="${name}"]`) : null;
  return el ? el.textContent : "";
}

/** A whole number Python returned ("never" and other text give NaN, and draw nothing). */
function outputNumber(root, name) {
  const raw = String(outputValue(root, name));
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Where a label of this width starts: beside x, flipped to its left near the plot's right
 * edge, and never off the canvas. */
function labelLeft(x, width, bbox, gap, canvasWidth) {
  const right = bbox.left + bbox.width;
  const start = x + gap + width > right ? x - gap - width : x + gap;
  // The labels sit in their own rows above the plot, so a long one may run over the axes,
  // but never off the canvas.
  return Math.max(Math.min(start, canvasWidth - width - gap), gap);
}

class Chart {
  constructor(root, figure) {
    this.root = root;
    this.figure = figure;
    this.plot = figure.querySelector(".calc__chart-plot");
    this.spec = JSON.parse(figure.dataset.chartSpec);
    this.table = root.querySelector(`table[data-output="${figure.dataset.chart}"]`);
    this.columns = readTable(this.table);
    this.kinds = Object.fromEntries(
      [...this.table.querySelectorAll("thead th")].map((th) => [th.dataset.key, th.dataset.kind]),
    );
    this.uplot = null;
  }

  update(rows) {
    this.columns = fromRows(rows, Object.keys(this.columns));
    this.draw();
  }

  options(U, width, colors) {
    const { spec } = this;
    const money = (strings) => (u, v, si, idx) => (idx == null ? "" : formatValue("money", strings[idx]));
    const series = [{ label: spec.labels[spec.x], value: (u, v) => (v == null ? "" : String(v)) }];
    const all = [...spec.lines.map((k) => [k, "y"]), ...spec.bars.map((k) => [k, "y2"])];
    all.forEach(([key, scale], i) => {
      const bar = scale === "y2";
      series.push({
        label: spec.labels[key],
        scale,
        stroke: colors.series[i % colors.series.length],
        fill: bar ? `${colors.series[i % colors.series.length]}66` : undefined,
        width: bar ? 0 : 2,
        paths: bar ? U.paths.bars({ size: [0.9, 12], align: 0 }) : undefined,
        points: { show: false },
        value: money(this.columns[key]),
      });
    });
    // Each axis says what it measures: the x column's name; each y axis, dollars (the legend
    // names the series; the right-hand axis is the bars').
    const axis = (scale, side, title) => ({
      scale,
      side,
      stroke: colors.text,
      grid: { stroke: colors.grid, width: 1, show: side === 3 },
      ticks: { stroke: colors.grid },
      size: 56,
      label: title,
      labelSize: 18,
      labelFont: "12px sans-serif",
      values: (u, splits) => splits.map((v) => TICKS.format(v)),
    });
    const xAxis = {
      stroke: colors.text,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid },
      label: spec.labels[spec.x],
      labelSize: 18,
      labelFont: "12px sans-serif",
    };
    if (this.kinds[spec.x] === "integer") xAxis.incrs = [1, 2, 5, 10, 12, 24, 60, 120, 240]; // whole months or years
    const axes = [xAxis, axis("y", 3, spec.bars.length ? "Dollars (lines)" : "Dollars")];
    if (spec.bars.length) axes.push(axis("y2", 1, "Dollars (bars)"));
    return {
      width,
      // The reserved box holds the plot and, below it, uPlot's legend.
      height: Math.max(160, (this.plot.clientHeight || 300) - LEGEND),
      // A row above the plot for each label (the band's, the marker's): no label covers a line.
      padding: [6 + LABEL_ROW * ((spec.band ? 1 : 0) + (spec.marker ? 1 : 0)), 8, 0, 0],
      series,
      axes,
      scales: { x: { time: false } },
      legend: { live: true },
      cursor: { points: { show: false } },
      hooks: { draw: [(u) => this.annotate(u, colors)] },
    };
  }

  /** The shaded stretch and the marker, from the core's named outputs and field. */
  annotate(u, colors) {
    const { spec, root } = this;
    const { ctx } = u;
    const top = u.bbox.top;
    const height = u.bbox.height;
    const gap = 6 * devicePixelRatio;
    if (spec.band) {
      const from = outputNumber(root, spec.band[0]);
      const until = outputNumber(root, spec.band[1]);
      if (Number.isFinite(from) && Number.isFinite(until)) {
        const x0 = u.valToPos(from, "x", true);
        const x1 = u.valToPos(until, "x", true);
        ctx.save();
        ctx.fillStyle = colors.band;
        ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
        ctx.fillStyle = colors.marker;
        ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
        ctx.textAlign = "left"; // uPlot leaves the axes' alignment set
        ctx.textBaseline = "alphabetic";
        const width = ctx.measureText(spec.bandLabel).width;
        const row = (spec.marker ? 6 + LABEL_ROW : 6) * devicePixelRatio;
        ctx.fillText(spec.bandLabel, labelLeft(x0, width, u.bbox, gap, ctx.canvas.width), top - row);
        ctx.restore();
      }
    }
    if (spec.marker) {
      const at = outputNumber(root, spec.marker); // the month Python parsed, never the form's text
      if (Number.isFinite(at)) {
        const x = u.valToPos(at, "x", true);
        ctx.save();
        ctx.strokeStyle = colors.marker;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        const label = `${spec.markerLabel}: ${outputText(root, spec.markerValue)}`;
        ctx.fillStyle = colors.marker;
        ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
        ctx.textAlign = "left"; // uPlot leaves the axes' alignment set
        ctx.textBaseline = "alphabetic";
        const width = ctx.measureText(label).width;
        ctx.fillText(label, labelLeft(x, width, u.bbox, gap, ctx.canvas.width), top - 6 * devicePixelRatio); // the row just above the plot
        ctx.restore();
      }
    }
  }

  async draw() {
    const U = await loadUPlot();
    const width = this.plot.clientWidth;
    if (!width) return;
    const colors = palette(this.figure);
    const { spec } = this;
    const x = this.columns[spec.x].map(Number);
    const data = [x, ...[...spec.lines, ...spec.bars].map((k) => this.columns[k].map(Number))];
    this.uplot?.destroy();
    this.uplot = new U(this.options(U, width, colors), data, this.plot);
    this.x = x;
    // The legend shows values from the start (a touch screen never hovers): at the point the
    // reader last chose, else the marker's, else the last one.
    const marker = spec.marker ? outputNumber(this.root, spec.marker) : Number.NaN;
    const at = this.index ?? (Number.isFinite(marker) ? this.nearest(marker) : x.length - 1);
    requestAnimationFrame(() => this.show(at)); // once uPlot has laid itself out
    this.figure.dataset.drawn = String(Number(this.figure.dataset.drawn || 0) + 1); // for tests
  }

  nearest(value) {
    let best = 0;
    this.x.forEach((v, i) => {
      if (Math.abs(v - value) < Math.abs(this.x[best] - value)) best = i;
    });
    return best;
  }

  /** Put the cursor on point `index`: the legend shows that point's values. */
  show(index) {
    const u = this.uplot;
    if (!u || !this.x?.length) return;
    this.index = Math.min(Math.max(index, 0), this.x.length - 1);
    u.setCursor({ left: u.valToPos(this.x[this.index], "x"), top: u.bbox.height / devicePixelRatio / 2 });
    this.figure.dataset.point = String(this.index); // for tests
  }

  /** A tap (or click) picks the nearest point; the arrow keys step through them. */
  listen() {
    this.plot.addEventListener("pointerup", (event) => {
      const u = this.uplot;
      if (!u) return;
      const left = event.clientX - u.over.getBoundingClientRect().left;
      this.show(this.nearest(u.posToVal(left, "x")));
    });
    this.plot.addEventListener("keydown", (event) => {
      const step = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity }[event.key];
      if (step === undefined || !this.uplot) return;
      event.preventDefault();
      const from = this.index ?? 0;
      this.show(Number.isFinite(step) ? from + step : step < 0 ? 0 : this.x.length - 1);
    });
  }
}

const charts = new WeakMap();

/** Draw every chart of a calculator from its pre-rendered tables; returns them for updates. */
export function attachCharts(root) {
  const list = [...root.querySelectorAll("figure[data-chart]")].map((figure) => new Chart(root, figure));
  charts.set(root, list);
  for (const chart of list) {
    chart.listen();
    chart.draw().catch((err) => {
      chart.figure.dataset.chartState = "failed";
      console.warn("chart not drawn:", err);
    });
    new ResizeObserver(() => {
      if (chart.uplot && chart.plot.clientWidth !== chart.uplot.width) chart.draw();
    }).observe(chart.plot);
  }
  return list;
}

/** Redraw a calculator's charts from a live result. */
export function updateCharts(root, result) {
  for (const chart of charts.get(root) || []) {
    const rows = result[chart.figure.dataset.chart];
    if (Array.isArray(rows)) chart.update(rows);
  }
}

/** Redraw everything (the palette changed, or the page is about to be printed). */
export function redrawAll() {
  for (const root of document.querySelectorAll("[data-calculator]")) {
    for (const chart of charts.get(root) || []) chart.draw();
  }
}
