// Unit tests of the Compare view's smoothing against hand-computed values: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smooth, typicalStep } from '../../main/resources/trainscope/web/js/smooth.js';

function close(actual, expected, eps = 1e-12) {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    if (expected[i] == null) assert.equal(v, null, `[${i}]`);
    else assert.ok(Math.abs(v - expected[i]) < eps, `[${i}]: ${v} != ${expected[i]}`);
  });
}

test('even steps give the textbook debiased EMA m_n / (1 - beta^n)', () => {
  // beta 0.5, ys 1, 2, 3: m1 = 0.5, m2 = 0.5*0.5 + 0.5*2 = 1.25, m3 = 0.625 + 1.5 = 2.125;
  // divided by 1 - 0.5^n = 0.5, 0.75, 0.875: 1, 5/3, 17/7.
  close(smooth([1, 2, 3], [1, 2, 3], 0.5), [1, 5 / 3, 17 / 7]);
});

test('the first smoothed value is the first value, not pulled towards zero', () => {
  close(smooth([1, 2], [10, 10], 0.9), [10, 10]);
});

test('an uneven gap decays by beta to the power of the gap in typical steps', () => {
  // xs 0, 1, 3 (gaps 1 and 2: median 1.5), beta 0.5, ys 2, 4, 8.
  // d: 1, 1/1.5, 2/1.5; a = 0.5, 0.5^(2/3), 0.5^(4/3).
  const a2 = 0.5 ** (2 / 3);
  const a3 = 0.5 ** (4 / 3);
  const m1 = 0.5 * 2;
  const w1 = 0.5;
  const m2 = a2 * m1 + (1 - a2) * 4;
  const w2 = a2 * w1 + (1 - a2);
  const m3 = a3 * m2 + (1 - a3) * 8;
  const w3 = a3 * w2 + (1 - a3);
  close(smooth([0, 1, 3], [2, 4, 8], 0.5), [2, m2 / w2, m3 / w3]);
  // Numerically: a2 = 0.629961, m2 = 0.629961 + 0.370039 * 4 = 2.110118, w2 = 0.685020.
  assert.ok(Math.abs(smooth([0, 1, 3], [2, 4, 8], 0.5)[1] - 3.080376) < 1e-6);
});

test('doubling every gap of an even series changes nothing: the step is measured in typical steps', () => {
  close(smooth([0, 2, 4, 6], [1, 3, 2, 5], 0.7), smooth([1, 2, 3, 4], [1, 3, 2, 5], 0.7));
});

test('a single point is itself', () => {
  close(smooth([5], [0.25], 0.99), [0.25]);
  assert.equal(typicalStep([5]), 1);
});

test('beta 0 returns the raw values', () => {
  close(smooth([1, 2, 3], [3, 1, 2], 0), [3, 1, 2]);
});

test('a NaN in the middle stays a gap and the next point decays over the longer gap', () => {
  // xs 1..3 (median gap 1), beta 0.5, ys 2, NaN, 6: the third point is 2 steps after the first.
  // m1 = 1, w1 = 0.5; a = 0.25: m3 = 0.25 + 0.75*6 = 4.75, w3 = 0.125 + 0.75 = 0.875.
  close(smooth([1, 2, 3], [2, NaN, 6], 0.5), [2, null, 4.75 / 0.875]);
  close(smooth([1, 2, 3], [null, 4, undefined], 0.5), [null, 4, null]);
});

test('the typical step is the median gap', () => {
  assert.equal(typicalStep([0, 1, 2, 10]), 1);
  assert.equal(typicalStep([0, 1, 3, 6, 10]), 2.5);
  assert.equal(typicalStep([]), 1);
});
