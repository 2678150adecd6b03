// Line charts with uPlot (global `uPlot` from the WebJar's IIFE build).

const COLORS = ['#ea580c', '#2563eb', '#16a34a', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#4b5563'];

export function color(i) {
  return COLORS[i % COLORS.length];
}

/** A log range hugging the data (uPlot's default snaps to whole decades). */
function logRange(u, min, max) {
  if (min == null || max == null || !(min > 0)) return [0.01, 10];
  return [min / 1.25, max * 1.25];
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
