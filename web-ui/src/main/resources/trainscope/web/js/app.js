// The dashboard: wires the API, the event streams, the state reducer and the renderers.
// Events only update the view model; rendering is batched once per animation frame.
import { api, download } from './api.js';
import { openStream, readHistory } from './stream.js';
import {
  EVENT_TYPES, TERMINAL_STATES, applyEvent, applyToSummary, createRun, isFinished, lastEpoch,
} from './state.js';
import { color, lineChart } from './charts.js';
import { renderNetwork, renderPipeline } from './pipeline.js';
import { renderExplanations, renderInsight, renderQuiz } from './learn.js';
import { setupForm } from './form.js';
import { activationLabel, el, escapeHtml, fmt, pct } from './format.js';

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const TABLE_ROWS = 100;
// Parts that cost more than a chart update render at most this often (ms) while events pour in.
const THROTTLE = { table: 120, stats: 250, pipeline: 100, learn: 250, prediction: 100 };
function newestFirst(a, b) {
  const d = (Number(b.createdAt) || 0) - (Number(a.createdAt) || 0);
  return d || String(b.id).localeCompare(String(a.id));
}

const SUMMARY_TYPES = ['run-started', 'epoch', 'status', 'run-completed', 'run-failed'];

const app = {
  summaries: new Map(), // id -> summary
  summarySeq: new Map(), // id -> last seq applied to the summary
  run: null,
  stream: null,
  dirty: new Set(),
  frame: 0,
  rendered: {}, // part -> time of its last render
  charts: {},
  statsLayers: -1,
  listDirty: false,
  refreshTimer: 0,
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
    if (d.has('structure')) resetStatsCharts();
    if (d.has('header') || d.has('structure')) renderHeader(run);
    if (d.has('curves')) renderCurves(run);
    if (d.has('table')) renderTable(run);
    if (d.has('pipeline') || d.has('structure')) {
      renderPipeline($('pipeline'), run);
      renderNetwork($('network'), run);
      $('pipeline-epoch').textContent = run.activations ? `(epoch ${run.activations.epoch})` : '';
    }
    if (d.has('prediction')) renderPrediction(run);
    if (d.has('stats')) renderStats(run);
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
  $('btn-pause').disabled = terminal || s === 'paused';
  $('btn-resume').disabled = s !== 'paused';
  $('btn-step').disabled = s !== 'paused';
  $('btn-stop').disabled = terminal;
  $('export-ndjson').disabled = false;
  $('export-csv').disabled = run.rows.length === 0;
}

function renderCurves(run) {
  const c = run.curve;
  app.charts.loss.setData([c.epoch, c.loss, c.valLoss]);
  app.charts.accuracy.setData([c.epoch, c.accuracy, c.valAccuracy]);
}

