// The run view's Playground parts, wired to the API: the decision map (map.js) with its probe
// choice, the network diagram (network.js) with its neuron tiles (tiles.js) and the weight editor
// (editor.js). app.js calls render with the parts that changed.
import { api } from './api.js';
import { toNetwork } from './boundary.js';
import { createWeightEditor } from './editor.js';
import { createDecisionMap, scalerOf } from './map.js';
import { createNetwork } from './network.js';
import { controlsOf } from './runs.js';
import { isFinished } from './state.js';
import { makeTiles } from './tiles.js';

/** The probe request for a choice on the map: a clicked sample by split and index, else the input. */
export function probeRequest(at, points) {
  if (at.split) return { split: at.split, index: at.index };
  const s = scalerOf(points);
  if (!s) throw new Error('the data points (and their standardisation) have not arrived yet');
  return { input: toNetwork(s, [at.x, at.y]) };
}

export function createPlayground({ mapPanel, network, networkHost, summaries }) {
  let tiles = null;
  let tilesOf = null; // the boundary event the tiles were made from
  const path = (run, what) => `/api/runs/${encodeURIComponent(run.id)}/${what}`;
  const map = createDecisionMap(mapPanel, {
    onProbe: (at, run) => api('POST', path(run, 'probe'), probeRequest(at, run.points)),
  });
  let last = { canProbe: null, editable: null };
  let editing = null; // the run the editor was opened for
  const editor = createWeightEditor(networkHost, {
    submit: (body) => api('POST', path(editing, 'weights'), body),
  });
  const diagram = createNetwork(network, {
    onEdit: (target, current, anchor) => {
      editing = diagram.run();
      editor.open(target, current, anchor);
    },
  });

  function engineRun(run) {
    return controlsOf(summaries.get(run.id)).step;
  }

  return {
    /** Draws what `dirty` (the frame's changed parts) touches. */
    render(run, dirty) {
      const all = dirty.has('structure');
      // Every event dirties the header; the map and the diagram only care when these flip.
      const canProbe = engineRun(run) && !isFinished(run);
      const editable = run.state === 'paused' && canProbe;
      const flipped = canProbe !== last.canProbe || editable !== last.editable;
      last = { canProbe, editable };
      if (all || dirty.has('map') || flipped) map.render(run, { canProbe });
      const decoded = map.decoded();
      if (decoded && decoded.event !== tilesOf) {
        tilesOf = decoded.event;
        tiles = makeTiles(decoded);
        dirty.add('pipeline');
      }
      if (all || dirty.has('pipeline') || flipped) {
        if (!editable && editor.isOpen()) editor.close();
        diagram.render(run, { editable, tiles });
      }
    },
    reset() {
      map.reset();
      diagram.reset();
      editor.close();
      tiles = null;
      tilesOf = null;
      last = { canProbe: null, editable: null };
    },
  };
}
