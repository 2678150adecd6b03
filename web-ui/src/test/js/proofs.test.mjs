// Unit tests of the quiz's live proofs and the key insight line: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quizProof } from '../../main/resources/trainscope/web/js/proofs.js';
import { keyInsightLine } from '../../main/resources/trainscope/web/js/learn.js';
import { applyEvent, createRun } from '../../main/resources/trainscope/web/js/state.js';

function layer(index, activation, linear, output) {
  return { index, activation, inputs: 3, units: linear.length, linear, output };
}

// The reference network's shape: ReLU, sigmoid, softmax.
const TRACE = {
  type: 'activations', epoch: 7, input: [0.1, -0.2, 0.3, 0.4],
  layers: [
    layer(0, 'relu', [0.9194, 1.1232, -1.2254], [0.9194, 1.1232, 0]),
    layer(1, 'sigmoid', [1.1796, -1.1883, 1.9504], [0.76487, 0.23357, 0.87549]),
    layer(2, 'softmax', [1.3185, 1.2039, 1.649], [0.304567, 0.271584, 0.423849]),
  ],
};

test('the ReLU proof points at the unit that ReLU turned into zero, quoting its z', () => {
  const p = quizProof('relu', TRACE);
  assert.equal(p.found, true);
  assert.deepEqual(p.cells, [{ stage: 'layer-0', kind: 'linear', index: 2 }, { stage: 'layer-0', kind: 'output', index: 2 }]);
  assert.equal(p.value, 0);
  assert.equal(p.input, -1.2254);
  assert.equal(p.text, 'Live proof, layer 1 (highlighted in the data flow): unit 3 gets z = -1.225 and ReLU turns it into 0.000.');
});

test('with no zero right now the ReLU proof says so and points at nothing', () => {
  const t = { ...TRACE, layers: [layer(0, 'relu', [0.5, 0.25, 2], [0.5, 0.25, 2]), TRACE.layers[2]] };
  const p = quizProof('relu', t);
  assert.equal(p.found, false);
  assert.deepEqual(p.cells, []);
  assert.equal(p.text, 'No unit of layer 1 is zero right now: every z it gets is positive (the smallest is 0.250), so ReLU passes each one through unchanged.');
});

test('the ReLU proof takes the first ReLU layer, wherever it is; leaky ReLU never gives a zero', () => {
  const t = { ...TRACE, layers: [layer(0, 'leaky_relu', [-1], [-0.01]), layer(1, 'tanh', [-1], [-0.76]), layer(2, 'relu', [-0.5, 1], [0, 1]), layer(3, 'softmax', [1, 2], [0.27, 0.73])] };
  const p = quizProof('relu', t);
  assert.equal(p.found, true);
  assert.deepEqual(p.cells.map((c) => c.stage + ':' + c.kind + ':' + c.index), ['layer-2:linear:0', 'layer-2:output:0']);
  assert.match(p.text, /^Live proof, layer 3 /);
  assert.equal(quizProof('relu', { ...t, layers: t.layers.filter((l) => l.activation !== 'relu') }).text,
    'This network has no ReLU layer, so there is no ReLU zero to point at.');
});

test('a zero beyond the cells the data flow shows is not pointed at', () => {
  const z = Array.from({ length: 40 }, (_, i) => (i === 35 ? -1 : 1));
  const p = quizProof('relu', { ...TRACE, layers: [layer(0, 'relu', z, z.map((v) => Math.max(0, v)))] });
  assert.equal(p.found, false);
  assert.equal(p.text, 'The zeros of layer 1 right now are beyond the first 32 units the data flow shows.');
});

test('the sigmoid proof quotes every live output, each between 0 and 1', () => {
  const p = quizProof('sigmoid', TRACE);
  assert.equal(p.found, true);
  assert.deepEqual(p.values, [0.76487, 0.23357, 0.87549]);
  assert.deepEqual(p.cells, [0, 1, 2].map((index) => ({ stage: 'layer-1', kind: 'output', index })));
  assert.equal(p.text, 'Live proof, layer 2 (highlighted in the data flow): its sigmoid outputs right now are 0.765, 0.234, 0.875; each lies between 0 and 1 (smallest 0.234, largest 0.875).');
});

