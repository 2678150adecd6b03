// The network diagram beside the data flow: nodes coloured by the probe's values, edges by weight,
// hidden units drawn as tiles of what they compute over the decision map (2-input runs). The SVG is
// built once per network shape and updated in place at every trace; while the run is paused, a
// click on an edge (a weight) or a node (its bias) asks to edit it.
import { activationLabel, fmt, valueColor } from './format.js';
import { biasOf, paramLabel, weightOf } from './trace.js';

const MAX_NODES = 12;
const W = 420;
const H = 320;
const PAD_X = 36;
const PAD_Y = 30;
const NS = 'http://www.w3.org/2000/svg';

/** The diagram's columns: the input, then one per layer, with the trace's values and weights. */
export function networkColumns(run) {
  const act = run.activations;
  const model = run.model;
  if (!model && !act) return [];
  const cols = [{ layer: -1, label: 'input', n: act ? act.input.length : model.inputs, values: act ? act.input : null }];
  const layers = act ? act.layers : model.layers;
  layers.forEach((l, i) => cols.push({
    layer: i, label: activationLabel(l.activation), n: l.units, values: l.output || null,
    weights: l.weights || null, output: i === layers.length - 1,
  }));
  return cols;
}

/** Node centres per column (at most MAX_NODES shown per column) in the W x H view box. */
export function networkLayout(cols) {
  const dx = (W - 2 * PAD_X) / Math.max(1, cols.length - 1);
  return cols.map((c, ci) => {
    const shown = Math.min(c.n, MAX_NODES);
    const dy = (H - 2 * PAD_Y) / Math.max(1, shown);
    return Array.from({ length: shown }, (_, i) => ({ x: PAD_X + ci * dx, y: PAD_Y + dy * (i + 0.5), dy }));
  });
}

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, String(v));
  for (const c of children) if (c) e.append(c);
  return e;
}

function set(e, name, value) {
  const v = String(value);
  if (e.getAttribute(name) !== v) e.setAttribute(name, v);
}

function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

function nodeFill(v, scale) {
  if (v == null) return '#f1f5f9';
  return valueColor(v, scale).replace(/rgba\(([^)]*),[^,)]*\)/, (m, rgb) => `rgba(${rgb},${(0.25 + 0.75 * Math.min(1, Math.abs(v) / scale)).toFixed(2)})`);
}

/**
 * The diagram in `container`. `onEdit(target, current, anchor)` is called on a click while
 * editable: target {layer, unit, input} for a weight or {layer, unit, bias: true}; `current` its
 * value from the trace (null when not traced); `anchor` the clicked SVG element.
 */
