// The neuron tiles of the network diagram (as TensorFlow Playground draws them): each mapped hidden
// unit's activation over the decision map's grid, and for each output unit where its class wins,
// as PNG data URLs for SVG <image>s. Made once per decision-boundary event, never per trace.
import { boundaryPixels, decodeBase64, unitPixels } from './boundary.js';

const SCALE = 2; // tile pixels per grid cell: blocky cells survive the SVG's own scaling

function toUrl(canvas, pixels, grid) {
  const src = document.createElement('canvas');
  src.width = grid;
  src.height = grid;
  src.getContext('2d').putImageData(new ImageData(pixels, grid, grid), 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}

/**
 * The tiles of a decoded boundary (map.js decodeBoundary): `units` maps "layer:unit" to a data URL
 * for every unit map of the event, `outputs[k]` is class k's region.
 */
export function makeTiles(decoded) {
  const b = decoded.event;
  const grid = b.grid;
  const canvas = document.createElement('canvas');
  canvas.width = grid * SCALE;
  canvas.height = grid * SCALE;
  const units = new Map();
  for (const u of b.units || []) {
    units.set(`${u.layer}:${u.unit}`, toUrl(canvas, unitPixels(decodeBase64(u.values), u.min, u.max), grid));
  }
  const outputs = [];
  for (let k = 0; k < decoded.classes; k++) {
    outputs.push(toUrl(canvas, boundaryPixels(decoded.predicted, decoded.confidence, decoded.classes, k), grid));
  }
  return { seq: b.seq, epoch: b.epoch, units, outputs };
}
