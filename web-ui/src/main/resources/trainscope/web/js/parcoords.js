// Parallel coordinates: one vertical axis per hyperparameter (and one for the metric), one polyline
// per run, brushing an axis filters the rows. Lines are drawn on one canvas (hundreds of runs cost
// one path each); the axes are DOM elements so they take pointer, touch and keyboard input and a
// browser test can drag on them. Scales, ticks and the brush predicate are pure and node-tested.

const PAD = { top: 34, bottom: 30, left: 48, right: 48 };
// Rows without a value on an axis are drawn this far below its bottom, at the "missing" mark.
const MISSING_GAP = 16;
const HEIGHT = 280;
const HIT_WIDTH = 28;
const CLICK_SLOP = 3;
const FAINT = 'rgba(148,163,184,0.35)';
const MISSING_COLOR = '#64748b';

// ---------- scales ----------

const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/** A category's name: strings as they are, anything else (numbers, layer shapes) as text. */
export function categoryOf(v) {
  if (v == null || v === '') return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** Categories in natural order: "8:relu" before "16:relu", "sgd" before "adam" is alphabetical. */
export function sortCategories(values) {
  const seen = new Set();
  for (const v of values) {
    const c = categoryOf(v);
    if (c != null) seen.add(c);
  }
  return [...seen].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * A linear scale from a domain [lo, hi] to pixels [bottom, top] (top < bottom: high values up).
 * toPixel(v) is null for a missing value; toValue inverts it.
 */
export function linearScale([lo, hi], [bottom, top]) {
  const k = (top - bottom) / (hi - lo);
  return {
    type: 'number', domain: [lo, hi], range: [bottom, top],
    toPixel: (v) => (finite(v) ? bottom + (v - lo) * k : null),
    toValue: (p) => lo + (p - bottom) / k,
    ticks: () => linearTicks(lo, hi),
    has: finite,
  };
}

/** A base-10 logarithmic scale; zero, negative and missing values have no pixel. */
export function logScale([lo, hi], [bottom, top]) {
  const l0 = Math.log10(lo);
  const k = (top - bottom) / (Math.log10(hi) - l0);
  const has = (v) => finite(v) && v > 0;
  return {
    type: 'log', domain: [lo, hi], range: [bottom, top],
    toPixel: (v) => (has(v) ? bottom + (Math.log10(v) - l0) * k : null),
    toValue: (p) => 10 ** (l0 + (p - bottom) / k),
    ticks: () => logTicks(lo, hi),
    has,
  };
}

/**
 * Evenly spaced categories, the first at the bottom; each sits in the middle of its band, so one
 * category sits in the middle of the axis. toValue gives the nearest category.
 */
export function categoryScale(categories, [bottom, top]) {
  const n = categories.length;
  const step = n ? (top - bottom) / n : 0;
  const index = new Map(categories.map((c, i) => [c, i]));
  const at = (i) => bottom + (i + 0.5) * step;
  return {
    type: 'category', domain: categories, range: [bottom, top],
    toPixel: (v) => {
      const i = index.get(categoryOf(v));
      return i == null ? null : at(i);
    },
    toValue: (p) => (n ? categories[Math.max(0, Math.min(n - 1, Math.round((p - bottom) / step - 0.5)))] : null),
    ticks: () => categories.map((c) => ({ value: c, label: c })),
    positions: () => categories.map((c, i) => [c, at(i)]),
    has: (v) => index.has(categoryOf(v)),
  };
}

/** The scale of an axis over these rows: its domain spans the rows' values. */
export function makeScale(axis, rows, range) {
  const values = rows.map((r) => axis.value(r));
  if (axis.type === 'category') return categoryScale(sortCategories(values), range);
  const log = axis.type === 'log';
  const usable = values.filter((v) => finite(v) && (!log || v > 0));
  let lo = Math.min(...usable);
  let hi = Math.max(...usable);
  if (!usable.length) [lo, hi] = log ? [1, 10] : [0, 1];
  else if (lo === hi) {
    // One value: centre it on an axis of a sensible height.
    if (log) [lo, hi] = [lo / Math.sqrt(10), hi * Math.sqrt(10)];
    else {
      const pad = Math.abs(lo) / 2 || 1;
      [lo, hi] = [lo - pad, hi + pad];
    }
  }
  return (log ? logScale : linearScale)([lo, hi], range);
}

// ---------- ticks ----------

/** About `count` round ticks (1, 2 or 5 times a power of ten apart) inside [lo, hi]. */
export function linearTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [{ value: lo, label: tickLabel(lo) }];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  // The round step nearest the raw one (in ratio), as d3 picks it.
  const err = raw / p;
  const step = (err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1) * p;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    const r = Number((Math.round(v / step) * step).toPrecision(12));
    out.push({ value: r, label: tickLabel(r) });
  }
  return out;
}

