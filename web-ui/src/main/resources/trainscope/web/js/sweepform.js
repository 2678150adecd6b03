// The Compare view's "New sweep" panel: rows of (config field, values), repeats and a name; the
// base config is the New run form's. Start sweep posts POST /api/sweeps; the server validates
// every value and its 400 names the field (grid.optimizer.learningRate[1]), shown next to that row.
// The request and the error's row are pure (unit-tested); the panel is thin DOM.
import { api, ApiError } from './api.js';
import { el } from './format.js';

/** The fields a sweep can vary from here, with an example of their values. */
export const SWEEP_FIELDS = [
  { path: 'optimizer.learningRate', label: 'learning rate', example: '0.01, 0.1, 0.3' },
  { path: 'batchSize', label: 'batch size', example: '8, 16' },
  { path: 'optimizer.type', label: 'optimizer', example: 'sgd, momentum, adam' },
  { path: 'weightDecay', label: 'weight decay', example: '0, 0.0001' },
  { path: 'seed', label: 'seed', example: '1, 2, 3' },
  { path: 'epochs', label: 'epochs', example: '50, 100' },
  { path: 'layers', label: 'layers (JSON)', example: '[{"units":8,"activation":"relu"},{"units":3,"activation":"softmax"}], [{"units":3,"activation":"softmax"}]' },
];

/**
 * The values of a comma-separated list: JSON values when the text is a JSON list without its
 * brackets (numbers, strings, the layer lists), else the comma-separated words, numbers as numbers.
 * The server says what is wrong with a value; nothing is dropped here.
 */
export function parseValues(text) {
  const t = String(text || '').trim();
  if (!t) return [];
  try {
    return JSON.parse(`[${t}]`);
  } catch (e) {
    return t.split(',').map((w) => w.trim()).filter((w) => w !== '')
      .map((w) => (w !== '' && Number.isFinite(Number(w)) ? Number(w) : w));
  }
}

/** The POST /api/sweeps body: rows without values are left out; a later row of the same field wins. */
export function sweepRequest({ name, base, rows, repeats }) {
  const grid = {};
  for (const r of rows) {
    const values = parseValues(r.values);
    if (values.length) grid[r.path] = values;
  }
  const body = { base, grid, repeats };
  const n = String(name || '').trim();
  if (n) body.name = n;
  return body;
}

/**
 * Where an error of the server goes: {row: index} for a grid field (`grid.batchSize[1]`, the last
 * row of that field), else the name of the form's field (`repeats`, `name`), else `_form`.
 */
export function errorTarget(field, rows) {
  if (!field) return '_form';
  const m = /^grid\.(.+?)(\[\d+\])?$/.exec(field);
  if (m) {
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i].path === m[1]) return { row: i };
    return '_form';
  }
  return ['repeats', 'name'].includes(field) ? field : '_form';
}

/**
 * Sets up the panel in its form element; baseConfig() gives the New run form's config,
 * onStarted(sweep) gets the server's answer ({id, name, size, varied, runs}).
 */
export function setupSweepForm(form, { baseConfig, onStarted }) {
  const q = (id) => form.querySelector(`[data-testid="${id}"]`);
  const rowsBox = q('sweep-rows');
  const formError = form.querySelector('[data-error-for="_form"]');

  function addRow(path, values = '') {
    const select = el('select', { 'data-testid': 'sweep-field', 'aria-label': 'field to vary' },
      SWEEP_FIELDS.map((f) => el('option', { value: f.path, selected: f.path === path }, f.label)));
    const input = el('input', { 'data-testid': 'sweep-values', 'aria-label': 'values, comma-separated', autocomplete: 'off' });
    input.value = values;
    const placeholder = () => { input.placeholder = SWEEP_FIELDS.find((f) => f.path === select.value).example; };
    select.addEventListener('change', placeholder);
    placeholder();
    const row = el('div', { class: 'sweep-row', 'data-testid': 'sweep-row' }, select, input,
      el('button', { type: 'button', class: 'small-btn', 'aria-label': 'remove field', onclick: () => { if (rowsBox.children.length > 1) row.remove(); } }, '\u00d7'),
      el('p', { class: 'field-error', 'data-testid': 'sweep-error', role: 'alert' }));
    rowsBox.append(row);
    return row;
  }

  const rows = () => [...rowsBox.querySelectorAll('.sweep-row')].map((r) => ({
    node: r, path: r.querySelector('select').value, values: r.querySelector('input').value,
  }));

  function clearErrors() {
    form.querySelectorAll('[data-testid="sweep-error"]').forEach((p) => { p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
  }

  function showError(err, current) {
    const target = errorTarget(err instanceof ApiError ? err.field : null, current);
    let p = formError;
    let input = null;
    if (typeof target === 'object') {
      p = current[target.row].node.querySelector('.field-error');
      input = current[target.row].node.querySelector('input');
    } else if (target !== '_form') {
      p = form.querySelector(`[data-error-for="${target}"]`);
      input = form.querySelector(`[data-field="${target}"]`);
    }
    p.textContent = err.message;
    if (input) input.setAttribute('aria-invalid', 'true');
  }

  addRow('optimizer.learningRate');
  q('sweep-add-field').addEventListener('click', () => {
    const used = new Set(rows().map((r) => r.path));
    const next = SWEEP_FIELDS.find((f) => !used.has(f.path)) || SWEEP_FIELDS[0];
    addRow(next.path).querySelector('input').focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const current = rows();
    const repeats = Number(q('sweep-repeats').value || 1);
    const body = sweepRequest({ name: q('sweep-name').value, base: baseConfig(), rows: current, repeats });
    const button = q('start-sweep');
    button.disabled = true;
    try {
      onStarted(await api('POST', '/api/sweeps', body));
    } catch (err) {
      showError(err, current);
    } finally {
      button.disabled = false;
    }
  });
}
