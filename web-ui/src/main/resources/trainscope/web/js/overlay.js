// The Compare view's overlaid curves: a loss and an accuracy chart (uPlot), one colour per selected
// run, validation dashed, the smoothed curve over its raw one drawn faint, and a legend of our own
// naming what differs between the runs, with each run's values at the hovered x. The data comes
// from overlaydata.js; a chart is made anew only when its series change (the runs, the axis, log,
// smoothing on or off), otherwise setData redraws it.
import { logRange, logSplits } from './charts.js';
import { chartColumns, chartData, valueNear } from './overlaydata.js';
import { el, pct } from './format.js';

/** A run's colour: hues a golden angle apart, so 50 runs stay told apart. */
export function runColor(i, alpha = 1) {
  const hue = (25 + i * 137.508) % 360;
  return `hsla(${hue.toFixed(1)}, 72%, 42%, ${alpha})`;
}

const CHARTS = {
  loss: { title: 'Loss', format: (v) => (Math.abs(v) >= 100 ? String(+v.toPrecision(4)) : v.toPrecision(4)) },
  accuracy: { title: 'Accuracy', format: (v) => pct(v) },
};
const HEIGHT = 260;
// On a wall-time grid a run has a value every few cells: hover looks this far for it.
const TIME_REACH = 12;

function widthOf(node) {
  return Math.max(260, Math.floor(node.clientWidth || node.getBoundingClientRect().width || 500));
}

function dash(col) {
  return col.dash || undefined;
}

/**
 * The overlay in {loss: element, accuracy: element}; each element gets its chart and legend.
 * render(view) draws view.runs ([{id, label, series}]) with view.axis ('epoch'|'time'), view.beta
 * (0..0.99) and view.ylog ({loss, accuracy}); view.measure names the performance measure to take
 * around the drawing.
 */
