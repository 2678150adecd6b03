// The data flow: one card per stage (input, then each layer's linear and activation output) with
// the probe's real values, and a network diagram beside it.
import { activationLabel, el, escapeHtml, fmt, signClass, valueColor } from './format.js';

const MAX_VALUES = 32;
const MAX_NODES = 12;

function valueCells(values, kind, names) {
  const shown = values.slice(0, MAX_VALUES);
  const scale = Math.max(1, ...shown.map((v) => Math.abs(v)));
  const cells = shown.map((v, i) => el('span', {
    class: 'val ' + signClass(v),
    'data-testid': 'value',
    'data-kind': kind,
    'data-value': String(v),
    style: `background:${valueColor(v, scale)}`,
    title: (names && names[i] ? names[i] + ' = ' : `[${i}] = `) + v,
  }, fmt(v)));
  if (values.length > MAX_VALUES) cells.push(el('span', { class: 'more' }, `\u2026 ${values.length - MAX_VALUES} more`));
  return el('div', { class: 'vals' }, cells);
}

function arrow() {
  return el('div', { class: 'stage-arrow', 'aria-hidden': 'true' }, '\u2192');
}

/** Renders the stage cards for an `activations` event (or the model, before the first trace). */
export function renderPipeline(container, run) {
  const act = run.activations;
  const model = run.model;
  container.innerHTML = '';
  if (!act && !model) {
    container.append(el('p', { class: 'empty' }, 'Waiting for the run to start\u2026'));
    return;
  }
  const featureNames = run.dataset && run.dataset.featureNames;
  const inputs = act ? act.input : null;
  const nIn = inputs ? inputs.length : model.inputs;
  const stages = [];
  const inputCard = el('section', { class: 'stage', 'data-testid': 'stage', 'data-stage': 'input' },
    el('h3', {}, 'Input'),
    el('div', { class: 'shape' }, `shape 1 \u00d7 ${nIn}`),
    inputs ? valueCells(inputs, 'input', featureNames) : el('p', { class: 'empty' }, 'no trace yet'),
    featureNames ? el('div', { class: 'names' }, featureNames.slice(0, MAX_VALUES).join(' \u00b7 ')) : null,
  );
  if (act && act.labelClass != null) inputCard.append(el('div', { class: 'note' }, 'actual class: ', el('b', {}, act.labelClass)));
  stages.push(inputCard);

  const layers = act ? act.layers : (model.layers || []).map((l) => ({ ...l, linear: null, output: null }));
  layers.forEach((l, i) => {
    const isLast = i === layers.length - 1;
    const name = activationLabel(l.activation);
    const card = el('section', {
      class: 'stage', 'data-testid': 'stage', 'data-stage': 'layer-' + l.index, 'data-activation': l.activation,
    },
    el('h3', {}, `Layer ${l.index + 1} \u00b7 Dense + ${name}${isLast ? ' (output)' : ''}`),
    el('div', { class: 'shape' }, `shape 1 \u00d7 ${l.inputs} \u2192 1 \u00d7 ${l.units}`),
    el('div', { class: 'sub' }, 'linear  z = x\u00b7W + b'),
    l.linear ? valueCells(l.linear, 'linear') : el('p', { class: 'empty' }, 'no trace yet'),
    el('div', { class: 'sub' }, `activation  a = ${name}(z)`),
    l.output ? valueCells(l.output, 'output') : el('p', { class: 'empty' }, 'no trace yet'),
    );
    if (isLast && act && act.predictedClass != null) {
      card.append(el('div', { class: 'note' }, 'predicted: ', el('b', {}, act.predictedClass)));
    }
    stages.push(arrow(), card);
  });
  container.append(...stages);
  container.dataset.epoch = act ? String(act.epoch) : '';
}

