// The Compare view's run table: every run as a row, its hyperparameters (the summary's flattened
// `params`) and results as columns. The pure parts (columns, sorting, filtering, what varies, legend
// labels) are unit-tested in node; the table itself (createRunTable) updates its rows in place.
import { CURVE_COLUMNS } from './state.js';
import { el, fmt, pct } from './format.js';

/**
 * Short names of config paths in labels, as the server names sweep runs (SweepPlan.SHORT; a run
 * of a sweep is called `lr=0.3 batch=16`; DashboardShortNamesTest checks the two agree); any other
 * path goes by its last segment.
 */
export const SHORT_NAMES = {
  'optimizer.learningRate': 'lr', 'optimizer.type': 'opt', batchSize: 'batch', weightDecay: 'wd',
};

export function shortName(path) {
  return SHORT_NAMES[path] || path.slice(path.lastIndexOf('.') + 1);
}

/** A number with at most 4 significant digits, in plain notation like the server's run names. */
export function short4(v) {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const r = Number(v.toPrecision(4));
  const text = String(r);
  if (!text.includes('e')) return text;
  const exp = Math.floor(Math.log10(Math.abs(r)));
  // Plain up to 8 decimals (1e-7 -> 0.0000001), as BigDecimal.toPlainString gives the server.
  if (exp >= -8 && exp < 8) return r.toFixed(Math.max(0, 3 - exp)).replace(/\.?0+$/, '');
  return text;
}

/** A param's value as labels show it: numbers short, layers in brackets. */
export function paramText(path, v) {
  if (v == null) return '';
  const text = typeof v === 'number' ? short4(v) : String(v);
  return path === 'layers' ? `[${text}]` : text;
}

const PARAM = 'param:';

/** A column of the table: key (`name`, `param:batchSize`, `best:valLoss`), label, value(summary). */
function column(key, label, value, extra = {}) {
  return { key, label, value, numeric: false, ...extra };
}

const metricText = (field, v) => (/accuracy/i.test(field) ? pct(v) : fmt(v, 4));

