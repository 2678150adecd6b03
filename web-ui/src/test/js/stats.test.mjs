// Unit tests of the layer statistics charts' series and data: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { applyEvent, createRun } from '../../main/resources/trainscope/web/js/state.js';
import { statsData, statsLayers, statsSeries } from '../../main/resources/trainscope/web/js/stats.js';
import { color } from '../../main/resources/trainscope/web/js/charts.js';

const here = dirname(fileURLToPath(import.meta.url));

function replayedSample() {
  const events = readFileSync(join(here, 'sample-run.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const run = createRun(events[0].runId);
  for (const ev of events) applyEvent(run, ev);
  return run;
}

function history(index, activation, epochs, columns = {}) {
  const col = (name) => columns[name] || epochs.map(() => 0.5);
  return {
    index, activation, epoch: epochs, actMean: col('actMean'), actStd: col('actStd'),
    dead: col('dead'), saturated: col('saturated'), updateRatio: col('updateRatio'),
  };
}

test('each layer gets a series named by its number and activation, in the layer colour', () => {
  const series = statsSeries(statsLayers(replayedSample()));
  assert.deepEqual(series.mean.map((s) => s.label), ['L1 ReLU', 'L2 Sigmoid', 'L3 Softmax']);
  assert.deepEqual(series.mean.map((s) => s.color), [color(0), color(1), color(2)]);
  assert.deepEqual(series.std, series.mean);
  assert.deepEqual(series.update, series.mean);
});

test('the health chart shows dead units of ReLU layers and saturation of sigmoid layers', () => {
  const series = statsSeries(statsLayers(replayedSample()));
  assert.deepEqual(series.health.map((s) => s.label), ['L1 dead ReLU', 'L2 saturated']);
  assert.deepEqual(series.health[1].dash, [6, 4]);
});

test('without ReLU or sigmoid layers the health chart has a placeholder series and an empty column', () => {
  const layers = [history(0, 'tanh', [1, 2]), history(1, 'softmax', [1, 2])];
  assert.deepEqual(statsSeries(layers).health.map((s) => s.label), ['none']);
  assert.deepEqual(statsData(layers).health, [[1, 2], [null, null]]);
});

test('every chart has the traced epochs and one column per series', () => {
  const layers = statsLayers(replayedSample());
  const series = statsSeries(layers);
  const data = statsData(layers);
  for (const k of ['mean', 'std', 'health', 'update']) {
    assert.deepEqual(data[k][0], [1, 3, 6, 9, 12], k);
    assert.equal(data[k].length, 1 + series[k].length, k);
  }
});

test('a layer with fewer points than the first is padded with nulls', () => {
  const layers = [
    history(0, 'relu', [1, 2, 3], { dead: [0.1, 0.2, 0.3] }),
    history(1, 'sigmoid', [1, 2], { saturated: [0.4, 0.5], actMean: [1, 2] }),
  ];
  const data = statsData(layers);
  assert.deepEqual(data.health, [[1, 2, 3], [0.1, 0.2, 0.3], [0.4, 0.5, null]]);
  assert.deepEqual(data.mean[2], [1, 2, null]);
});

test('layers without statistics (holes in statsHistory) are left out', () => {
  const run = createRun('r');
  run.statsHistory[1] = history(1, 'relu', [1]);
  assert.deepEqual(statsLayers(run).map((h) => h.index), [1]);
});
