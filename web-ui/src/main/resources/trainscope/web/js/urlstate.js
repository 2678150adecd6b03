// The dashboard's view state in the query string, so a link (or a reload) reproduces the view:
// which view, the Compare view's selection, smoothing, axes, table sort, filters, columns, metric
// and brush. Pure: parse(search) and serialize(state, search) are unit-tested in node. Values equal
// to the defaults are left out of the URL; parameters of others (?token=) are kept as they are.

export const CHARTS = ['loss', 'accuracy'];

/** The view state nothing in the URL changes. */
export function defaultState() {
  return {
    view: 'run',
    runs: [],
    smooth: 0,
    x: 'epoch',
    ylog: { loss: true, accuracy: false },
    sort: { key: '', dir: 'asc' },
    q: '',
    state: '',
    sweep: '',
    cols: null, // null: the default columns (the varied params and the results)
    metric: 'best:valLoss',
    brush: '', // the parallel axes' brushed ranges, as that module encodes them
  };
}

// The parameters this module owns; others in the query string are left alone.
const KEYS = ['view', 'runs', 'smooth', 'x', 'ylog', 'sort', 'dir', 'q', 'state', 'sweep', 'cols', 'metric', 'brush'];
export const MAX_SMOOTH = 0.99;

const list = (v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** The state a query string gives (`?view=compare&runs=a,b&smooth=0.6`); what is invalid is the default. */
export function parse(search) {
  const p = new URLSearchParams(search);
  const s = defaultState();
  if (p.get('view') === 'compare') s.view = 'compare';
  s.runs = [...new Set(list(p.get('runs')))];
  const smooth = Number(p.get('smooth'));
  if (p.has('smooth') && Number.isFinite(smooth)) s.smooth = Math.min(MAX_SMOOTH, Math.max(0, smooth));
  if (p.get('x') === 'time') s.x = 'time';
  if (p.has('ylog')) {
    const on = new Set(list(p.get('ylog')));
    for (const c of CHARTS) s.ylog[c] = on.has(c);
  }
  if (p.get('sort')) s.sort.key = p.get('sort');
  if (p.get('dir') === 'desc') s.sort.dir = 'desc';
  s.q = p.get('q') || '';
  s.state = p.get('state') || '';
  s.sweep = p.get('sweep') || '';
  if (p.has('cols')) s.cols = list(p.get('cols'));
  if (p.get('metric')) s.metric = p.get('metric');
  s.brush = p.get('brush') || '';
  return s;
}

/**
 * The query string (with its `?`, or '' when empty) of `state`, keeping the parameters of `search`
 * that are not the view's own.
 */
export function serialize(state, search = '') {
  const d = defaultState();
  const p = new URLSearchParams(search);
  for (const k of KEYS) p.delete(k);
  if (state.view !== d.view) p.set('view', state.view);
  if (state.runs.length) p.set('runs', state.runs.join(','));
  if (state.smooth !== d.smooth) p.set('smooth', String(state.smooth));
  if (state.x !== d.x) p.set('x', state.x);
  if (CHARTS.some((c) => Boolean(state.ylog[c]) !== d.ylog[c])) p.set('ylog', CHARTS.filter((c) => state.ylog[c]).join(','));
  if (state.sort.key) p.set('sort', state.sort.key);
  if (state.sort.key && state.sort.dir !== d.sort.dir) p.set('dir', state.sort.dir);
  for (const k of ['q', 'state', 'sweep', 'brush']) if (state[k]) p.set(k, state[k]);
  if (state.cols) p.set('cols', state.cols.join(','));
  if (state.metric !== d.metric) p.set('metric', state.metric);
  // Commas and colons read better unescaped, and URLSearchParams reads them back either way.
  const text = p.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
  return text ? '?' + text : '';
}
