// The run list in the sidebar: every run's summary, newest first, updated in place.
import { el, fmt, pct } from './format.js';

/** Sort order of the run list: newest first, then by id (descending) for the same time. */
export function newestFirst(a, b) {
  const d = (Number(b.createdAt) || 0) - (Number(a.createdAt) || 0);
  return d || String(b.id).localeCompare(String(a.id));
}

/**
 * Which control buttons a run takes, from its summary: an external run's own trainer decides, so
 * only one created controllable takes pause, resume and stop, and none takes a step. A run whose
 * summary is not known yet is treated as an engine run.
 */
export function controlsOf(summary) {
  if (!summary || !summary.external) return { pause: true, step: true };
  return { pause: Boolean(summary.controllable), step: false };
}

/** The line under a run's name: data set, epoch (of how many), last loss and accuracy. */
export function runMeta(s) {
  const dataset = s.dataset || (s.config && s.config.dataset) || '';
  return [
    dataset,
    s.lastEpoch != null ? `epoch ${s.lastEpoch}${s.epochs ? '/' + s.epochs : ''}` : null,
    s.loss != null ? `loss ${fmt(s.loss)}` : null,
    s.accuracy != null ? `acc ${pct(s.accuracy)}` : null,
  ].filter(Boolean).join(' \u00b7 ');
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * The run list in `list` (a ul); clicking a run calls onSelect(id). render(summaries, selectedId)
 * updates the items in place and only moves those out of order, so focus and hover survive the
 * live updates.
 */
export function createRunList(list, onSelect) {
  const items = new Map(); // id -> {li, button, name, badge, meta}

  function item(id) {
    let it = items.get(id);
    if (it) return it;
    const name = el('span', { class: 'run-item-name' });
    const badge = el('span', { class: 'badge' });
    const meta = el('span', { class: 'run-item-meta' });
    const button = el('button', {
      type: 'button', class: 'run-item', 'data-testid': 'run-item', 'data-run-id': id, onclick: () => onSelect(id),
    }, name, badge, meta);
    it = { li: el('li', {}, button), button, name, badge, meta };
    items.set(id, it);
    return it;
  }

  return {
    render(summaries, selected) {
      const runs = [...summaries].sort(newestFirst);
      if (!runs.length) {
        list.replaceChildren(el('li', { class: 'empty' }, 'No runs yet: start one below.'));
        return;
      }
      const empty = list.querySelector('.empty');
      if (empty) empty.remove();
      runs.forEach((s, i) => {
        const it = item(s.id);
        setText(it.name, s.name || s.id);
        setText(it.badge, s.state || '');
        it.badge.dataset.state = s.state || '';
        setText(it.meta, runMeta(s));
        const isSelected = s.id === selected;
        it.button.classList.toggle('selected', isSelected);
        if (isSelected) it.button.setAttribute('aria-current', 'true'); else it.button.removeAttribute('aria-current');
        if (list.children[i] !== it.li) list.insertBefore(it.li, list.children[i] || null);
      });
    },
  };
}
