// Layer statistics over time: per layer and per kind (weights, gradients, activations) a heatmap of
// the layer-stats histograms, x = epoch, y = value, colour = count. Each epoch's histogram has its
// own equal-width bins over its own [min, max]; it is re-binned onto one grid over a range that
// only grows, so columns line up. A new epoch appends a column; the canvas is redrawn whole only
// when the range or the epoch axis has to grow (both grow with headroom, so that is rare).
import { HISTOGRAM_KINDS } from './state.js';
import { activationLabel, el } from './format.js';

/** Rows of the common grid (value bins) and the canvas's drawing size. */
export const BINS = 40;
const WIDTH = 480;
const CELL_HEIGHT = 2;
// How much beyond the new extreme a range grows, as a share of its span: fewer full redraws.
const HEADROOM = 0.25;
const INITIAL_PAD = 0.1;

/**
 * The counts of a histogram (equal-width bins over [summary.min, summary.max]) on `bins` equal
 * bins over [lo, hi], each source bin split in proportion to its overlap (values are taken as
 * spread evenly inside a bin). Counts are preserved: the bottom and top bins also take anything
 * below lo or above hi. A histogram of one value (min = max) puts all in the bin holding it.
 */
export function rebin(summary, [lo, hi], bins) {
  const out = new Array(bins).fill(0);
  const h = summary && summary.histogram;
  if (!h || !h.length || !(hi > lo)) return out;
  const n = h.length;
  const w = (summary.max - summary.min) / n;
  const tw = (hi - lo) / bins;
  const index = (v) => Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / tw)));
  for (let i = 0; i < n; i++) {
    const c = h[i];
    if (!c) continue;
    if (!(w > 0)) {
      out[index(summary.min)] += c;
      continue;
    }
    const a = summary.min + i * w;
    const b = a + w;
    for (let j = index(a); j <= index(b); j++) {
      const from = j === 0 ? -Infinity : lo + j * tw;
      const to = j === bins - 1 ? Infinity : lo + (j + 1) * tw;
      const overlap = Math.min(b, to) - Math.max(a, from);
      if (overlap > 0) out[j] += (c * overlap) / w;
    }
  }
  return out;
}

/**
 * The value range after seeing [min, max]: at first the values padded by a tenth of their span;
 * later unchanged while they fit, else extended past the new extreme by a quarter of the span.
 */
export function growRange(range, min, max) {
  if (!range) {
    const pad = (max - min) * INITIAL_PAD || Math.abs(min) * INITIAL_PAD || 1;
    return { range: [min - pad, max + pad], grew: true };
  }
  let [lo, hi] = range;
  if (min >= lo && max <= hi) return { range, grew: false };
  const span = Math.max(hi, max) - Math.min(lo, min);
  if (min < lo) lo = min - span * HEADROOM;
  if (max > hi) hi = max + span * HEADROOM;
  return { range: [lo, hi], grew: true };
}

/** The last epoch the x axis shows: the run's planned epochs, else doubling as epochs arrive. */
export function epochExtent(current, epoch, totalEpochs) {
  if (totalEpochs >= epoch) return totalEpochs;
  let x = Math.max(current || 0, 10);
  while (x < epoch) x *= 2;
  return x;
}

/** Pixels [x0, x1] of column i: from the previous traced epoch (0 for the first) to its own. */
export function columnSpan(epochs, i, xMax, width) {
  const prev = i > 0 ? epochs[i - 1] : 0;
  return [(prev / xMax) * width, (epochs[i] / xMax) * width];
}

// The lightest shade a non-empty cell gets, so that a single value stays visible.
const FLOOR = 0.12;

/**
 * Colour position of a cell, log-scaled against that epoch's histogram alone: 0 when empty, else
 * FLOOR + (1 - FLOOR) * log(1 + count) / log(1 + values in the histogram).
 */
export function cellShade(count, total) {
  if (!(count > 0) || !(total > 0)) return 0;
  return FLOOR + (1 - FLOOR) * Math.min(1, Math.log1p(count) / Math.log1p(total));
}

const STOPS = [[248, 250, 252], [129, 140, 248], [30, 27, 75]];

