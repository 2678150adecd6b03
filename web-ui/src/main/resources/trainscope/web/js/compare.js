// The Compare view: the run table, the overlaid curves of the selected runs, the sweep panel and
// the parallel axes, with their state in the URL (urlstate.js). The run summaries are app.js's
// (one /api/events stream feeds them); a selected run's epochs are read once from its log and then
// only what is new (?after=<last seq>) when its summary shows a newer epoch: no stream per run.
import { api, authHeaders } from './api.js';
import { TERMINAL_STATES } from './state.js';
import {
  METRIC_COLUMNS, columnsFor, createRunTable, defaultColumnKeys, filterRows, legendLabel, shortName,
  sortRows, variedColumns, variedParams,
} from './runtable.js';
import { addEvent, emptySeries, lastEpochOf } from './overlaydata.js';
import { createOverlay, runColor } from './overlay.js';
import { createParallel } from './parcoords.js';
import { setupSweepForm } from './sweepform.js';
import { CHARTS, MAX_SMOOTH, parse, serialize } from './urlstate.js';
import { el } from './format.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const STATES = ['queued', 'running', 'paused', ...TERMINAL_STATES];
// Reads of run logs at once: the browser allows 6 connections per host and /api/events holds one.
const MAX_READS = 4;
// Live parts redraw at most this often (ms) while summaries pour in; while selected runs are
// still being read for the first time the curves wait longer, since each drawing of 50 runs costs
// as much as reading several of them.
const THROTTLE = { table: 150, curves: 120 };
const LOADING_THROTTLE = 1000;

/** The events of a log slice: one response, parsed at once (1,000 epochs are ~250 kB, a few ms). */
async function readEvents(path) {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  const out = [];
  for (const line of (await res.text()).split('\n')) if (line.trim()) out.push(JSON.parse(line));
  return out;
}

/**
 * The Compare view over app.js's summaries (Map id -> summary).
 * @param {{summaries: Map<string, object>, refreshRuns: () => Promise<void>, formConfig: () => object,
 *          onViewChange: (view: string) => void}} deps
 */
