// The dashboard: wires the API, the event streams, the state reducer and the renderers.
// Events only update the view model; rendering is batched once per animation frame.
import { api, download } from './api.js';
import { openStream, readHistory } from './stream.js';
import {
  EVENT_TYPES, SUMMARY_TYPES, TERMINAL_STATES, applyEvent, applyToSummary, createRun, isFinished, lastEpoch,
} from './state.js';
import { createCurveCharts } from './curves.js';
import { createStatsCharts } from './stats.js';
import { renderHistograms } from './histograms.js';
import { createHeatmaps } from './heatmap.js';
import { controlsOf, createRunList, newestFirst } from './runs.js';
import { renderPipeline } from './pipeline.js';
import { createPlayground } from './playground.js';
import { editText } from './trace.js';
import {
  highlightProof, refreshQuizProofs, renderExplanations, renderInsight, renderQuiz,
} from './learn.js';
import { formConfig, setupForm } from './form.js';
import { createCompare } from './compare.js';
import { el, escapeHtml, fmt, pct } from './format.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const TABLE_ROWS = 100;
const TERMINAL_EVENTS = ['run-completed', 'run-failed'];
// Parts that cost more than a chart update render at most this often (ms) while events pour in.
const THROTTLE = { table: 120, stats: 250, pipeline: 100, learn: 250, prediction: 100, map: 100 };

const app = {
  summaries: new Map(), // id -> summary
  summarySeq: new Map(), // id -> last seq applied to the summary
  run: null,
  stream: null,
  dirty: new Set(),
  frame: 0,
  rendered: {}, // part -> time of its last render
  curves: null, // the curve charts, made anew for each selected run
  stats: null, // the layer statistics charts
  heatmaps: null, // the histograms over time
  playground: null, // the decision map, the network diagram and its weight editor
  runList: null,
  listDirty: false,
  refreshTimer: 0,
  compare: null, // the Compare view (compare.js); app.js only switches to it and feeds it summaries
};

// ---------- rendering, batched per animation frame ----------

function invalidate(parts) {
  for (const p of parts) app.dirty.add(p);
  if (!app.frame) app.frame = requestAnimationFrame(flush);
}

function flush() {
  app.frame = 0;
  const d = app.dirty;
  app.dirty = new Set();
  const now = performance.now();
  for (const [part, every] of Object.entries(THROTTLE)) {
    if (!d.has(part) || d.has('structure')) continue;
    if (now - (app.rendered[part] || 0) < every) {
      // Rendered recently: keep it dirty for a later frame.
      d.delete(part);
      app.dirty.add(part);
    } else {
      app.rendered[part] = now;
    }
  }
  if (app.dirty.size) app.frame = requestAnimationFrame(flush);
  try {
    if (app.listDirty) { app.listDirty = false; renderRunList(); }
    const run = app.run;
    if (!run) return;
    if (d.has('structure')) app.stats.reset();
    if (d.has('header') || d.has('structure')) renderHeader(run);
    if (d.has('curves')) app.curves.render(run);
    if (d.has('table')) renderTable(run);
    if (d.has('pipeline') || d.has('structure')) {
      renderPipeline($('pipeline'), run);
      $('pipeline-epoch').textContent = run.activations ? `(epoch ${run.activations.epoch})` : '';
      // The quiz's proofs quote the cards just drawn, and mark their cells again.
      refreshQuizProofs($('quiz'), run);
      highlightProof($('pipeline'), run);
    }
    app.playground.render(run, d);
    if (d.has('prediction')) renderPrediction(run);
    if (d.has('stats') && app.stats.render(run)) renderHistograms($('histograms'), run);
    if (d.has('stats')) app.heatmaps.render(run);
    if (d.has('learn') || d.has('structure')) {
      renderExplanations($('explanations'), run);
      renderInsight($('key-insight'), run);
    }
    $('run-view').dataset.lastSeq = String(run.lastSeq);
  } catch (e) {
    console.error('trainscope: render failed', e);
  }
}