/**
 * Ticks of a log axis: the decades inside [lo, hi]; when fewer than two decades fall inside, 2 and
 * 5 times them as well; failing that, the two ends.
 */
export function logTicks(lo, hi) {
  const pick = (mults) => {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mults) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) out.push(v);
      }
    }
    return out;
  };
  let values = pick([1]);
  if (values.length < 2) values = pick([1, 2, 5]);
  if (values.length < 2) values = [lo, hi];
  return values.map((v) => ({ value: v, label: tickLabel(v) }));
}

/** A short tick label: 0.001, 0.25, 1e-5, 12000 -> 1.2e4. */
export function tickLabel(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(1).replace('.0e', 'e').replace('+', '');
  return String(Number(v.toPrecision(3)));
}

// ---------- brushes ----------

/**
 * The brush a drag from pixel p0 to p1 makes on a scale: [lo, hi] in data units for number and
 * log axes (a drag past an end of the axis ends at that end of the domain), or the categories whose
 * position it covers (the nearest one when it covers none).
 */
export function brushFromPixels(scale, p0, p1) {
  const [bottom, top] = scale.range;
  const a = Math.min(p0, p1);
  const b = Math.max(p0, p1);
  if (scale.type === 'category') {
    const covered = scale.positions().filter(([, p]) => p >= a && p <= b).map(([c]) => c);
    return covered.length ? covered : [scale.toValue((a + b) / 2)];
  }
  // Exact ends, so a round trip through pixels cannot push the extreme row out of its own brush.
  const value = (p) => (p >= bottom ? scale.domain[0] : p <= top ? scale.domain[1] : scale.toValue(p));
  return [value(b), value(a)];
}

/**
 * The pixel spans [from, to] (top to bottom) a brush covers on a scale: one for a range, one band
 * per chosen category (they need not be adjacent); none when the brush is off the scale.
 */
export function brushPixels(scale, brush) {
  if (scale.type === 'category') {
    const half = Math.abs(scale.range[0] - scale.range[1]) / scale.domain.length / 2;
    return brush.map((c) => scale.toPixel(c)).filter((p) => p != null).sort((a, b) => a - b)
      .map((p) => [p - half, p + half]);
  }
  const [bottom, top] = scale.range;
  const clamp = (p) => Math.max(top, Math.min(bottom, p));
  const lo = scale.toPixel(brush[0]);
  const hi = scale.toPixel(brush[1]);
  // A log brush from zero (or below) starts at the bottom of the axis.
  return [[hi == null ? top : clamp(hi), lo == null ? bottom : clamp(lo)]];
}

/**
 * True for a row inside every brush: number and log axes lo <= v <= hi, category axes one of the
 * chosen categories. A row missing a brushed axis's value is outside (it has no place in the
 * range); axes without a brush, and brushes of keys that are not axes, do not filter.
 */
export function brushPredicate(axes, brushes) {
  const tests = [];
  for (const axis of axes) {
    const b = brushes && brushes[axis.key];
    if (!b) continue;
    if (axis.type === 'category') {
      const chosen = new Set(b.map(String));
      tests.push((row) => {
        const c = categoryOf(axis.value(row));
        return c != null && chosen.has(c);
      });
    } else {
      const [lo, hi] = b;
      const log = axis.type === 'log';
      tests.push((row) => {
        const v = axis.value(row);
        return finite(v) && (!log || v > 0) && v >= lo && v <= hi;
      });
    }
  }
  return (row) => tests.every((t) => t(row));
}

// ---------- colour ----------

/** A colour from pale teal (t = 0) to deep indigo (t = 1) for the metric axis's value. */
export function rampColor(t) {
  const x = Math.max(0, Math.min(1, finite(t) ? t : 0));
  const from = [20, 184, 166];
  const to = [67, 56, 202];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * x));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Horizontal positions of n axes across a width, the first and last inside the padding. */
export function axisPositions(n, width) {
  if (n <= 0) return [];
  if (n === 1) return [width / 2];
  const span = Math.max(0, width - PAD.left - PAD.right);
  return Array.from({ length: n }, (_, i) => PAD.left + (span * i) / (n - 1));
}

