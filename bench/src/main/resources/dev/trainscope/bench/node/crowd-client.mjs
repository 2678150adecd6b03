// A burst of real SSE clients (npm `eventsource`, as a browser's EventSource behaves), in a process
// of its own: starts a run with POST {url}/api/runs, then at once opens N streams of its events
// without pausing it. Prints one JSON line: latencies (receipt minus the event's `time`, only for
// events emitted after that client's stream opened, to the millisecond, from a histogram so the
// percentiles are exact) and whether every client received every event, in order, without a gap.
//
// node crowd-client.mjs <url> <clients> <run-body-json> <types,comma,separated> [timeoutMs]
import { EventSource } from 'eventsource';

const [url, clientsArg, body, typesArg, timeoutArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const types = typesArg.split(',');
const timeoutMs = Number(timeoutArg || 120000);
const base = url.replace(/\/$/, '');
const TERMINAL = new Set(['run-completed', 'run-failed']);
const EARLY_MS = 2500; // the first seconds of a run, when a burst of clients joins

const all = new Histogram();
const early = new Histogram();
let opened = 0;
let done = 0;
let lastOpenAt = 0;

function Histogram() {
  this.bins = new Uint32Array(60001); // 1 ms bins; the last one holds everything above 60 s
  this.count = 0;
  this.add = (ms) => {
    this.bins[Math.max(0, Math.min(60000, ms))]++;
    this.count++;
  };
  this.quantile = (q) => {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i];
      if (seen >= rank) return i;
    }
    return null;
  };
  this.max = () => {
    for (let i = this.bins.length - 1; i >= 0; i--) if (this.bins[i] > 0) return i;
    return null;
  };
}

// `time` is among the first fields of every event: read it without parsing the whole JSON, so
// that the client's own cost stays small next to the server's at a thousand streams.
function timeOf(data) {
  const at = data.indexOf('"time":');
  if (at < 0) return NaN;
  let end = at + 7;
  while (end < data.length && data.charCodeAt(end) >= 48 && data.charCodeAt(end) <= 57) end++;
  return Number(data.slice(at + 7, end));
}

const res = await fetch(base + '/api/runs', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body,
});
if (res.status !== 200 && res.status !== 201 && res.status !== 202) {
  console.error('POST /api/runs: ' + res.status + ' ' + (await res.text()));
  process.exit(2);
}
const runId = (await res.json()).id;
const startedAt = Date.now();
const state = [];
for (let i = 0; i < clients; i++) state.push(open(i));

function open(i) {
  const s = { openedAt: 0, next: 0, gaps: 0, dupes: 0, reconnects: 0, ended: false, events: 0 };
  const es = new EventSource(base + '/api/runs/' + encodeURIComponent(runId) + '/events');
  s.es = es;
  es.onopen = () => {
    if (s.openedAt === 0) {
      s.openedAt = Date.now();
      opened++;
      lastOpenAt = s.openedAt;
    } else {
      s.reconnects++;
    }
  };
  const onEvent = (e) => {
    const now = Date.now();
    const seq = Number(e.lastEventId);
    if (seq < s.next) s.dupes++;
    else if (seq > s.next) s.gaps += seq - s.next;
    if (seq >= s.next) s.next = seq + 1;
    s.events++;
    const time = timeOf(e.data);
    if (time >= s.openedAt) {
      all.add(now - time);
      if (time - startedAt < EARLY_MS) early.add(now - time);
    }
    if (TERMINAL.has(e.type)) finish(s);
  };
  for (const t of types) es.addEventListener(t, onEvent);
  return s;
}

function finish(s) {
  if (s.ended) return;
  s.ended = true;
  s.es.close();
  if (++done === clients) report(false);
}

function report(timedOut) {
  const events = Math.max(...state.map((s) => s.next));
  const complete = state.filter((s) => s.ended && s.gaps === 0 && s.next === events).length;
  const out = {
    runId,
    clients,
    events,
    complete,
    lost: state.reduce((a, s) => a + s.gaps + (events - s.next), 0),
    duplicates: state.reduce((a, s) => a + s.dupes, 0),
    reconnects: state.reduce((a, s) => a + s.reconnects, 0),
    timedOut,
    allOpenMs: opened === clients ? lastOpenAt - startedAt : null,
    measured: all.count,
    p50: all.quantile(0.5),
    p99: all.quantile(0.99),
    max: all.max(),
    earlyP99: early.quantile(0.99),
  };
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
}

setTimeout(() => {
  for (const s of state) s.es.close();
  report(true);
}, timeoutMs).unref();
