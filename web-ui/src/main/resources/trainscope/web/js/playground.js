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
import { makeTiles, releaseTiles } from './tiles.js';

/** The probe request for a choice on the map: a clicked sample by split and index, else the input. */
export function probeRequest(at, points) {
  if (at.split) return { split: at.split, index: at.index };
  const s = scalerOf(points);
  if (!s) throw new Error('the data points (and their standardisation) have not arrived yet');
  return { input: toNetwork(s, [at.x, at.y]) };
}

export function createPlayground({ mapPanel, network, networkHost, summaries, invalidate }) {
  let tiles = null;
  let tilesOf = null; // the boundary event the tiles are (being) made from
  let stale = []; // tiles replaced, freed once the diagram no longer shows them
  let encoding = false;
  let generation = 0; // bumped by reset: tiles of the previous run are dropped
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
      // One encoding at a time: boundaries arriving meanwhile are skipped to the newest.
      const decoded = map.decoded();
      if (decoded && decoded.event !== tilesOf && !encoding) {
        const gen = generation;
        tilesOf = decoded.event;
        encoding = true;
        makeTiles(decoded).then((made) => {
          encoding = false;
          if (gen !== generation) {
            releaseTiles(made);
            return;
          }
          stale.push(tiles);
          tiles = made;
          // Draw them, and encode the newest boundary if one arrived meanwhile.
          invalidate(['pipeline', 'map']);
        }, (e) => {
          encoding = false;
          console.warn('trainscope: tiles', e);
        });
      }
      if (all || dirty.has('pipeline') || flipped) {
        if (!editable && editor.isOpen()) editor.close();
        diagram.render(run, { editable, tiles });
        for (const t of stale) releaseTiles(t);
        stale = [];
      }
    },
    reset() {
      map.reset();
      diagram.reset();
      editor.close();
      releaseTiles(tiles);
      for (const t of stale) releaseTiles(t);
      stale = [];
      tiles = null;
      tilesOf = null;
      encoding = false;
      generation++;
      last = { canProbe: null, editable: null };
    },
  };
}
