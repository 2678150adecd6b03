// The data of the Compare view's overlaid curves, without DOM: each selected run's epoch series as
// read from its log, and the columns uPlot draws. uPlot wants one x array shared by every series;
// by epoch the runs share their epochs, so each run's values are placed at their epoch (null where
// a run has none); by wall time no two runs share an x, so each point is placed on a shared grid
// of at most GRID xs (the last point of a run in a grid cell is drawn), which bounds the drawing
// at any number of runs. Smoothing runs on each run's own points, before either placement.
import { CURVE_COLUMNS } from './state.js';
import { smooth, typicalStep } from './smooth.js';

export const GRID = 2000;

/** A run's epochs as the overlay keeps them: columns of epoch, time and each curve field. */
export function emptySeries() {
  const s = { start: null, lastSeq: -1, epoch: [], time: [] };
  for (const c of CURVE_COLUMNS) s[c.field] = [];
  return s;
}

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Adds an event of the run's log (run-started gives the start time, epoch a point); returns true
 * when it added a point. Events at or before the last seq read are ignored, so reading the same
 * slice twice changes nothing.
 */
export function addEvent(series, ev) {
  if (!ev || typeof ev.seq !== 'number' || ev.seq <= series.lastSeq) return false;
  series.lastSeq = ev.seq;
  if (ev.type === 'run-started') {
    if (typeof ev.time === 'number') series.start = ev.time;
    return false;
  }
  if (ev.type !== 'epoch' || typeof ev.epoch !== 'number') return false;
  series.epoch.push(ev.epoch);
  series.time.push(typeof ev.time === 'number' ? ev.time : null);
  for (const c of CURVE_COLUMNS) series[c.field].push(num(ev[c.field]));
  return true;
}

/** The last epoch the series has, or 0. */
export function lastEpochOf(series) {
  return series.epoch.length ? series.epoch[series.epoch.length - 1] : 0;
}

/** A run's own xs on the axis: its epochs, or seconds since its start (run-started, else its first epoch). */
export function ownX(series, axis) {
  if (axis !== 'time') return series.epoch;
  const t0 = series.start != null ? series.start : series.time.find((t) => t != null);
  return series.time.map((t) => (t == null || t0 == null ? null : (t - t0) / 1000));
}

/** The columns of a chart, in CURVE_COLUMNS order (train, then validation). */
export function chartColumns(chart) {
  return CURVE_COLUMNS.filter((c) => c.chart === chart);
}

/**
 * The shared xs and, for each of a run's points, its index in them.
 * @param {number[][]} xsPerRun each run's own xs, ascending (null for a point without one)
 */
export function sharedX(xsPerRun, axis, grid = GRID) {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (const xs of xsPerRun) {
    for (const x of xs) {
      if (x == null) continue;
      if (x < min) min = x;
      if (x > max) max = x;
      if (integers && !Number.isInteger(x)) integers = false;
    }
  }
  if (min > max) return { x: [], index: xsPerRun.map((xs) => xs.map(() => -1)) };
  if (axis !== 'time' && integers && max - min <= 1e6) {
    // Epochs: every integer from the first to the last, so each epoch has its own slot.
    const x = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    return { x, index: xsPerRun.map((xs) => xs.map((e) => (e == null ? -1 : e - min))) };
  }
  if (axis !== 'time') {
    const x = [...new Set(xsPerRun.flat().filter((e) => e != null))].sort((a, b) => a - b);
    const at = new Map(x.map((e, i) => [e, i]));
    return { x, index: xsPerRun.map((xs) => xs.map((e) => (e == null ? -1 : at.get(e)))) };
  }
  // Always the whole grid, however few the points: fewer cells would put close points of a run
  // into one cell.
  const cells = max > min ? grid : 1;
  const step = cells > 1 ? (max - min) / (cells - 1) : 0;
  const x = Array.from({ length: cells }, (_, i) => min + i * step);
  const index = xsPerRun.map((xs) => xs.map((t) => (t == null ? -1 : step ? Math.round((t - min) / step) : 0)));
  return { x, index };
}

function place(values, index, length, log) {
  const out = new Array(length).fill(null);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const at = index[i];
    if (at < 0 || v == null) continue;
    // A log axis cannot show zero or less: such a value becomes a gap.
    out[at] = log && !(v > 0) ? null : v;
  }
  return out;
}

/**
 * What a chart draws for these runs: the shared x, and per run and column the raw and the
 * smoothed values placed on it.
 * @param {{id: string, series: object}[]} runs
 * @param {string} chart 'loss' | 'accuracy'
 * @param {{axis: 'epoch'|'time', beta: number, log: boolean, grid?: number}} opts
 * @returns {{x: number[], runs: {id: string, columns: {field: string, raw: any[], smoothed: any[]}[]}[]}}
 */
export function chartData(runs, chart, { axis, beta, log, grid = GRID }) {
  const cols = chartColumns(chart);
  const xs = runs.map((r) => ownX(r.series, axis));
  const steps = beta > 0 ? xs.map(typicalStep) : [];
  const { x, index } = sharedX(xs, axis, grid);
  return {
    x,
    runs: runs.map((r, k) => ({
      id: r.id,
      columns: cols.map((c) => {
        const ys = r.series[c.field];
        const own = xs[k];
        const sm = beta > 0 ? smooth(own, ys, beta, steps[k]) : ys;
        return {
          field: c.field,
          raw: place(ys, index[k], x.length, log),
          smoothed: sm === ys ? null : place(sm, index[k], x.length, log),
        };
      }),
    })),
  };
}

/** The value nearest to slot i (within `reach` slots), for hover on a grid where a run has gaps. */
export function valueNear(values, i, reach = 0) {
  if (i == null || i < 0 || !values) return null;
  if (values[i] != null) return values[i];
  for (let d = 1; d <= reach; d++) {
    if (i - d >= 0 && values[i - d] != null) return values[i - d];
    if (i + d < values.length && values[i + d] != null) return values[i + d];
  }
  return null;
}