/** An SVG network diagram: nodes coloured by the probe's values, edges by weight when known. */
export function renderNetwork(container, run) {
  const act = run.activations;
  const model = run.model;
  if (!model && !act) {
    container.innerHTML = '';
    return;
  }
  const cols = [];
  const inputValues = act ? act.input : null;
  cols.push({ label: 'input', n: act ? act.input.length : model.inputs, values: inputValues });
  const layers = act ? act.layers : model.layers;
  for (const l of layers) {
    cols.push({ label: activationLabel(l.activation), n: l.units, values: l.output || null, weights: l.weights || null });
  }
  const W = 420;
  const H = 260;
  const padX = 36;
  const padY = 30;
  const dx = (W - 2 * padX) / Math.max(1, cols.length - 1);
  const pos = cols.map((c, ci) => {
    const shown = Math.min(c.n, MAX_NODES);
    const dy = (H - 2 * padY) / Math.max(1, shown);
    return Array.from({ length: shown }, (_, i) => ({ x: padX + ci * dx, y: padY + dy * (i + 0.5) }));
  });
  let svg = '';
  // Edges
  for (let ci = 1; ci < cols.length; ci++) {
    const w = cols[ci].weights;
    let maxW = 0;
    if (w) for (const row of w) for (const v of row) maxW = Math.max(maxW, Math.abs(v));
    for (let j = 0; j < pos[ci].length; j++) {
      for (let i = 0; i < pos[ci - 1].length; i++) {
        const a = pos[ci - 1][i];
        const b = pos[ci][j];
        let stroke = '#cbd5e1';
        let width = 1;
        let opacity = 0.7;
        if (w && w[j] && typeof w[j][i] === 'number') {
          const v = w[j][i];
          stroke = v < 0 ? '#2563eb' : '#ea580c';
          width = 0.5 + 3.5 * (Math.abs(v) / (maxW || 1));
          opacity = 0.35 + 0.5 * (Math.abs(v) / (maxW || 1));
        }
        svg += `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${stroke}" stroke-width="${width.toFixed(2)}" stroke-opacity="${opacity.toFixed(2)}"/>`;
      }
    }
  }
  // Nodes
  cols.forEach((c, ci) => {
    const vals = c.values;
    const scale = vals ? Math.max(1, ...vals.map((v) => Math.abs(v))) : 1;
    pos[ci].forEach((p, i) => {
      const v = vals ? vals[i] : null;
      const fill = v == null ? '#f1f5f9' : valueColor(v, scale).replace(/rgba\(([^)]*),[^,)]*\)/, (m, rgb) => `rgba(${rgb},${(0.25 + 0.75 * Math.min(1, Math.abs(v) / scale)).toFixed(2)})`);
      const title = v == null ? `${c.label} ${i + 1}` : `${c.label} ${i + 1}: ${fmt(v)}`;
      svg += `<g><title>${escapeHtml(title)}</title><circle cx="${p.x}" cy="${p.y}" r="11" fill="${fill}" stroke="#334155" stroke-width="1.2"/>`;
      if (v != null) svg += `<text x="${p.x}" y="${p.y + 3.5}" text-anchor="middle" font-size="8.5">${fmt(v, 2)}</text>`;
      svg += '</g>';
    });
    if (c.n > MAX_NODES) svg += `<text x="${pos[ci][0].x}" y="${H - 6}" text-anchor="middle" font-size="10">+${c.n - MAX_NODES} more</text>`;
    svg += `<text x="${padX + ci * dx}" y="14" text-anchor="middle" font-size="11" font-weight="600">${escapeHtml(c.label)}</text>`;
  });
  const hasWeights = cols.some((c) => c.weights);
  container.innerHTML = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Network diagram" data-testid="network-svg">${svg}</svg>`
    + `<p class="legend">Nodes: the probe's value (blue negative, grey zero, orange positive). Edges: ${hasWeights ? 'weight sign (blue \u2212, orange +) and size' : 'connections (per-edge weights are not in the stream; see the layer statistics for weight histograms)'}.</p>`;
}
