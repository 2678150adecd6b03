// The layer statistics charts: activation mean and std, dead ReLU / saturated sigmoid fractions
// and the update-to-weight ratio of every layer over the traced epochs (run.statsHistory).
import { color, lineChart } from './charts.js';
import { activationLabel } from './format.js';

const HEIGHT = 180;
// The health chart has a series per ReLU layer (dead units) and per sigmoid layer (saturated).
const HEALTH = [
  { activation: 'relu', column: 'dead', label: 'dead ReLU' },
  { activation: 'sigmoid', column: 'saturated', label: 'saturated', dash: [6, 4] },
];
const NO_HEALTH = { label: 'none', color: '#94a3b8' };

/** The layers that have statistics, in layer order (statsHistory is indexed by layer). */
export function statsLayers(run) {
  return run.statsHistory.filter(Boolean);
}

/** The series of each statistics chart for these layers. */
export function statsSeries(layers) {
  const perLayer = layers.map((h) => ({ label: `L${h.index + 1} ${activationLabel(h.activation)}`, color: color(h.index) }));
  const health = HEALTH.flatMap((k) => layers.filter((h) => h.activation === k.activation)
    .map((h) => ({ label: `L${h.index + 1} ${k.label}`, color: color(h.index), dash: k.dash })));
  return { mean: perLayer, std: perLayer, health: health.length ? health : [NO_HEALTH], update: perLayer };
}

/**
 * Each chart's data, [epochs, ...one column per series], over the first layer's traced epochs; a
 * layer with fewer points is padded with nulls. The health chart without series gets one empty one.
 */
export function statsData(layers) {
  const x = layers[0].epoch;
  const align = (arr) => (arr.length === x.length ? arr : x.map((_, i) => arr[i] ?? null));
  const health = HEALTH.flatMap((k) => layers.filter((h) => h.activation === k.activation).map((h) => align(h[k.column])));
  return {
    mean: [x, ...layers.map((h) => align(h.actMean))],
    std: [x, ...layers.map((h) => align(h.actStd))],
    health: [x, ...(health.length ? health : [x.map(() => null)])],
    update: [x, ...layers.map((h) => align(h.updateRatio))],
  };
}

/**
 * The statistics charts in the given containers ({mean, std, health, update}). The charts are made
 * on the first render and made anew when the number of layers changes; reset() drops them.
 */
export function createStatsCharts(containers) {
  let charts = null;
  let layerCount = -1;
  const reset = () => {
    if (charts) for (const c of Object.values(charts)) c.destroy();
    charts = null;
    layerCount = -1;
  };
  const build = (layers) => {
    reset();
    layerCount = layers.length;
    const series = statsSeries(layers);
    charts = {
      mean: lineChart(containers.mean, { title: 'Activation mean', series: series.mean, height: HEIGHT }),
      std: lineChart(containers.std, { title: 'Activation std', series: series.std, height: HEIGHT }),
      health: lineChart(containers.health, {
        title: 'Dead ReLU / saturated sigmoid fraction', series: series.health, range: [0, 1], height: HEIGHT,
      }),
      update: lineChart(containers.update, { title: 'Update / weight ratio', series: series.update, log: true, height: HEIGHT }),
    };
  };
  return {
    reset,
    /** Renders the run's statistics; returns false when no layer has any yet. */
    render(run) {
      const layers = statsLayers(run);
      if (layerCount !== layers.length) build(layers);
      if (!layers.length) return false;
      const data = statsData(layers);
      for (const [k, chart] of Object.entries(charts)) chart.setData(data[k]);
      return true;
    },
  };
}