function renderHeader(run) {
  const summary = app.summaries.get(run.id);
  $('run-name').textContent = run.name || (summary && summary.name) || run.id;
  const badge = $('run-state');
  badge.textContent = run.state;
  badge.dataset.state = run.state;
  const total = run.totalEpochs || (summary && summary.epochs) || 0;
  const ep = lastEpoch(run);
  const epochLabel = $('run-epoch');
  epochLabel.textContent = total ? `epoch ${ep} / ${total}` : `epoch ${ep}`;
  epochLabel.dataset.epoch = String(ep);
  const progress = $('run-progress');
  progress.max = total || 1;
  progress.value = ep;
  const last = run.rows[run.rows.length - 1];
  const ds = run.dataset;
  $('run-summary').textContent = [
    ds ? `${ds.name}: ${ds.trainSize} train / ${ds.validationSize} validation` : null,
    run.model ? `${run.model.parameters} parameters` : null,
    last ? `loss ${fmt(last.loss)} \u00b7 acc ${pct(last.accuracy)}` : null,
    run.failed ? `failed: ${run.failed.reason}` : null,
  ].filter(Boolean).join(' \u00b7 ');
  const s = run.state;
  const terminal = TERMINAL_STATES.includes(s);
  const controls = controlsOf(summary);
  $('btn-pause').disabled = !controls.pause || terminal || s === 'paused';
  $('btn-resume').disabled = !controls.pause || s !== 'paused';
  $('btn-step').disabled = !controls.step || s !== 'paused';
  $('btn-stop').disabled = !controls.pause || terminal;
  $('export-ndjson').disabled = false;
  $('export-csv').disabled = run.rows.length === 0;
}

function renderTable(run) {
  const body = $('epoch-table').tBodies[0];
  const rows = run.rows;
  const start = Math.max(0, rows.length - TABLE_ROWS);
  let html = '';
  for (let i = rows.length - 1; i >= start; i--) {
    const r = rows[i];
    // Engine epochs always carry an observation; pushed ones may not, and then show none.
    let obs = r.observation ? `<span class="observation">${escapeHtml(r.observation)}</span>` : '';
    for (const ins of r.insights) {
      obs += `<span class="insight-tag level-${escapeHtml(ins.level)}" title="${escapeHtml(ins.code)}">${escapeHtml(ins.message)}</span>`;
    }
    for (const e of r.edits || []) {
      obs += `<span class="insight-tag edit-tag" data-testid="edit-tag">${escapeHtml(editText(e, fmt))}</span>`;
    }
    html += `<tr data-testid="epoch-row" data-epoch="${r.epoch}"><th scope="row">${r.epoch}</th><td>${fmt(r.loss, 4)}</td>`
      + `<td>${pct(r.accuracy)}</td><td>${fmt(r.valLoss, 4)}</td><td>${pct(r.valAccuracy)}</td><td class="obs">${obs}</td></tr>`;
  }
  body.innerHTML = html;
  $('epoch-table-note').textContent = rows.length > TABLE_ROWS
    ? `Showing the latest ${TABLE_ROWS} of ${rows.length} epochs; export the metrics for all.`
    : '';
}

function renderPrediction(run) {
  const act = run.activations;
  const box = $('probabilities');
  const classes = (run.dataset && run.dataset.classes) || [];
  if (!act || !act.probabilities) {
    box.replaceChildren(el('p', { class: 'empty' }, 'No trace yet.'));
  } else {
    const bars = act.probabilities.map((p, i) => {
      const name = classes[i] ?? String(i);
      const tags = [];
      if (i === act.predicted) tags.push('predicted');
      if (act.label != null && i === act.label) tags.push('actual');
      return el('div', { class: 'prob' + (i === act.predicted ? ' predicted' : '') + (i === act.label ? ' actual' : ''), 'data-testid': 'prob-bar', 'data-class': name },
        el('span', { class: 'prob-name' }, name),
        el('span', { class: 'prob-track' }, el('span', { class: 'prob-fill', style: `width:${(Math.max(0, Math.min(1, p)) * 100).toFixed(1)}%` })),
        el('span', { class: 'prob-val' }, fmt(p)),
        el('span', { class: 'prob-tags' }, tags.join(' \u00b7 ')));
    });
    const verdict = act.label == null ? `Predicted ${act.predictedClass}.`
      : act.predicted === act.label ? `Predicted ${act.predictedClass}, actual ${act.labelClass}: correct.`
        : `Predicted ${act.predictedClass}, actual ${act.labelClass}: wrong so far.`;
    box.replaceChildren(el('p', { class: 'muted' }, `Probe at epoch ${act.epoch}: class probabilities from the softmax output.`),
      ...bars, el('p', { class: 'verdict', 'data-testid': 'verdict' }, verdict));
  }
  const cm = run.completed && run.completed.confusionMatrix;
  const cbox = $('confusion');
  if (!cm) {
    cbox.replaceChildren();
    return;
  }
  const names = run.completed.classes || classes;
  const max = Math.max(1, ...cm.flat());
  const table = el('table', { class: 'cm', 'data-testid': 'confusion-matrix' },
    el('caption', {}, `Confusion matrix (${run.completed.confusionSet || 'validation'} set): rows actual, columns predicted`),
    el('thead', {}, el('tr', {}, el('th', {}, ''), names.map((n) => el('th', { scope: 'col' }, n)))),
    el('tbody', {}, cm.map((row, i) => el('tr', {}, el('th', { scope: 'row' }, names[i] ?? String(i)),
      row.map((v, j) => el('td', {
        class: i === j ? 'diag' : v ? 'off' : '',
        style: `--a:${(v / max).toFixed(3)}`,
      }, String(v)))))));
  cbox.replaceChildren(table);
}