/** The metric columns: the final and the best of each curve column, in CURVE_COLUMNS order. */
export const METRIC_COLUMNS = [
  ...CURVE_COLUMNS.map((c) => column(`final:${c.field}`, `final ${c.label}`, (s) => num(s[c.field]),
    { numeric: true, field: c.field, better: c.better, text: (v) => metricText(c.field, v) })),
  ...CURVE_COLUMNS.map((c) => column(`best:${c.field}`, `best ${c.label}`,
    (s) => num(s.best && s.best[c.field] && s.best[c.field].value),
    {
      numeric: true, field: c.field, better: c.better,
      text: (v, s) => (v == null ? metricText(c.field, v) : `${metricText(c.field, v)} @${s.best[c.field].epoch}`),
    })),
];

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function durationText(ms) {
  if (ms == null) return '\u2013';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

const BASE_COLUMNS = [
  column('name', 'name', (s) => s.name || s.id),
  column('state', 'state', (s) => s.state || null),
  column('dataset', 'data set', (s) => s.dataset || (s.params && s.params.dataset) || null),
  column('kind', 'kind', (s) => s.kind || null),
];
const DURATION = column('duration', 'duration', (s) => num(s.durationMs), { numeric: true, text: durationText });

/** The param paths the summaries have, in the order first seen. */
export function paramPaths(summaries) {
  const seen = new Set();
  for (const s of summaries) for (const k of Object.keys(s.params || {})) seen.add(k);
  return [...seen];
}

function paramColumn(path, summaries) {
  const numeric = summaries.every((s) => s.params == null || s.params[path] == null || typeof s.params[path] === 'number');
  return column(PARAM + path, shortName(path), (s) => (s.params && s.params[path] != null ? s.params[path] : null),
    { numeric, path, title: path, text: (v) => paramText(path, v) });
}

/** Every column for these summaries: name, state, data set, kind, each param, the metrics, duration. */
export function columnsFor(summaries) {
  const list = [...summaries];
  return [...BASE_COLUMNS, ...paramPaths(list).map((p) => paramColumn(p, list)), ...METRIC_COLUMNS, DURATION];
}

/** The text a cell shows. */
export function cellText(col, summary) {
  const v = col.value(summary);
  if (col.text) return col.text(v, summary);
  return v == null ? '\u2013' : String(v);
}

/**
 * The keys of the param columns whose values differ among the rows that have them: a run without
 * the param (an external run sends what it likes) does not make every param look varied.
 */
export function variedColumns(rows) {
  return variedParams(rows).map((p) => PARAM + p);
}

/** The param paths whose values differ among the rows, in the order first seen. */
export function variedParams(rows) {
  const list = [...rows];
  if (list.length < 2) return [];
  return paramPaths(list).filter((p) => {
    const values = new Set();
    for (const s of list) if (s.params && s.params[p] != null) values.add(JSON.stringify(s.params[p]));
    return values.size > 1;
  });
}

/**
 * A run's label in legends: what differs between it and the others (`lr=0.3 batch=16`), or its
 * name when nothing does.
 */
export function legendLabel(summary, varied) {
  const parts = varied
    .filter((p) => summary.params && summary.params[p] != null)
    .map((p) => `${shortName(p)}=${paramText(p, summary.params[p])}`);
  return parts.length ? parts.join(' ') : summary.name || summary.id;
}

/** The columns shown when nothing was chosen: the base ones, the varied params, the results. */
export function defaultColumnKeys(summaries) {
  return [...BASE_COLUMNS.map((c) => c.key), ...variedColumns(summaries),
    ...METRIC_COLUMNS.filter((c) => c.key.startsWith('final:') || /^best:val/.test(c.key)).map((c) => c.key), DURATION.key];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * The rows sorted by a column: numbers numerically, text naturally (`run 2` before `run 10`), rows
 * without a value last whatever the direction; ties keep the newest run first.
 */
export function sortRows(rows, col, dir = 'asc') {
  const sign = dir === 'desc' ? -1 : 1;
  const tie = (a, b) => (Number(b.createdAt) || 0) - (Number(a.createdAt) || 0) || String(b.id).localeCompare(String(a.id));
  return [...rows].sort((a, b) => {
    if (!col) return tie(a, b);
    const va = col.value(a);
    const vb = col.value(b);
    if (va == null || vb == null) return va == null && vb == null ? tie(a, b) : va == null ? 1 : -1;
    const d = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    return d ? sign * d : tie(a, b);
  });
}

/** What a text filter matches of a run: its name and `path=value` and `short=value` of each param. */
export function searchText(s) {
  const parts = [s.name || '', s.id || ''];
  for (const [p, v] of Object.entries(s.params || {})) {
    parts.push(`${p}=${paramText(p, v)}`, `${shortName(p)}=${paramText(p, v)}`);
  }
  return parts.join(' ').toLowerCase();
}

/**
 * The rows a filter lets through: every word of `q` in the run's search text, its state, its sweep,
 * and the predicate (the parallel axes' brush).
 */
export function filterRows(rows, { q = '', state = '', sweep = '', predicate = null } = {}) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return [...rows].filter((s) => (!state || s.state === state)
    && (!sweep || s.sweep === sweep)
    && (!words.length || words.every((w) => searchText(s).includes(w)))
    && (!predicate || predicate(s)));
}

// ---------- the table (DOM) ----------

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * The run table in `root`: a column chooser and a table with a checkbox per row. render() updates
 * the rows in place (texts that changed, classes, order), so a live summary costs a few text
 * nodes, not a new table. The callbacks report what the user did; the caller owns the state.
 * @param {HTMLElement} root
 * @param {{onToggle(id: string, on: boolean): void, onToggleAll(ids: string[], on: boolean): void,
 *          onSort(key: string): void, onColumns(keys: string[]): void}} callbacks
 */
export function createRunTable(root, callbacks) {
  const chooserList = el('div', { class: 'col-list' });
  const chooser = el('details', { class: 'col-chooser', 'data-testid': 'compare-columns' },
    el('summary', {}, 'Columns'), chooserList);
  const selectAll = el('input', {
    type: 'checkbox', 'data-testid': 'compare-select-all', 'aria-label': 'select all shown runs',
  });
  const headRow = el('tr', {});
  const body = el('tbody', {});
  const table = el('table', { class: 'compare-table', 'data-testid': 'compare-table' }, el('thead', {}, headRow), body);
  const count = el('p', { class: 'muted', 'data-testid': 'compare-count' });
  root.replaceChildren(el('div', { class: 'table-tools' }, chooser, count), el('div', { class: 'table-wrap compare-wrap' }, table));

  const rows = new Map(); // id -> {tr, box, cells}
  let headKey = '';
  let chooserKey = '';
  let shownIds = [];
  let current = { columns: [] };

  selectAll.addEventListener('change', () => callbacks.onToggleAll(shownIds, selectAll.checked));
  body.addEventListener('change', (e) => {
    const box = e.target.closest('[data-testid="compare-select"]');
    if (box) callbacks.onToggle(box.dataset.runId, box.checked);
  });
  chooserList.addEventListener('change', () => {
    callbacks.onColumns([...chooserList.querySelectorAll('input:checked')].map((i) => i.dataset.column));
  });

  function renderHead(columns, sort) {
    const key = columns.map((c) => c.key).join('\n');
    if (key !== headKey) {
      headKey = key;
      headRow.replaceChildren(el('th', { scope: 'col', class: 'sel' }, selectAll),
        ...columns.map((c) => el('th', { scope: 'col', 'data-column': c.key, title: c.title || c.label },
          el('button', { type: 'button', class: 'sort', onclick: () => callbacks.onSort(c.key) }, c.label))));
      for (const r of rows.values()) r.cells = null;
    }
    for (const th of headRow.querySelectorAll('th[data-column]')) {
      const dir = th.dataset.column === sort.key ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none';
      if (th.getAttribute('aria-sort') !== dir) th.setAttribute('aria-sort', dir);
    }
  }

  function renderChooser(all, chosen) {
    const key = all.map((c) => c.key).join('\n');
    if (key !== chooserKey) {
      chooserKey = key;
      chooserList.replaceChildren(...all.map((c) => el('label', { title: c.title || c.label },
        el('input', { type: 'checkbox', 'data-column': c.key }), ` ${c.title || c.label}`)));
    }
    for (const box of chooserList.querySelectorAll('input')) box.checked = chosen.has(box.dataset.column);
  }

  function row(id) {
    let r = rows.get(id);
    if (!r) {
      const box = el('input', { type: 'checkbox', 'data-testid': 'compare-select', 'data-run-id': id, 'aria-label': 'select ' + id });
      r = { tr: el('tr', { 'data-testid': 'compare-row', 'data-run-id': id }, el('td', { class: 'sel' }, box)), box, cells: null };
      rows.set(id, r);
    }
    if (!r.cells) {
      r.tr.replaceChildren(r.tr.firstChild, ...current.columns.map((c) => el('td', { 'data-column': c.key, class: c.numeric ? 'num' : '' })));
      r.cells = [...r.tr.children].slice(1);
      if (current.columns[0] && current.columns[0].key === 'name') {
        r.nameLink = el('a', { href: '#run=' + encodeURIComponent(id), title: 'open in the Run view' });
        r.cells[0].append(r.nameLink);
      } else {
        r.nameLink = null;
      }
    }
    return r;
  }

  return {
    /**
     * @param {{rows: object[], columns: object[], allColumns: object[], sort: {key: string, dir: string},
     *          selected: Set<string>, varied: Set<string>, total: number}} view
     */
    render(view) {
      current = view;
      renderHead(view.columns, view.sort);
      renderChooser(view.allColumns, new Set(view.columns.map((c) => c.key)));
      view.columns.forEach((c, i) => {
        const th = headRow.children[i + 1];
        th.classList.toggle('varied', view.varied.has(c.key));
      });
      shownIds = view.rows.map((s) => s.id);
      view.rows.forEach((s, i) => {
        const r = row(s.id);
        view.columns.forEach((c, j) => {
          const td = r.cells[j];
          const text = cellText(c, s);
          setText(j === 0 && r.nameLink ? r.nameLink : td, text);
          td.classList.toggle('varied', view.varied.has(c.key));
          if (c.key === 'state' && td.dataset.state !== (s.state || '')) td.dataset.state = s.state || '';
        });
        const on = view.selected.has(s.id);
        if (r.box.checked !== on) r.box.checked = on;
        r.tr.classList.toggle('selected', on);
        if (body.children[i] !== r.tr) body.insertBefore(r.tr, body.children[i] || null);
      });
      while (body.children.length > view.rows.length) body.lastChild.remove();
      const shownSelected = shownIds.filter((id) => view.selected.has(id)).length;
      selectAll.checked = shownIds.length > 0 && shownSelected === shownIds.length;
      selectAll.indeterminate = shownSelected > 0 && shownSelected < shownIds.length;
      setText(count, `${view.rows.length} of ${view.total} runs shown, ${view.selected.size} selected`);
    },
  };
}