test('a wide sigmoid layer is quoted in part', () => {
  const a = Array.from({ length: 10 }, (_, i) => (i + 1) / 11);
  const p = quizProof('sigmoid', { ...TRACE, layers: [layer(0, 'sigmoid', a, a)] });
  assert.match(p.text, /0\.727, \u2026 \(2 more\); each lies between 0 and 1 \(smallest 0\.091, largest 0\.909\)/);
  assert.equal(p.cells.length, 10);
});

test('the softmax proof quotes the live row, by class, and its sum', () => {
  const p = quizProof('softmax', TRACE, ['setosa', 'versicolor', 'virginica']);
  assert.equal(p.found, true);
  assert.ok(Math.abs(p.sum - 1) < 1e-12);
  assert.deepEqual(p.cells.map((c) => c.index), [0, 1, 2]);
  assert.equal(p.text, 'Live proof, layer 3 (highlighted in the data flow): its softmax row right now is setosa 0.305 + versicolor 0.272 + virginica 0.424 = 1.000; every value is positive and they sum to 1.');
  assert.match(quizProof('softmax', TRACE).text, /is 0\.305 \+ 0\.272 \+ 0\.424 = 1\.000;/);
});

test('without such a layer or without a trace the proof says so', () => {
  const noSigmoid = { ...TRACE, layers: [TRACE.layers[0], TRACE.layers[2]] };
  assert.deepEqual(quizProof('sigmoid', noSigmoid), { found: false, text: 'This network has no sigmoid layer, so there is no sigmoid output to point at.', cells: [] });
  const noSoftmax = { ...TRACE, layers: [TRACE.layers[0], TRACE.layers[1]] };
  assert.equal(quizProof('softmax', noSoftmax).found, false);
  assert.match(quizProof('softmax', noSoftmax).text, /no softmax layer/);
  for (const id of ['relu', 'sigmoid', 'softmax']) {
    for (const act of [null, undefined, {}, { type: 'activations', epoch: 1 }]) {
      const p = quizProof(id, act);
      assert.equal(p.found, false);
      assert.match(p.text, /^No trace yet/);
    }
  }
  // A pushed trace may leave the values out.
  const bare = { ...TRACE, layers: [{ index: 0, activation: 'softmax', units: 3 }] };
  assert.equal(quizProof('softmax', bare).found, false);
  assert.equal(quizProof('softmax', bare).text, 'The trace has no values for layer 1 yet.');
});

test('no proof text ever reads null or undefined', () => {
  const traces = [TRACE, null, { layers: [] }, { layers: [{ index: 0, activation: 'relu' }] },
    { layers: [{ index: 0, activation: 'sigmoid', output: [] }] }, { layers: [{ index: 0, activation: 'softmax', output: [1] }] }];
  for (const t of traces) {
    for (const id of ['relu', 'sigmoid', 'softmax']) assert.doesNotMatch(quizProof(id, t).text, /null|undefined|NaN/);
  }
});

test('the key insight line is the latest insight, and absent (never "null") without one', () => {
  const run = createRun('r');
  assert.equal(keyInsightLine(run), null);
  assert.equal(keyInsightLine(null), null);
  // A pushed run: epochs with and without an observation, no insight yet.
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 0, epoch: 1, loss: 1 });
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 1, epoch: 2, loss: 0.9, observation: 'Loss fell.' });
  assert.equal(keyInsightLine(run), null);
  applyEvent(run, { type: 'insight', runId: 'r', seq: 2, epoch: 2, level: 'success', code: 'loss-decreasing', message: 'Loss is decreasing.' });
  assert.equal(keyInsightLine(run), 'Epoch 2: Loss is decreasing.');
  // An insight without an epoch (0 as Java reads a missing int) reads without one.
  applyEvent(run, { type: 'insight', runId: 'r', seq: 3, level: 'info', code: 'x', message: 'Pushed note.' });
  assert.equal(keyInsightLine(run), 'Pushed note.');
});
