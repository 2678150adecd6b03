// The pure half of the decision map and the neuron tiles: decoding a `decision-boundary` event's
// base64 cells, their colours as RGBA bytes for an ImageData, and the transforms between the data's
// units, the network's (standardised) units and canvas pixels. No DOM: unit-tested with node.

/**
 * One colour per class, as [r, g, b]. Not the value colours (blue negative, orange positive) of
 * the data flow and the neuron tiles, so a class is never read as a sign.
 */
export const CLASS_COLORS = [
  [13, 148, 136], // teal
  [124, 58, 237], // violet
  [217, 119, 6], // amber
  [225, 29, 72], // rose
  [101, 163, 13], // green
  [2, 132, 199], // sky
  [192, 38, 211], // fuchsia
  [71, 85, 105], // slate
];

/** The colour of class `i` (the palette repeats beyond 8 classes). */
export function classColor(i) {
  return CLASS_COLORS[((i % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

/** `#rrggbb` of an [r, g, b]. */
export function hex(rgb) {
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** The bytes of a standard base64 string (padding optional); throws on a foreign character. */
export function decodeBase64(s) {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61) end--; // '='
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) throw new Error(`base64: unexpected character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return o === out.length ? out : out.subarray(0, o);
}

/**
 * How strongly a cell is coloured, 0..1, from its confidence byte: 0 where the winning class is no
 * likelier than a uniform guess over `classes`, 1 where it is certain.
 */
export function confidenceStrength(confByte, classes) {
  const p = confByte / 255;
  const floor = classes > 1 ? 1 / classes : 0;
  const t = (p - floor) / (1 - floor);
  return t <= 0 ? 0 : t >= 1 ? 1 : t;
}

// The faintest tint a cell gets, and how much more the most confident one gets, so an undecided
// region is pale but still names its class.
const TINT_MIN = 0.08;
const TINT_RANGE = 0.5;

function mixWhite(rgb, s) {
  return [
    Math.round(255 + (rgb[0] - 255) * s),
    Math.round(255 + (rgb[1] - 255) * s),
    Math.round(255 + (rgb[2] - 255) * s),
  ];
}

/** A map cell's [r, g, b]: its class's colour over white, stronger with its confidence. */
export function cellColor(classIndex, confByte, classes) {
  return mixWhite(classColor(classIndex), TINT_MIN + TINT_RANGE * confidenceStrength(confByte, classes));
}

/**
 * RGBA bytes (an ImageData's data) of the whole class map, cell i at pixel i: the grid's row-major
 * order with row 0 at the top is the canvas's. With `only` set, cells predicted as another class
 * are white (an output node's tile: where that class wins).
 */
export function boundaryPixels(predicted, confidence, classes, only = -1) {
  const n = predicted.length;
  const px = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const k = predicted[i];
    const rgb = only >= 0 && k !== only ? [255, 255, 255] : cellColor(k, confidence[i], classes);
    px[4 * i] = rgb[0];
    px[4 * i + 1] = rgb[1];
    px[4 * i + 2] = rgb[2];
    px[4 * i + 3] = 255;
  }
  return px;
}

const NEGATIVE = [37, 99, 235];
const POSITIVE = [234, 88, 12];

/** The activation a unit map's byte stands for (protocol: min + b / 255 * (max - min)). */
export function unitValue(b, min, max) {
  return min + (b / 255) * (max - min);
}

/**
 * A unit tile's cell [r, g, b]: blue for negative activations, orange for positive, white for 0,
 * the strength |v| over the largest |value| the unit reaches on the grid.
 */
export function unitColor(v, scale) {
  if (!(scale > 0) || v === 0) return [255, 255, 255];
  const s = Math.min(1, Math.abs(v) / scale) * 0.85;
  return mixWhite(v < 0 ? NEGATIVE : POSITIVE, s);
}

/** RGBA bytes of a unit tile from its decoded values and its [min, max]. */
export function unitPixels(values, min, max) {
  const n = values.length;
  const px = new Uint8ClampedArray(n * 4);
  const scale = Math.max(Math.abs(min), Math.abs(max));
  for (let i = 0; i < n; i++) {
    const rgb = min === max ? unitColor(min, scale) : unitColor(unitValue(values[i], min, max), scale);
    px[4 * i] = rgb[0];
    px[4 * i + 1] = rgb[1];
    px[4 * i + 2] = rgb[2];
    px[4 * i + 3] = 255;
  }
  return px;
}

/** The extent of a boundary event, {xMin, xMax, yMin, yMax}. */
export function extentOf(b) {
  return { xMin: b.xMin, xMax: b.xMax, yMin: b.yMin, yMax: b.yMax };
}

/** A data point (x, y) in pixels of a width x height canvas over the extent (y grows upwards). */
export function dataToPixel(ext, width, height, x, y) {
  return {
    px: ((x - ext.xMin) / (ext.xMax - ext.xMin)) * width,
    py: ((ext.yMax - y) / (ext.yMax - ext.yMin)) * height,
  };
}

/** The data point under pixel (px, py): the inverse of dataToPixel. */
export function pixelToData(ext, width, height, px, py) {
  return {
    x: ext.xMin + (px / width) * (ext.xMax - ext.xMin),
    y: ext.yMax - (py / height) * (ext.yMax - ext.yMin),
  };
}

/** The centre of grid cell (row, col), in data units (protocol: row 0 at y = yMax). */
export function cellCentre(ext, grid, row, col) {
  return {
    x: ext.xMin + ((col + 0.5) * (ext.xMax - ext.xMin)) / grid,
    y: ext.yMax - ((row + 0.5) * (ext.yMax - ext.yMin)) / grid,
  };
}

/**
 * The index of the point ([x, y, class] in data units) nearest to pixel (px, py), or -1 when none
 * is within `radius` pixels.
 */
export function nearestPoint(points, ext, width, height, px, py, radius) {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < points.length; i++) {
    const p = dataToPixel(ext, width, height, points[i][0], points[i][1]);
    const d = (p.px - px) ** 2 + (p.py - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * The network's standardisation of the inputs, {mean, std}, estimated from the training points as
 * the engine computes it (population std; a constant feature gets std 1). Exact when the points are
 * the whole training set.
 */
export function scalerFromPoints(train, features = 2) {
  const n = train.length;
  if (!n) return null;
  const mean = new Array(features).fill(0);
  const std = new Array(features).fill(0);
  for (const p of train) for (let j = 0; j < features; j++) mean[j] += p[j];
  for (let j = 0; j < features; j++) mean[j] /= n;
  for (const p of train) for (let j = 0; j < features; j++) std[j] += (p[j] - mean[j]) ** 2;
  for (let j = 0; j < features; j++) {
    std[j] = Math.sqrt(std[j] / n);
    if (std[j] < 1e-12) std[j] = 1;
  }
  return { mean, std };
}

/** Data units to the network's input units. */
export function toNetwork(scaler, point) {
  return point.map((v, j) => (v - scaler.mean[j]) / scaler.std[j]);
}

/** The network's input units to data units. */
export function toData(scaler, input) {
  return input.map((v, j) => v * scaler.std[j] + scaler.mean[j]);
}

/** A short, stable digest (FNV-1a, 32 bits, hex) of byte arrays: what a test compares. */
export function digest(...arrays) {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      h ^= a[i];
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