/** Near-white (0) through indigo (0.5) to near-black indigo (1). */
export function heatColor(t) {
  const x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const c = STOPS[i].map((v, k) => Math.round(v + (STOPS[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/**
 * What the cell under a point shows, from the epoch's own histogram (not the re-binned estimate):
 * the epoch, the source bin [from, to] holding the value and its count, or count 0 when the value
 * lies outside that epoch's range. fx, fy are the point's fractions of the width and height.
 */
export function cellAt(columns, range, xMax, fx, fy) {
  const epochAt = fx * xMax;
  const i = columns.findIndex((c) => c.epoch >= epochAt);
  if (i < 0) return null;
  const { epoch, summary: s } = columns[i];
  const value = range[0] + (1 - fy) * (range[1] - range[0]);
  const total = s ? s.count : 0;
  if (!s || !s.histogram || !s.histogram.length || value < s.min || value > s.max) {
    return { epoch, value, from: null, to: null, count: 0, total };
  }
  const n = s.histogram.length;
  const w = (s.max - s.min) / n;
  const b = w > 0 ? Math.min(n - 1, Math.floor((value - s.min) / w)) : 0;
  return { epoch, value, from: s.min + b * w, to: w > 0 ? s.min + (b + 1) * w : s.max, count: s.histogram[b], total };
}

const num = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(3)));

/** The hover text of a cell. */
export function cellText(kind, cell) {
  if (!cell) return '';
  const where = cell.from == null
    ? `${num(cell.value)}: none in this epoch's range`
    : `${kind} in [${num(cell.from)}, ${num(cell.to)}]: ${cell.count} of ${cell.total}`;
  return `epoch ${cell.epoch} \u00b7 ${where}`;
}

// ---------- DOM ----------

function createPanel(layer, kind, tip) {
  const canvas = el('canvas', {
    width: WIDTH, height: BINS * CELL_HEIGHT, class: 'heat-canvas',
    'data-testid': 'stats-heatmap', 'data-layer': String(layer), 'data-kind': kind, 'data-epochs': '0',
  });
  const hi = el('span', {}, '');
  const lo = el('span', {}, '');
  const xEnd = el('span', {}, '');
  const panel = {
    kind, canvas, ctx: canvas.getContext('2d'), columns: [], epochs: [], range: null, xMax: 0, drawn: 0, hi, lo, xEnd,
    node: el('figure', { class: 'heat' }, el('figcaption', {}, kind),
      el('div', { class: 'heat-body' }, el('div', { class: 'heat-y' }, hi, lo), canvas),
      el('div', { class: 'heat-x' }, el('span', {}, '0'), xEnd)),
  };
  const hover = (e) => {
    const r = canvas.getBoundingClientRect();
    if (!panel.range || !r.width) return;
    const cell = cellAt(panel.columns, panel.range, panel.xMax, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    if (!cell) {
      tip.hidden = true;
      return;
    }
    tip.textContent = cellText(kind, cell);
    tip.hidden = false;
    const box = tip.parentElement.getBoundingClientRect();
    tip.style.left = `${Math.min(e.clientX - box.left + 12, box.width - 220)}px`;
    tip.style.top = `${e.clientY - box.top + 14}px`;
  };
  canvas.addEventListener('pointermove', hover);
  canvas.addEventListener('pointerleave', () => { tip.hidden = true; });
  return panel;
}

function drawColumn(p, i) {
  const { summary } = p.columns[i];
  const [x0, x1] = columnSpan(p.epochs, i, p.xMax, WIDTH);
  const left = Math.floor(x0);
  const width = Math.max(1, Math.ceil(x1) - left);
  const counts = rebin(summary, p.range, BINS);
  const total = summary ? summary.count : 0;
  for (let j = 0; j < BINS; j++) {
    p.ctx.fillStyle = heatColor(cellShade(counts[j], total));
    // Bin 0 (lowest values) at the bottom.
    p.ctx.fillRect(left, (BINS - 1 - j) * CELL_HEIGHT, width, CELL_HEIGHT);
  }
}

/** Appends the panel's new columns; redraws it whole when its value range or epoch axis grew. */
function syncPanel(p, summaries, epochs, totalEpochs) {
  if (summaries.length === p.columns.length) return;
  let full = false;
  for (let i = p.columns.length; i < summaries.length; i++) {
    const s = summaries[i];
    p.columns.push({ epoch: epochs[i], summary: s });
    p.epochs.push(epochs[i]);
    if (s && s.count > 0 && s.histogram && s.histogram.length) {
      const g = growRange(p.range, s.min, s.max);
      p.range = g.range;
      full = full || (g.grew && p.drawn > 0);
    }
  }
  const xMax = epochExtent(p.xMax, epochs[summaries.length - 1], totalEpochs);
  full = full || (xMax !== p.xMax && p.drawn > 0);
  p.xMax = xMax;
  if (!p.range) return;
  if (full) {
    p.ctx.clearRect(0, 0, WIDTH, BINS * CELL_HEIGHT);
    p.drawn = 0;
  }
  for (let i = p.drawn; i < p.columns.length; i++) drawColumn(p, i);
  p.drawn = p.columns.length;
  p.canvas.dataset.epochs = String(p.drawn);
  p.hi.textContent = num(p.range[1]);
  p.lo.textContent = num(p.range[0]);
  p.xEnd.textContent = `epoch ${p.xMax}`;
}

/**
 * The heatmaps of the selected run in the container: a row per layer, a heatmap per kind. render
 * appends what arrived since the last render; reset() forgets the run.
 */
export function createHeatmaps(container) {
  let layers = [];
  let tip = null;
  const reset = () => {
    layers = [];
    tip = el('div', { class: 'heat-tip', 'data-testid': 'stats-heatmap-tip', hidden: true });
    container.replaceChildren(tip);
  };
  reset();
  return {
    reset,
    render(run) {
      const total = run.totalEpochs || null;
      for (const h of run.statsHistory) {
        if (!h || !h.histograms) continue;
        let row = layers[h.index];
        if (!row) {
          const panels = HISTOGRAM_KINDS.map((k) => createPanel(h.index, k, tip));
          row = layers[h.index] = { panels };
          container.append(el('div', { class: 'heat-row', 'data-testid': 'stats-heatmap-layer' },
            el('h3', {}, `Layer ${h.index + 1} \u00b7 ${activationLabel(h.activation)}`), ...panels.map((p) => p.node)));
        }
        for (const p of row.panels) syncPanel(p, h.histograms[p.kind], h.epoch, total);
      }
    },
  };
}
