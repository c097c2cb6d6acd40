// Outreach to participants that have not nominated (Secretariat): #/outreach, #/outreach/new and #/outreach/{id}
// (per participant: what it lacked, contacted, reminded, nominated since).
import { h, replace, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, post, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { field, choiceGroup, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, badge, details, errorAlert, flash, takeFlash, busy } from '../ui.js';
import { formatDateTime } from '../format.js';

const LACKING = ['None', 'DiplomaticOnly', 'TechnicalOnly'];

export async function outreachListView({ root }) {
  const { data } = await get('/api/outreach');
  append(root,
    pageHeader(t('outreach.title'), h('a', { class: 'button', href: href('/outreach/new') }, t('outreach.new'))),
    takeFlash(),
    dataTable({
      caption: t('outreach.title'),
      captionHidden: true,
      empty: t('outreach.empty'),
      rows: data.items,
      columns: [
        { header: t('outreach.reference'), cell: (round) => h('a', { href: href('/outreach', round.id) }, round.reference) },
        { header: t('outreach.createdAt'), cell: (round) => formatDateTime(round.createdAt) },
        { header: t('outreach.state'), cell: (round) => badge(label('deliveryState', round.state)) },
        { header: t('outreach.participants'), numeric: true, cell: (round) => String(round.participants.length) },
        { header: t('outreach.nominated'), numeric: true, cell: (round) => String(round.participants.filter((p) => p.nominatedAt).length) },
      ],
    }));
}

export async function outreachNewView({ root }) {
  const summary = h('div');
  const notices = h('div');
  const statuses = choiceGroup({ legend: t('outreach.statuses'), type: 'checkbox', name: 'nominationStatus', key: 'scope.nominationStatus', selected: LACKING,
    options: LACKING.map((value) => ({ value, label: label('nominationStatus', value) })) });
  const regions = choiceGroup({ legend: t('outreach.regions'), hint: t('outreach.regionsHint'), type: 'checkbox', name: 'regions', key: 'scope.regions',
    options: enumValues('region').map((value) => ({ value, label: label('region', value) })), inline: false });
  const reminderDays = h('input', { type: 'number', name: 'reminderDays', min: '1', max: '90', step: '1', value: '14', inputmode: 'numeric', class: 'input--short' });
  const subject = textInput({ name: 'subject', maxlength: '200' });
  const body = h('textarea', { name: 'body', rows: '6' });
  const submit = h('button', { type: 'submit', class: 'button' }, t('outreach.send'));
  const form = h('form', { class: 'form', novalidate: true },
    statuses,
    regions,
    field({ label: t('outreach.reminderDays'), hint: t('outreach.reminderDaysHint'), control: reminderDays, key: 'reminders' }),
    field({ label: t('outreach.subject'), hint: t('outreach.subjectHint'), control: subject, key: 'subject' }),
    field({ label: t('outreach.body'), hint: t('outreach.bodyHint'), control: body, key: 'body' }),
    h('div', { class: 'button-row' }, submit));
  const errors = new FieldErrors(summary, form);
  const keyFor = submissionKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    notices.replaceChildren();
    const days = reminderDays.value.trim();
    const input = {
      scope: { nominationStatus: statuses.values(), regions: regions.values() },
      subject: subject.value.trim() || null,
      body: body.value.trim() || null,
      reminders: days ? [`P${days}D`] : [],
    };
    try {
      const { data } = await busy(submit, () => post('/api/outreach', input, { idempotencyKey: keyFor(input) }));
      flash(t('outreach.sentMessage', { count: data.participants.length }));
      navigate(href('/outreach', data.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        replace(notices, errorAlert(error));
      }
    }
  });

  append(root, pageHeader(t('outreach.newTitle')), summary, notices, form);
}

export async function outreachView({ root, params }) {
  const { data } = await get(`/api/outreach/${segment(params.id)}`);
  append(root,
    pageHeader(t('outreach.detailTitle', { reference: data.reference })),
    takeFlash(),
    section(t('outreach.summary'), details([
      [t('outreach.state'), badge(label('deliveryState', data.state))],
      [t('outreach.createdAt'), formatDateTime(data.createdAt)],
      [t('outreach.subject'), data.subject ?? t('outreach.standardLetter')],
      [t('outreach.reminders'), data.reminders.length ? data.reminders.join(', ') : t('common.none')],
    ])),
    section(t('outreach.participants'), dataTable({
      caption: t('outreach.participantsCaption'),
      captionHidden: true,
      empty: t('outreach.noParticipants'),
      rows: data.participants,
      columns: [
        { header: t('outreach.participant'), cell: (p) => h('a', { href: href('/participants', p.code) }, p.name) },
        { header: t('outreach.missing'), cell: (p) => t(`outreach.missingKinds.${p.missing}`) },
        { header: t('outreach.contactedAt'), cell: (p) => (p.contactedAt ? formatDateTime(p.contactedAt) : t('outreach.notYet')) },
        { header: t('outreach.remindedAt'), cell: (p) => (p.remindedAt ? formatDateTime(p.remindedAt) : t('outreach.notYet')) },
        { header: t('outreach.nominatedAt'), cell: (p) => (p.nominatedAt ? badge(t('outreach.nominatedSince', { date: formatDateTime(p.nominatedAt) }), 'good') : t('outreach.notYet')) },
      ],
    })));
}