export function createOverlay(containers) {
  const charts = Object.entries(containers).map(([name, root]) => {
    const plotBox = el('div', { class: 'overlay-plot' });
    const readout = el('p', { class: 'overlay-x muted' });
    const legend = el('ul', { class: 'overlay-legend', 'data-testid': `compare-legend-${name}` });
    root.replaceChildren(el('h3', {}, CHARTS[name].title), plotBox, readout, legend);
    root.dataset.series = '0';
    const c = { name, root, plotBox, readout, legend, plot: null, key: '', data: null, items: [], axis: 'epoch' };
    c.ro = new ResizeObserver(() => {
      if (c.plot && Math.abs(widthOf(plotBox) - c.plot.width) > 4) c.plot.setSize({ width: widthOf(plotBox), height: HEIGHT });
    });
    c.ro.observe(plotBox);
    return c;
  });

  function build(c, view, log) {
    if (c.plot) c.plot.destroy();
    const cols = chartColumns(c.name);
    const fmt = CHARTS[c.name].format;
    const series = [{ label: view.axis === 'time' ? 'seconds' : 'epoch' }];
    const line = (run, i, col, raw) => ({
      label: `${run.label} ${col.label}${raw ? ' (raw)' : ''}`,
      stroke: runColor(i, raw ? 0.22 : 1),
      width: raw ? 1 : 1.75,
      // Dashes cost several times a solid line to draw; a faint raw curve needs none.
      dash: raw ? undefined : dash(col),
      spanGaps: true,
      points: { show: false },
    });
    // The raw curves first, so the smoothed ones are drawn over them.
    if (view.beta > 0) view.runs.forEach((r, i) => cols.forEach((col) => series.push(line(r, i, col, true))));
    view.runs.forEach((r, i) => cols.forEach((col) => series.push(line(r, i, col, false))));
    const opts = {
      width: widthOf(c.plotBox),
      height: HEIGHT,
      legend: { show: false },
      cursor: { sync: { key: 'trainscope-compare' }, points: { show: false }, drag: { x: true, y: false } },
      scales: {
        x: { time: false },
        y: log ? { distr: 3, log: 10, range: logRange } : { auto: true },
      },
      axes: [
        { label: view.axis === 'time' ? 'seconds since the run started' : 'epoch', size: 36, labelSize: 14, stroke: '#475569', grid: { stroke: '#e2e8f0' } },
        {
          size: 56, stroke: '#475569', grid: { stroke: '#e2e8f0' },
          splits: log ? logSplits : undefined,
          values: (u, vals) => vals.map((v) => (v == null ? '' : +v.toPrecision(log ? 2 : 3))),
        },
      ],
      series,
      hooks: { setCursor: [(u) => showValues(c, u.cursor.idx)] },
    };
    c.plot = new uPlot(opts, null, c.plotBox);
    c.rawSeries = view.beta > 0;
    c.items = view.runs.map((r, i) => {
      const values = el('span', { class: 'legend-values' });
      const li = el('li', { 'data-testid': 'legend-item', 'data-run-id': r.id, title: r.name || r.id },
        el('span', { class: 'swatch', style: `background:${runColor(i)}` }), el('span', { class: 'legend-label' }, r.label), values);
      return { id: r.id, li, values, label: li.querySelector('.legend-label') };
    });
    c.legend.replaceChildren(...c.items.map((it) => it.li));
    c.fmt = fmt;
    c.axis = view.axis;
  }

  function showValues(c, idx) {
    const d = c.data;
    if (!d) return;
    const hovering = idx != null && idx >= 0;
    const at = hovering ? idx : d.x.length - 1;
    const reach = hovering ? (c.axis === 'time' ? TIME_REACH : 0) : d.x.length;
    const xv = d.x[at];
    c.readout.textContent = !hovering || xv == null ? 'latest values' : c.axis === 'time' ? `at ${xv.toFixed(1)} s` : `at epoch ${xv}`;
    d.runs.forEach((r, i) => {
      const item = c.items[i];
      if (!item) return;
      const text = r.columns.map((col) => {
        const v = valueNear(col.smoothed || col.raw, at, reach);
        return v == null ? '\u2013' : c.fmt(v);
      }).join(' / ');
      if (item.values.textContent !== text) item.values.textContent = text;
    });
  }

  return {
    render(view) {
      if (view.measure) performance.mark(`${view.measure}:start`);
      for (const c of charts) {
        const log = Boolean(view.ylog[c.name]);
        const key = [view.runs.map((r) => r.id).join(','), view.axis, log, view.beta > 0].join('|');
        if (key !== c.key) {
          build(c, view, log);
          c.key = key;
        }
        view.runs.forEach((r, i) => { if (c.items[i] && c.items[i].label.textContent !== r.label) c.items[i].label.textContent = r.label; });
        const d = chartData(view.runs, c.name, { axis: view.axis, beta: view.beta, log });
        c.data = d;
        const raws = c.rawSeries ? d.runs.flatMap((r) => r.columns.map((col) => col.raw)) : [];
        const mains = d.runs.flatMap((r) => r.columns.map((col) => col.smoothed || col.raw));
        c.plot.setData([d.x, ...raws, ...mains]);
        c.root.dataset.series = String(view.runs.length);
        c.root.dataset.points = String(d.x.length);
        c.root.dataset.log = String(log);
        c.root.dataset.axis = view.axis;
        showValues(c, c.plot.cursor.idx);
      }
      if (view.measure) {
        const name = view.measure;
        // uPlot draws in a microtask queued by setData; this one runs after it.
        queueMicrotask(() => {
          performance.mark(`${name}:end`);
          performance.measure(name, `${name}:start`, `${name}:end`);
        });
      }
    },
    /** What the chart draws for a run: {raw, smoothed} of its training column, and of validation. */
    seriesValues(chart, runId) {
      const c = charts.find((x) => x.name === chart);
      const r = c && c.data && c.data.runs.find((x) => x.id === runId);
      if (!r) return null;
      const pair = (col) => ({ raw: col.raw.slice(), smoothed: (col.smoothed || col.raw).slice() });
      return { x: c.data.x.slice(), ...pair(r.columns[0]), validation: r.columns[1] ? pair(r.columns[1]) : null };
    },
    destroy() {
      for (const c of charts) {
        c.ro.disconnect();
        if (c.plot) c.plot.destroy();
      }
    },
  };
}
