// Unit tests of the decision map's decoding, colours and transforms: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boundaryPixels, cellCentre, cellColor, confidenceStrength, dataToPixel, decodeBase64, digest, hex,
  classColor, nearestPoint, pixelToData, scalerFromPoints, toData, toNetwork, unitColor, unitPixels, unitValue,
} from '../../main/resources/trainscope/web/js/boundary.js';

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('base64 decodes to the bytes, with or without padding', () => {
  assert.deepEqual([...decodeBase64('AAEC/w==')], [0, 1, 2, 255]);
  assert.deepEqual([...decodeBase64('AAEC/w')], [0, 1, 2, 255]);
  assert.deepEqual([...decodeBase64('+/8=')], [251, 255]);
  assert.deepEqual([...decodeBase64('')], []);
  assert.throws(() => decodeBase64('AA*A'), /unexpected character at 2/);
});

test('base64 agrees with Node\'s decoder on every byte value', () => {
  const bytes = Uint8Array.from({ length: 48 * 48 + 1 }, (_, i) => (i * 37 + 11) % 256);
  const b64 = Buffer.from(bytes).toString('base64');
  assert.deepEqual(decodeBase64(b64), bytes);
});

test('confidence strength is 0 at a uniform guess and 1 at certainty', () => {
  assert.equal(confidenceStrength(255, 2), 1);
  assert.equal(confidenceStrength(0, 2), 0);
  assert.equal(confidenceStrength(85, 3), 0, 'p = 1/3 over 3 classes');
  close(confidenceStrength(191, 2), (191 / 255 - 0.5) / 0.5);
  close(confidenceStrength(191, 2), 0.4980392157, 1e-9);
});

test('a cell is its class colour over white, tinted by confidence', () => {
  assert.deepEqual(classColor(0), [13, 148, 136]);
  assert.equal(hex(classColor(1)), '#7c3aed');
  assert.deepEqual(classColor(8), classColor(0), 'the palette repeats');
  // strength 1: 0.08 + 0.5 = 0.58 of teal: 255 - 242 * 0.58 = 114.64, 255 - 107 * 0.58 = 192.94, 255 - 119 * 0.58 = 185.98
  assert.deepEqual(cellColor(0, 255, 2), [115, 193, 186]);
  // p = 128/255: strength 0.0039, tint 0.08196 of violet: 244.26, 238.85, 253.52
  assert.deepEqual(cellColor(1, 128, 2), [244, 239, 254]);
});

test('the class map has one RGBA pixel per cell in grid order; an output tile blanks other classes', () => {
  const px = boundaryPixels([0, 1], [255, 128], 2);
  assert.deepEqual([...px], [115, 193, 186, 255, 244, 239, 254, 255]);
  assert.deepEqual([...boundaryPixels([0, 1], [255, 128], 2, 1)], [255, 255, 255, 255, 244, 239, 254, 255]);
});

test('unit tiles: bytes stand for min + b/255 (max - min), blue negative, orange positive', () => {
  close(unitValue(51, -1, 4), 0);
  close(unitValue(255, -1, 4), 4);
  // |v| / scale = 1: 0.85 of orange: 255 - 21 * 0.85 = 237.15, 255 - 167 * 0.85 = 113.05, 255 - 243 * 0.85 = 48.45
  assert.deepEqual(unitColor(2, 2), [237, 113, 48]);
  // 0.25 * 0.85 = 0.2125 of blue: 208.7, 221.9, 250.8
  assert.deepEqual(unitColor(-1, 4), [209, 222, 251]);
  assert.deepEqual(unitColor(0, 4), [255, 255, 255]);
  assert.deepEqual([...unitPixels([0, 255], -2, 2)], [70, 122, 238, 255, 237, 113, 48, 255]);
  assert.deepEqual([...unitPixels([0, 0], 0, 0)], [255, 255, 255, 255, 255, 255, 255, 255], 'a constant zero unit');
});

test('data and pixels convert both ways, y upwards on the data side', () => {
  const ext = { xMin: -1, xMax: 3, yMin: 0, yMax: 2 };
  assert.deepEqual(dataToPixel(ext, 400, 200, 1, 0.5), { px: 200, py: 150 });
  assert.deepEqual(dataToPixel(ext, 400, 200, -1, 2), { px: 0, py: 0 });
  assert.deepEqual(dataToPixel(ext, 400, 200, 3, 0), { px: 400, py: 200 });
  assert.deepEqual(pixelToData(ext, 400, 200, 200, 150), { x: 1, y: 0.5 });
  assert.deepEqual(cellCentre(ext, 4, 0, 0), { x: -0.5, y: 1.75 });
  assert.deepEqual(cellCentre(ext, 4, 3, 3), { x: 2.5, y: 0.25 });
});

test('the nearest point within the radius is found, none beyond it', () => {
  const ext = { xMin: -1, xMax: 3, yMin: 0, yMax: 2 };
  const points = [[0, 0, 0], [1, 0.5, 1], [2, 1, 0]];
  assert.equal(nearestPoint(points, ext, 400, 200, 205, 148, 8), 1);
  assert.equal(nearestPoint(points, ext, 400, 200, 296, 103, 8), 2);
  assert.equal(nearestPoint(points, ext, 400, 200, 300, 20, 8), -1);
  assert.equal(nearestPoint([], ext, 400, 200, 0, 0, 8), -1);
});

test('the scaler is the training points\' mean and population std, a constant feature std 1', () => {
  const s = scalerFromPoints([[0, 1, 0], [2, 1, 1], [4, 1, 0]]);
  assert.deepEqual(s.mean, [2, 1]);
  close(s.std[0], Math.sqrt(8 / 3));
  assert.equal(s.std[1], 1);
  const u = toNetwork(s, [4, 1]);
  close(u[0], 2 / Math.sqrt(8 / 3));
  assert.equal(u[1], 0);
  const back = toData(s, u);
  close(back[0], 4);
  close(back[1], 1);
  assert.equal(scalerFromPoints([]), null);
});

test('the digest is FNV-1a over the bytes of every array in turn', () => {
  assert.equal(digest(new Uint8Array(0)), '811c9dc5');
  assert.equal(digest(Uint8Array.of(0x61)), 'e40c292c', 'FNV-1a of "a"');
  assert.equal(digest(Uint8Array.of(1, 2), Uint8Array.of(3)), digest(Uint8Array.of(1, 2, 3)));
  assert.notEqual(digest(Uint8Array.of(1, 2, 3)), digest(Uint8Array.of(1, 3, 2)));
});
