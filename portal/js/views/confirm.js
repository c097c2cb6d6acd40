// /confirm/{token}: the page a re-confirmation email links to. Anyone with the link may confirm that one POC's details
// are current; no sign-in. One button, then a confirmation; clear messages for unknown and expired links.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { linkPage } from './link-action.js';

export function confirmView(main, rawToken) {
  const page = linkPage(main, rawToken, 'confirm');
  page.show(
    h('p', { class: 'lead' }, t('confirm.intro')),
    h('p', {}, t('confirm.explain')),
    page.oneClick('/api/confirmations', t('confirm.button'), t('confirm.working'), (data) => page.done(t('confirm.doneTitle'), [
      h('p', {}, t('confirm.done')),
      h('dl', { class: 'details' },
        h('dt', {}, t('confirm.reference')), h('dd', {}, data.reference),
        h('dt', {}, t('confirm.confirmedAt')), h('dd', {}, formatDateTime(data.lastConfirmedAt)))],
      h('p', {}, t('confirm.closeTab')))));
}
