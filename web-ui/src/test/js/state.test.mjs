// Unit tests of the pure state reducer: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  activationExamples, applyEvent, applyToSummary, createRun, isFinished, lastEpoch,
} from '../../main/resources/trainscope/web/js/state.js';

const here = dirname(fileURLToPath(import.meta.url));

function sampleRun() {
  // A small, real run (12 epochs, traced every 3) copied from the engine's output.
  return readFileSync(join(here, 'sample-run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

test('a replayed run gives one curve point per epoch, and the latest trace', () => {
  const events = sampleRun();
  const run = createRun(events[0].runId);
  for (const ev of events) applyEvent(run, ev);
  assert.equal(run.rows.length, 12);
  assert.deepEqual(run.curve.epoch, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(lastEpoch(run), 12);
  assert.equal(run.state, 'completed');
  assert.ok(isFinished(run));
  assert.equal(run.activations.epoch, 12);
  assert.equal(run.statsHistory.length, 3);
  assert.deepEqual(run.statsHistory[0].epoch, [1, 3, 6, 9, 12]);
  // Each traced epoch keeps its histograms for the heatmaps, one per kind.
  const first = events.find((e) => e.type === 'layer-stats').layers[0];
  assert.deepEqual(Object.keys(run.statsHistory[0].histograms), ['weights', 'gradients', 'activations']);
  assert.equal(run.statsHistory[0].histograms.gradients.length, 5);
  assert.deepEqual(run.statsHistory[0].histograms.weights[0].histogram, first.weights.histogram);
  assert.equal(run.statsHistory[0].histograms.activations[0].count, first.activations.count);
  assert.equal(run.byEpoch.get(1).insights[0].code, 'started');
  assert.deepEqual(run.completed.confusionMatrix, [[10, 0, 0], [0, 10, 0], [3, 5, 2]]);
});

test('duplicates and stale events (seq already seen) are ignored', () => {
  const events = sampleRun();
  const run = createRun(events[0].runId);
  for (const ev of events.slice(0, 10)) applyEvent(run, ev);
  // A reconnect that replays from the start must not double anything.
  for (const ev of events) applyEvent(run, ev);
  assert.equal(run.rows.length, 12);
  assert.equal(run.curve.loss.length, 12);
  assert.equal(run.insights.length, 2);
  assert.equal(applyEvent(run, events[3]), null);
});

test('events of another run are ignored', () => {
  const run = createRun('a');
  assert.equal(applyEvent(run, { type: 'epoch', runId: 'b', seq: 0, epoch: 1, loss: 1 }), null);
  assert.equal(run.rows.length, 0);
});

test('status events drive the state, and a finished run stays finished', () => {
  const run = createRun('r');
  applyEvent(run, { type: 'run-started', runId: 'r', seq: 0, config: { epochs: 5, name: 'x' } });
  assert.equal(run.state, 'running');
  applyEvent(run, { type: 'status', runId: 'r', seq: 1, state: 'paused', epoch: 1 });
  assert.equal(run.state, 'paused');
  applyEvent(run, { type: 'status', runId: 'r', seq: 2, state: 'resumed', epoch: 1 });
  assert.equal(run.state, 'running');
  applyEvent(run, { type: 'status', runId: 'r', seq: 3, state: 'stopped', epoch: 2 });
  applyEvent(run, { type: 'run-completed', runId: 'r', seq: 4, stopped: true });
  assert.equal(run.state, 'stopped');
  applyEvent(run, { type: 'status', runId: 'r', seq: 5, state: 'resumed', epoch: 2 });
  assert.equal(run.state, 'stopped');
});

test('log-scale curves get null instead of non-positive losses', () => {
  const run = createRun('r');
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 1, epoch: 1, loss: 0, valLoss: 0.5, accuracy: 1 });
  assert.deepEqual(run.curve.loss, [null]);
  assert.deepEqual(run.curve.valLoss, [0.5]);
});

test('summaries follow the live events', () => {
  const s = { id: 'r', state: 'queued' };
  applyToSummary(s, { type: 'epoch', epoch: 3, loss: 0.5, accuracy: 0.9 });
  assert.equal(s.state, 'running');
  assert.equal(s.lastEpoch, 3);
  applyToSummary(s, { type: 'status', state: 'paused' });
  assert.equal(s.state, 'paused');
  applyToSummary(s, { type: 'run-completed', stopped: false, loss: 0.4 });
  assert.equal(s.state, 'completed');
  assert.equal(s.loss, 0.4);
});

test('the best metrics of a summary follow the live epochs: the first strictly lowest loss, highest accuracy', () => {
  const s = { id: 'r', state: 'running', best: { loss: { value: 0.8, epoch: 1 } } };
  applyToSummary(s, { type: 'epoch', epoch: 2, loss: 0.5, accuracy: 0.7, valLoss: 0.6, valAccuracy: 0.5 });
  applyToSummary(s, { type: 'epoch', epoch: 3, loss: 0.5, accuracy: 0.6, valLoss: 0.7, valAccuracy: 0.75 });
  applyToSummary(s, { type: 'epoch', epoch: 4, loss: 0.4, accuracy: null, valLoss: NaN, valAccuracy: 0.75 });
  assert.deepEqual(s.best, {
    loss: { value: 0.4, epoch: 4 },
    accuracy: { value: 0.7, epoch: 2 },
    valLoss: { value: 0.6, epoch: 2 },
    valAccuracy: { value: 0.75, epoch: 3 },
  });
});

test('activation examples use the live values', () => {
  const events = sampleRun();
  const act = events.find((e) => e.type === 'activations');
  const ex = activationExamples(act);
  assert.equal(ex.relu.layer, 1);
  assert.ok(ex.relu.negative);
  assert.ok(ex.relu.input < 0);
  assert.equal(ex.relu.output, 0);
  assert.equal(ex.sigmoid.layer, 2);
  assert.ok(ex.sigmoid.output > 0 && ex.sigmoid.output < 1);
  assert.ok(Math.abs(ex.softmax.sum - 1) < 1e-9);
});

test('10,000 epochs reduce quickly', () => {
  const run = createRun('big');
  const t0 = Date.now();
  let seq = 0;
  applyEvent(run, { type: 'run-started', runId: 'big', seq: seq++, config: { epochs: 10000 } });
  for (let e = 1; e <= 10000; e++) {
    applyEvent(run, { type: 'epoch', runId: 'big', seq: seq++, epoch: e, loss: 1 / e, accuracy: 0.5, valLoss: 1 / e, valAccuracy: 0.5 });
  }
  assert.equal(run.rows.length, 10000);
  assert.ok(Date.now() - t0 < 1000);
});

test('sample file is present', () => {
  assert.ok(existsSync(join(here, 'sample-run.ndjson')));
});

test('every epoch row keeps its observation; a pushed epoch without one has none', () => {
  const run = createRun('r');
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 0, epoch: 1, loss: 1, observation: 'First epoch: loss 1.000, accuracy 33.3%.' });
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 1, epoch: 2, loss: 0.9 });
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 2, epoch: 3, loss: 0.8, observation: '  ' });
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 3, epoch: 4, loss: 0.7, observation: null });
  assert.deepEqual(run.rows.map((r) => r.observation), ['First epoch: loss 1.000, accuracy 33.3%.', null, null, null]);
});
