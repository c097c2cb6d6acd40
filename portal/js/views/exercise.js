// /exercise/{token}: the page an exercise inject links to. The player sees the inject (marked as an exercise) and
// answers it without signing in: one click to acknowledge, or a reply (text and an optional choice). Phones first.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { linkPage } from './link-action.js';

export async function exerciseView(main, rawToken) {
  const page = linkPage(main, rawToken, 'exercise', { banner: h('p', { class: 'alert alert--warning exercise-banner' }, t('exercise.banner')) });
  const view = await page.load('/api/exercise-responses');
  if (!view) {
    return;
  }

  const facts = h('dl', { class: 'details' },
    h('dt', {}, t('exercise.exercise')), h('dd', {}, view.exerciseName),
    h('dt', {}, t('exercise.inject')), h('dd', {}, view.title),
    h('dt', {}, t('exercise.respondBy')), h('dd', {}, formatDateTime(view.respondBy)));
  const message = h('p', { class: 'lead exercise-message' }, view.message);
  const answeredAt = view.expects === 'Reply' ? view.repliedAt : view.acknowledgedAt;
  if (answeredAt) {
    page.show(facts, message, h('p', {}, t('exercise.answered', { at: formatDateTime(answeredAt) })));
    return;
  }

  if (!view.open) {
    page.show(facts, message, h('p', {}, t('exercise.closed')));
    return;
  }

  const acknowledge = () => h('div', { class: 'button-row' },
    h('button', { type: 'button', class: 'button button--large', onclick: () => answer({ response: 'Acknowledge' }) }, t('exercise.acknowledge')));
  if (view.expects === 'ContactParticipant') {
    page.show(facts, message, h('p', {}, t('exercise.contact', { participant: view.contactParticipant })), acknowledge());
  } else if (view.expects === 'Reply') {
    const text = h('textarea', { id: 'exercise-reply', rows: '5', maxlength: '4000' });
    const choice = view.options?.length
      ? h('select', { id: 'exercise-choice' }, h('option', { value: '' }, '—'), ...view.options.map((o) => h('option', { value: o }, o)))
      : null;
    page.show(facts, message,
      h('label', { for: 'exercise-reply' }, t('exercise.replyLabel')), text,
      ...(choice ? [h('label', { for: 'exercise-choice' }, t('exercise.choiceLabel')), choice] : []),
      h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button button--large', onclick: () => answer({ response: 'Reply', text: text.value, choice: choice?.value || null }) }, t('exercise.reply'))));
  } else {
    page.show(facts, message, acknowledge());
  }

  async function answer(input) {
    if (await page.answer('/api/exercise-responses', input)) {
      page.done(t('exercise.doneTitle'));
    }
  }
}
