// Unit tests of the layer-statistics heatmaps' re-binning, ranges, colours and hover: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BINS, cellAt, cellShade, cellText, columnSpan, epochExtent, growRange, heatColor, rebin,
} from '../../main/resources/trainscope/web/js/heatmap.js';

const sum = (a) => a.reduce((x, y) => x + y, 0);
const h4 = { count: 10, min: 0, max: 4, histogram: [1, 2, 3, 4] };

test('re-binning onto wider bins adds whole source bins together', () => {
  assert.deepEqual(rebin(h4, [0, 8], 4), [3, 7, 0, 0]);
  assert.deepEqual(rebin(h4, [-2, 6], 4), [0, 3, 7, 0]);
});

test('re-binning onto finer bins splits each source bin by its overlap', () => {
  assert.deepEqual(rebin(h4, [0, 4], 8), [0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2]);
  // Target edge 2.5 cuts the source bin [2, 3] in half.
  assert.deepEqual(rebin(h4, [0.5, 4.5], 2), [4.5, 5.5]);
});

test('re-binning preserves the counts, also for values beyond the grid and uneven edges', () => {
  assert.deepEqual(rebin(h4, [1, 3], 2), [3, 7], 'what lies outside goes to the end bins');
  const h = { count: 60, min: -0.37, max: 0.91, histogram: [5, 0, 12, 7, 1, 0, 3, 9, 11, 2, 0, 4, 6] };
  const counts = rebin(h, [-1.13, 2.07], BINS);
  assert.equal(counts.length, BINS);
  assert.ok(Math.abs(sum(counts) - 60) < 1e-9, String(sum(counts)));
  assert.ok(counts.every((c) => c >= 0));
});

test('a histogram of one value goes whole into the bin holding it; an empty one gives zeros', () => {
  assert.deepEqual(rebin({ count: 5, min: 0.3, max: 0.3, histogram: [5, 0, 0] }, [0, 1], 4), [0, 5, 0, 0]);
  assert.deepEqual(rebin({ count: 0, min: 0, max: 0, histogram: [] }, [0, 1], 3), [0, 0, 0]);
  assert.deepEqual(rebin(null, [0, 1], 2), [0, 0]);
});

test('the range starts padded, stays while values fit, and grows past a new extreme with headroom', () => {
  assert.deepEqual(growRange(null, -1, 1), { range: [-1.2, 1.2], grew: true });
  assert.deepEqual(growRange(null, 0, 0), { range: [-1, 1], grew: true });
  const one = growRange(null, 2, 2).range;
  assert.ok(Math.abs(one[0] - 1.8) < 1e-12 && Math.abs(one[1] - 2.2) < 1e-12);
  const same = [-1.2, 1.2];
  assert.equal(growRange(same, -1, 1.2).range, same);
  assert.equal(growRange(same, -1, 1.2).grew, false);
  // Union [-1.2, 1.5] spans 2.7: the top moves a quarter of that beyond 1.5.
  const grown = growRange(same, -1, 1.5);
  assert.equal(grown.grew, true);
  assert.equal(grown.range[0], -1.2);
  assert.ok(Math.abs(grown.range[1] - 2.175) < 1e-12);
});

test('the epoch axis is the planned epochs, or doubles from 10 when they are unknown', () => {
  assert.equal(epochExtent(0, 5, 200), 200);
  assert.equal(epochExtent(0, 5, null), 10);
  assert.equal(epochExtent(10, 11, null), 20);
  assert.equal(epochExtent(20, 90, undefined), 160);
  assert.equal(epochExtent(20, 15, null), 20);
});

test('a column spans from the previous traced epoch to its own', () => {
  const epochs = [1, 5, 10];
  assert.deepEqual(columnSpan(epochs, 0, 10, 100), [0, 10]);
  assert.deepEqual(columnSpan(epochs, 1, 10, 100), [10, 50]);
  assert.deepEqual(columnSpan(epochs, 2, 10, 100), [50, 100]);
});

test('colour is log-scaled against the values in the epoch, so columns never need a redraw', () => {
  assert.equal(cellShade(0, 12), 0);
  assert.equal(cellShade(12, 12), 1);
  // log(4) / log(16) = 0.5, above the floor of 0.12 that keeps one value visible.
  assert.ok(Math.abs(cellShade(3, 15) - (0.12 + 0.88 * 0.5)) < 1e-12);
  assert.ok(Math.abs(cellShade(0.01, 15) - 0.12) < 0.01);
  assert.equal(cellShade(1, 0), 0);
  assert.equal(heatColor(0), 'rgb(248,250,252)');
  assert.equal(heatColor(0.5), 'rgb(129,140,248)');
  assert.equal(heatColor(1), 'rgb(30,27,75)');
  assert.equal(heatColor(2), 'rgb(30,27,75)');
});

test('hovering reads the epoch\'s own bin: its range and exact count', () => {
  const columns = [
    { epoch: 1, summary: h4 },
    { epoch: 5, summary: { count: 3, min: 1, max: 2, histogram: [2, 1] } },
  ];
  // x axis to epoch 10, value range [0, 4]: fx 0.3 is epoch 3, inside the column of epoch 5.
  const cell = cellAt(columns, [0, 4], 10, 0.3, 1 - 1.25 / 4);
  assert.deepEqual(cell, { epoch: 5, value: 1.25, from: 1, to: 1.5, count: 2, total: 3 });
  assert.equal(cellText('weights', cell), 'epoch 5 \u00b7 weights in [1, 1.5]: 2 of 3');
  assert.equal(cellAt(columns, [0, 4], 10, 0.05, 0.5).epoch, 1);
  assert.equal(cellAt(columns, [0, 4], 10, 0.05, 0.5).count, 3);
  const outside = cellAt(columns, [0, 4], 10, 0.4, 0.1);
  assert.equal(outside.count, 0);
  assert.equal(cellText('gradients', outside), 'epoch 5 \u00b7 3.6: none in this epoch\'s range');
  assert.equal(cellAt(columns, [0, 4], 10, 0.8, 0.5), null, 'no column drawn there yet');
});
