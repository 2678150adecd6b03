// Pure facts read off an `activations` trace for the weight editor: a weight's current value, a
// bias (the trace carries weights, not biases, so a bias is z minus the weighted inputs) and how
// an edit reads in the epoch table. No DOM: unit-tested with node.

/** The input vector of layer `index`: the probe's input for the first, else the previous output. */
export function layerInput(act, index) {
  if (!act || !Array.isArray(act.layers)) return null;
  return index === 0 ? act.input : act.layers[index - 1] ? act.layers[index - 1].output : null;
}

/** The weight from `input` to `unit` of `layer` in the trace, or null when not traced. */
export function weightOf(act, layer, unit, input) {
  const l = act && act.layers && act.layers[layer];
  const row = l && l.weights && l.weights[unit];
  return row && typeof row[input] === 'number' ? row[input] : null;
}

/**
 * The bias of `unit` of `layer`: z = x·w + b, so b = z - x·w, from the trace's own numbers (float
 * precision: good to about 1e-6 of the terms). Null when the layer's weights are not traced.
 */
export function biasOf(act, layer, unit) {
  const l = act && act.layers && act.layers[layer];
  const x = layerInput(act, layer);
  const row = l && l.weights && l.weights[unit];
  if (!row || !x || !l.linear || typeof l.linear[unit] !== 'number' || row.length !== x.length) return null;
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i] * row[i];
  return l.linear[unit] - dot;
}

/** What a parameter is called in the editor and the epoch table (1-based, as the cards number layers). */
export function paramLabel({ layer, unit, input, bias }) {
  return bias
    ? `bias of layer ${layer + 1} unit ${unit + 1}`
    : `weight of layer ${layer + 1}: input ${input + 1} \u2192 unit ${unit + 1}`;
}

/** An edit as the epoch table shows it. */
export function editText(edit, fmt) {
  return `set ${paramLabel(edit)}: ${fmt(edit.oldValue)} \u2192 ${fmt(edit.newValue)}`;
}

/**
 * The POST /api/runs/{id}/weights body for an edit. Text that is not a number goes as it is: the
 * server's 400 names what is wrong, so its rules live in one place.
 */
export function weightRequest(target, text) {
  const s = String(text).trim();
  const n = s === '' ? NaN : Number(s);
  const body = { layer: target.layer, unit: target.unit };
  if (target.bias) body.bias = true;
  else body.input = target.input;
  body.value = Number.isFinite(n) ? n : s;
  return body;
}
