// Server-Sent Events with the browser's own EventSource: named events, connection state,
// automatic reconnection (the browser sends Last-Event-ID, the server resumes after it).
import { authHeaders, token } from './api.js';

/**
 * Opens an event stream.
 * @param {string} path e.g. /api/runs/ID/events
 * @param {string[]} types the named events to listen to
 * @param {(ev: object, type: string, lastEventId: string) => void} onEvent
 * @param {(state: 'connecting'|'live'|'reconnecting'|'finished'|'closed') => void} onState
 * @param {{isDone?: () => boolean}} [options] isDone says whether the stream's content is complete
 * @returns {{close: () => void}}
 */
export function openStream(path, types, onEvent, onState, options = {}) {
  const t = token();
  const url = t ? path + (path.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(t) : path;
  let es = new EventSource(url);
  let closed = false;
  onState('connecting');

  // The browser may hand over thousands of events in one go (after a busy moment, or from a fast
  // run): queue them raw and parse/apply them in slices of a few milliseconds, so the page keeps
  // painting and answering input.
  const queue = [];
  let head = 0;
  let draining = false;
  const drain = async () => {
    draining = true;
    let slice = performance.now();
    while (head < queue.length) {
      if (closed) break;
      const { type, data, lastEventId } = queue[head++];
      let ev;
      try {
        ev = JSON.parse(data);
      } catch (e) {
        console.warn('trainscope: unparseable event', type, e);
        continue;
      }
      onEvent(ev, type, lastEventId);
      if (performance.now() - slice > 12 && head < queue.length) {
        await yieldToBrowser();
        slice = performance.now();
      }
    }
    queue.length = 0;
    head = 0;
    draining = false;
  };
  const handler = (type) => (msg) => {
    queue.push({ type, data: msg.data, lastEventId: msg.lastEventId });
    if (!draining) {
      draining = true;
      setTimeout(drain, 0);
    }
  };
  for (const type of types) es.addEventListener(type, handler(type));
  es.addEventListener('open', () => onState('live'));
  es.addEventListener('error', () => {
    if (closed) return;
    if (es.readyState === EventSource.CLOSED) {
      // The server answered 204 (nothing after Last-Event-ID: the run is over) or refused.
      closed = true;
      onState(options.isDone && options.isDone() ? 'finished' : 'closed');
    } else {
      onState(options.isDone && options.isDone() ? 'finished' : 'reconnecting');
    }
  });

  return {
    close() {
      closed = true;
      es.close();
    },
    finish() {
      // The run is over: no need to reconnect for more.
      closed = true;
      es.close();
      onState('finished');
    },
  };
}

/** Lets the browser paint a frame (and handle input) before the next slice of work. */
function yieldToBrowser() {
  return new Promise((resolve) => {
    let done = false;
    const go = () => {
      if (!done) {
        done = true;
        setTimeout(resolve, 0);
      }
    };
    if (!document.hidden) requestAnimationFrame(go);
    // Hidden tabs run no animation frames: go on with a timer.
    setTimeout(go, document.hidden ? 0 : 100);
  });
}

/**
 * Reads a run's stored events (NDJSON) in slices of a few milliseconds, yielding to the browser in
 * between, so that a long history replays without freezing the page. Resolves to true when the
 * whole history was read, false when cancelled; rejects when the history is unavailable.
 */
export async function readHistory(path, onEvent, isCancelled) {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok || !res.body) throw new Error(`history: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let slice = performance.now();
  for (;;) {
    const { done, value } = await reader.read();
    if (isCancelled()) {
      reader.cancel().catch(() => {});
      return false;
    }
    buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let pos = 0;
    let nl;
    while ((nl = buf.indexOf('\n', pos)) >= 0) {
      const line = buf.slice(pos, nl);
      pos = nl + 1;
      if (line.trim()) onEvent(JSON.parse(line));
      if (performance.now() - slice > 12) {
        buf = buf.slice(pos);
        pos = 0;
        await yieldToBrowser();
        if (isCancelled()) {
          reader.cancel().catch(() => {});
          return false;
        }
        slice = performance.now();
      }
    }
    buf = buf.slice(pos);
    if (done) break;
  }
  if (buf.trim()) onEvent(JSON.parse(buf));
  return true;
}