// ---------- DOM ----------

/**
 * Parallel coordinates in the container. onBrush(predicate, brushes) is called after every brush
 * change (a drag ends, a click clears, Escape on a focused axis, setBrushes). Rows are coloured by
 * `row.color` when they have one, else by their value on the last axis (by convention the metric).
 */
export function createParallel(container, { onBrush } = {}) {
  let rows = [];
  let axes = [];
  let scales = [];
  let xs = [];
  let brushes = {};
  let drag = null; // { index, from, to } while dragging
  const doc = container.ownerDocument;
  container.classList.add('parcoords');
  const canvas = doc.createElement('canvas');
  canvas.className = 'parcoords-lines';
  const layer = doc.createElement('div');
  layer.className = 'parcoords-axes';
  // Structural styles inline, so the module works in any container without the page's CSS.
  if (doc.defaultView.getComputedStyle(container).position === 'static') container.style.position = 'relative';
  canvas.style.display = 'block';
  Object.assign(layer.style, { position: 'absolute', inset: '0', pointerEvents: 'none' });
  container.replaceChildren(canvas, layer);
  let axisEls = [];

  const predicate = () => brushPredicate(axes, brushes);
  const width = () => Math.max(240, Math.floor(container.clientWidth || 600));

  function changed() {
    const p = predicate();
    container.dataset.brushed = String(rows.filter(p).length);
    draw();
    if (onBrush) onBrush(p, api.brushes());
  }

  function layout() {
    const w = width();
    xs = axisPositions(axes.length, w);
    const range = [HEIGHT - PAD.bottom, PAD.top];
    scales = axes.map((a) => makeScale(a, rows, range));
    return w;
  }

  function buildAxes() {
    axisEls = axes.map((axis, i) => {
      const a = doc.createElement('div');
      a.className = 'parcoords-axis';
      a.setAttribute('data-testid', 'parcoords-axis');
      a.dataset.key = axis.key;
      a.tabIndex = 0;
      // touch-action none: a vertical drag brushes instead of scrolling the page.
      Object.assign(a.style, { position: 'absolute', pointerEvents: 'auto', touchAction: 'none', cursor: 'ns-resize' });
      a.setAttribute('role', 'group');
      a.setAttribute('aria-label', `${axis.label}: drag to filter, Escape clears`);
      a.title = `${axis.label}: drag to filter, click outside the range or Escape to clear`;
      a.addEventListener('pointerdown', (e) => startDrag(e, i));
      a.addEventListener('keydown', (e) => {
        if ((e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') && brushes[axis.key]) {
          delete brushes[axis.key];
          changed();
        }
      });
      layer.append(a);
      return a;
    });
  }

  function pointerY(e) {
    return e.clientY - container.getBoundingClientRect().top;
  }

  function startDrag(e, index) {
    e.preventDefault();
    const el = axisEls[index];
    if (el.setPointerCapture) el.setPointerCapture(e.pointerId);
    const y = pointerY(e);
    drag = { index, from: y, to: y };
    const move = (ev) => {
      drag.to = pointerY(ev);
      draw();
    };
    const up = (ev) => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
      const d = drag;
      drag = null;
      if (ev.type === 'pointercancel') {
        draw();
        return;
      }
      d.to = pointerY(ev);
      const axis = axes[d.index];
      const scale = scales[d.index];
      if (Math.abs(d.to - d.from) < CLICK_SLOP) {
        // A click inside the brush keeps it; anywhere else on the axis clears it.
        const spans = brushes[axis.key] ? brushPixels(scale, brushes[axis.key]) : [];
        if (spans.some(([a, b]) => d.to >= a && d.to <= b)) return draw();
        if (!brushes[axis.key]) return draw();
        delete brushes[axis.key];
      } else {
        brushes[axis.key] = brushFromPixels(scale, d.from, d.to);
      }
      changed();
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  }

  function colorOf(row, metric) {
    if (row.color) return row.color;
    const s = scales[scales.length - 1];
    if (!s || s.type === 'category') return rampColor(0.5);
    const p = s.toPixel(metric);
    return p == null ? MISSING_COLOR : rampColor((s.range[0] - p) / (s.range[0] - s.range[1]));
  }

  function draw() {
    const w = width();
    const dpr = (doc.defaultView && doc.defaultView.devicePixelRatio) || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    canvas.style.width = w + 'px';
    canvas.style.height = HEIGHT + 'px';
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, HEIGHT);
    const inside = predicate();
    const missingY = HEIGHT - PAD.bottom + MISSING_GAP;
    const last = axes[axes.length - 1];
    const line = (row) => {
      ctx.beginPath();
      axes.forEach((a, i) => {
        const p = scales[i].toPixel(a.value(row));
        const y = p == null ? missingY : p;
        if (i === 0) ctx.moveTo(xs[i], y);
        else ctx.lineTo(xs[i], y);
      });
      ctx.stroke();
    };
    // Filtered-out rows first and faint, so the selection is drawn over them.
    ctx.lineWidth = 1;
    ctx.strokeStyle = FAINT;
    const chosen = [];
    for (const r of rows) (inside(r) ? chosen.push(r) : line(r));
    ctx.lineWidth = 1.6;
    for (const r of chosen) {
      ctx.strokeStyle = colorOf(r, last ? last.value(r) : null);
      line(r);
    }
    drawAxes(ctx, missingY);
  }

  function drawAxes(ctx, missingY) {
    ctx.font = '11px system-ui, sans-serif';
    axes.forEach((axis, i) => {
      const x = xs[i];
      const s = scales[i];
      const [bottom, top] = s.range;
      ctx.strokeStyle = '#475569';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillStyle = '#334155';
      ctx.textAlign = 'center';
      label(ctx, axis.label, x, top - 18);
      ctx.textAlign = i === axes.length - 1 && axes.length > 1 ? 'left' : 'right';
      const dx = ctx.textAlign === 'left' ? 6 : -6;
      for (const t of s.ticks()) {
        const y = s.toPixel(t.value);
        if (y == null) continue;
        ctx.fillRect(x - 3, y, 6, 1);
        label(ctx, t.label, x + dx, y + 4);
      }
      if (rows.some((r) => !s.has(axis.value(r)))) label(ctx, 'missing', x + dx, missingY + 4);
      const spans = drag && drag.index === i ? [[Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)]]
        : brushes[axis.key] ? brushPixels(s, brushes[axis.key]) : [];
      ctx.fillStyle = 'rgba(99,102,241,0.18)';
      ctx.strokeStyle = '#6366f1';
      for (const [a, b] of spans) {
        ctx.fillRect(x - 9, a + 1, 18, b - a - 2);
        ctx.strokeRect(x - 9, a + 1, 18, b - a - 2);
      }
      const el = axisEls[i];
      if (el) {
        el.style.left = `${x - HIT_WIDTH / 2}px`;
        el.style.top = `${top - 6}px`;
        el.style.width = `${HIT_WIDTH}px`;
        el.style.height = `${bottom - top + 12}px`;
        el.dataset.brush = brushes[axis.key] ? JSON.stringify(brushes[axis.key]) : '';
      }
    });
  }

  // Text over a white halo, readable across the lines.
  function label(ctx, text, x, y) {
    const fill = ctx.fillStyle;
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.strokeText(text, x, y);
    ctx.fillStyle = fill;
    ctx.fillText(text, x, y);
  }

  const sameAxes = (next) => next.length === axes.length && next.every((a, i) => a.key === axes[i].key);

  const api = {
    /** Draws these rows on these axes; brushes of axes that remain are kept. */
    render(nextRows, nextAxes) {
      rows = [...nextRows];
      if (!sameAxes(nextAxes)) {
        layer.replaceChildren();
        axes = nextAxes;
        buildAxes();
        const keys = new Set(axes.map((a) => a.key));
        for (const k of Object.keys(brushes)) if (!keys.has(k)) delete brushes[k];
      } else {
        axes = nextAxes;
      }
      layout();
      container.dataset.brushed = String(rows.filter(predicate()).length);
      draw();
    },
    clear() {
      if (!Object.keys(brushes).length) return;
      brushes = {};
      changed();
    },
    /** The brushes by axis key: [lo, hi] in data units, or the chosen categories (JSON-safe). */
    brushes() {
      return JSON.parse(JSON.stringify(brushes));
    },
    /** Restores brushes (e.g. from the URL); keys that are not axes are kept for a later render. */
    setBrushes(b) {
      brushes = {};
      for (const [k, v] of Object.entries(b || {})) if (Array.isArray(v) && v.length) brushes[k] = [...v];
      changed();
    },
  };
  if (typeof ResizeObserver !== 'undefined') {
    new ResizeObserver(() => { if (axes.length) { layout(); draw(); } }).observe(container);
  }
  return api;
}
