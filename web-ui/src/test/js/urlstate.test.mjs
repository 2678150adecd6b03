// Unit tests of the view state in the URL: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultState, parse, serialize } from '../../main/resources/trainscope/web/js/urlstate.js';

test('the defaults make an empty query string and an empty query string gives the defaults', () => {
  assert.equal(serialize(defaultState()), '');
  assert.deepEqual(parse(''), defaultState());
});

test('every part of the compare view survives a round trip through the URL', () => {
  const s = {
    view: 'compare', runs: ['a', 'b-2'], smooth: 0.6, x: 'time', ylog: { loss: false, accuracy: true },
    sort: { key: 'param:optimizer.learningRate', dir: 'desc' }, q: 'lr=0.1 adam', state: 'running',
    sweep: 'sw1', cols: ['name', 'best:valLoss'], metric: 'final:accuracy', brush: '{"lr":[0.01,0.1]}',
  };
  const q = serialize(s);
  assert.ok(q.startsWith('?view=compare&runs=a,b-2&smooth=0.6&x=time&ylog=accuracy'), q);
  assert.deepEqual(parse(q), s);
});

test('turning both log axes off is kept, as an empty ylog', () => {
  const s = defaultState();
  s.ylog = { loss: false, accuracy: false };
  assert.equal(serialize(s), '?ylog=');
  assert.deepEqual(parse('?ylog=').ylog, { loss: false, accuracy: false });
});

test('parameters that are not the view state, such as the token, are kept', () => {
  const s = defaultState();
  s.view = 'compare';
  assert.equal(serialize(s, '?token=s3cret&view=run&smooth=0.5'), '?token=s3cret&view=compare');
});

test('invalid values fall back to the defaults and smoothing is clamped to 0..0.99', () => {
  const s = parse('?view=other&smooth=abc&x=wall&dir=up&runs=a,,a,b');
  assert.equal(s.view, 'run');
  assert.equal(s.smooth, 0);
  assert.equal(s.x, 'epoch');
  assert.equal(s.sort.dir, 'asc');
  assert.deepEqual(s.runs, ['a', 'b']);
  assert.equal(parse('?smooth=5').smooth, 0.99);
  assert.equal(parse('?smooth=-1').smooth, 0);
});

test('an empty column choice is a choice, unlike no choice', () => {
  assert.deepEqual(parse('?cols=').cols, []);
  assert.equal(parse('').cols, null);
});
