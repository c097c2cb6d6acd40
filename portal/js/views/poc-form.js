// #/pocs/new and #/pocs/{id}/edit: the POC form. The server validates; its field errors are shown beside the fields
// they name. An edit carries the version it started from (If-Match), so a stale save is refused (412) and explained.
import { h, replace, uid, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, post, put, del, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { participantList, participantLabel, participantsChanged } from '../data.js';
import { canManage, isSecretariat, focalParticipants } from '../roles.js';
import { field, choiceGroup, select, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, errorAlert, alertBox, flash, announce, busy, confirmButton, details } from '../ui.js';
import { formatDateTime } from '../format.js';

export async function pocNewView(context) {
  await pocForm(context, null, null);
}

export async function pocEditView(context) {
  const { data, etag } = await get(`/api/pocs/${segment(context.params.id)}`);
  await pocForm(context, data, etag);
}

async function pocForm({ root, query, me }, poc, initialEtag) {
  const editing = poc !== null;
  let etag = initialEtag;
  const participants = await participantList();
  const allowed = participants.filter((participant) => canManage(me, participant.code));
  const choices = editing ? participants.filter((participant) => participant.code === poc.participant) : allowed;
  const preselected = editing
    ? poc.participant
    : query.get('participant') ?? (!isSecretariat(me) && focalParticipants(me).length === 1 ? focalParticipants(me)[0] : '');

  const summary = h('div');
  const notices = h('div', { class: 'notices' });
  const form = h('form', { class: 'poc-form', novalidate: true });
  const errors = new FieldErrors(summary, form);

  const controls = {
    participant: select([{ value: '', label: t('poc.chooseParticipant') }, ...choices.map((participant) => ({ value: participant.code, label: participantLabel(participant) }))],
      preselected, { name: 'participant', disabled: editing }),
    fullName: textInput({ name: 'fullName', value: poc?.fullName ?? '', autocomplete: 'name', maxlength: '200' }),
    position: textInput({ name: 'position', value: poc?.position ?? '', autocomplete: 'organization-title', maxlength: '200' }),
    organisation: textInput({ name: 'organisation', value: poc?.organisation ?? '', autocomplete: 'organization', maxlength: '200' }),
    emails: h('textarea', { name: 'emails', rows: '2', value: (poc?.emails ?? []).join('\n'), autocapitalize: 'none', spellcheck: 'false' }),
    languages: textInput({ name: 'languages', value: (poc?.languages ?? []).join(', '), autocapitalize: 'none', spellcheck: 'false' }),
    timeZone: textInput({ name: 'timeZone', value: poc?.timeZone ?? '', list: 'time-zones', autocapitalize: 'none', spellcheck: 'false' }),
    pgpPublicKey: h('textarea', { name: 'pgpPublicKey', rows: '4', value: poc?.pgpPublicKey ?? '', class: 'monospace', spellcheck: 'false' }),
    start: h('input', { type: 'time', name: 'start', value: poc?.availability?.start ?? '09:00' }),
    end: h('input', { type: 'time', name: 'end', value: poc?.availability?.end ?? '17:00' }),
  };
  const kind = choiceGroup({ legend: t('poc.kind'), type: 'radio', name: 'kind', key: 'kind', selected: poc ? [poc.kind] : [query.get('kind')].filter(Boolean),
    options: enumValues('kind').map((value) => ({ value, label: label('kind', value) })) });
  const rank = choiceGroup({ legend: t('poc.rank'), type: 'radio', name: 'rank', key: 'rank', selected: [poc?.rank ?? query.get('rank') ?? 'Primary'],
    options: enumValues('rank').map((value) => ({ value, label: label('rank', value) })) });
  const availabilityType = choiceGroup({ legend: t('poc.availability'), type: 'radio', name: 'availabilityType', key: 'availability',
    selected: [poc?.availability?.type ?? 'TwentyFourSeven'],
    options: enumValues('availability').map((value) => ({ value, label: label('availability', value) })) });
  const days = choiceGroup({ legend: t('poc.days'), type: 'checkbox', name: 'days', key: 'availability.days',
    selected: poc?.availability?.days ?? ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
    options: enumValues('day').map((value) => ({ value, label: label('day', value) })) });
  const hours = h('div', { class: 'business-hours' },
    days,
    h('div', { class: 'field-row' },
      field({ label: t('poc.start'), control: controls.start, key: 'availability.start' }),
      field({ label: t('poc.end'), control: controls.end, key: 'availability.end' })));
  const showHours = () => {
    hours.hidden = availabilityType.values()[0] !== 'BusinessHours';
  };
  availabilityType.addEventListener('change', showHours);
  showHours();

  const phones = phoneList(poc?.phones?.length ? poc.phones : [{ number: '', type: 'Office' }]);
  const save = h('button', { type: 'submit', class: 'button' }, editing ? t('poc.save') : t('poc.create'));
  const timeZones = h('datalist', { id: 'time-zones' }, (Intl.supportedValuesOf?.('timeZone') ?? []).map((zone) => h('option', { value: zone })));

  append(form, 
    section(t('poc.who'),
      field({ label: t('poc.participant'), control: controls.participant, key: 'participant' }),
      kind,
      rank,
      field({ label: t('poc.fullName'), control: controls.fullName, key: 'fullName' }),
      field({ label: t('poc.position'), hint: t('common.optional'), control: controls.position, key: 'position' }),
      field({ label: t('poc.organisation'), hint: t('poc.organisationHint'), control: controls.organisation, key: 'organisation' })),
    section(t('poc.reach'),
      field({ label: t('poc.emails'), hint: t('poc.emailsHint'), control: controls.emails, key: 'emails' }),
      phones.element,
      field({ label: t('poc.languages'), hint: t('poc.languagesHint'), control: controls.languages, key: 'languages' }),
      field({ label: t('poc.timeZone'), hint: t('poc.timeZoneHint'), control: controls.timeZone, key: 'timeZone' }),
      timeZones,
      availabilityType,
      hours,
      field({ label: t('poc.pgpPublicKey'), hint: t('poc.pgpHint'), control: controls.pgpPublicKey, key: 'pgpPublicKey' })),
    h('div', { class: 'button-row' },
      save,
      h('a', { class: 'button button--secondary', href: editing ? href('/participants', poc.participant) : href('/directory') }, t('common.cancel'))));

  const keyFor = submissionKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    notices.replaceChildren();
    errors.clear();
    const body = {
      participant: controls.participant.value || null,
      kind: kind.values()[0] ?? null,
      rank: rank.values()[0] ?? null,
      fullName: controls.fullName.value.trim(),
      position: controls.position.value.trim() || null,
      organisation: controls.organisation.value.trim(),
      emails: controls.emails.value.split(/[\n,;]+/).map((value) => value.trim()).filter(Boolean),
      phones: phones.values(),
      languages: controls.languages.value.split(/[\s,;]+/).map((value) => value.trim()).filter(Boolean),
      timeZone: controls.timeZone.value.trim(),
      availability: availabilityType.values()[0] === 'BusinessHours'
        ? { type: 'BusinessHours', days: days.values(), start: controls.start.value, end: controls.end.value }
        : { type: 'TwentyFourSeven' },
      pgpPublicKey: controls.pgpPublicKey.value.trim() || null,
    };

    try {
      if (editing) {
        await busy(save, () => put(`/api/pocs/${segment(poc.id)}`, body, { ifMatch: etag }));
        flash(t('poc.saved', { name: body.fullName }));
      } else {
        await busy(save, () => post('/api/pocs', body, { idempotencyKey: keyFor(body) }));
        flash(t('poc.created', { name: body.fullName }));
      }

      participantsChanged();
      navigate(href('/participants', editing ? poc.participant : body.participant));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        showProblem(error);
      }
    }
  });

  /** A conflict (412) is explained with an offer to load the latest version; anything else as an alert. */
  function showProblem(error) {
    if (error instanceof ApiError && (error.status === 412 || error.status === 428)) {
      const reload = h('button', { type: 'button', class: 'button', onclick: () => navigate(href('/pocs', poc.id, 'edit')) }, t('poc.conflictReload'));
      replace(notices, alertBox('error', t('poc.conflictTitle'), t('poc.conflictDetail'), reload));
      reload.focus();
    } else {
      replace(notices, errorAlert(error));
      notices.querySelector('[role=alert]')?.setAttribute('tabindex', '-1');
      notices.querySelector('[role=alert]')?.focus();
    }
  }

  const title = editing ? t('poc.editTitle', { name: poc.fullName }) : t('poc.newTitle');
  append(root, pageHeader(title), summary, notices, form);

  if (editing) {
    const confirmed = h('span', {}, formatDateTime(poc.lastConfirmedAt));
    append(root, section(t('poc.otherActions'),
      details([
        [t('poc.status'), label('pocStatus', poc.status)],
        [t('poc.lastConfirmed'), confirmed],
        [t('poc.updated'), t('poc.updatedBy', { when: formatDateTime(poc.updatedAt), who: poc.updatedBy })],
      ]),
      poc.status === 'Active' ? h('div', { class: 'button-row' },
        h('button', {
          type: 'button',
          class: 'button button--secondary',
          onclick: async (event) => {
            try {
              const response = await busy(event.currentTarget, () => post(`/api/pocs/${segment(poc.id)}/confirm`));
              etag = response.etag ?? etag;
              confirmed.textContent = formatDateTime(response.data?.lastConfirmedAt ?? new Date().toISOString());
              announce(t('poc.confirmed', { name: poc.fullName }));
            } catch (error) {
              showProblem(error);
            }
          },
        }, t('poc.confirmCurrent')),
        canManage(me, poc.participant) ? confirmButton({
          label: t('poc.retire'),
          question: t('poc.retireQuestion', { name: poc.fullName }),
          confirmLabel: t('poc.retireConfirm'),
          action: async () => {
            try {
              await del(`/api/pocs/${segment(poc.id)}`, { ifMatch: etag });
              participantsChanged();
              flash(t('poc.retired', { name: poc.fullName }));
              navigate(href('/participants', poc.participant));
            } catch (error) {
              showProblem(error);
            }
          },
        }) : null) : null));
  }
}