// ---------- run list ----------

function renderRunList() {
  app.runList.render(app.summaries.values(), app.run && app.run.id);
}

function listChanged() {
  if (app.compare) app.compare.summariesChanged();
  app.listDirty = true;
  if (!app.frame) app.frame = requestAnimationFrame(flush);
}

async function loadRuns() {
  try {
    const runs = await api('GET', '/api/runs');
    for (const s of runs || []) {
      const old = app.summaries.get(s.id);
      app.summaries.set(s.id, old ? Object.assign(old, s) : s);
    }
    listChanged();
  } catch (e) {
    console.warn('trainscope: cannot list runs', e.message);
  }
}

function refreshRunsSoon() {
  // At most one refresh per 250 ms, however many events of unknown runs arrive.
  if (app.refreshTimer) return;
  app.refreshTimer = setTimeout(() => {
    app.refreshTimer = 0;
    loadRuns();
  }, 250);
}

function watchAllRuns() {
  openStream('/api/events?types=' + SUMMARY_TYPES.join(','), SUMMARY_TYPES, (ev, type, lastId) => {
    const id = ev.runId;
    if (!id) return;
    const seq = typeof ev.seq === 'number' ? ev.seq : Number(String(lastId).split(':').pop());
    const last = app.summarySeq.get(id);
    if (last != null && seq <= last) return;
    app.summarySeq.set(id, seq);
    const s = app.summaries.get(id);
    if (!s) {
      refreshRunsSoon();
      return;
    }
    if (applyToSummary(s, ev)) listChanged();
    // The server's summary of a finished run has what events do not carry (its duration).
    if (TERMINAL_EVENTS.includes(type)) refreshRunsSoon();
  }, (state) => {
    const e = $('runs-connection');
    e.dataset.state = state;
    e.textContent = state;
  });
}

// ---------- the selected run ----------

function setConnection(state) {
  const c = $('connection');
  c.dataset.state = state;
  c.textContent = { connecting: 'connecting\u2026', live: 'live', reconnecting: 'reconnecting\u2026', finished: 'finished', closed: 'disconnected', idle: 'no run selected' }[state] || state;
}

function selectRun(id) {
  if (app.run && app.run.id === id) return;
  if (app.stream) app.stream.close();
  const run = createRun(id);
  app.run = run;
  $('run-view').dataset.runId = id;
  if (location.hash !== '#run=' + encodeURIComponent(id)) history.replaceState(null, '', location.pathname + location.search + '#run=' + encodeURIComponent(id));
  resetCurves();
  app.stats.reset();
  app.heatmaps.reset();
  app.playground.reset();
  $('histograms').replaceChildren();
  $('control-error').textContent = '';
  const summary = app.summaries.get(id);
  if (summary && summary.state) run.state = summary.state;
  invalidate(['header', 'structure', 'curves', 'table', 'pipeline', 'prediction', 'stats', 'learn']);
  listChanged();
  // The detail gives the model before the first event arrives (queued runs).
  api('GET', `/api/runs/${encodeURIComponent(id)}`).then((d) => {
    if (app.run !== run || !d) return;
    if (!run.config && d.config) { run.config = d.config; run.name = run.name || d.config.name; run.totalEpochs = run.totalEpochs || d.config.epochs; }
    if (!run.model && d.model) run.model = d.model;
    if (!run.name && d.name) run.name = d.name;
    if (run.lastSeq < 0 && d.state) run.state = d.state;
    invalidate(['header', 'pipeline']);
  }).catch((e) => console.warn('trainscope: run detail', e.message));

  // History first, from the stored log in slices that never freeze the page (10,000 epochs are
  // a few MB); then the live tail over EventSource from the last seq read (?after=). On a
  // reconnect the browser sends Last-Event-ID, so nothing is shown twice or missed.
  const onEvent = (ev) => {
    if (app.run !== run) return;
    const changed = applyEvent(run, ev);
    if (!changed) return;
    invalidate(changed);
    const s = app.summaries.get(id);
    if (s && applyToSummary(s, ev)) listChanged();
  };
  const base = `/api/runs/${encodeURIComponent(id)}`;
  const follow = (always) => {
    if (app.run !== run) return;
    if (!always && isFinished(run)) {
      setConnection('finished');
      return;
    }
    const after = run.lastSeq >= 0 ? `?after=${run.lastSeq}` : '';
    const stream = openStream(`${base}/events${after}`, EVENT_TYPES, (ev) => {
      onEvent(ev);
      if (app.run === run && (ev.type === 'run-completed' || ev.type === 'run-failed')) stream.finish();
    }, (state) => {
      if (app.run === run) setConnection(state);
    }, { isDone: () => isFinished(run) });
    app.stream = stream;
  };
  setConnection('connecting');
  app.stream = { close() {} };
  readHistory(`${base}/events.ndjson`, onEvent, () => app.run !== run)
    .then((complete) => { if (complete) follow(); })
    .catch((e) => {
      // No stored history to read: the event stream replays everything after what was read.
      console.warn('trainscope: history unavailable, replaying over the stream:', e && e.message);
      follow(true);
    });
}