export function createCompare(deps) {
  const state = parse(location.search);
  const data = new Map(); // run id -> {series, loaded, reading}
  const reads = []; // queued log reads
  let active = 0;
  let sweepNames = new Map();
  const dirty = new Set();
  const rendered = {};
  let frame = 0;
  let firstDraw = true;
  let predicate = null;
  let urlTimer = 0;
  let measure = null; // the performance measure the next curves render takes
  let knownSelected = ''; // the selected runs that had a summary at the last summariesChanged
  let pendingBrush = null; // the URL's brush, applied once its axes are drawn

  const table = createRunTable($('compare-table-box'), {
    onToggle: (id, on) => setSelected(on ? [...state.runs, id] : state.runs.filter((r) => r !== id)),
    onToggleAll: (ids, on) => {
      const shown = new Set(ids);
      setSelected(on ? [...state.runs, ...ids] : state.runs.filter((r) => !shown.has(r)));
    },
    onSort: (key) => {
      state.sort = { key, dir: state.sort.key === key && state.sort.dir === 'asc' ? 'desc' : 'asc' };
      changed(['table']);
    },
    onColumns: (keys) => { state.cols = keys; changed(['table']); },
  });
  const overlay = createOverlay({ loss: $('compare-loss-chart'), accuracy: $('compare-accuracy-chart') });
  const parallel = createParallel($('parcoords'), {
    onBrush: (p, brushes) => {
      const any = Object.keys(brushes).length > 0;
      predicate = any ? p : null;
      state.brush = any ? JSON.stringify(brushes) : '';
      changed(['table', 'curves']);
    },
  });

  // ---------- state changes ----------

  function saveUrl() {
    clearTimeout(urlTimer);
    urlTimer = 0;
    const url = location.pathname + serialize(state, location.search) + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', url);
  }

  function changed(parts, { now = false, measureAs = null } = {}) {
    if (measureAs) measure = measureAs;
    // The URL follows at most every 200 ms (a dragged slider would otherwise rewrite it per pixel).
    if (!urlTimer) urlTimer = setTimeout(saveUrl, 200);
    for (const p of parts) dirty.add(p);
    if (now) flush(true);
    else if (!frame) frame = requestAnimationFrame(() => flush(false));
  }

  function setSelected(ids) {
    state.runs = [...new Set(ids)];
    for (const id of state.runs) ensureData(id);
    firstDraw = true;
    changed(['table', 'curves']);
  }

  // ---------- run data ----------

  function ensureData(id) {
    if (data.has(id)) return;
    const entry = { series: emptySeries(), loaded: false, reading: false, again: false };
    data.set(id, entry);
    read(id, entry);
  }

  function read(id, entry) {
    if (entry.reading) {
      entry.again = true;
      return;
    }
    entry.reading = true;
    reads.push({ id, entry });
    pump();
  }

  function pump() {
    while (active < MAX_READS && reads.length) {
      const { id, entry } = reads.shift();
      active++;
      const after = entry.series.lastSeq >= 0 ? `&after=${entry.series.lastSeq}` : '';
      const path = `/api/runs/${encodeURIComponent(id)}/events.ndjson?types=run-started,epoch${after}`;
      let added = false;
      readEvents(path)
        .then((events) => { for (const ev of events) if (addEvent(entry.series, ev)) added = true; })
        .catch((e) => console.warn('trainscope: cannot read the epochs of', id, e.message))
        .finally(() => {
          active--;
          entry.reading = false;
          const first = !entry.loaded;
          entry.loaded = true;
          if (added || first) changed(['curves']);
          if (entry.again || behind(id, entry)) {
            entry.again = false;
            read(id, entry);
          }
          pump();
        });
    }
  }

  /** True when the summary shows an epoch the series has not read yet. */
  function behind(id, entry) {
    const s = deps.summaries.get(id);
    return Boolean(s && entry.loaded && typeof s.lastEpoch === 'number' && s.lastEpoch > lastEpochOf(entry.series));
  }

  // ---------- rendering ----------

  function flush(force) {
    frame = 0;
    if (!visible()) return;
    const now = performance.now();
    const d = new Set();
    const loading = state.runs.some((id) => data.has(id) && !data.get(id).loaded);
    for (const p of dirty) {
      const every = p === 'curves' && loading ? LOADING_THROTTLE : THROTTLE[p];
      if (!force && now - (rendered[p] || 0) < every) continue;
      d.add(p);
      dirty.delete(p);
      rendered[p] = now;
    }
    if (dirty.size && !frame) frame = requestAnimationFrame(() => flush(false));
    try {
      if (d.has('table')) renderTable();
      if (d.has('curves')) {
        renderCurves(measure);
        measure = null;
      }
    } catch (e) {
      console.error('trainscope: compare render failed', e);
    }
  }

  function allColumns() {
    return columnsFor(deps.summaries.values());
  }

  function renderTable() {
    const all = [...deps.summaries.values()];
    const columns = allColumns();
    const byKey = new Map(columns.map((c) => [c.key, c]));
    const keys = state.cols || defaultColumnKeys(all);
    const shown = keys.map((k) => byKey.get(k)).filter(Boolean);
    const rows = sortRows(filterRows(all, { q: state.q, state: state.state, sweep: state.sweep, predicate }),
      byKey.get(state.sort.key), state.sort.dir);
    const selected = state.runs.map((id) => deps.summaries.get(id)).filter(Boolean);
    table.render({
      rows, columns: shown, allColumns: columns, sort: state.sort, selected: new Set(state.runs),
      varied: new Set(variedColumns(selected)), total: all.length,
    });
    renderSweepOptions(all);
    renderParallel(selected);
  }

  function renderCurves(measureAs) {
    const summaryOf = (id) => deps.summaries.get(id) || { id, name: id };
    // Labels name what differs in the whole selection, so brushing does not rename the runs.
    const varied = variedParams(state.runs.map(summaryOf));
    const shown = state.runs.filter((id) => data.has(id) && (!predicate || predicate(summaryOf(id))));
    const loaded = shown.every((id) => data.get(id).loaded);
    const runs = shown.map((id) => ({
      id, name: summaryOf(id).name, label: legendLabel(summaryOf(id), varied), series: data.get(id).series,
    }));
    const name = measureAs || (firstDraw && loaded && runs.length ? 'trainscope:compare-draw' : null);
    if (name === 'trainscope:compare-draw') firstDraw = false;
    overlay.render({ runs, axis: state.x, beta: state.smooth, ylog: state.ylog, measure: name });
  }

  // ---------- controls ----------

  function renderSweepOptions(all) {
    const select = $('compare-sweep-filter');
    const ids = [...new Set(all.map((s) => s.sweep).filter(Boolean))];
    if (state.sweep && !ids.includes(state.sweep)) ids.push(state.sweep);
    const key = ids.map((id) => `${id}=${sweepNames.get(id) || ''}`).join('\n');
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    select.replaceChildren(el('option', { value: '' }, 'all sweeps'),
      ...ids.map((id) => el('option', { value: id }, sweepNames.get(id) || id)));
    select.value = state.sweep;
  }

  /**
   * The parallel axes of the selection: one per param that varies in it (log for learning rates
   * and other positive values spanning two decades, categories for text such as layer shapes) and
   * the chosen metric last; each run's line has its curves' colour.
   */
  function renderParallel(selected) {
    const metric = METRIC_COLUMNS.find((c) => c.key === state.metric) || METRIC_COLUMNS[0];
    const axes = [...variedParams(selected).map((path) => paramAxis(path, selected)),
      { key: metric.key, label: metric.label, type: 'number', value: metric.value }];
    const rows = selected.map((s) => ({ ...s, color: runColor(state.runs.indexOf(s.id)) }));
    parallel.render(rows, axes);
    const keys = new Set(axes.map((a) => a.key));
    if (pendingBrush && Object.keys(pendingBrush).every((k) => keys.has(k))) {
      const b = pendingBrush;
      pendingBrush = null;
      parallel.setBrushes(b); // calls onBrush with a predicate over these axes
    } else if (predicate && !pendingBrush && !Object.keys(parallel.brushes()).length) {
      // The brushed axis went with the selection that had it.
      predicate = null;
      state.brush = '';
      changed(['table', 'curves']);
    }
  }

  function paramAxis(path, rows) {
    const value = (s) => (s.params ? s.params[path] : undefined);
    const values = rows.map(value).filter((v) => v != null);
    const numbers = values.length > 0 && values.every((v) => typeof v === 'number');
    const positive = numbers && values.every((v) => v > 0);
    const wide = positive && Math.max(...values) / Math.min(...values) >= 100;
    const type = !numbers ? 'category' : positive && (/learningRate|weightDecay|epsilon/.test(path) || wide) ? 'log' : 'number';
    return { key: 'param:' + path, label: shortName(path), type, value };
  }

  async function loadSweepNames() {
    try {
      const sweeps = await api('GET', '/api/sweeps');
      sweepNames = new Map((sweeps || []).map((s) => [s.id, s.name || s.id]));
      changed(['table']);
    } catch (e) {
      console.warn('trainscope: cannot list sweeps', e.message);
    }
  }

  function setupControls() {
    const filter = $('compare-filter');
    filter.value = state.q;
    filter.addEventListener('input', () => { state.q = filter.value; changed(['table']); });
    const stateFilter = $('compare-state-filter');
    stateFilter.replaceChildren(el('option', { value: '' }, 'all states'), ...STATES.map((s) => el('option', { value: s }, s)));
    stateFilter.value = state.state;
    stateFilter.addEventListener('change', () => { state.state = stateFilter.value; changed(['table']); });
    const sweepFilter = $('compare-sweep-filter');
    sweepFilter.addEventListener('change', () => { state.sweep = sweepFilter.value; changed(['table']); });
    const metric = $('compare-metric');
    metric.replaceChildren(...METRIC_COLUMNS.map((c) => el('option', { value: c.key }, c.label)));
    metric.value = state.metric;
    metric.addEventListener('change', () => { state.metric = metric.value; changed(['table']); });
    const smoothing = $('smoothing');
    smoothing.max = String(MAX_SMOOTH);
    smoothing.value = String(state.smooth);
    const smoothLabel = $('smoothing-value');
    smoothLabel.textContent = state.smooth.toFixed(2);
    smoothing.addEventListener('input', () => {
      state.smooth = Math.min(MAX_SMOOTH, Math.max(0, Number(smoothing.value) || 0));
      smoothLabel.textContent = state.smooth.toFixed(2);
      changed(['curves'], { now: true, measureAs: 'trainscope:smooth' });
    });
    const axis = $('x-axis');
    axis.value = state.x;
    axis.addEventListener('change', () => { state.x = axis.value === 'time' ? 'time' : 'epoch'; changed(['curves'], { now: true }); });
    for (const chart of CHARTS) {
      const box = $(`ylog-${chart}`);
      box.checked = state.ylog[chart];
      box.addEventListener('change', () => { state.ylog[chart] = box.checked; changed(['curves'], { now: true }); });
    }
    $('compare-select-shown').addEventListener('click', () => {
      const all = [...deps.summaries.values()];
      setSelected([...state.runs, ...filterRows(all, { q: state.q, state: state.state, sweep: state.sweep, predicate }).map((s) => s.id)]);
    });
    $('compare-clear').addEventListener('click', () => setSelected([]));
    $('compare-export').addEventListener('click', () => {
      if (state.runs.length) window.open(`/api/metrics.csv?runs=${state.runs.map(encodeURIComponent).join(',')}`, '_blank');
    });
    setupSweepForm(document.getElementById('sweep-form'), {
      baseConfig: deps.formConfig,
      onStarted: (sweep) => {
        sweepNames.set(sweep.id, sweep.name || sweep.id);
        state.sweep = sweep.id;
        setSelected(sweep.runs || []);
        deps.refreshRuns();
      },
    });
  }

  function visible() {
    return state.view === 'compare';
  }

  setupControls();
  for (const id of state.runs) ensureData(id);
  if (state.brush) {
    try {
      pendingBrush = JSON.parse(state.brush);
    } catch (e) {
      console.warn('trainscope: ignoring an unreadable brush in the URL', e.message);
    }
  }

  const api_ = {
    state,
    visible,
    /** Shows or hides the view (the URL says which). */
    setView(view) {
      state.view = view === 'compare' ? 'compare' : 'run';
      $('compare-view').hidden = !visible();
      $('run-view').hidden = visible();
      $('view-compare').setAttribute('aria-pressed', String(visible()));
      $('view-run').setAttribute('aria-pressed', String(!visible()));
      saveUrl();
      if (visible()) {
        firstDraw = true;
        loadSweepNames();
        changed(['table', 'curves'], { now: true });
      }
      deps.onViewChange(state.view);
    },
    /** The summaries changed: rows update in place, selected runs read their new epochs. */
    summariesChanged() {
      for (const id of state.runs) {
        const entry = data.get(id);
        if (entry && behind(id, entry)) read(id, entry);
      }
      // A run's label comes from its summary (its params never change): redraw the curves only
      // when a selected run's summary arrives.
      const known = state.runs.filter((id) => deps.summaries.has(id)).join(',');
      const parts = known === knownSelected ? ['table'] : ['table', 'curves'];
      knownSelected = known;
      if (visible()) changed(parts);
    },
    /** What a chart draws for a run (for tests): {x, raw, smoothed, validation: {raw, smoothed}}. */
    seriesValues: (chart, runId) => overlay.seriesValues(chart, runId),
    setPredicate(p) {
      predicate = p;
      changed(['table', 'curves']);
    },
  };
  return api_;
}
