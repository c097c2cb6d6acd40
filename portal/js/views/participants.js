// #/participants (all participants with their nomination status) and #/participants/{code} (one, with its POCs).
import { h, append, replace } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, put, getAll, segment, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { canManage, isSecretariat } from '../roles.js';
import { field, select, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, badge, details, takeFlash, errorAlert, busy, announce } from '../ui.js';
import { formatDate } from '../format.js';
import { contact, statusCell, actions, nameCell, kindCell, organisationCell } from './directory.js';

const NOMINATION_TONE = { Both: 'good', DiplomaticOnly: 'warn', TechnicalOnly: 'warn', None: 'neutral' };

export function nominationBadge(status) {
  return badge(label('nominationStatus', status), NOMINATION_TONE[status] ?? 'neutral');
}

export async function participantsView({ root, query }) {
  const filters = { region: query.get('region') ?? '', type: query.get('type') ?? '', nominationStatus: query.get('nominationStatus') ?? '' };
  const items = await getAll('/api/participants', filters);
  items.sort((a, b) => a.name.localeCompare(b.name));

  const controls = {
    region: select(option('region'), filters.region, { name: 'region' }),
    type: select(option('participantType'), filters.type, { name: 'type' }),
    nominationStatus: select(option('nominationStatus'), filters.nominationStatus, { name: 'nominationStatus' }),
  };
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('participants.filtersLabel') },
    field({ label: t('participants.region'), control: controls.region }),
    field({ label: t('participants.type'), control: controls.type }),
    field({ label: t('participants.nominationStatus'), control: controls.nominationStatus }),
    h('div', { class: 'button-row filters__actions' }, h('button', { type: 'submit', class: 'button' }, t('participants.filter'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(href('/participants', Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value]))));
  });

  append(root, 
    pageHeader(t('participants.title')),
    form,
    h('p', { role: 'status', class: 'results__count' }, t('participants.count', { count: items.length })),
    dataTable({
      caption: t('participants.title'),
      captionHidden: true,
      rows: items,
      columns: [
        { header: t('participants.name'), cell: (participant) => h('a', { href: href('/participants', participant.code) }, participant.name) },
        { header: t('participants.code'), cell: (participant) => participant.code },
        { header: t('participants.type'), cell: (participant) => label('participantType', participant.type) },
        { header: t('participants.region'), cell: (participant) => label('region', participant.region) },
        { header: t('participants.nominationStatus'), cell: (participant) => nominationBadge(participant.nominationStatus) },
        { header: t('participants.diplomatic'), numeric: true, cell: (participant) => String(participant.activeDiplomaticPocs) },
        { header: t('participants.technical'), numeric: true, cell: (participant) => String(participant.activeTechnicalPocs) },
      ],
    }));
}

function option(enumName) {
  return [{ value: '', label: t('common.any') }, ...enumValues(enumName).map((value) => ({ value, label: label(enumName, value) }))];
}

export async function participantView({ root, params, me }) {
  const [{ data: participant }, pocs] = await Promise.all([
    get(`/api/participants/${segment(params.code)}`),
    getAll('/api/pocs', { participant: params.code }),
  ]);
  pocs.sort((a, b) => (a.status === b.status ? a.kind.localeCompare(b.kind) || a.rank.localeCompare(b.rank) : a.status === 'Active' ? -1 : 1));

  append(root, 
    pageHeader(participant.name,
      canManage(me, participant.code) ? h('a', { class: 'button', href: href('/pocs/new', { participant: participant.code }) }, t('participant.add')) : null),
    takeFlash(),
    section(t('participant.summary'), details([
      [t('participants.code'), participant.code],
      [t('participants.type'), label('participantType', participant.type)],
      [t('participants.region'), label('region', participant.region)],
      [t('participants.nominationStatus'), nominationBadge(participant.nominationStatus)],
      [t('participants.diplomatic'), String(participant.activeDiplomaticPocs)],
      [t('participants.technical'), String(participant.activeTechnicalPocs)],
      [t('participant.firstNominated'), formatDate(participant.firstNominatedAt)],
    ])),
    section(t('participant.pocs'), dataTable({
      caption: t('participant.pocsCaption', { name: participant.name }),
      captionHidden: true,
      empty: t('participant.noPocs'),
      rows: pocs,
      columns: [
        { header: t('poc.fullName'), cell: nameCell },
        { header: t('poc.kind'), cell: kindCell },
        { header: t('poc.organisation'), cell: organisationCell },
        { header: t('directory.contact'), cell: contact },
        { header: t('poc.timeZone'), cell: (poc) => poc.timeZone },
        { header: t('poc.status'), cell: statusCell },
        { header: t('common.actions'), cell: (poc) => actions(poc, me) },
      ],
    })),
    isSecretariat(me) ? await missionSection(participant) : null);
}

/**
 * The participant's mission contacts (Secretariat only): a row per contact, saved together at the version read
 * (If-Match), so a change someone else saved meanwhile is reported instead of overwritten.
 */
async function missionSection(participant) {
  const path = `/api/participants/${segment(participant.code)}/mission`;
  const { data, etag } = await get(path);
  let version = etag;
  const rows = h('div', { class: 'mission-rows' });
  const summary = h('div');
  const notices = h('div');
  const addButton = h('button', { type: 'button', class: 'button button--secondary', onclick: () => addRow({}) }, t('mission.add'));
  const save = h('button', { type: 'submit', class: 'button' }, t('mission.save'));
  const form = h('form', { class: 'form', novalidate: true }, summary, notices, rows, h('div', { class: 'button-row' }, addButton, save));
  const errors = new FieldErrors(summary, form);
  data.contacts.forEach((contact) => addRow(contact));
  if (data.contacts.length === 0) {
    notices.append(h('p', { class: 'empty' }, t('mission.none')));
  }

  function addRow(contact) {
    const index = rows.children.length;
    const name = textInput({ name: `name${index}`, value: contact.name ?? '', maxlength: '200' });
    const email = textInput({ name: `email${index}`, type: 'email', value: contact.email ?? '', maxlength: '200', autocapitalize: 'none', spellcheck: 'false' });
    const phone = textInput({ name: `phone${index}`, type: 'tel', value: contact.phone ?? '', maxlength: '20' });
    const row = h('fieldset', { class: 'mission-row' },
      h('legend', {}, t('mission.contact', { number: index + 1 })),
      field({ label: t('mission.name'), control: name, key: `contacts[${index}].name` }),
      field({ label: t('mission.email'), control: email, key: `contacts[${index}].email` }),
      field({ label: t('mission.phone'), hint: t('mission.phoneHint'), control: phone, key: `contacts[${index}].phone` }),
      h('button', { type: 'button', class: 'button button--small button--secondary', onclick: () => row.remove() }, t('mission.remove')));
    row.values = () => ({ name: name.value.trim(), email: email.value.trim(), phone: phone.value.trim() || null });
    rows.append(row);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    notices.replaceChildren();
    const body = { contacts: [...rows.children].map((row) => row.values()).filter((c) => c.name || c.email || c.phone) };
    try {
      const saved = await busy(save, () => put(path, body, { ifMatch: version }));
      version = saved.etag;
      announce(t('mission.saved'));
      notices.append(h('p', { role: 'status' }, t('mission.saved')));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        replace(notices, errorAlert(error));
      }
    }
  });

  return section(t('mission.title'), h('p', { class: 'muted' }, t('mission.intro')), form);
}
