// Unit tests of the run list's order and text: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlsOf, newestFirst, runMeta } from '../../main/resources/trainscope/web/js/runs.js';

test('runs are listed newest first, and by id descending when created at the same time', () => {
  const runs = [
    { id: 'a', createdAt: 100 }, { id: 'c', createdAt: 300 }, { id: 'b', createdAt: 300 }, { id: 'z' },
  ];
  assert.deepEqual(runs.sort(newestFirst).map((r) => r.id), ['c', 'b', 'a', 'z']);
});

test('the meta line shows data set, epoch of epochs, loss and accuracy', () => {
  assert.equal(runMeta({ dataset: 'iris', lastEpoch: 3, epochs: 200, loss: 0.5, accuracy: 0.9 }),
    'iris \u00b7 epoch 3/200 \u00b7 loss 0.500 \u00b7 acc 90.0%');
});

test('the meta line leaves out what a run does not have yet', () => {
  assert.equal(runMeta({ config: { dataset: 'xor' } }), 'xor');
  assert.equal(runMeta({ lastEpoch: 0 }), 'epoch 0');
  assert.equal(runMeta({}), '');
});

test('an external run takes pause and stop only when its trainer is controllable, and never a step', () => {
  assert.deepEqual(controlsOf({ external: false }), { pause: true, step: true });
  assert.deepEqual(controlsOf(undefined), { pause: true, step: true });
  assert.deepEqual(controlsOf({ external: true, controllable: true }), { pause: true, step: false });
  assert.deepEqual(controlsOf({ external: true }), { pause: false, step: false });
});
