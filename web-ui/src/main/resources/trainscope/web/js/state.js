// Pure state reduction: training events -> a view model of one run.
// No DOM, no network: unit-tested with `node --test web-ui/src/test/js`.

/**
 * Event types a run stream carries (named SSE events). EventSource delivers only the named events
 * it has a listener for, so a type missing here is dropped silently: DashboardEventTypesTest (server
 * module) checks this list against the engine's TrainingEvent.TYPES.
 */
export const EVENT_TYPES = [
  'run-started', 'epoch', 'batch', 'activations', 'layer-stats',
  'insight', 'status', 'run-completed', 'run-failed', 'data-points', 'decision-boundary', 'weights-edited',
];

/** The event types that change a run's summary in the run list (the ?types= of /api/events). */
export const SUMMARY_TYPES = ['run-started', 'epoch', 'status', 'run-completed', 'run-failed'];

/**
 * The series of the curve charts, in legend order: the epoch row's field each plots, the chart it
 * belongs to, its label, its colour (a slot of the chart palette, charts.js color()) and dash.
 * `positive` columns are drawn on a log axis, where zero and negative values become gaps.
 * `better` says which way a value improves: the server's `best` of a summary keeps the first
 * strictly lowest loss and highest accuracy (BestMetrics), and applyToSummary follows it live.
 */
export const CURVE_COLUMNS = [
  { field: 'loss', chart: 'loss', label: 'train loss', color: 0, positive: true, better: 'lower' },
  { field: 'valLoss', chart: 'loss', label: 'validation loss', color: 1, dash: [6, 4], positive: true, better: 'lower' },
  { field: 'accuracy', chart: 'accuracy', label: 'train accuracy', color: 0, better: 'higher' },
  { field: 'valAccuracy', chart: 'accuracy', label: 'validation accuracy', color: 1, dash: [6, 4], better: 'higher' },
];

/** Empty chart columns (uPlot's data layout): `epoch` and one array per curve column. */
export function emptyCurve() {
  const curve = { epoch: [] };
  for (const c of CURVE_COLUMNS) curve[c.field] = [];
  return curve;
}

/** Appends an epoch row's point to every column of the curve. */
export function addCurvePoint(curve, row) {
  curve.epoch.push(row.epoch);
  for (const c of CURVE_COLUMNS) {
    const v = row[c.field];
    curve[c.field].push(c.positive ? positiveOrNull(v) : v);
  }
}

/** A chart's data, [epochs, ...its columns in legend order], from the run's curve. */
export function curveData(curve, chart) {
  return [curve.epoch, ...CURVE_COLUMNS.filter((c) => c.chart === chart).map((c) => curve[c.field])];
}

/** The histograms of a layer-stats layer the dashboard keeps per traced epoch (the heatmaps). */
export const HISTOGRAM_KINDS = ['weights', 'gradients', 'activations'];

export const TERMINAL_STATES = ['completed', 'failed', 'stopped', 'interrupted'];

/** A fresh, empty view model for the run with this id. */
export function createRun(id) {
  return {
    id,
    lastSeq: -1,
    name: null,
    state: 'queued',
    config: null,
    model: null,
    dataset: null,
    totalEpochs: null,
    // One row per epoch, in arrival order (epoch 1, 2, ...).
    rows: [],
    byEpoch: new Map(),
    // Column arrays for the charts (uPlot's data layout).
    curve: emptyCurve(),
    insights: [],
    lastInsight: null,
    activations: null,
    layerStats: null,
    // The latest decision-boundary event (2-input runs), decoded only when drawn.
    boundary: null,
    // The data-points event: {train, validation} as [x, y, classIndex] rows in the data's units,
    // the inputs' standardisation {mean, std} and the stride (point k is sample k * stride).
    points: null,
    // Every weights-edited event, in order.
    edits: [],
    // Per layer index: columns over traced epochs.
    statsHistory: [],
    batch: null,
    completed: null,
    failed: null,
    status: null,
    eventCount: 0,
  };
}

