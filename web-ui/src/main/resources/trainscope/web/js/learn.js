// The learn panel: what ReLU, sigmoid and softmax do, shown with the selected run's live values,
// a three-question quiz with immediate feedback, and a key insight.
import { activationExamples } from './state.js';
import { el, fmt } from './format.js';
import { quizProof } from './proofs.js';

export const QUIZ = [
  {
    id: 'relu',
    question: 'What does ReLU do to negative input values?',
    options: ['Turns them into 0', 'Makes them positive (absolute value)', 'Squashes them into (0, 1)', 'Leaves them unchanged'],
    answer: 0,
    explain: 'ReLU(z) = max(0, z): negative values become exactly 0, positive values pass through unchanged.',
  },
  {
    id: 'sigmoid',
    question: 'What range of values can a sigmoid output?',
    options: ['Any real number', 'Between -1 and 1', 'Between 0 and 1', 'Only 0 or 1'],
    answer: 2,
    explain: 'sigmoid(z) = 1 / (1 + e^-z) squashes any input into (0, 1); large |z| saturates near 0 or 1, where gradients vanish.',
  },
  {
    id: 'softmax',
    question: 'What is true of the outputs of a softmax layer?',
    options: ['They are all 0 or 1', 'They are positive and sum to 1', 'They are the raw scores, unchanged', 'Each one is independent of the others'],
    answer: 1,
    explain: 'softmax exponentiates the scores and divides by their sum: a probability distribution over the classes.',
  },
];

/** Renders the live explanation cards. */
export function renderExplanations(container, run) {
  const ex = activationExamples(run.activations);
  const cards = [];
  const reluLive = ex.relu
    ? ex.relu.negative
      ? `Live: ReLU turned ${fmt(ex.relu.input)} into ${fmt(ex.relu.output)} in layer ${ex.relu.layer} (unit ${ex.relu.unit}).`
      : `Live: every input to ReLU in layer ${ex.relu.layer} is positive right now, so it passes ${fmt(ex.relu.input)} through unchanged.`
    : 'This run has no ReLU layer.';
  cards.push(card('relu', 'ReLU', 'max(0, z): keeps positive values, turns negative ones into 0. Cheap, and gradients do not shrink for positive inputs, but a unit whose input is always negative is "dead" and stops learning.', run.activations ? reluLive : 'Waiting for a traced epoch\u2026'));
  const sigLive = ex.sigmoid
    ? `Live: sigmoid squashed ${fmt(ex.sigmoid.input)} into ${fmt(ex.sigmoid.output)} in layer ${ex.sigmoid.layer} (unit ${ex.sigmoid.unit}).`
    : 'This run has no sigmoid layer.';
  cards.push(card('sigmoid', 'Sigmoid', '1 / (1 + e^\u2212z): squashes any value into (0, 1). Near 0 or 1 it saturates and its gradient almost vanishes.', run.activations ? sigLive : 'Waiting for a traced epoch\u2026'));
  let smLive = 'This run has no softmax layer.';
  if (ex.softmax) {
    const s = ex.softmax;
    const classes = (run.dataset && run.dataset.classes) || [];
    const probs = s.probabilities.map((p, i) => `${classes[i] || i} ${fmt(p)}`).join(', ');
    smLive = `Live: softmax turned the scores [${s.scores.map((v) => fmt(v)).join(', ')}] of layer ${s.layer} into probabilities ${probs}, which sum to ${fmt(s.sum)}.`;
  }
  cards.push(card('softmax', 'Softmax', 'e^z_i / \u03a3 e^z_j: turns the last layer\'s scores into class probabilities that are positive and sum to 1.', run.activations ? smLive : 'Waiting for a traced epoch\u2026'));
  container.replaceChildren(...cards);
}

function card(id, title, what, live) {
  return el('div', { class: 'explain', 'data-testid': 'explain-' + id },
    el('h3', {}, title), el('p', {}, what), el('p', { class: 'live' }, live));
}

// The quiz answer whose proof is highlighted in the data flow (the latest answered), or null.
let highlighted = null;

/**
 * Renders the quiz once; answers give immediate feedback and the live value that proves the right
 * answer, read from {@code currentRun()} at the click and kept live by {@link refreshQuizProofs}.
 */
