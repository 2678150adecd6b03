// The training curves: loss (log scale) and accuracy, training and validation, by epoch. Their
// series come from CURVE_COLUMNS, the same definition the reducer fills the columns from.
import { CURVE_COLUMNS, curveData } from './state.js';
import { color, lineChart } from './charts.js';
import { pct } from './format.js';

/** Each curve chart's look; its series are the CURVE_COLUMNS of that chart. */
export const CURVE_CHARTS = {
  loss: { title: 'Loss (log scale)', log: true },
  accuracy: { title: 'Accuracy', range: [0, 1], yFormat: (v) => pct(v) },
};

/** The legend of a curve chart: one series per column, in CURVE_COLUMNS order. */
export function curveSeries(chart) {
  return CURVE_COLUMNS.filter((c) => c.chart === chart)
    .map((c) => ({ label: c.label, color: color(c.color), dash: c.dash }));
}

/**
 * Fresh, empty curve charts in the given containers, e.g. {loss: el, accuracy: el}; render(run)
 * gives them the run's columns, destroy() removes them.
 */
export function createCurveCharts(containers) {
  const charts = Object.entries(containers).map(([name, container]) => ({
    name, chart: lineChart(container, { ...CURVE_CHARTS[name], series: curveSeries(name) }),
  }));
  return {
    render(run) {
      for (const { name, chart } of charts) chart.setData(curveData(run.curve, name));
    },
    destroy() {
      for (const { chart } of charts) chart.destroy();
    },
  };
}
