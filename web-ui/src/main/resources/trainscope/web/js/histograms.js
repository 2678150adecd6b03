// The latest weight and activation histograms of every layer (a layer-stats event), one card each.
import { activationLabel, el, fmt, pct } from './format.js';

// The SVG's user space: bars share 100 units of width, the tallest is 40 high.
const WIDTH = 100;
const HEIGHT = 40;
const GAP = 0.6;
const WEIGHTS_FILL = '#6366f1';
const ACTIVATIONS_FILL = '#0d9488';

/** The bars of a histogram's counts, scaled so the tallest fills the height. */
export function histogramBars(counts) {
  const max = Math.max(1, ...counts);
  const n = counts.length;
  return counts.map((c, i) => {
    const height = (c / max) * HEIGHT;
    return { x: i * (WIDTH / n), y: HEIGHT - height, width: WIDTH / n - GAP, height, count: c };
  });
}

/** What a layer's statistics say about its health, e.g. "dead 25.0% (2 units) · update/weight 1.2e-3". */
export function layerFacts(l) {
  const facts = [];
  if (l.deadFraction != null) facts.push(`dead ${pct(l.deadFraction)}${l.deadUnits ? ` (${l.deadUnits} units)` : ''}`);
  if (l.saturatedFraction != null) facts.push(`saturated ${pct(l.saturatedFraction)}`);
  if (l.updateRatio != null) facts.push(`update/weight ${l.updateRatio.toExponential(1)}`);
  return facts.join(' \u00b7 ');
}

function histogramSvg(h, fill) {
  if (!h || !h.histogram) return el('span', { class: 'empty' }, '\u2013');
  const bars = histogramBars(h.histogram).map((b) => `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="${fill}"><title>${b.count}</title></rect>`).join('');
  const wrap = el('div', { class: 'hist' });
  wrap.innerHTML = `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true">${bars}</svg>`;
  wrap.append(el('div', { class: 'hist-axis' }, el('span', {}, fmt(h.min, 2)), el('span', {}, `\u03bc ${fmt(h.mean, 2)} \u03c3 ${fmt(h.std, 2)}`), el('span', {}, fmt(h.max, 2))));
  return wrap;
}

/** Renders the run's latest histograms into the container (nothing before the first layer-stats). */
export function renderHistograms(container, run) {
  const ls = run.layerStats;
  if (!ls) return;
  const cards = ls.layers.map((l) => el('div', { class: 'hist-card', 'data-testid': 'hist-layer' },
    el('h3', {}, `Layer ${l.index + 1} \u00b7 ${activationLabel(l.activation)} \u00b7 ${l.units} units`),
    el('div', { class: 'hist-label' }, 'weights'), histogramSvg(l.weights, WEIGHTS_FILL),
    el('div', { class: 'hist-label' }, 'activations'), histogramSvg(l.activations, ACTIVATIONS_FILL),
    el('p', { class: 'muted' }, layerFacts(l))));
  container.replaceChildren(el('p', { class: 'muted' }, `Latest histograms (epoch ${ls.epoch})`), ...cards);
}
