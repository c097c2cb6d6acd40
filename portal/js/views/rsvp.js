// /rsvp/{token}: the page a meeting invitation links to. The invitee sees the meeting and answers (in person, online,
// or declines) without signing in; the answer can change until registration closes. Built for phones first.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, segment, ApiError } from '../api.js';
import { formatDateTime } from '../format.js';

export async function rsvpView(main, rawToken) {
  document.title = t('app.documentTitle', { page: t('rsvp.title') });
  let token = '';
  try {
    token = decodeURIComponent(rawToken ?? '');
  } catch {
    token = '';
  }

  const heading = h('h1', { id: 'page-title', tabindex: '-1' }, t('rsvp.title'));
  const body = h('div', { class: 'ack__body' });
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  replace(main, h('div', { class: 'ack' }, heading, body, status));
  if (!/^[A-Za-z0-9_-]+$/.test(token)) {
    showProblem('unknown');
    return;
  }

  let view;
  try {
    ({ data: view } = await get(`/api/rsvp/${segment(token)}`, { anonymous: true }));
  } catch (error) {
    showProblem(error instanceof ApiError && error.status === 410 ? 'closed' : error instanceof ApiError && error.status === 404 ? 'unknown' : 'failed');
    return;
  }

  const answers = ['InPerson', 'Online', 'Declined'].filter((a) => a !== 'InPerson' || view.format !== 'Virtual').filter((a) => a !== 'Online' || view.format !== 'InPerson');
  const current = view.registration?.attendance;
  replace(body,
    h('dl', { class: 'details' },
      h('dt', {}, t('rsvp.meeting')), h('dd', {}, view.title),
      h('dt', {}, t('rsvp.when')), h('dd', {}, `${formatDateTime(view.startUtc)} – ${formatDateTime(view.endUtc)}`),
      h('dt', {}, t('rsvp.where')), h('dd', {}, view.venue || t(`rsvp.format.${view.format}`))),
    current ? h('p', { class: 'lead' }, t('rsvp.current', { answer: t(`rsvp.answer.${current}`) })) : h('p', { class: 'lead' }, t('rsvp.intro')),
    view.open
      ? h('div', { class: 'button-row' }, ...answers.map((a) => h('button', { type: 'button', class: 'button button--large', onclick: () => answer(a) }, t(`rsvp.answer.${a}`))))
      : h('p', {}, t('rsvp.closed')));

  async function answer(attendance) {
    try {
      await post(`/api/rsvp/${segment(token)}`, { attendance }, { anonymous: true });
      replace(body, h('div', { class: 'alert alert--success' }, h('h2', { tabindex: '-1' }, t('rsvp.doneTitle')), h('p', {}, t(`rsvp.answer.${attendance}`))));
      status.textContent = t('rsvp.doneTitle');
    } catch (error) {
      showProblem(error instanceof ApiError && error.status === 410 ? 'closed' : 'failed');
    }
  }

  function showProblem(kind) {
    const title = h('h2', { tabindex: '-1', class: 'alert__title' }, t(`rsvp.${kind}Title`));
    replace(body, h('div', { class: 'alert alert--error' }, title, h('p', {}, t(`rsvp.${kind}`))));
    status.textContent = t(`rsvp.${kind}Title`);
    title.focus();
  }
}
