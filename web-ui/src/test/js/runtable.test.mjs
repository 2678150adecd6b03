// Unit tests of the run table's pure parts: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  METRIC_COLUMNS, cellText, columnsFor, defaultColumnKeys, filterRows, legendLabel, paramText, short4,
  shortName, sortRows, variedColumns, variedParams,
} from '../../main/resources/trainscope/web/js/runtable.js';

const run = (id, params, extra = {}) => ({ id, name: id, state: 'completed', createdAt: 1, params, ...extra });
const a = run('a', { 'optimizer.learningRate': 0.3, batchSize: 16, layers: '3 relu, 3 softmax' }, { loss: 0.5, createdAt: 3 });
const b = run('b', { 'optimizer.learningRate': 0.01, batchSize: 16, layers: '3 relu, 3 softmax' }, { loss: 0.2, createdAt: 2 });
const c = run('c', { 'optimizer.learningRate': 0.1, batchSize: 8, layers: '3 relu, 3 softmax' }, { createdAt: 1, state: 'running' });

test('short names are the server sweep names: lr, opt, batch, wd, else the last path segment', () => {
  assert.deepEqual(['optimizer.learningRate', 'optimizer.type', 'batchSize', 'weightDecay', 'optimizer.momentum', 'seed'].map(shortName),
    ['lr', 'opt', 'batch', 'wd', 'momentum', 'seed']);
});

test('numbers in labels have at most 4 significant digits in plain notation', () => {
  assert.deepEqual([0.1, 0.3, 0.123456, 16, 1e-5, 1e-7, 12345.6, 0.001].map(short4),
    ['0.1', '0.3', '0.1235', '16', '0.00001', '0.0000001', '12350', '0.001']);
  assert.equal(paramText('layers', '8 relu, 3 softmax'), '[8 relu, 3 softmax]');
});

test('columns come from the summaries: base, each param seen, final and best metrics, duration', () => {
  const keys = columnsFor([a, run('x', { seed: 1 })]).map((col) => col.key);
  assert.deepEqual(keys.slice(0, 8), ['name', 'state', 'dataset', 'kind',
    'param:optimizer.learningRate', 'param:batchSize', 'param:layers', 'param:seed']);
  assert.deepEqual(keys.slice(8), [...METRIC_COLUMNS.map((m) => m.key), 'duration']);
  assert.ok(keys.includes('best:valLoss') && keys.includes('final:accuracy'));
});

test('a best metric shows its epoch', () => {
  const col = METRIC_COLUMNS.find((m) => m.key === 'best:valAccuracy');
  assert.equal(cellText(col, { best: { valAccuracy: { value: 0.9, epoch: 14 } } }), '90.0% @14');
  assert.equal(cellText(col, { best: {} }), '\u2013');
});

test('varied columns are the params whose values differ among the rows that have them', () => {
  assert.deepEqual(variedColumns([a, b]), ['param:optimizer.learningRate']);
  assert.deepEqual(variedParams([a, b, c]), ['optimizer.learningRate', 'batchSize']);
  assert.deepEqual(variedParams([a, run('e', {}), run('f', { batchSize: 16 })]), []);
  assert.deepEqual(variedParams([a, run('e', {}), run('f', { batchSize: 32 })]), ['batchSize']);
  assert.deepEqual(variedParams([a]), []);
});

test('the legend names what differs, or the run name when nothing does', () => {
  const varied = variedParams([a, b, c]);
  assert.equal(legendLabel(a, varied), 'lr=0.3 batch=16');
  assert.equal(legendLabel(c, varied), 'lr=0.1 batch=8');
  assert.equal(legendLabel(a, []), 'a');
});

test('numbers sort numerically with missing values last in both directions', () => {
  const loss = columnsFor([a]).find((col) => col.key === 'final:loss');
  assert.deepEqual(sortRows([c, a, b], loss, 'asc').map((r) => r.id), ['b', 'a', 'c']);
  assert.deepEqual(sortRows([c, a, b], loss, 'desc').map((r) => r.id), ['a', 'b', 'c']);
  const lr = columnsFor([a]).find((col) => col.key === 'param:optimizer.learningRate');
  assert.deepEqual(sortRows([a, b, c], lr, 'asc').map((r) => r.id), ['b', 'c', 'a']);
});

test('text sorts naturally and without a column the newest run comes first', () => {
  const name = columnsFor([]).find((col) => col.key === 'name');
  const rows = [run('run 10', {}), run('run 2', {}), run('Run 1', {})];
  assert.deepEqual(sortRows(rows, name, 'asc').map((r) => r.id), ['Run 1', 'run 2', 'run 10']);
  assert.deepEqual(sortRows([c, a, b], null).map((r) => r.id), ['a', 'b', 'c']);
});

test('filters: every word in the name or params, state, sweep and a predicate', () => {
  const ids = (rows) => rows.map((r) => r.id);
  assert.deepEqual(ids(filterRows([a, b, c], { q: 'lr=0.1' })), ['c']);
  assert.deepEqual(ids(filterRows([a, b, c], { q: 'batch=16 LR=0.3' })), ['a']);
  assert.deepEqual(ids(filterRows([a, b, c], { q: 'optimizer.learningRate=0.01' })), ['b']);
  assert.deepEqual(ids(filterRows([a, b, c], { state: 'running' })), ['c']);
  assert.deepEqual(ids(filterRows([a, { ...b, sweep: 's1' }, c], { sweep: 's1' })), ['b']);
  assert.deepEqual(ids(filterRows([a, b, c], { predicate: (r) => r.loss != null })), ['a', 'b']);
});

test('the default columns show the base ones, the params that vary and the results', () => {
  const keys = defaultColumnKeys([a, b]);
  assert.deepEqual(keys, ['name', 'state', 'dataset', 'kind', 'param:optimizer.learningRate',
    'final:loss', 'final:valLoss', 'final:accuracy', 'final:valAccuracy', 'best:valLoss', 'best:valAccuracy', 'duration']);
});