function resetCurves() {
  if (app.curves) app.curves.destroy();
  app.curves = createCurveCharts({ loss: $('loss-chart'), accuracy: $('accuracy-chart') });
}

async function control(action) {
  const run = app.run;
  if (!run) return;
  const err = $('control-error');
  err.textContent = '';
  try {
    const res = await api('POST', `/api/runs/${encodeURIComponent(run.id)}/${action}`);
    const state = res && (res.state || (typeof res === 'string' ? res : null));
    // The stream confirms with a status event; show the answer right away (without undoing a finish).
    if (state && app.run === run && !TERMINAL_STATES.includes(run.state)) {
      run.state = state;
      invalidate(['header']);
    }
  } catch (e) {
    err.textContent = `${action}: ${e.message}`;
  }
}

// ---------- exports ----------

function setupExports() {
  $('export-ndjson').addEventListener('click', () => {
    const run = app.run;
    if (!run) return;
    download(`/api/runs/${encodeURIComponent(run.id)}/events.ndjson`, `${run.id}.ndjson`)
      .catch((e) => { $('control-error').textContent = e.message; });
  });
  $('export-csv').addEventListener('click', () => {
    const run = app.run;
    if (!run) return;
    // The server's CSV: Keras CSVLogger's layout, so tools that read those files read this one.
    download(`/api/runs/${encodeURIComponent(run.id)}/metrics.csv`, `${run.id}-metrics.csv`)
      .catch((e) => { $('control-error').textContent = e.message; });
  });
}

// ---------- start ----------

function showRunView() {
  if (app.compare.visible()) app.compare.setView('run');
}

function onViewChange(view) {
  if (view !== 'run' || app.run || !app.summaries.size) return;
  selectRun([...app.summaries.values()].sort(newestFirst)[0].id);
}

function start() {
  app.runList = createRunList($('run-list'), (id) => { showRunView(); selectRun(id); });
  app.compare = createCompare({ summaries: app.summaries, refreshRuns: loadRuns, formConfig, onViewChange });
  window.trainscopeCompare = { seriesValues: app.compare.seriesValues };
  $('view-run').addEventListener('click', () => app.compare.setView('run'));
  $('view-compare').addEventListener('click', () => app.compare.setView('compare'));
  app.stats = createStatsCharts({
    mean: $('stats-mean'), std: $('stats-std'), health: $('stats-health'), update: $('stats-update'),
  });
  app.heatmaps = createHeatmaps($('stats-heatmaps'));
  app.playground = createPlayground({
    mapPanel: $('map-panel'), network: $('network'), networkHost: $('network-host'), summaries: app.summaries, invalidate,
  });
  setupForm((summary, config) => {
    app.summaries.set(summary.id, Object.assign(app.summaries.get(summary.id) || {}, summary, { dataset: config.dataset }));
    listChanged();
    showRunView();
    selectRun(summary.id);
    document.getElementById('main').focus({ preventScroll: true });
  });
  setupExports();
  renderQuiz($('quiz'), () => app.run);
  document.querySelectorAll('.controls [data-action]').forEach((b) => b.addEventListener('click', () => control(b.dataset.action)));
  resetCurves();
  setConnection('idle');
  const fromHash = /^#run=(.+)$/.exec(location.hash);
  app.compare.setView(app.compare.state.view);
  loadRuns().then(() => {
    if (fromHash) selectRun(decodeURIComponent(fromHash[1]));
    else if (app.summaries.size && !app.run && !app.compare.visible()) {
      const newest = [...app.summaries.values()].sort(newestFirst)[0];
      selectRun(newest.id);
    }
  });
  watchAllRuns();
  if (!fromHash) {
    renderExplanations($('explanations'), createRun(null));
    renderInsight($('key-insight'), createRun(null));
  }
  window.addEventListener('hashchange', () => {
    const m = /^#run=(.+)$/.exec(location.hash);
    if (!m) return;
    showRunView();
    selectRun(decodeURIComponent(m[1]));
  });
}

start();
