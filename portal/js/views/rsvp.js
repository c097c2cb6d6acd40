// /rsvp/{token}: the page a meeting invitation links to. The invitee sees the meeting and answers (in person, online,
// or declines) without signing in; the answer can change until registration closes. Built for phones first.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { linkPage } from './link-action.js';

export async function rsvpView(main, rawToken) {
  const page = linkPage(main, rawToken, 'rsvp');
  const view = await page.load('/api/rsvp');
  if (!view) {
    return;
  }

  const answers = ['InPerson', 'Online', 'Declined'].filter((a) => a !== 'InPerson' || view.format !== 'Virtual').filter((a) => a !== 'Online' || view.format !== 'InPerson');
  const current = view.registration?.attendance;
  page.show(
    h('dl', { class: 'details' },
      h('dt', {}, t('rsvp.meeting')), h('dd', {}, view.title),
      h('dt', {}, t('rsvp.when')), h('dd', {}, `${formatDateTime(view.startUtc)} – ${formatDateTime(view.endUtc)}`),
      h('dt', {}, t('rsvp.where')), h('dd', {}, view.venue || t(`rsvp.format.${view.format}`))),
    current ? h('p', { class: 'lead' }, t('rsvp.current', { answer: t(`rsvp.answer.${current}`) })) : h('p', { class: 'lead' }, t('rsvp.intro')),
    view.open
      ? h('div', { class: 'button-row' }, ...answers.map((a) => h('button', { type: 'button', class: 'button button--large', onclick: () => answer(a) }, t(`rsvp.answer.${a}`))))
      : h('p', {}, t('rsvp.closed')));

  async function answer(attendance) {
    if (await page.answer('/api/rsvp', { attendance })) {
      page.done(t('rsvp.doneTitle'), [h('p', {}, t(`rsvp.answer.${attendance}`))]);
    }
  }
}
