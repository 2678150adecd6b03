// Smoothing for the Compare view's curves: a debiased exponential moving average whose decay
// follows the gap between points, so an uneven series (wall time, skipped epochs) is smoothed by
// how far apart its points are, not by how many there are. Pure: unit-tested in node.
//
//   s   = the typical step: the median gap between consecutive x (1 for a single point)
//   d_i = (x_i - x_prev) / s for i > first, 1 for the first point (the previous valid point's x)
//   a_i = beta ^ d_i                     the decay of this step
//   m_i = a_i * m_prev + (1 - a_i) * y_i   with m = 0 before the first point
//   w_i = a_i * w_prev + (1 - a_i)         = 1 - a_1 * ... * a_i, the weight accumulated so far
//   smoothed_i = m_i / w_i
//
// Dividing by w removes the pull towards 0 of a plain EMA started at 0 (the first smoothed value
// is the first value, not (1 - beta) * it); with even steps w_n = 1 - beta^n, the textbook
// correction. A missing y (null, NaN) is skipped: its slot stays null and the next point's gap is
// measured from the last point that had a value.

/** The median of the positive gaps between consecutive xs, or 1 when there are none. */
export function typicalStep(xs) {
  const gaps = [];
  for (let i = 1; i < xs.length; i++) {
    const g = xs[i] - xs[i - 1];
    if (g > 0) gaps.push(g);
  }
  if (!gaps.length) return 1;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

function isValue(y) {
  return typeof y === 'number' && Number.isFinite(y);
}

/**
 * The smoothed ys (same length; null where y is missing) of points (xs[i], ys[i]), xs ascending,
 * for a weight beta in [0, 1): 0 returns the values unchanged. `step` may be given when known (a
 * run's columns share their xs).
 */
export function smooth(xs, ys, beta, step = typicalStep(xs)) {
  const out = new Array(ys.length);
  if (!(beta > 0)) {
    for (let i = 0; i < ys.length; i++) out[i] = isValue(ys[i]) ? ys[i] : null;
    return out;
  }
  const b = Math.min(beta, 0.999999);
  let m = 0;
  let w = 0;
  let prevX = null;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!isValue(y)) {
      out[i] = null;
      continue;
    }
    const gap = prevX == null ? step : xs[i] - prevX;
    // A point at the same x as the previous one counts as one typical step: with no decay it
    // would get no weight at all.
    const d = gap > 0 ? gap / step : 1;
    const a = d === 1 ? b : b ** d;
    m = a * m + (1 - a) * y;
    w = a * w + (1 - a);
    out[i] = m / w;
    prevX = xs[i];
  }
  return out;
}
