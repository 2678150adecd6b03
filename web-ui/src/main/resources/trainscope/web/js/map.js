// The decision map of a 2-input run: the latest `decision-boundary` grid on a canvas (class colour,
// intensity by confidence), the data points on top, the probe marked; a click chooses the probe.
// Built once; each render repaints the canvas and sets a few texts, never rebuilding the DOM.
import {
  boundaryPixels, classColor, dataToPixel, decodeBase64, digest, extentOf, hex, nearestPoint,
  pixelToData, scalerFromPoints, toData,
} from './boundary.js';
import { el, fmt } from './format.js';

const SIZE = 320; // CSS pixels of the square map
const POINT_R = 3.5;
const PICK_RADIUS = 8; // CSS pixels around a point that a click picks it from

/** The class names of a run (dataset, else the completed event), else indices up to `n`. */
export function classNames(run, n) {
  const names = (run.dataset && run.dataset.classes) || (run.completed && run.completed.classes) || [];
  return Array.from({ length: Math.max(n, names.length) }, (_, i) => names[i] ?? String(i));
}

/** The standardisation of the run's inputs: the points event's own, else estimated from its points. */
export function scalerOf(points) {
  if (!points) return null;
  if (points.mean && points.std) return { mean: points.mean, std: points.std };
  return scalerFromPoints(points.train);
}

/** The decoded boundary of a run: bytes, the class count, the class map's pixels and their digest. */
export function decodeBoundary(b, run) {
  const predicted = decodeBase64(b.predicted);
  const confidence = decodeBase64(b.confidence);
  const classes = classCount(run, predicted);
  return {
    event: b,
    predicted,
    confidence,
    classes,
    pixels: boundaryPixels(predicted, confidence, classes),
    digest: digest(predicted, confidence),
  };
}

/** Number of classes of a run: the output layer's units, else the largest predicted index + 1. */
export function classCount(run, predicted) {
  const layers = run.model && run.model.layers;
  if (layers && layers.length) return layers[layers.length - 1].units;
  let max = 0;
  for (const k of predicted) if (k > max) max = k;
  return max + 1;
}

/**
 * The map in `panel` (hidden until a run has a boundary). `onProbe(at, run)` is called when a
 * probe is chosen: `at` is {x, y} in data units, with {split, index} when a point was clicked; it
 * returns a promise whose rejection's message is shown.
 */
