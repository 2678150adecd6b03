// The run form's data set menu, filled from GET /api/datasets (built-in sets, then uploaded ones),
// with a CSV upload and the deletion of an uploaded set. The names and shapes come from the
// server only: the page holds no list of its own.
import { api, postFile } from './api.js';
import { datasetLabel, datasetMenu, datasetNameFor, nameProblem, sizeProblem } from './datasets.js';
import { el } from './format.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

/**
 * Wires the menu and the upload box; returns {classesOf(name), builtins(), load(wanted)}.
 * A change of the selected set is announced with a `change` event on the select, as a user's
 * choice is, so the form sizes the output layer the same way.
 */
export function setupDatasetMenu() {
  const select = $('field-dataset');
  const file = $('dataset-file');
  const nameField = $('dataset-name');
  const uploadButton = $('dataset-upload');
  const deleteButton = $('dataset-delete');
  const error = $('dataset-error');
  const status = $('dataset-status');
  let rows = [];

  const builtins = () => rows.filter((d) => d.builtin).map((d) => d.name);
  const selectedRow = () => rows.find((d) => d.name === select.value);
  const say = (message, isError) => {
    error.textContent = isError ? message : '';
    status.textContent = isError ? '' : message;
  };
  const syncDelete = () => {
    const row = selectedRow();
    deleteButton.disabled = !row || row.builtin;
  };

  const announce = () => select.dispatchEvent(new Event('change', { bubbles: true }));

  async function load(wanted) {
    const before = select.value;
    let list;
    try {
      list = await api('GET', '/api/datasets');
    } catch (e) {
      say(`Cannot list the data sets: ${e.message}`, true);
      return;
    }
    rows = Array.isArray(list) ? list : [];
    const menu = datasetMenu(rows, wanted, before);
    const option = (d) => el('option', { value: d.name, 'data-builtin': String(Boolean(d.builtin)) }, datasetLabel(d));
    const groups = [el('optgroup', { label: 'Built-in' }, menu.builtin.map(option))];
    if (menu.uploaded.length) groups.push(el('optgroup', { label: 'Uploaded', 'data-testid': 'uploaded-datasets' }, menu.uploaded.map(option)));
    select.replaceChildren(...groups);
    select.value = menu.value;
    select.dataset.loaded = 'true';
    syncDelete();
    if (before && menu.value !== before) announce();
  }

  select.addEventListener('change', syncDelete);
  file.addEventListener('change', () => {
    const f = file.files[0];
    say('', false);
    if (!f) return;
    nameField.value = datasetNameFor(f.name, builtins());
    const big = sizeProblem(f.name, f.size);
    if (big) say(big, true);
  });

  async function upload() {
    const f = file.files[0];
    if (!f) {
      say('Choose a CSV file first.', true);
      return;
    }
    const name = nameField.value.trim();
    const problem = sizeProblem(f.name, f.size) || nameProblem(name, builtins());
    if (problem) {
      say(problem, true);
      return;
    }
    uploadButton.disabled = true;
    say(`Uploading ${f.name}\u2026`, false);
    try {
      const info = await postFile(`/api/datasets?name=${encodeURIComponent(name)}`, f, 'text/csv');
      const before = select.value;
      await load(info.name);
      // Uploaded again under the selected name: its classes may differ all the same.
      if (before === info.name) announce();
      say(`Uploaded ${info.name}: ${info.rows} rows, ${info.features} features, ${info.classes} classes. It is selected for the next run.`, false);
      file.value = '';
    } catch (e) {
      // The server's own words: they name the line and column of a bad CSV.
      say(e.message, true);
    } finally {
      uploadButton.disabled = false;
    }
  }

  uploadButton.addEventListener('click', upload);
  // Enter in the name field uploads instead of starting a run.
  nameField.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    upload();
  });
  deleteButton.addEventListener('click', async () => {
    const row = selectedRow();
    if (!row || row.builtin) return;
    if (!window.confirm(`Delete the uploaded data set "${row.name}"? Runs trained on it stay replayable.`)) return;
    deleteButton.disabled = true;
    try {
      await api('DELETE', `/api/datasets/${encodeURIComponent(row.name)}`);
      await load();
      say(`Deleted ${row.name}.`, false);
    } catch (e) {
      say(e.message, true);
      syncDelete();
    }
  });

  load();
  return {
    classesOf: (name) => {
      const row = rows.find((d) => d.name === name);
      return row ? row.classes : null;
    },
    builtins,
    load,
  };
}
