// The floor: the least a server can do to broadcast a run to SSE clients. It replays a run
// recorded from Trainscope (its events.ndjson) with the run's own pacing, stamping each event's
// `time` as it sends it; no log, no backpressure, no framework. A client that connects late gets
// the frames sent so far from memory, then the live ones: lossless like Trainscope.
//
// node floor.mjs <events.ndjson>; prints "floor listening on http://127.0.0.1:<port>/".
// POST /api/runs starts a replay and answers {"id": ...}; GET /api/runs/<id>/events streams it.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.length > 0);
const events = lines.map((json) => {
  const e = JSON.parse(json);
  return { seq: e.seq, type: e.type, time: e.time, json };
});
let runs = 0;
const replays = new Map();

function replay(id) {
  const r = { sent: [], clients: new Set(), done: false };
  replays.set(id, r);
  const start = Date.now();
  let i = 0;
  const tick = () => {
    const now = Date.now();
    let batch = '';
    // Every event due by now, written once per client, as Trainscope writes an epoch's burst.
    while (i < events.length && events[i].time - events[0].time <= now - start) {
      const e = events[i++];
      const json = e.json.replace(/"time":\d+/, '"time":' + now);
      batch += 'id: ' + e.seq + '\nevent: ' + e.type + '\ndata: ' + json + '\n\n';
    }
    if (batch) {
      r.sent.push(batch);
      for (const res of r.clients) res.write(batch);
    }
    if (i < events.length) {
      setTimeout(tick, Math.max(0, events[i].time - events[0].time - (Date.now() - start)));
    } else {
      r.done = true;
      for (const res of r.clients) res.end();
    }
  };
  tick();
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/api/runs') {
    req.resume();
    req.on('end', () => {
      const id = 'floor-' + ++runs;
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id }));
      replay(id);
    });
    return;
  }
  const m = /^\/api\/runs\/([^/]+)\/events$/.exec(req.url);
  const r = m && replays.get(decodeURIComponent(m[1]));
  if (req.method !== 'GET' || !r) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  for (const batch of r.sent) res.write(batch);
  if (r.done) res.end();
  else {
    r.clients.add(res);
    req.on('close', () => r.clients.delete(res));
  }
});
server.listen(0, '127.0.0.1', () => {
  console.log('floor listening on http://127.0.0.1:' + server.address().port + '/');
});
