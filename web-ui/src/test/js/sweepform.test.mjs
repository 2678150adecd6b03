// Unit tests of the sweep panel's request and error placement: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorTarget, parseValues, sweepRequest } from '../../main/resources/trainscope/web/js/sweepform.js';

test('values are comma-separated numbers, words, or JSON values such as layer lists', () => {
  assert.deepEqual(parseValues('0.01, 0.1,0.3'), [0.01, 0.1, 0.3]);
  assert.deepEqual(parseValues('sgd, adam'), ['sgd', 'adam']);
  assert.deepEqual(parseValues('0.1, -1, abc'), [0.1, -1, 'abc']);
  assert.deepEqual(parseValues('[{"units":3,"activation":"softmax"}], [{"units":8,"activation":"relu"},{"units":3,"activation":"softmax"}]'),
    [[{ units: 3, activation: 'softmax' }], [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }]]);
  assert.deepEqual(parseValues('  '), []);
});

test('the request has the base, a grid of the rows with values, repeats and the name when given', () => {
  const base = { epochs: 5 };
  const rows = [{ path: 'optimizer.learningRate', values: '0.01, 0.1' }, { path: 'batchSize', values: '8,16' }, { path: 'seed', values: '' }];
  assert.deepEqual(sweepRequest({ name: ' lr-batch ', base, rows, repeats: 2 }), {
    base, grid: { 'optimizer.learningRate': [0.01, 0.1], batchSize: [8, 16] }, repeats: 2, name: 'lr-batch',
  });
  assert.equal('name' in sweepRequest({ name: '', base, rows, repeats: 1 }), false);
});

test('a server error goes next to the row of the field it names', () => {
  const rows = [{ path: 'optimizer.learningRate' }, { path: 'batchSize' }];
  assert.deepEqual(errorTarget('grid.optimizer.learningRate[1]', rows), { row: 0 });
  assert.deepEqual(errorTarget('grid.batchSize', rows), { row: 1 });
  assert.equal(errorTarget('grid.seed[0]', rows), '_form');
  assert.equal(errorTarget('repeats', rows), 'repeats');
  assert.equal(errorTarget('base.epochs', rows), '_form');
  assert.equal(errorTarget(null, rows), '_form');
});
