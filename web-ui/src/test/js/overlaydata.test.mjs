// Unit tests of the overlaid curves' data: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addEvent, chartData, emptySeries, lastEpochOf, ownX, sharedX, valueNear,
} from '../../main/resources/trainscope/web/js/overlaydata.js';
import { smooth } from '../../main/resources/trainscope/web/js/smooth.js';

function series(start, points) {
  const s = emptySeries();
  let seq = 0;
  if (start != null) addEvent(s, { type: 'run-started', seq: seq++, time: start });
  for (const [epoch, time, loss, valLoss] of points) {
    addEvent(s, { type: 'epoch', seq: seq++, epoch, time, loss, valLoss, accuracy: 0.5, valAccuracy: 0 });
  }
  return s;
}

test('epoch events become points; a seq already read is ignored', () => {
  const s = series(1000, [[1, 1100, 2, 3], [2, 1300, 1, NaN]]);
  assert.equal(addEvent(s, { type: 'epoch', seq: 1, epoch: 1, loss: 9 }), false);
  assert.deepEqual(s.epoch, [1, 2]);
  assert.deepEqual(s.loss, [2, 1]);
  assert.deepEqual(s.valLoss, [3, null]);
  assert.equal(lastEpochOf(s), 2);
  assert.equal(s.lastSeq, 2);
});

test('wall time is seconds since run-started, else since the first epoch', () => {
  assert.deepEqual(ownX(series(1000, [[1, 1500, 1, 1], [2, 3000, 1, 1]]), 'time'), [0.5, 2]);
  assert.deepEqual(ownX(series(null, [[1, 1500, 1, 1], [2, 3000, 1, 1]]), 'time'), [0, 1.5]);
  assert.deepEqual(ownX(series(null, [[1, 1500, 1, 1]]), 'epoch'), [1]);
});

test('by epoch the runs share one slot per epoch, null where a run has none', () => {
  const a = series(0, [[1, 0, 4, 4], [2, 0, 3, 3], [3, 0, 2, 2]]);
  const b = series(0, [[2, 0, 9, 9], [4, 0, 7, 7]]);
  const d = chartData([{ id: 'a', series: a }, { id: 'b', series: b }], 'loss', { axis: 'epoch', beta: 0, log: true });
  assert.deepEqual(d.x, [1, 2, 3, 4]);
  assert.deepEqual(d.runs[0].columns.map((c) => c.field), ['loss', 'valLoss']);
  assert.deepEqual(d.runs[0].columns[0].raw, [4, 3, 2, null]);
  assert.deepEqual(d.runs[1].columns[0].raw, [null, 9, null, 7]);
  assert.equal(d.runs[1].columns[0].smoothed, null);
});

test('smoothing runs on each run\'s own points before they are placed', () => {
  const b = series(0, [[2, 0, 9, 9], [4, 0, 7, 7], [5, 0, 1, 1]]);
  const d = chartData([{ id: 'b', series: b }], 'loss', { axis: 'epoch', beta: 0.5, log: false });
  const own = smooth([2, 4, 5], [9, 7, 1], 0.5);
  assert.deepEqual(d.x, [2, 3, 4, 5]);
  assert.deepEqual(d.runs[0].columns[0].smoothed, [own[0], null, own[1], own[2]]);
  assert.deepEqual(d.runs[0].columns[0].raw, [9, null, 7, 1]);
});

test('a log axis turns zero and negative values into gaps; a linear one keeps them', () => {
  const s = series(0, [[1, 0, 0, -1], [2, 0, 1, 1]]);
  const log = chartData([{ id: 's', series: s }], 'loss', { axis: 'epoch', beta: 0, log: true });
  assert.deepEqual(log.runs[0].columns[0].raw, [null, 1]);
  const lin = chartData([{ id: 's', series: s }], 'loss', { axis: 'epoch', beta: 0, log: false });
  assert.deepEqual(lin.runs[0].columns[1].raw, [-1, 1]);
});

test('by wall time the points go onto a shared grid of at most `grid` cells', () => {
  // Run a: 0 s, 1 s, 2 s; run b: 0 s, 4 s. Five points, grid of 5 over 0..4 s: cells of 1 s.
  const a = series(0, [[1, 0, 1, 1], [2, 1000, 2, 2], [3, 2000, 3, 3]]);
  const b = series(0, [[1, 0, 5, 5], [2, 4000, 6, 6]]);
  const d = chartData([{ id: 'a', series: a }, { id: 'b', series: b }], 'loss', { axis: 'time', beta: 0, log: false, grid: 5 });
  assert.deepEqual(d.x, [0, 1, 2, 3, 4]);
  assert.deepEqual(d.runs[0].columns[0].raw, [1, 2, 3, null, null]);
  assert.deepEqual(d.runs[1].columns[0].raw, [5, null, null, null, 6]);
  // A grid of 3 (cells of 2 s): a's points at 0 s and 1 s round to cells 0 and 1 (0.5 rounds up).
  const small = sharedX([[0, 1, 2], [0, 4]], 'time', 3);
  assert.deepEqual(small.x, [0, 2, 4]);
  assert.deepEqual(small.index, [[0, 1, 1], [0, 2]]);
});

test('epochs that are not integers share the sorted union of their values', () => {
  assert.deepEqual(sharedX([[0.5, 1], [1, 2]], 'epoch'), { x: [0.5, 1, 2], index: [[0, 1], [1, 2]] });
  assert.deepEqual(sharedX([[], []], 'epoch').x, []);
});

test('hover takes the nearest value within reach', () => {
  assert.equal(valueNear([null, 2, null, null], 3, 2), 2);
  assert.equal(valueNear([null, 2, null, null], 3, 1), null);
  assert.equal(valueNear([1], -1, 3), null);
});
