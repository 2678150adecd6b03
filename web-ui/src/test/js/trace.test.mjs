// Unit tests of what the weight editor reads off a trace, and the map's part of the state reducer:
// node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  biasOf, editText, layerInput, paramLabel, weightOf, weightRequest,
} from '../../main/resources/trainscope/web/js/trace.js';
import { applyEvent, createRun } from '../../main/resources/trainscope/web/js/state.js';

// 2 inputs -> 2 tanh -> 1 sigmoid, with hand-set numbers: z0 = 1*0.5 + 2*(-1) + b0, b0 = 1.75
// gives z0 = 0.25; z1 = 1*2 + 2*0.25 + b1, b1 = -0.5 gives 2.
const act = {
  epoch: 3,
  input: [1, 2],
  layers: [
    { index: 0, activation: 'tanh', inputs: 2, units: 2, linear: [0.25, 2], output: [0.5, -0.25], weights: [[0.5, -1], [2, 0.25]] },
    // z = 0.5 * 4 + (-0.25) * 2 + b = 1.5 + b with b = 0.125
    { index: 1, activation: 'sigmoid', inputs: 2, units: 1, linear: [1.625], output: [0.8], weights: [[4, 2]] },
  ],
};

test('a layer\'s input is the probe for the first layer, else the previous output', () => {
  assert.deepEqual(layerInput(act, 0), [1, 2]);
  assert.deepEqual(layerInput(act, 1), [0.5, -0.25]);
  assert.equal(layerInput(null, 0), null);
});

test('weights are read off the trace as [unit][input]', () => {
  assert.equal(weightOf(act, 0, 1, 0), 2);
  assert.equal(weightOf(act, 1, 0, 1), 2);
  assert.equal(weightOf(act, 1, 0, 2), null);
  assert.equal(weightOf({ layers: [{ weights: null }] }, 0, 0, 0), null, 'a layer too large to trace');
});

test('a bias is z minus the weighted inputs', () => {
  assert.equal(biasOf(act, 0, 0), 1.75);
  assert.equal(biasOf(act, 0, 1), -0.5);
  assert.equal(biasOf(act, 1, 0), 0.125);
  assert.equal(biasOf({ input: [1], layers: [{ linear: [1], weights: null }] }, 0, 0), null);
});

test('parameters and edits read 1-based, as the cards number layers', () => {
  assert.equal(paramLabel({ layer: 0, unit: 1, input: 0 }), 'weight of layer 1: input 1 \u2192 unit 2');
  assert.equal(paramLabel({ layer: 2, unit: 0, bias: true }), 'bias of layer 3 unit 1');
  assert.equal(editText({ layer: 0, unit: 1, input: 0, oldValue: 0.42, newValue: 2.5 }, (v) => v.toFixed(2)),
    'set weight of layer 1: input 1 \u2192 unit 2: 0.42 \u2192 2.50');
});

test('the edit request names input or bias; text that is no number goes to the server as it is', () => {
  assert.deepEqual(weightRequest({ layer: 0, unit: 1, input: 0 }, ' 2.5 '), { layer: 0, unit: 1, input: 0, value: 2.5 });
  assert.deepEqual(weightRequest({ layer: 1, unit: 0, bias: true }, '-1e-3'), { layer: 1, unit: 0, bias: true, value: -0.001 });
  assert.deepEqual(weightRequest({ layer: 0, unit: 0, input: 1 }, 'abc'), { layer: 0, unit: 0, input: 1, value: 'abc' });
  assert.deepEqual(weightRequest({ layer: 0, unit: 0, input: 1 }, ''), { layer: 0, unit: 0, input: 1, value: '' });
});

test('the reducer keeps the latest boundary, the data points and every edit on its epoch row', () => {
  const run = createRun('r');
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 1, epoch: 1, loss: 1, accuracy: 0.5 });
  const b1 = { type: 'decision-boundary', runId: 'r', seq: 2, epoch: 1, grid: 2, predicted: 'AAEBAA==', confidence: 'gICAgA==' };
  assert.ok(applyEvent(run, b1).has('map'));
  const changed = applyEvent(run, {
    type: 'data-points', runId: 'r', seq: 3, mean: [0.5, 0.5], std: [0.5, 0.5], stride: 2,
    train: { x: [0, 2], y: [1, 3], label: [0, 1] }, validation: { x: [1], y: [0], label: [1] },
  });
  assert.ok(changed.has('map'));
  assert.deepEqual(run.points, {
    train: [[0, 1, 0], [2, 3, 1]], validation: [[1, 0, 1]], mean: [0.5, 0.5], std: [0.5, 0.5], stride: 2,
  });
  const edit = { type: 'weights-edited', runId: 'r', seq: 4, epoch: 1, layer: 0, unit: 1, input: 0, bias: false, oldValue: 0.42, newValue: 2.5 };
  assert.ok(applyEvent(run, edit).has('table'));
  const b2 = { ...b1, seq: 5 };
  applyEvent(run, b2);
  assert.equal(run.boundary, b2);
  assert.equal(run.edits.length, 1);
  assert.deepEqual(run.byEpoch.get(1).edits, [{ epoch: 1, layer: 0, unit: 1, input: 0, bias: false, oldValue: 0.42, newValue: 2.5 }]);
  assert.ok(applyEvent(run, { type: 'activations', runId: 'r', seq: 6, epoch: 1, input: [0, 0], layers: [] }).has('map'),
    'a new trace moves the probe mark');
});
