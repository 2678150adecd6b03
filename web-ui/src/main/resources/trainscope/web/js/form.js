// The new-run form: the layer editor, the config it posts, and server errors next to their field.
import { api, ApiError } from './api.js';
import { activationLabel, el } from './format.js';
import { setupDatasetMenu } from './datamenu.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const ACTIVATIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'linear', 'softmax'];

function layerRow(units, activation) {
  const li = el('li', { class: 'layer-row', 'data-testid': 'layer-row' });
  const n = el('input', { type: 'number', min: '1', step: '1', value: String(units), 'aria-label': 'units', 'data-testid': 'layer-units' });
  const a = el('select', { 'aria-label': 'activation', 'data-testid': 'layer-activation' },
    ACTIVATIONS.map((x) => el('option', { value: x, selected: x === activation }, activationLabel(x))));
  const rm = el('button', {
    type: 'button', class: 'small-btn', 'aria-label': 'remove layer',
    onclick: () => { if (li.parentElement.children.length > 1) { li.remove(); renumberLayers(); } },
  }, '\u00d7');
  li.append(el('span', { class: 'layer-no' }), n, a, rm, el('p', { class: 'field-error layer-error' }));
  return li;
}

function renumberLayers() {
  $('layers-editor').querySelectorAll('.layer-row').forEach((li, i) => {
    li.querySelector('.layer-no').textContent = `${i + 1}.`;
    li.querySelector('input').setAttribute('aria-label', `layer ${i + 1} units`);
    li.querySelector('select').setAttribute('aria-label', `layer ${i + 1} activation`);
  });
}

/** Sets up the form; {@code onCreated(summary, config)} runs after the server created a run. */
export function setupForm(onCreated) {
  const editor = $('layers-editor');
  editor.append(layerRow(3, 'relu'), layerRow(3, 'sigmoid'), layerRow(3, 'softmax'));
  renumberLayers();
  $('add-layer').addEventListener('click', () => {
    const rows = editor.querySelectorAll('.layer-row');
    const row = layerRow(4, 'relu');
    if (rows.length) editor.insertBefore(row, rows[rows.length - 1]); else editor.append(row);
    renumberLayers();
    row.querySelector('input').focus();
  });
  const form = document.getElementById('new-run');
  // The output layer needs one unit per class of the chosen data set (GET /api/datasets says).
  const datasets = setupDatasetMenu();
  form.elements.dataset.addEventListener('change', (e) => {
    const classes = datasets.classesOf(e.target.value);
    const rows = editor.querySelectorAll('.layer-row');
    if (classes && rows.length) rows[rows.length - 1].querySelector('input').value = String(classes);
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const config = formConfig();
    const button = $('start-run');
    button.disabled = true;
    try {
      const summary = await api('POST', '/api/runs', config);
      onCreated(summary, config);
    } catch (err) {
      showError(form, err);
    } finally {
      button.disabled = false;
    }
  });
}

/** The config the New run form's current values make (POST /api/runs takes it; a sweep's base). */
export function formConfig() {
  const form = document.getElementById('new-run');
  const f = new FormData(form);
  const numberOf = (k) => {
    const v = String(f.get(k) ?? '').trim();
    return v === '' ? undefined : Number(v);
  };
  const config = {
    // Before the menu has loaded: the server's default data set.
    dataset: f.get('dataset') || undefined,
    loss: f.get('loss'),
    layers: [...$('layers-editor').querySelectorAll('.layer-row')].map((li) => ({
      units: Number(li.querySelector('input').value), activation: li.querySelector('select').value,
    })),
    optimizer: { type: f.get('optimizer'), learningRate: numberOf('learningRate') },
    batchSize: numberOf('batchSize'),
    epochs: numberOf('epochs'),
    seed: numberOf('seed'),
    epochDelayMs: numberOf('epochDelayMs'),
    traceEvery: numberOf('traceEvery'),
  };
  const name = String(f.get('name') || '').trim();
  if (name) config.name = name;
  return config;
}

function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
}

/** Shows an API error next to the field it names (e.g. epochs, optimizer.learningRate, layers[1].units). */
function showError(form, err) {
  const field = err instanceof ApiError ? err.field : null;
  let target = null;
  let input = null;
  if (field) {
    const m = /^layers\[(\d+)\](?:\.(\w+))?/.exec(field);
    if (m) {
      const row = $('layers-editor').querySelectorAll('.layer-row')[Number(m[1])];
      if (row) {
        target = row.querySelector('.layer-error');
        input = m[2] === 'activation' ? row.querySelector('select') : row.querySelector('input');
      }
    }
    const candidates = [field, field.replace(/^config\./, ''), 'optimizer.' + field, field.split('.').pop(),
      /^(units|activation)$/.test(field) || field.startsWith('layers') ? 'layers' : null, field === 'type' ? 'optimizer.type' : null];
    for (const c of candidates) {
      if (target || !c) continue;
      target = form.querySelector(`[data-error-for="${CSS.escape(c)}"]`);
      input = form.querySelector(`[data-field="${CSS.escape(c)}"]`);
    }
  }
  if (!target) target = form.querySelector('[data-error-for="_form"]');
  target.textContent = err.message;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}
