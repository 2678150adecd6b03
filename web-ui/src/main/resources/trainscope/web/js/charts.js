// Line charts with uPlot (global `uPlot` from the WebJar's IIFE build).

const COLORS = ['#ea580c', '#2563eb', '#16a34a', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#4b5563'];

export function color(i) {
  return COLORS[i % COLORS.length];
}

/** A log range hugging the data (uPlot's default snaps to whole decades); at most 12 decades. */
export function logRange(u, min, max) {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [0.01, 10];
  const hi = max * 1.25;
  return [Math.max(min / 1.25, hi * 1e-12), hi];
}

/**
 * Ticks of a log axis: 1, 2 and 5 times powers of ten inside the range. Our own, because uPlot's
 * default steps through every multiple of the lowest power and takes seconds on a wide range.
 */
export function logSplits(u, axisIdx, min, max) {
  if (!(min > 0) || !(max > min)) return [];
  const out = [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const mults = hi - lo > 4 ? [1] : hi - lo > 1 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9];
  for (let p = lo; p <= hi; p++) {
    for (const m of mults) {
      const v = m * 10 ** p;
      if (v >= min && v <= max) out.push(v);
    }
  }
  if (out.length < 2) return [min, max];
  if (out.length > 12) return out.filter((v, i) => i % Math.ceil(out.length / 12) === 0);
  return out;
}

function widthOf(container) {
  return Math.max(220, Math.floor(container.clientWidth || container.getBoundingClientRect().width || 400));
}

/**
 * A line chart over epochs.
 * @param {HTMLElement} container
 * @param {{title?: string, series: {label: string, color: string, dash?: number[]}[], log?: boolean,
 *          range?: [number, number], height?: number, yFormat?: (v:number)=>string}} opts
 */
export function lineChart(container, opts) {
  container.innerHTML = '';
  const height = opts.height || 220;
  const fmtY = opts.yFormat || ((v) => (v == null ? '\u2013' : Math.abs(v) >= 100 || v === 0 ? String(+v.toPrecision(4)) : v.toPrecision(4)));
  const uopts = {
    width: widthOf(container),
    height,
    title: opts.title,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    scales: {
      x: { time: false },
      y: opts.log ? { distr: 3, log: 10, range: logRange } : opts.range ? { range: opts.range } : { auto: true },
    },
    axes: [
      { label: 'epoch', size: 36, labelSize: 14, stroke: '#475569', grid: { stroke: '#e2e8f0' } },
      {
        size: 56, stroke: '#475569', grid: { stroke: '#e2e8f0' },
        splits: opts.log ? logSplits : undefined,
        values: (u, vals) => vals.map((v) => (v == null ? '' : opts.log ? +v.toPrecision(2) : +v.toPrecision(3))),
      },
    ],
    series: [
      { label: 'epoch', value: (u, v) => (v == null ? '\u2013' : String(v)) },
      ...opts.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        dash: s.dash,
        spanGaps: true,
        points: { show: false },
        value: (u, v) => (v == null ? '\u2013' : fmtY(v)),
      })),
    ],
  };
  const empty = [[], ...opts.series.map(() => [])];
  const plot = new uPlot(uopts, empty, container);
  let points = 0;
  container.dataset.points = '0';
  const ro = new ResizeObserver(() => {
    const w = widthOf(container);
    if (Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height });
  });
  ro.observe(container);
  return {
    plot,
    /** Replaces the data: [x[], y1[], y2[], ...] (arrays may be the live, growing ones). */
    setData(data) {
      // uPlot keeps references; pass copies so later pushes do not desynchronise its caches.
      plot.setData(data.map((a) => a.slice()));
      points = data[0].length;
      container.dataset.points = String(points);
    },
    destroy() {
      ro.disconnect();
      plot.destroy();
      container.innerHTML = '';
    },
  };
}
