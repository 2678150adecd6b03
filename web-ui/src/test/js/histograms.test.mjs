// Unit tests of the histogram bars and layer facts: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramBars, layerFacts } from '../../main/resources/trainscope/web/js/histograms.js';

test('the tallest bar fills the height and the bars share the width', () => {
  const bars = histogramBars([1, 4, 2, 0]);
  assert.deepEqual(bars.map((b) => b.height), [10, 40, 20, 0]);
  assert.deepEqual(bars.map((b) => b.y), [30, 0, 20, 40]);
  assert.deepEqual(bars.map((b) => b.x), [0, 25, 50, 75]);
  assert.ok(bars.every((b) => Math.abs(b.width - 24.4) < 1e-9));
  assert.deepEqual(bars.map((b) => b.count), [1, 4, 2, 0]);
});

test('an all-zero histogram draws flat bars instead of dividing by zero', () => {
  assert.deepEqual(histogramBars([0, 0]).map((b) => b.height), [0, 0]);
});

test('layer facts name dead units, saturation and the update ratio when the layer has them', () => {
  assert.equal(layerFacts({ deadFraction: 0.25, deadUnits: 2, updateRatio: 0.00123 }),
    'dead 25.0% (2 units) \u00b7 update/weight 1.2e-3');
  assert.equal(layerFacts({ deadFraction: 0, deadUnits: 0 }), 'dead 0.0%');
  assert.equal(layerFacts({ saturatedFraction: 0.5 }), 'saturated 50.0%');
  assert.equal(layerFacts({}), '');
});