/** Phone numbers as rows (number and type) that can be added and removed; keys follow the server's phones[i].number. */
function phoneList(initial) {
  const rows = h('div', { class: 'phones__rows' });
  const errorId = uid('phones-error');
  const error = h('p', { class: 'field__error', id: errorId, hidden: true });
  const element = h('fieldset', { class: 'field phones', dataset: { key: 'phones' }, 'aria-describedby': errorId },
    h('legend', { class: 'field__label' }, t('poc.phones')),
    h('p', { class: 'field__hint' }, t('poc.phonesHint')),
    error,
    rows,
    h('button', { type: 'button', class: 'button button--secondary button--small', onclick: () => { render([...values(true), { number: '', type: 'Office' }]); rows.querySelector('.phones__row:last-child input')?.focus(); } }, t('poc.addPhone')));

  function render(list) {
    rows.replaceChildren(...list.map((phone, index) => {
      const number = textInput({ type: 'tel', value: phone.number, autocomplete: 'tel', name: `phone-${index}` });
      const type = select(enumValues('phoneType').map((value) => ({ value, label: label('phoneType', value) })), phone.type, { name: `phoneType-${index}` });
      return h('div', { class: 'phones__row field-row' },
        field({ label: t('poc.phoneNumber', { index: index + 1 }), control: number, key: `phones[${index}].number` }),
        field({ label: t('poc.phoneType', { index: index + 1 }), control: type, key: `phones[${index}].type` }),
        h('button', { type: 'button', class: 'button button--secondary button--small phones__remove', onclick: () => render(values(true).filter((_, at) => at !== index)) },
          t('poc.removePhone', { index: index + 1 })));
    }));
  }

  function values(keepEmpty = false) {
    return [...rows.querySelectorAll('.phones__row')].map((row) => ({
      number: row.querySelector('input').value.trim(),
      type: row.querySelector('select').value,
    })).filter((phone) => keepEmpty || phone.number);
  }

  render(initial);
  element.fieldParts = { control: null, error, key: 'phones' };
  Object.defineProperty(element.fieldParts, 'control', { get: () => rows.querySelector('input') });
  return { element, values: () => values(false) };
}