function renderTable(run) {
  const body = $('epoch-table').tBodies[0];
  const rows = run.rows;
  const start = Math.max(0, rows.length - TABLE_ROWS);
  let html = '';
  for (let i = rows.length - 1; i >= start; i--) {
    const r = rows[i];
    let obs = '';
    for (const ins of r.insights) {
      obs += `<span class="insight-tag level-${escapeHtml(ins.level)}" title="${escapeHtml(ins.code)}">${escapeHtml(ins.message)}</span>`;
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

function resetStatsCharts() {
  for (const k of ['statsMean', 'statsStd', 'statsHealth', 'statsUpdate']) {
    if (app.charts[k]) app.charts[k].destroy();
    delete app.charts[k];
  }
  app.statsLayers = -1;
}

function ensureStatsCharts(run) {
  const layers = run.statsHistory.filter(Boolean);
  if (app.statsLayers === layers.length) return layers;
  resetStatsCharts();
  app.statsLayers = layers.length;
  const series = (filter) => layers.filter(filter).map((h) => ({ label: `L${h.index + 1} ${activationLabel(h.activation)}`, color: color(h.index) }));
  app.charts.statsMean = lineChart($('stats-mean'), { title: 'Activation mean', series: series(() => true), height: 180 });
  app.charts.statsStd = lineChart($('stats-std'), { title: 'Activation std', series: series(() => true), height: 180 });
  const health = [
    ...layers.filter((h) => h.activation === 'relu').map((h) => ({ label: `L${h.index + 1} dead ReLU`, color: color(h.index) })),
    ...layers.filter((h) => h.activation === 'sigmoid').map((h) => ({ label: `L${h.index + 1} saturated`, color: color(h.index), dash: [6, 4] })),
  ];
  app.charts.statsHealth = lineChart($('stats-health'), {
    title: 'Dead ReLU / saturated sigmoid fraction', series: health.length ? health : [{ label: 'none', color: '#94a3b8' }], range: [0, 1], height: 180,
  });
  app.charts.statsUpdate = lineChart($('stats-update'), { title: 'Update / weight ratio', series: series(() => true), log: true, height: 180 });
  return layers;
}

function renderStats(run) {
  const layers = ensureStatsCharts(run);
  if (!layers.length) return;
  const x = layers[0].epoch;
  const align = (arr) => (arr.length === x.length ? arr : x.map((_, i) => arr[i] ?? null));
  app.charts.statsMean.setData([x, ...layers.map((h) => align(h.actMean))]);
  app.charts.statsStd.setData([x, ...layers.map((h) => align(h.actStd))]);
  const health = [
    ...layers.filter((h) => h.activation === 'relu').map((h) => align(h.dead)),
    ...layers.filter((h) => h.activation === 'sigmoid').map((h) => align(h.saturated)),
  ];
  app.charts.statsHealth.setData([x, ...(health.length ? health : [x.map(() => null)])]);
  app.charts.statsUpdate.setData([x, ...layers.map((h) => align(h.updateRatio))]);
  renderHistograms(run);
}

function histogramSvg(h, fill) {
  if (!h || !h.histogram) return el('span', { class: 'empty' }, '\u2013');
  const max = Math.max(1, ...h.histogram);
  const n = h.histogram.length;
  const bars = h.histogram.map((c, i) => {
    const hgt = (c / max) * 40;
    return `<rect x="${i * (100 / n)}" y="${40 - hgt}" width="${100 / n - 0.6}" height="${hgt}" fill="${fill}"><title>${c}</title></rect>`;
  }).join('');
  const wrap = el('div', { class: 'hist' });
  wrap.innerHTML = `<svg viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true">${bars}</svg>`;
  wrap.append(el('div', { class: 'hist-axis' }, el('span', {}, fmt(h.min, 2)), el('span', {}, `\u03bc ${fmt(h.mean, 2)} \u03c3 ${fmt(h.std, 2)}`), el('span', {}, fmt(h.max, 2))));
  return wrap;
}

function renderHistograms(run) {
  const ls = run.layerStats;
  if (!ls) return;
  const cards = ls.layers.map((l) => {
    const facts = [];
    if (l.deadFraction != null) facts.push(`dead ${pct(l.deadFraction)}${l.deadUnits ? ` (${l.deadUnits} units)` : ''}`);
    if (l.saturatedFraction != null) facts.push(`saturated ${pct(l.saturatedFraction)}`);
    if (l.updateRatio != null) facts.push(`update/weight ${l.updateRatio.toExponential(1)}`);
    return el('div', { class: 'hist-card', 'data-testid': 'hist-layer' },
      el('h3', {}, `Layer ${l.index + 1} \u00b7 ${activationLabel(l.activation)} \u00b7 ${l.units} units`),
      el('div', { class: 'hist-label' }, 'weights'), histogramSvg(l.weights, '#6366f1'),
      el('div', { class: 'hist-label' }, 'activations'), histogramSvg(l.activations, '#0d9488'),
      el('p', { class: 'muted' }, facts.join(' \u00b7 ')));
  });
  $('histograms').replaceChildren(el('p', { class: 'muted' }, `Latest histograms (epoch ${ls.epoch})`), ...cards);
}

// ---------- run list ----------

const runItems = new Map(); // id -> {li, button, name, badge, meta}: updated in place, so focus survives

function runItem(id) {
  let item = runItems.get(id);
  if (item) return item;
  const name = el('span', { class: 'run-item-name' });
  const badge = el('span', { class: 'badge' });
  const meta = el('span', { class: 'run-item-meta' });
  const button = el('button', {
    type: 'button', class: 'run-item', 'data-testid': 'run-item', 'data-run-id': id, onclick: () => selectRun(id),
  }, name, badge, meta);
  item = { li: el('li', {}, button), button, name, badge, meta };
  runItems.set(id, item);
  return item;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function renderRunList() {
  const list = $('run-list');
  const runs = [...app.summaries.values()].sort(newestFirst);
  if (!runs.length) {
    list.replaceChildren(el('li', { class: 'empty' }, 'No runs yet: start one below.'));
    return;
  }
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  const selected = app.run && app.run.id;
  runs.forEach((s, i) => {
    const item = runItem(s.id);
    const dataset = s.dataset || (s.config && s.config.dataset) || '';
    setText(item.name, s.name || s.id);
    setText(item.badge, s.state || '');
    item.badge.dataset.state = s.state || '';
    setText(item.meta, [
      dataset,
      s.lastEpoch != null ? `epoch ${s.lastEpoch}${s.epochs ? '/' + s.epochs : ''}` : null,
      s.loss != null ? `loss ${fmt(s.loss)}` : null,
      s.accuracy != null ? `acc ${pct(s.accuracy)}` : null,
    ].filter(Boolean).join(' \u00b7 '));
    const isSelected = s.id === selected;
    item.button.classList.toggle('selected', isSelected);
    if (isSelected) item.button.setAttribute('aria-current', 'true'); else item.button.removeAttribute('aria-current');
    if (list.children[i] !== item.li) list.insertBefore(item.li, list.children[i] || null);
  });
}

function listChanged() {
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
  resetStatsCharts();
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
  for (const k of ['loss', 'accuracy']) if (app.charts[k]) app.charts[k].destroy();
  app.charts.loss = lineChart($('loss-chart'), {
    title: 'Loss (log scale)', log: true,
    series: [{ label: 'train loss', color: color(0) }, { label: 'validation loss', color: color(1), dash: [6, 4] }],
  });
  app.charts.accuracy = lineChart($('accuracy-chart'), {
    title: 'Accuracy', range: [0, 1], yFormat: (v) => pct(v),
    series: [{ label: 'train accuracy', color: color(0) }, { label: 'validation accuracy', color: color(1), dash: [6, 4] }],
  });
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

function start() {
  setupForm((summary, config) => {
    app.summaries.set(summary.id, Object.assign(app.summaries.get(summary.id) || {}, summary, { dataset: config.dataset }));
    listChanged();
    selectRun(summary.id);
    document.getElementById('main').focus({ preventScroll: true });
  });
  setupExports();
  renderQuiz($('quiz'));
  document.querySelectorAll('.controls [data-action]').forEach((b) => b.addEventListener('click', () => control(b.dataset.action)));
  resetCurves();
  setConnection('idle');
  const fromHash = /^#run=(.+)$/.exec(location.hash);
  loadRuns().then(() => {
    if (fromHash) selectRun(decodeURIComponent(fromHash[1]));
    else if (app.summaries.size && !app.run) {
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
    if (m) selectRun(decodeURIComponent(m[1]));
  });
}

start();