function hasValue(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

function num(v) {
  return hasValue(v) ? v : null;
}

function stateAfterStatus(state) {
  switch (state) {
    case 'paused': return 'paused';
    case 'resumed': return 'running';
    case 'stopped': return 'stopped';
    case 'interrupted': return 'interrupted';
    default: return null;
  }
}

/**
 * Applies one event to the run (mutating it, for speed on long replays) and returns the set of
 * view parts that changed, or null when the event was a duplicate (seq already seen) or belongs to
 * another run.
 */
export function applyEvent(run, ev) {
  if (!ev || typeof ev !== 'object') return null;
  if (ev.runId != null && run.id != null && ev.runId !== run.id) return null;
  if (typeof ev.seq === 'number') {
    if (ev.seq <= run.lastSeq) return null;
    run.lastSeq = ev.seq;
  }
  run.eventCount++;
  const changed = new Set(['header']);
  switch (ev.type) {
    case 'run-started': {
      run.config = ev.config || null;
      run.model = ev.model || null;
      run.dataset = ev.dataset || null;
      run.name = (ev.config && ev.config.name) || run.name;
      run.totalEpochs = (ev.config && ev.config.epochs) || run.totalEpochs;
      if (!TERMINAL_STATES.includes(run.state)) run.state = 'running';
      changed.add('structure').add('pipeline');
      break;
    }
    case 'epoch': {
      const row = {
        epoch: ev.epoch,
        loss: num(ev.loss),
        accuracy: num(ev.accuracy),
        valLoss: num(ev.valLoss),
        valAccuracy: num(ev.valAccuracy),
        learningRate: num(ev.learningRate),
        durationMs: num(ev.durationMs),
        // What changed since the last epoch, in words (engine epochs always; pushed ones may).
        observation: typeof ev.observation === 'string' && ev.observation.trim() ? ev.observation : null,
        insights: [],
        edits: [],
      };
      if (run.byEpoch.has(ev.epoch)) {
        // Same epoch twice with different seq (should not happen): replace the values in place.
        const old = run.byEpoch.get(ev.epoch);
        Object.assign(old, row, { insights: old.insights, edits: old.edits });
        rebuildCurve(run);
      } else {
        run.rows.push(row);
        run.byEpoch.set(ev.epoch, row);
        addCurvePoint(run.curve, row);
      }
      if (ev.epochs) run.totalEpochs = ev.epochs;
      if (run.state === 'queued') run.state = 'running';
      changed.add('curves').add('table');
      break;
    }
    case 'batch':
      run.batch = { epoch: ev.epoch, batch: ev.batch, batches: ev.batches, loss: num(ev.loss) };
      break;
    case 'activations':
      run.activations = ev;
      // The map marks the probe.
      changed.add('pipeline').add('prediction').add('learn').add('map');
      break;
    case 'layer-stats': {
      run.layerStats = ev;
      for (const l of ev.layers || []) {
        const h = run.statsHistory[l.index] || (run.statsHistory[l.index] = {
          index: l.index, activation: l.activation,
          epoch: [], actMean: [], actStd: [], dead: [], saturated: [], updateRatio: [],
          histograms: Object.fromEntries(HISTOGRAM_KINDS.map((k) => [k, []])),
        });
        h.epoch.push(ev.epoch);
        h.actMean.push(l.activations ? num(l.activations.mean) : null);
        h.actStd.push(l.activations ? num(l.activations.std) : null);
        h.dead.push(num(l.deadFraction));
        h.saturated.push(num(l.saturatedFraction));
        h.updateRatio.push(positiveOrNull(num(l.updateRatio)));
        for (const k of HISTOGRAM_KINDS) h.histograms[k].push(l[k] || null);
      }
      changed.add('stats').add('pipeline');
      break;
    }
    case 'insight': {
      const insight = {
        epoch: ev.epoch, level: ev.level, code: ev.code, message: ev.message, layer: ev.layer,
      };
      run.insights.push(insight);
      run.lastInsight = insight;
      const row = run.byEpoch.get(ev.epoch);
      if (row) row.insights.push(insight);
      changed.add('table').add('learn');
      break;
    }
    case 'status': {
      run.status = { state: ev.state, epoch: ev.epoch };
      const s = stateAfterStatus(ev.state);
      if (s && !(TERMINAL_STATES.includes(run.state) && s === 'running')) run.state = s;
      break;
    }
    case 'decision-boundary':
      run.boundary = ev;
      changed.add('map').add('tiles');
      break;
    case 'data-points':
      run.points = {
        train: pointRows(ev.train),
        validation: pointRows(ev.validation),
        mean: ev.mean || null,
        std: ev.std || null,
        stride: ev.stride || 1,
      };
      changed.add('map');
      break;
    case 'weights-edited': {
      const edit = {
        epoch: ev.epoch, layer: ev.layer, unit: ev.unit, input: ev.input ?? null, bias: Boolean(ev.bias),
        oldValue: ev.oldValue, newValue: ev.newValue,
      };
      run.edits.push(edit);
      const row = run.byEpoch.get(ev.epoch);
      if (row) row.edits.push(edit);
      changed.add('table');
      break;
    }
    case 'run-completed':
      run.completed = ev;
      run.state = ev.stopped ? 'stopped' : 'completed';
      changed.add('prediction').add('table');
      break;
    case 'run-failed':
      run.failed = ev;
      run.state = 'failed';
      break;
    default:
      break;
  }
  return changed;
}

/** A data-points split's columns {x, y, label} as [x, y, label] rows (the map's drawing order). */
export function pointRows(split) {
  if (!split || !Array.isArray(split.x)) return [];
  const n = Math.min(split.x.length, split.y ? split.y.length : 0, split.label ? split.label.length : 0);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = [split.x[i], split.y[i], split.label[i]];
  return rows;
}

function positiveOrNull(v) {
  // Log-scale axes cannot show zero or negative values.
  return hasValue(v) && v > 0 ? v : null;
}

function rebuildCurve(run) {
  const c = emptyCurve();
  for (const r of run.rows) addCurvePoint(c, r);
  run.curve = c;
}

/** True once the run can no longer change. */
export function isFinished(run) {
  return TERMINAL_STATES.includes(run.state) || run.completed != null || run.failed != null;
}

/** The latest epoch number seen, or 0. */
export function lastEpoch(run) {
  return run.rows.length ? run.rows[run.rows.length - 1].epoch : 0;
}

/**
 * Updates a run summary (as GET /api/runs returns) from a live event of /api/events; returns true
 * when the summary changed.
 */
export function applyToSummary(summary, ev) {
  switch (ev.type) {
    case 'run-started':
      if (summary.state === 'queued') summary.state = 'running';
      if (ev.config) {
        summary.name = summary.name || ev.config.name;
        summary.epochs = summary.epochs || ev.config.epochs;
        summary.dataset = summary.dataset || ev.config.dataset;
      }
      return true;
    case 'epoch':
      summary.lastEpoch = ev.epoch;
      summary.loss = ev.loss;
      summary.accuracy = ev.accuracy;
      summary.valLoss = ev.valLoss;
      summary.valAccuracy = ev.valAccuracy;
      if (summary.state === 'queued') summary.state = 'running';
      updateBest(summary, ev);
      return true;
    case 'status': {
      const s = stateAfterStatus(ev.state);
      if (s && !TERMINAL_STATES.includes(summary.state)) {
        summary.state = s;
        return true;
      }
      return false;
    }
    case 'run-completed':
      summary.state = ev.stopped ? 'stopped' : 'completed';
      summary.loss = ev.loss;
      summary.accuracy = ev.accuracy;
      summary.valLoss = ev.valLoss;
      summary.valAccuracy = ev.valAccuracy;
      return true;
    case 'run-failed':
      summary.state = 'failed';
      return true;
    default:
      return false;
  }
}

function updateBest(summary, ev) {
  const best = summary.best || (summary.best = {});
  for (const c of CURVE_COLUMNS) {
    const v = ev[c.field];
    if (!hasValue(v)) continue;
    const b = best[c.field];
    if (!b || (c.better === 'lower' ? v < b.value : v > b.value)) best[c.field] = { value: v, epoch: ev.epoch };
  }
}

/**
 * Examples of what each activation did to the probe, from an `activations` event: for ReLU a
 * negative input turned into 0 (or a positive one passed through), for sigmoid a squashed value,
 * for softmax scores turned into probabilities.
 */
export function activationExamples(activations) {
  const out = {};
  if (!activations || !Array.isArray(activations.layers)) return out;
  for (const l of activations.layers) {
    const name = l.activation;
    const layerNo = l.index + 1;
    const lin = l.linear || [];
    const act = l.output || [];
    if ((name === 'relu' || name === 'leaky_relu') && !out[name]) {
      let i = lin.findIndex((v) => v < 0);
      const negative = i >= 0;
      if (i < 0) i = 0;
      if (lin.length) out[name] = { layer: layerNo, unit: i + 1, input: lin[i], output: act[i], negative };
    } else if ((name === 'sigmoid' || name === 'tanh') && !out[name]) {
      // The most squashed value shows the effect best.
      let best = 0;
      for (let i = 1; i < lin.length; i++) if (Math.abs(lin[i]) > Math.abs(lin[best])) best = i;
      if (lin.length) out[name] = { layer: layerNo, unit: best + 1, input: lin[best], output: act[best] };
    } else if (name === 'softmax') {
      const sum = act.reduce((a, b) => a + b, 0);
      out.softmax = { layer: layerNo, scores: lin.slice(), probabilities: act.slice(), sum };
    }
  }
  return out;
}
