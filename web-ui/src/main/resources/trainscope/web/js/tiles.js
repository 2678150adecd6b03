// The neuron tiles of the network diagram (as TensorFlow Playground draws them): each mapped hidden
// unit's activation over the decision map's grid, and for each output unit where its class wins,
// as PNG data URLs for SVG <image>s. Made once per decision-boundary event, never per trace.
import { boundaryPixels, decodeBase64, unitPixels } from './boundary.js';

// One pixel per cell: the diagram draws the images with image-rendering: pixelated, so cells stay
// crisp, and a small PNG is quick to encode.
function toUrl(canvas, pixels, grid) {
  canvas.getContext('2d').putImageData(new ImageData(pixels, grid, grid), 0, 0);
  // toBlob copies the bitmap now, so the one canvas serves every tile.
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b ? URL.createObjectURL(b) : null), 'image/png'));
}

/**
 * The tiles of a decoded boundary (map.js decodeBoundary), resolved once encoded: `units` maps
 * "layer:unit" to a URL for every unit map of the event, `outputs[k]` is class k's region.
 */
export async function makeTiles(decoded) {
  const b = decoded.event;
  const grid = b.grid;
  const canvas = document.createElement('canvas');
  canvas.width = grid;
  canvas.height = grid;
  const keys = [];
  const pending = [];
  for (const u of b.units || []) {
    keys.push(`${u.layer}:${u.unit}`);
    pending.push(toUrl(canvas, unitPixels(decodeBase64(u.values), u.min, u.max), grid));
  }
  for (let k = 0; k < decoded.classes; k++) {
    pending.push(toUrl(canvas, boundaryPixels(decoded.predicted, decoded.confidence, decoded.classes, k), grid));
  }
  const urls = await Promise.all(pending);
  const units = new Map(keys.map((key, i) => [key, urls[i]]));
  return { seq: b.seq, epoch: b.epoch, units, outputs: urls.slice(keys.length) };
}

/** Frees the tiles' URLs (once no image shows them any more). */
export function releaseTiles(tiles) {
  if (!tiles) return;
  for (const u of tiles.units.values()) if (u) URL.revokeObjectURL(u);
  for (const u of tiles.outputs) if (u) URL.revokeObjectURL(u);
}
