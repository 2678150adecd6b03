// Small DOM and number helpers.

/** A number with `digits` decimals, or an en dash when absent. */
export function fmt(v, digits = 3) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '\u2013';
  return v.toFixed(digits);
}

export function pct(v, digits = 1) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '\u2013';
  return (v * 100).toFixed(digits) + '%';
}

/** Sign class of a value: neg, zero or pos. */
export function signClass(v) {
  if (!Number.isFinite(v) || Math.abs(v) < 5e-4) return 'zero';
  return v < 0 ? 'neg' : 'pos';
}

/** Background colour for a value: blue for negative, grey for zero, orange for positive. */
export function valueColor(v, scale = 1) {
  if (!Number.isFinite(v)) return 'transparent';
  const a = Math.min(1, Math.abs(v) / (scale || 1));
  if (Math.abs(v) < 5e-4) return 'rgba(140,140,150,0.18)';
  return v < 0 ? `rgba(37,99,235,${0.12 + 0.6 * a})` : `rgba(234,88,12,${0.12 + 0.6 * a})`;
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const ACTIVATION_LABEL = {
  relu: 'ReLU', leaky_relu: 'Leaky ReLU', sigmoid: 'Sigmoid', tanh: 'tanh', linear: 'Linear', softmax: 'Softmax',
};

export function activationLabel(a) {
  return ACTIVATION_LABEL[a] || a || '?';
}
