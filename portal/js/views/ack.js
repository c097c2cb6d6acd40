// /ack/{token}: the page a ping's email links to. Anyone with the link may acknowledge that one ping; no sign-in.
// One clear button, then a confirmation; clear messages for unknown and closed links. Built for phones first.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { post, segment, ApiError } from '../api.js';
import { formatDateTime } from '../format.js';

export function ackView(main, rawToken) {
  document.title = t('app.documentTitle', { page: t('ack.title') });
  let token = '';
  try {
    token = decodeURIComponent(rawToken ?? '');
  } catch {
    token = '';
  }

  const heading = h('h1', { id: 'page-title', tabindex: '-1' }, t('ack.title'));
  const body = h('div', { class: 'ack__body' });
  // Announces the outcome to screen readers; the visible outcome replaces the page's body.
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const failure = h('div');
  const button = h('button', { type: 'button', class: 'button button--large', onclick: acknowledge }, t('ack.button'));
  replace(body,
    h('p', { class: 'lead' }, t('ack.intro')),
    h('p', {}, t('ack.explain')),
    button);
  replace(main, h('div', { class: 'ack' }, heading, failure, body, status));

  async function acknowledge() {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) {
      showProblem('unknown');
      return;
    }

    button.disabled = true;
    button.textContent = t('ack.working');
    failure.replaceChildren();
    try {
      const { data } = await post(`/api/acknowledgements/${segment(token)}`, undefined, { anonymous: true });
      const title = h('h2', { tabindex: '-1', class: 'ack__done-title' }, t('ack.doneTitle'));
      replace(body,
        h('div', { class: 'alert alert--success' },
          title,
          h('p', {}, t('ack.done')),
          h('dl', { class: 'details' },
            h('dt', {}, t(data.kind === 'communication' ? 'ack.communication' : data.kind === 'campaign' ? 'ack.campaign' : 'ack.message')), h('dd', {}, data.title),
            h('dt', {}, t('ack.reference')), h('dd', {}, data.reference),
            h('dt', {}, t('ack.acknowledgedAt')), h('dd', {}, formatDateTime(data.acknowledgedAt)))),
        h('p', {}, t('ack.closeTab')));
      status.textContent = t('ack.doneTitle');
      title.focus();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        showProblem('unknown');
      } else if (error instanceof ApiError && error.status === 410) {
        showProblem('closed');
      } else {
        button.disabled = false;
        button.textContent = t('ack.button');
        replace(failure, h('div', { class: 'alert alert--error', role: 'alert' },
          h('h2', { class: 'alert__title' }, t('ack.failedTitle')), h('p', {}, t('ack.failed'))));
      }
    }
  }

  function showProblem(kind) {
    const title = h('h2', { tabindex: '-1', class: 'alert__title' }, t(`ack.${kind}Title`));
    replace(body, h('div', { class: 'alert alert--error' }, title, h('p', {}, t(`ack.${kind}`)), h('p', {}, t('ack.contact'))));
    status.textContent = t(`ack.${kind}Title`);
    title.focus();
  }
}
