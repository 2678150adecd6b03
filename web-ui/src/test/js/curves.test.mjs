// Unit tests of the curve columns and charts' series: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CURVE_COLUMNS, addCurvePoint, applyEvent, createRun, curveData, emptyCurve,
} from '../../main/resources/trainscope/web/js/state.js';
import { CURVE_CHARTS, curveSeries } from '../../main/resources/trainscope/web/js/curves.js';
import { color } from '../../main/resources/trainscope/web/js/charts.js';

test('every curve column belongs to a chart and plots a field of the epoch row', () => {
  const run = createRun('r');
  applyEvent(run, { type: 'epoch', runId: 'r', seq: 0, epoch: 1, loss: 1, accuracy: 0.5, valLoss: 2, valAccuracy: 0.25 });
  for (const c of CURVE_COLUMNS) {
    assert.ok(CURVE_CHARTS[c.chart], `${c.field}: no chart ${c.chart}`);
    assert.ok(c.field in run.rows[0], `${c.field} is not a field of the epoch row`);
  }
  assert.deepEqual(new Set(CURVE_COLUMNS.map((c) => c.field)).size, CURVE_COLUMNS.length);
});

test('the loss chart plots train and validation loss, the accuracy chart train and validation accuracy', () => {
  const curve = emptyCurve();
  addCurvePoint(curve, { epoch: 1, loss: 0.9, valLoss: 1.1, accuracy: 0.6, valAccuracy: 0.5 });
  addCurvePoint(curve, { epoch: 2, loss: 0.7, valLoss: 0.8, accuracy: 0.7, valAccuracy: 0.65 });
  assert.deepEqual(curveData(curve, 'loss'), [[1, 2], [0.9, 0.7], [1.1, 0.8]]);
  assert.deepEqual(curveData(curve, 'accuracy'), [[1, 2], [0.6, 0.7], [0.5, 0.65]]);
});

test('log-scale columns turn zero and missing losses into gaps, linear ones keep zero', () => {
  const curve = emptyCurve();
  addCurvePoint(curve, { epoch: 1, loss: 0, valLoss: null, accuracy: 0, valAccuracy: null });
  assert.deepEqual(curveData(curve, 'loss'), [[1], [null], [null]]);
  assert.deepEqual(curveData(curve, 'accuracy'), [[1], [0], [null]]);
});

test('a chart gets one series per column, in column order, training solid and validation dashed', () => {
  assert.deepEqual(curveSeries('loss'), [
    { label: 'train loss', color: color(0), dash: undefined },
    { label: 'validation loss', color: color(1), dash: [6, 4] },
  ]);
  assert.deepEqual(curveSeries('accuracy').map((s) => s.label), ['train accuracy', 'validation accuracy']);
});

test('the data of a chart lines up with its series', () => {
  const curve = emptyCurve();
  for (const chart of Object.keys(CURVE_CHARTS)) {
    assert.equal(curveData(curve, chart).length, 1 + curveSeries(chart).length, chart);
  }
});

test('the loss axis is logarithmic and accuracy shows as a percentage in [0, 1]', () => {
  assert.equal(CURVE_CHARTS.loss.log, true);
  assert.deepEqual(CURVE_CHARTS.accuracy.range, [0, 1]);
  assert.equal(CURVE_CHARTS.accuracy.yFormat(0.5), '50.0%');
});
