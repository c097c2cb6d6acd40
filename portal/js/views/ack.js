// /ack/{token}: the page a ping's email links to. Anyone with the link may acknowledge that one ping; no sign-in.
// One clear button, then a confirmation; clear messages for unknown and closed links. Built for phones first.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { linkPage } from './link-action.js';

export function ackView(main, rawToken) {
  const page = linkPage(main, rawToken, 'ack', { problemNote: t('ack.contact') });
  page.show(
    h('p', { class: 'lead' }, t('ack.intro')),
    h('p', {}, t('ack.explain')),
    page.oneClick('/api/acknowledgements', t('ack.button'), t('ack.working'), (data) => page.done(t('ack.doneTitle'), [
      h('p', {}, t('ack.done')),
      h('dl', { class: 'details' },
        h('dt', {}, t(data.kind === 'communication' ? 'ack.communication' : data.kind === 'campaign' ? 'ack.campaign' : 'ack.message')), h('dd', {}, data.title),
        h('dt', {}, t('ack.reference')), h('dd', {}, data.reference),
        h('dt', {}, t('ack.acknowledgedAt')), h('dd', {}, formatDateTime(data.acknowledgedAt)))],
      h('p', {}, t('ack.closeTab')))));
}