export function createDecisionMap(panel, { onProbe }) {
  const dpr = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
  const canvas = el('canvas', {
    'data-testid': 'decision-map', width: SIZE * dpr, height: SIZE * dpr,
    style: `width:${SIZE}px;height:${SIZE}px`, role: 'img', 'aria-label': 'Decision map',
  });
  const epoch = el('span', { class: 'muted', 'data-testid': 'map-epoch' });
  const xLabel = el('div', { class: 'map-x' });
  const yLabel = el('div', { class: 'map-y' });
  const xMin = el('span'); const xMax = el('span'); const yMin = el('span'); const yMax = el('span');
  const legend = el('div', { class: 'map-legend', 'data-testid': 'map-legend' });
  const note = el('p', { class: 'muted map-note', 'data-testid': 'map-note' });
  const error = el('p', { class: 'field-error', 'data-testid': 'map-error', role: 'alert' });
  let hint;
  panel.replaceChildren(
    el('h2', {}, 'Decision map ', epoch),
    el('div', { class: 'map-body' },
      el('div', { class: 'map-frame' },
        el('div', { class: 'map-yaxis' }, yMax, yLabel, yMin),
        canvas,
        el('div', {}),
        el('div', { class: 'map-xaxis' }, xMin, xLabel, xMax)),
      el('div', { class: 'map-side' },
        legend,
        el('p', { class: 'muted' }, 'What the network predicts over the whole plane at this epoch: each cell has the colour '
          + 'of its predicted class, stronger where the network is surer. The samples are drawn on top in the colour of '
          + 'their actual class; the probe (the sample traced in the data flow below) is circled.'),
        hint = el('p', { class: 'muted', 'data-testid': 'map-hint' }),
        note, error)));
  const cells = document.createElement('canvas'); // the grid at one pixel per cell
  const ctx = canvas.getContext('2d');
  let decoded = null;
  let drawnKey = '';
  let legendKey = '';
  let current = null; // {run, canProbe} of the last render, for clicks

  function paint(run, probe) {
    const b = decoded.event;
    const ext = extentOf(b);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = false; // crisp cells, as the grid is
    ctx.drawImage(cells, 0, 0, SIZE, SIZE);
    let drawn = 0;
    const pts = run.points || { train: [], validation: [] };
    for (const [set, filled] of [[pts.train, true], [pts.validation, false]]) {
      for (const p of set) {
        const { px, py } = dataToPixel(ext, SIZE, SIZE, p[0], p[1]);
        const c = hex(classColor(p[2]));
        ctx.beginPath();
        ctx.arc(px, py, POINT_R, 0, 2 * Math.PI);
        if (filled) {
          ctx.fillStyle = c;
          ctx.fill();
          ctx.strokeStyle = '#fff';
          ctx.lineWidth = 1;
        } else {
          ctx.fillStyle = '#fff';
          ctx.fill();
          ctx.strokeStyle = c;
          ctx.lineWidth = 1.6;
        }
        ctx.stroke();
        drawn++;
      }
    }
    if (probe) {
      const { px, py } = dataToPixel(ext, SIZE, SIZE, probe[0], probe[1]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#0f172a';
      ctx.beginPath();
      ctx.arc(px, py, 7, 0, 2 * Math.PI);
      ctx.moveTo(px - 11, py); ctx.lineTo(px - 4, py);
      ctx.moveTo(px + 4, py); ctx.lineTo(px + 11, py);
      ctx.moveTo(px, py - 11); ctx.lineTo(px, py - 4);
      ctx.moveTo(px, py + 4); ctx.lineTo(px, py + 11);
      ctx.stroke();
    }
    canvas.dataset.points = String(drawn);
    canvas.dataset.train = String(pts.train.length);
    canvas.dataset.validation = String(pts.validation.length);
    canvas.dataset.probe = probe ? probe.map((v) => String(v)).join(',') : '';
  }

  function probeOf(run) {
    const act = run.activations;
    if (!act || !Array.isArray(act.input) || act.input.length !== 2) return null;
    const s = scalerOf(run.points);
    return s ? toData(s, act.input) : null;
  }

  function renderLegend(run, classes) {
    const names = classNames(run, classes);
    const key = names.join('\u0000');
    if (key === legendKey) return;
    legendKey = key;
    legend.replaceChildren(...names.map((n, i) => el('span', { class: 'map-class', 'data-testid': 'map-class', 'data-class': n },
      el('span', { class: 'swatch', style: `background:${hex(classColor(i))}` }), n)),
    el('span', { class: 'map-key' }, '\u25cf training \u00b7 \u25cb validation \u00b7 \u25ce probe'));
  }

  /** Draws the run's latest boundary, points and probe (cheap when nothing changed). */
  function render(run, { canProbe }) {
    const b = run.boundary;
    panel.hidden = !b;
    if (!b) return;
    if (!decoded || decoded.event !== b) {
      decoded = decodeBoundary(b, run);
      cells.width = b.grid;
      cells.height = b.grid;
      cells.getContext('2d').putImageData(new ImageData(decoded.pixels, b.grid, b.grid), 0, 0);
      canvas.dataset.digest = decoded.digest;
      canvas.dataset.epoch = String(b.epoch);
      canvas.dataset.grid = String(b.grid);
      epoch.textContent = `(epoch ${b.epoch})`;
      const names = (run.dataset && run.dataset.featureNames) || ['x', 'y'];
      xLabel.textContent = names[0];
      yLabel.textContent = names[1];
      xMin.textContent = fmt(b.xMin, 2); xMax.textContent = fmt(b.xMax, 2);
      yMin.textContent = fmt(b.yMin, 2); yMax.textContent = fmt(b.yMax, 2);
      renderLegend(run, decoded.classes);
    }
    const probe = probeOf(run);
    const key = `${b.seq}|${run.points ? run.points.train.length + run.points.validation.length : -1}|${probe}`;
    current = { run, canProbe };
    canvas.classList.toggle('pickable', Boolean(canProbe));
    canvas.title = canProbe ? 'Click a point (or anywhere) to trace it as the probe'
      : 'The probe can be chosen while an engine run is unfinished';
    hint.textContent = canProbe ? 'Click a sample (or anywhere on the map) to make it the probe.' : '';
    note.textContent = run.points ? '' : 'The data points arrive with the run\u2019s data-points event.';
    if (key === drawnKey) return;
    drawnKey = key;
    paint(run, probe);
  }

  canvas.addEventListener('click', (e) => {
    if (!current || !current.canProbe || !decoded) return;
    // The drawing is the content box: the border is outside it.
    const rect = canvas.getBoundingClientRect();
    const px = ((e.clientX - rect.left - canvas.clientLeft) * SIZE) / canvas.clientWidth;
    const py = ((e.clientY - rect.top - canvas.clientTop) * SIZE) / canvas.clientHeight;
    const ext = extentOf(decoded.event);
    const run = current.run;
    const train = run.points ? run.points.train : [];
    const pts = run.points ? [...train, ...run.points.validation] : [];
    const i = nearestPoint(pts, ext, SIZE, SIZE, px, py, PICK_RADIUS);
    // A point is named by its split and sample index (point k is sample k * stride), so the trace
    // names its class; elsewhere the click's position is the probe.
    const stride = run.points ? run.points.stride || 1 : 1;
    const at = i < 0 ? pixelToData(ext, SIZE, SIZE, px, py)
      : i < train.length ? { x: pts[i][0], y: pts[i][1], split: 'train', index: i * stride }
        : { x: pts[i][0], y: pts[i][1], split: 'validation', index: (i - train.length) * stride };
    error.textContent = '';
    canvas.dataset.chosen = `${at.x},${at.y}`;
    Promise.resolve(onProbe(at, run)).catch((err) => { error.textContent = `probe: ${err.message}`; });
  });

  return {
    render,
    reset() {
      decoded = null;
      drawnKey = '';
      legendKey = '';
      current = null;
      error.textContent = '';
      panel.hidden = true;
      delete canvas.dataset.digest;
      delete canvas.dataset.chosen;
    },
    /** The decoded boundary being shown (the neuron tiles reuse its bytes), or null. */
    decoded: () => decoded,
  };
}