export function renderQuiz(container, currentRun = () => null) {
  highlighted = null;
  const items = QUIZ.map((q, qi) => {
    const feedback = el('p', { class: 'feedback', 'data-testid': 'quiz-feedback-' + q.id, 'aria-live': 'polite' });
    const proof = el('p', { class: 'quiz-proof', 'data-testid': 'quiz-proof-' + q.id, hidden: true });
    const buttons = q.options.map((o, oi) => el('button', {
      type: 'button',
      class: 'quiz-option',
      'data-testid': `quiz-${q.id}-option-${oi}`,
      onclick: (e) => {
        const right = oi === q.answer;
        for (const b of e.currentTarget.parentElement.querySelectorAll('button')) b.classList.remove('right', 'wrong');
        e.currentTarget.classList.add(right ? 'right' : 'wrong');
        feedback.className = 'feedback ' + (right ? 'right' : 'wrong');
        feedback.dataset.result = right ? 'correct' : 'incorrect';
        feedback.textContent = (right ? 'Correct. ' : 'Not quite. ') + q.explain;
        highlighted = q.id;
        const run = currentRun();
        showProof(proof, q.id, run);
        const first = highlightProof(document.querySelector('[data-testid="pipeline"]'), run);
        if (first) first.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      },
    }, o));
    return el('div', { class: 'quiz-q', 'data-testid': 'quiz-' + q.id },
      el('p', { class: 'q' }, `${qi + 1}. ${q.question}`),
      el('div', { class: 'options', role: 'group', 'aria-label': q.question }, buttons),
      feedback, proof);
  });
  container.replaceChildren(...items);
}

function proofOf(id, run) {
  return quizProof(id, run && run.activations, (run && run.dataset && run.dataset.classes) || []);
}

function showProof(p, id, run) {
  const proof = proofOf(id, run);
  p.hidden = false;
  p.textContent = proof.text;
  p.dataset.found = String(proof.found);
  p.dataset.epoch = run && run.activations ? String(run.activations.epoch) : '';
  p.classList.toggle('missing', !proof.found);
}

/** Brings the proofs of the answered questions up to the run's latest trace. */
export function refreshQuizProofs(container, run) {
  for (const q of QUIZ) {
    const p = container.querySelector(`[data-testid="quiz-proof-${q.id}"]`);
    if (p && !p.hidden) showProof(p, q.id, run);
  }
}

/**
 * Marks the value cells of the data flow that prove the latest answered question (the cards are
 * rebuilt at every trace, so this runs after each render); returns the first marked cell or null.
 */
export function highlightProof(pipeline, run) {
  if (!pipeline) return null;
  for (const c of pipeline.querySelectorAll('.val.proof')) c.classList.remove('proof');
  if (!highlighted) return null;
  const proof = proofOf(highlighted, run);
  let first = null;
  for (const cell of proof.cells) {
    const stage = pipeline.querySelector(`[data-testid="stage"][data-stage="${cell.stage}"]`);
    const v = stage && stage.querySelectorAll(`[data-testid="value"][data-kind="${cell.kind}"]`)[cell.index];
    if (!v) continue;
    v.classList.add('proof');
    v.dataset.proof = highlighted;
    if (!first) first = v;
  }
  return first;
}

/** The live line under the key insight: the run's latest insight, or null when it has none. */
export function keyInsightLine(run) {
  const last = run && run.lastInsight;
  if (!last || typeof last.message !== 'string' || !last.message) return null;
  return Number.isInteger(last.epoch) && last.epoch > 0 ? `Epoch ${last.epoch}: ${last.message}` : last.message;
}

/** The key insight, with the run's latest insight. */
export function renderInsight(container, run) {
  const line = keyInsightLine(run);
  const parts = [
    el('p', {}, el('b', {}, 'Key insight: '),
      'a network is a chain of simple steps \u2014 a linear map, then a nonlinearity \u2014 and training only nudges the weights so the loss goes down. '
      + 'Without the nonlinearities (ReLU, sigmoid) the whole stack would collapse into one linear map; softmax at the end turns scores into probabilities.'),
  ];
  // replaceChildren turns a null argument into the text "null", so absent parts are left out.
  if (line) parts.push(el('p', { class: 'insight-live level-' + run.lastInsight.level }, line));
  container.replaceChildren(...parts);
}
