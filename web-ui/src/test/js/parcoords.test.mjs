// Unit tests of the parallel coordinates' scales, ticks and brushes: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  axisPositions, brushFromPixels, brushPixels, brushPredicate, categoryOf, categoryScale, linearScale,
  linearTicks, logScale, logTicks, makeScale, sortCategories, tickLabel,
} from '../../main/resources/trainscope/web/js/parcoords.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} != ${b}`);

test('a linear scale maps the domain onto the pixels, high values up, and back', () => {
  const s = linearScale([0, 10], [200, 0]);
  assert.equal(s.toPixel(0), 200);
  assert.equal(s.toPixel(10), 0);
  assert.equal(s.toPixel(2.5), 150);
  assert.equal(s.toValue(150), 2.5);
  for (const v of [0, 1.25, 7, 10]) close(s.toValue(s.toPixel(v)), v);
  assert.equal(s.toPixel(null), null);
  assert.equal(s.toPixel(NaN), null);
});

test('a log scale of a learning-rate range gives each decade the same height', () => {
  const s = logScale([0.001, 1], [300, 0]);
  close(s.toPixel(0.001), 300);
  close(s.toPixel(0.01), 200);
  close(s.toPixel(0.1), 100);
  close(s.toPixel(1), 0);
  close(s.toValue(200), 0.01);
  for (const v of [0.001, 0.003, 0.05, 0.3]) close(s.toValue(s.toPixel(v)), v);
  assert.equal(s.toPixel(0), null);
  assert.equal(s.toPixel(-0.1), null);
});

test('a log axis over the rows spans their positive values and ticks at the decades', () => {
  const rows = [{ lr: 0.3 }, { lr: 0.001 }, { lr: 0.03 }, { lr: null }, { lr: 0 }];
  const s = makeScale({ key: 'lr', type: 'log', value: (r) => r.lr }, rows, [300, 0]);
  assert.deepEqual(s.domain, [0.001, 0.3]);
  assert.deepEqual(s.ticks().map((t) => t.value), [0.001, 0.01, 0.1]);
  assert.deepEqual(s.ticks().map((t) => t.label), ['0.001', '0.01', '0.1']);
});

test('log ticks fall back to 2 and 5 times the decades, then to the ends', () => {
  assert.deepEqual(logTicks(0.02, 0.08).map((t) => t.value), [0.02, 0.05]);
  assert.deepEqual(logTicks(0.03, 0.04).map((t) => t.value), [0.03, 0.04]);
  assert.deepEqual(logTicks(1e-5, 1e-3).map((t) => t.label), ['1e-5', '1e-4', '0.001']);
  assert.deepEqual(logTicks(0.5, 20).map((t) => t.value), [1, 10]);
});