export function createNetwork(container, { onEdit }) {
  let key = null;
  let parts = null; // { svg, legend, edges: [...], nodes: [[...]] }
  let last = { run: null, editable: false };

  function build(cols) {
    const pos = networkLayout(cols);
    const edgeLayer = svg('g');
    const nodeLayer = svg('g');
    const edges = [];
    for (let ci = 1; ci < cols.length; ci++) {
      for (let j = 0; j < pos[ci].length; j++) {
        for (let i = 0; i < pos[ci - 1].length; i++) {
          const a = pos[ci - 1][i];
          const b = pos[ci][j];
          const line = svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: '#cbd5e1', 'stroke-width': 1 });
          const hit = svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'hit' });
          const title = svg('title');
          const g = svg('g', { class: 'edge', 'data-testid': 'edge', 'data-layer': ci - 1, 'data-unit': j, 'data-input': i }, title, line, hit);
          edgeLayer.append(g);
          edges.push({ g, line, title, ci, j, i });
        }
      }
    }
    const nodes = cols.map((c, ci) => pos[ci].map((p, i) => {
      const s = Math.max(14, Math.min(34, p.dy - 4));
      const title = svg('title');
      const circle = svg('circle', { cx: p.x, cy: p.y, r: 11, stroke: '#334155', 'stroke-width': 1.2 });
      const img = svg('image', { x: p.x - s / 2, y: p.y - s / 2, width: s, height: s, preserveAspectRatio: 'none', display: 'none' });
      const frame = svg('rect', { x: p.x - s / 2, y: p.y - s / 2, width: s, height: s, rx: 2, fill: 'none', 'stroke-width': 2.5, display: 'none' });
      const text = svg('text', { x: p.x, y: p.y + 3.5, 'text-anchor': 'middle', 'font-size': 8.5 });
      const g = svg('g', { class: 'node', 'data-testid': 'node', 'data-layer': c.layer < 0 ? 'input' : c.layer, 'data-unit': i },
        title, circle, img, frame, text);
      nodeLayer.append(g);
      return { g, title, circle, img, frame, text };
    }));
    const labels = svg('g');
    cols.forEach((c, ci) => {
      const x = PAD_X + ci * (W - 2 * PAD_X) / Math.max(1, cols.length - 1);
      labels.append(svg('text', { x, y: 14, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 600 }, document.createTextNode(c.label)));
      if (c.n > MAX_NODES) labels.append(svg('text', { x, y: H - 6, 'text-anchor': 'middle', 'font-size': 10 }, document.createTextNode(`+${c.n - MAX_NODES} more`)));
    });
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Network diagram', 'data-testid': 'network-svg' },
      edgeLayer, nodeLayer, labels);
    const legend = document.createElement('p');
    legend.className = 'legend';
    container.replaceChildren(root, legend);
    root.addEventListener('click', onClick);
    return { svg: root, legend, edges, nodes };
  }

  function onClick(e) {
    if (!last.editable || !last.run) return;
    const act = last.run.activations;
    const edge = e.target.closest('[data-testid="edge"]');
    if (edge) {
      const t = { layer: Number(edge.dataset.layer), unit: Number(edge.dataset.unit), input: Number(edge.dataset.input) };
      onEdit(t, weightOf(act, t.layer, t.unit, t.input), edge);
      return;
    }
    const node = e.target.closest('[data-testid="node"]');
    if (node && node.dataset.layer !== 'input') {
      const t = { layer: Number(node.dataset.layer), unit: Number(node.dataset.unit), bias: true };
      onEdit(t, biasOf(act, t.layer, t.unit), node);
    }
  }

  /**
   * Draws `run`'s latest trace; `editable` when its weights may be edited (paused engine run),
   * `tiles` from tiles.js or null.
   */
  function render(run, { editable, tiles }) {
    const cols = networkColumns(run);
    last = { run, editable };
    if (!cols.length) {
      container.replaceChildren();
      key = null;
      return;
    }
    const k = cols.map((c) => `${c.label}:${c.n}`).join('|');
    if (k !== key) {
      key = k;
      parts = build(cols);
    }
    const act = run.activations;
    const paused = editable ? 'click to edit' : 'pause the run to edit';
    container.dataset.editable = String(Boolean(editable));
    for (const e of parts.edges) {
      const w = cols[e.ci].weights;
      let maxW = 0;
      if (w) for (const row of w) for (const v of row) maxW = Math.max(maxW, Math.abs(v));
      const v = w && w[e.j] && typeof w[e.j][e.i] === 'number' ? w[e.j][e.i] : null;
      if (v == null) {
        set(e.line, 'stroke', '#cbd5e1'); set(e.line, 'stroke-width', 1); set(e.line, 'stroke-opacity', 0.7);
      } else {
        set(e.line, 'stroke', v < 0 ? '#2563eb' : '#ea580c');
        set(e.line, 'stroke-width', (0.5 + 3.5 * (Math.abs(v) / (maxW || 1))).toFixed(2));
        set(e.line, 'stroke-opacity', (0.35 + 0.5 * (Math.abs(v) / (maxW || 1))).toFixed(2));
      }
      e.g.dataset.value = v == null ? '' : String(v);
      setText(e.title, `${paramLabel({ layer: e.ci - 1, unit: e.j, input: e.i })}${v == null ? '' : ' = ' + fmt(v, 4)} (${paused})`);
    }
    let tileCount = 0;
    cols.forEach((c, ci) => {
      const vals = c.values;
      const scale = vals ? Math.max(1, ...vals.map((v) => Math.abs(v))) : 1;
      parts.nodes[ci].forEach((n, i) => {
        const v = vals ? vals[i] : null;
        const fill = nodeFill(v, scale);
        const url = !tiles || c.layer < 0 ? null : c.output ? tiles.outputs[i] : tiles.units.get(`${c.layer}:${i}`);
        set(n.circle, 'fill', fill);
        set(n.circle, 'display', url ? 'none' : 'inline');
        set(n.img, 'display', url ? 'inline' : 'none');
        set(n.frame, 'display', url ? 'inline' : 'none');
        if (url) {
          if (n.img.getAttribute('href') !== url) n.img.setAttribute('href', url);
          set(n.frame, 'stroke', v == null ? '#334155' : fill);
          n.g.dataset.tile = c.output ? 'class' : 'unit';
          n.g.dataset.tileEpoch = String(tiles.epoch);
          tileCount++;
        } else {
          delete n.g.dataset.tile;
          delete n.g.dataset.tileEpoch;
        }
        // A tile shows the probe's value by its frame (and in the tooltip): a number would hide it.
        setText(n.text, v == null || url ? '' : fmt(v, 2));
        let t = v == null ? `${c.label} ${i + 1}` : `${c.label} ${i + 1}: ${fmt(v)}`;
        if (c.layer >= 0) {
          const b = act ? biasOf(act, c.layer, i) : null;
          t += `\n${paramLabel({ layer: c.layer, unit: i, bias: true })}${b == null ? '' : ' \u2248 ' + fmt(b, 4)} (${paused})`;
        }
        setText(n.title, t);
      });
    });
    container.dataset.tiles = String(tileCount);
    const hasWeights = cols.some((c) => c.weights);
    setText(parts.legend, `Nodes: the probe's value (blue negative, grey zero, orange positive)${tileCount ? '; tiles: what each unit computes over the decision map, framed by the probe\u2019s value' : ''}. Edges: ${hasWeights ? 'weight sign (blue \u2212, orange +) and size' : 'connections (per-edge weights are not in the stream; see the layer statistics for weight histograms)'}.${editable ? ' Paused: click an edge to edit its weight, a node for its bias.' : ''}`);
  }

  return {
    render,
    /** The run last drawn. */
    run: () => last.run,
    reset() {
      key = null;
      parts = null;
      container.replaceChildren();
    },
  };
}
