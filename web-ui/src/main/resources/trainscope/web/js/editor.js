// The inline weight editor over the network diagram: the parameter, its current value, a number,
// Apply / Cancel. Apply calls submit(body) (POST /api/runs/{id}/weights); the server's error text
// stays in the editor, a success closes it (the weights-edited event and the fresh trace follow).
import { el, fmt } from './format.js';
import { paramLabel, weightRequest } from './trace.js';

export function createWeightEditor(host, { submit }) {
  const label = el('div', { class: 'we-label', 'data-testid': 'weight-label' });
  const current = el('div', { class: 'muted', 'data-testid': 'weight-current' });
  const input = el('input', {
    type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'weight-value', 'aria-label': 'new value',
  });
  const apply = el('button', { type: 'submit', class: 'primary', 'data-testid': 'weight-apply' }, 'Apply');
  const cancel = el('button', { type: 'button', 'data-testid': 'weight-cancel' }, 'Cancel');
  const error = el('p', { class: 'field-error', 'data-testid': 'weight-error', role: 'alert' });
  const form = el('form', { class: 'weight-editor', 'data-testid': 'weight-editor', hidden: true, novalidate: true },
    label, current, el('div', { class: 'we-row' }, input, apply, cancel), error);
  host.append(form);
  let target = null;

  function close() {
    form.hidden = true;
    target = null;
    error.textContent = '';
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!target) return;
    const body = weightRequest(target, input.value);
    const sent = target;
    apply.disabled = true;
    error.textContent = '';
    Promise.resolve(submit(body)).then(() => {
      if (target === sent) close();
    }, (err) => {
      if (target === sent) error.textContent = err.message;
    }).finally(() => { apply.disabled = false; });
  });
  cancel.addEventListener('click', close);
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });

  return {
    /** Opens the editor for `t` next to `anchor` (an element inside the host). */
    open(t, value, anchor) {
      target = t;
      label.textContent = paramLabel(t);
      current.textContent = value == null ? 'current value: not in the trace'
        : `current value: ${fmt(value, 4)}${t.bias ? ' (from the trace: z \u2212 x\u00b7w)' : ''}`;
      current.dataset.value = value == null ? '' : String(value);
      input.value = value == null ? '' : String(Number(value.toPrecision(6)));
      error.textContent = '';
      form.hidden = false;
      const h = host.getBoundingClientRect();
      const a = anchor.getBoundingClientRect();
      const left = Math.max(0, Math.min(h.width - form.offsetWidth, a.left + a.width / 2 - h.left - form.offsetWidth / 2));
      form.style.left = `${left}px`;
      form.style.top = `${Math.max(0, a.bottom - h.top + 4)}px`;
      input.focus();
      input.select();
    },
    close,
    isOpen: () => !form.hidden,
  };
}
