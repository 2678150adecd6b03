// Server-Sent Events with the browser's own EventSource: named events, connection state,
// automatic reconnection (the browser sends Last-Event-ID, the server resumes after it).
import { token } from './api.js';

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

  const handler = (type) => (msg) => {
    let data;
    try {
      data = JSON.parse(msg.data);
    } catch (e) {
      console.warn('trainscope: unparseable event', type, e);
      return;
    }
    onEvent(data, type, msg.lastEventId);
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
