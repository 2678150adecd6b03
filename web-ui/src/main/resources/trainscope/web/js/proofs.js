// The live value that proves each quiz answer, found in the latest `activations` event: the ReLU
// zero of the first ReLU layer, the sigmoid outputs between 0 and 1, the softmax row that sums to
// 1. Pure (no DOM), so node tests cover it; learn.js shows the text and highlights the cells.
import { fmt } from './format.js';

/** How many values a data-flow card shows (pipeline.js): a proof only points at shown cells. */
export const SHOWN_VALUES = 32;
const QUOTED = 8;

const NO_TRACE = 'No trace yet: the live proof appears with the run\u2019s first traced epoch.';

/**
 * The proof of quiz answer `id` ('relu', 'sigmoid' or 'softmax') in `activations`:
 * {found, text, cells: [{stage, kind, index}]} where stage and kind name the data-flow card's
 * value cells (data-stage, data-kind) and `found` is false when there is nothing to point at
 * (no trace yet, no such layer, no zero right now); `text` then says so.
 */
export function quizProof(id, activations, classes = []) {
  const layers = activations && Array.isArray(activations.layers) ? activations.layers : null;
  if (!layers) return missing(NO_TRACE);
  switch (id) {
    case 'relu': return reluProof(layers);
    case 'sigmoid': return sigmoidProof(layers);
    case 'softmax': return softmaxProof(layers, classes);
    default: return missing('');
  }
}

function missing(text) {
  return { found: false, text, cells: [] };
}

function values(a) {
  return Array.isArray(a) ? a.slice(0, SHOWN_VALUES) : [];
}

function layerName(l) {
  return `layer ${l.index + 1}`;
}

function quote(vs) {
  const shown = vs.slice(0, QUOTED).map((v) => fmt(v));
  return vs.length > QUOTED ? [...shown, `\u2026 (${vs.length - QUOTED} more)`] : shown;
}

function reluProof(layers) {
  const l = layers.find((x) => x.activation === 'relu');
  if (!l) return missing('This network has no ReLU layer, so there is no ReLU zero to point at.');
  const z = values(l.linear);
  const a = values(l.output);
  const i = a.findIndex((v, k) => v === 0 && typeof z[k] === 'number' && z[k] <= 0);
  const stage = 'layer-' + l.index;
  if (i < 0) {
    if (!z.length) return missing(`The trace has no values for ${layerName(l)} yet.`);
    if (Array.isArray(l.output) && l.output.includes(0)) {
      return missing(`The zeros of ${layerName(l)} right now are beyond the first ${SHOWN_VALUES} units the data flow shows.`);
    }
    return missing(`No unit of ${layerName(l)} is zero right now: every z it gets is positive `
      + `(the smallest is ${fmt(Math.min(...z))}), so ReLU passes each one through unchanged.`);
  }
  return {
    found: true,
    text: `Live proof, ${layerName(l)} (highlighted in the data flow): unit ${i + 1} gets z = ${fmt(z[i])} `
      + `and ReLU turns it into ${fmt(a[i])}.`,
    cells: [{ stage, kind: 'linear', index: i }, { stage, kind: 'output', index: i }],
    value: a[i],
    input: z[i],
  };
}

function sigmoidProof(layers) {
  const l = layers.find((x) => x.activation === 'sigmoid');
  if (!l) return missing('This network has no sigmoid layer, so there is no sigmoid output to point at.');
  const a = values(l.output);
  if (!a.length) return missing(`The trace has no values for ${layerName(l)} yet.`);
  const stage = 'layer-' + l.index;
  return {
    found: true,
    text: `Live proof, ${layerName(l)} (highlighted in the data flow): its sigmoid outputs right now are `
      + `${quote(a).join(', ')}; each lies between 0 and 1 (smallest ${fmt(Math.min(...a))}, largest ${fmt(Math.max(...a))}).`,
    cells: a.map((_, index) => ({ stage, kind: 'output', index })),
    values: a,
  };
}

function softmaxProof(layers, classes) {
  const l = layers.find((x) => x.activation === 'softmax');
  if (!l) return missing('This network has no softmax layer, so there is no row of probabilities to point at.');
  const a = values(l.output);
  if (!a.length) return missing(`The trace has no values for ${layerName(l)} yet.`);
  const stage = 'layer-' + l.index;
  const all = Array.isArray(l.output) ? l.output : a;
  const sum = all.reduce((s, v) => s + v, 0);
  const terms = a.slice(0, QUOTED).map((v, i) => (classes[i] != null ? `${classes[i]} ${fmt(v)}` : fmt(v)));
  const more = all.length > terms.length ? ` + \u2026 (${all.length - terms.length} more)` : '';
  return {
    found: true,
    text: `Live proof, ${layerName(l)} (highlighted in the data flow): its softmax row right now is `
      + `${terms.join(' + ')}${more} = ${fmt(sum)}; every value is positive and they sum to 1.`,
    cells: a.map((_, index) => ({ stage, kind: 'output', index })),
    values: all.slice(),
    sum,
  };
}