test('linear ticks step by 1, 2 or 5 times a power of ten inside the domain', () => {
  assert.deepEqual(linearTicks(0, 1).map((t) => t.value), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(linearTicks(0.13, 0.87).map((t) => t.value), [0.2, 0.4, 0.6, 0.8]);
  assert.deepEqual(linearTicks(16, 128).map((t) => t.value), [20, 40, 60, 80, 100, 120]);
});

test('tick labels are short: decimals, then exponents for tiny and huge values', () => {
  assert.equal(tickLabel(0), '0');
  assert.equal(tickLabel(0.001), '0.001');
  assert.equal(tickLabel(1e-4), '1e-4');
  assert.equal(tickLabel(2.5e-4), '2.5e-4');
  assert.equal(tickLabel(12000), '12000');
  assert.equal(tickLabel(250000), '2.5e5');
  assert.equal(tickLabel(0.123456), '0.123');
});

test('categories are sorted naturally, layer shapes and numbers become text', () => {
  assert.deepEqual(sortCategories(['16:relu', '8:relu', '128:relu', '8:relu', null, '']), ['8:relu', '16:relu', '128:relu']);
  assert.deepEqual(sortCategories(['sgd', 'adam', 'momentum']), ['adam', 'momentum', 'sgd']);
  assert.equal(categoryOf([16, 3]), '16,3');
  assert.equal(categoryOf(32), '32');
  assert.equal(categoryOf(undefined), null);
});

test('a category scale spaces its categories evenly, the first at the bottom, and reads back the nearest', () => {
  const s = categoryScale(['8:relu', '16:relu', '128:relu'], [300, 0]);
  assert.equal(s.toPixel('8:relu'), 250);
  assert.equal(s.toPixel('16:relu'), 150);
  assert.equal(s.toPixel('128:relu'), 50);
  assert.equal(s.toPixel('4:relu'), null);
  assert.equal(s.toValue(160), '16:relu');
  assert.equal(s.toValue(299), '8:relu');
  assert.equal(s.toValue(-20), '128:relu');
  for (const c of s.domain) assert.equal(s.toValue(s.toPixel(c)), c);
  assert.equal(categoryScale(['only'], [300, 0]).toPixel('only'), 150);
});

test('one value on an axis sits in the middle of a padded domain', () => {
  const number = (v) => makeScale({ type: 'number', value: (r) => r }, [v, v], [100, 0]);
  assert.deepEqual(number(4).domain, [2, 6]);
  assert.deepEqual(number(0).domain, [-1, 1]);
  const log = makeScale({ type: 'log', value: (r) => r }, [0.1], [100, 0]);
  close(log.toPixel(0.1), 50);
  assert.deepEqual(makeScale({ type: 'number', value: () => null }, [{}], [100, 0]).domain, [0, 1]);
});

test('a drag becomes a range in data units, the exact end of the domain when it runs past the axis', () => {
  const s = linearScale([0, 10], [200, 0]);
  assert.deepEqual(brushFromPixels(s, 150, 50), [2.5, 7.5]);
  assert.deepEqual(brushFromPixels(s, 50, 150), [2.5, 7.5]);
  assert.deepEqual(brushFromPixels(s, 180, 250), [0, 1]);
  const lr = logScale([0.001, 0.3], [300, 0]);
  const [lo, hi] = brushFromPixels(lr, 100, -40);
  assert.equal(hi, 0.3);
  close(lo, 10 ** (Math.log10(0.001) + (2 / 3) * Math.log10(300)));
  assert.deepEqual(brushPixels(s, [2.5, 7.5]), [[50, 150]]);
  assert.deepEqual(brushPixels(lr, [0, 0.3]), [[0, 300]], 'a log brush from zero starts at the bottom');
});

test('a drag on a category axis selects the categories it covers, or the nearest one', () => {
  const s = categoryScale(['8:relu', '16:relu', '128:relu'], [300, 0]);
  assert.deepEqual(brushFromPixels(s, 260, 140), ['8:relu', '16:relu']);
  assert.deepEqual(brushFromPixels(s, 170, 180), ['16:relu']);
  assert.deepEqual(brushPixels(s, ['16:relu']), [[100, 200]]);
  // Categories that are not neighbours get a band each, not one range over the one between.
  assert.deepEqual(brushPixels(s, ['128:relu', '8:relu']), [[0, 100], [200, 300]]);
});

test('the brush predicate ANDs the axes and leaves out rows missing a brushed value', () => {
  const axes = [
    { key: 'lr', type: 'log', value: (r) => r.lr },
    { key: 'batch', type: 'number', value: (r) => r.batch },
    { key: 'opt', type: 'category', value: (r) => r.opt },
  ];
  const p = brushPredicate(axes, { lr: [0.001, 0.01], opt: ['adam'], notAnAxis: [0, 0] });
  assert.equal(p({ lr: 0.001, opt: 'adam' }), true);
  assert.equal(p({ lr: 0.01, opt: 'adam', batch: null }), true, 'ends are inside; batch is not brushed');
  assert.equal(p({ lr: 0.03, opt: 'adam' }), false);
  assert.equal(p({ lr: 0.001, opt: 'sgd' }), false);
  assert.equal(p({ lr: null, opt: 'adam' }), false);
  assert.equal(p({ lr: 0.001 }), false);
  const batch = brushPredicate(axes, { batch: [16, 32] });
  assert.deepEqual([8, 16, 24, 32, 64, undefined].map((b) => batch({ batch: b })), [false, true, true, true, false, false]);
  assert.equal(brushPredicate(axes, {})({}), true);
  const shapes = brushPredicate([{ key: 'layers', type: 'category', value: (r) => r.layers }], { layers: ['16,3'] });
  assert.equal(shapes({ layers: [16, 3] }), true);
  assert.equal(shapes({ layers: [8, 3] }), false);
});

test('axes spread across the width inside the padding; one axis sits in the middle', () => {
  assert.deepEqual(axisPositions(3, 496), [48, 248, 448]);
  assert.deepEqual(axisPositions(1, 400), [200]);
  assert.deepEqual(axisPositions(0, 400), []);
});
