// Meetings: #/meetings (the Secretariat's list and new; for POCs and focal points the meetings they can see, with a
// Register button), #/meetings/new, #/meetings/{id}/edit, and #/meetings/{id}: agenda, invitations, registrations,
// the speakers list with reorder, attendance upload and the report with a chart.
import { h, replace, append } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, put, segment, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { field, textInput, select, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, badge, details, errorAlert, alertBox, flash, takeFlash, busy, announce } from '../ui.js';
import { barChart } from '../charts.js';
import { isSecretariat } from '../roles.js';
import { formatDateTime, formatNumber } from '../format.js';

const STATUS_TONE = { Draft: 'neutral', Invited: 'info', Cancelled: 'warn', Held: 'good' };
const FORMATS = ['Hybrid', 'InPerson', 'Virtual'];

function statusBadge(status) {
  return badge(t(`meetings.status.${status}`), STATUS_TONE[status] ?? 'neutral');
}

export async function meetingsView({ root, me }) {
  const secretariat = isSecretariat(me);
  const { data } = await get('/api/meetings');
  const registerColumn = secretariat ? [] : [{ header: t('common.actions'), cell: (m) => registerButtons(m) }];
  append(root,
    pageHeader(t('meetings.title'), ...(secretariat ? [h('a', { class: 'button', href: href('/meetings/new') }, t('meetings.new'))] : [])),
    takeFlash(),
    dataTable({
      caption: t('meetings.title'),
      captionHidden: true,
      empty: t('meetings.empty'),
      rows: data.items,
      columns: [
        { header: t('meetings.name'), cell: (m) => (secretariat ? h('a', { href: href('/meetings', m.id) }, m.title) : m.title) },
        { header: t('meetings.statusLabel'), cell: (m) => statusBadge(m.status) },
        { header: t('meetings.when'), cell: (m) => formatDateTime(m.startUtc) },
        { header: t('meetings.where'), cell: (m) => m.venue || t(`rsvp.format.${m.format}`) },
        ...registerColumn,
      ],
    }));

  /** A signed-in invitee answers here instead of through the emailed link. */
  function registerButtons(meeting) {
    if (meeting.status !== 'Invited') {
      return '';
    }

    const result = h('span', { role: 'status' });
    const answers = ['InPerson', 'Online', 'Declined'].filter((a) => a !== 'InPerson' || meeting.format !== 'Virtual').filter((a) => a !== 'Online' || meeting.format !== 'InPerson');
    return h('div', { class: 'button-row' },
      ...answers.map((attendance) => h('button', {
        type: 'button',
        class: attendance === 'Declined' ? 'button button--small button--secondary' : 'button button--small',
        onclick: async (event) => busy(event.currentTarget, async () => {
          try {
            await post(`/api/meetings/${segment(meeting.id)}/registration`, { attendance });
            result.textContent = t('meetings.registered', { answer: t(`rsvp.answer.${attendance}`) });
          } catch (error) {
            result.textContent = error instanceof ApiError && error.status === 403 ? t('meetings.notInvited') : (error.message ?? String(error));
          }
        }),
      }, attendance === 'Declined' ? t('meetings.decline') : t('meetings.register', { how: t(`rsvp.format.${attendance === 'Online' ? 'Virtual' : 'InPerson'}`) }))),
      result);
  }
}

export async function meetingNewView({ root }) {
  meetingForm(root, null, null);
}

export async function meetingEditView({ root, params }) {
  const { data, etag } = await get(`/api/meetings/${segment(params.id)}`);
  meetingForm(root, data, etag);
}

function agendaRow(item = {}) {
  const row = h('fieldset', { class: 'agenda-row field-row field-row--inline', dataset: { agenda: 'row' } },
    h('legend', { class: 'visually-hidden' }, t('meetings.agendaItem')),
    field({ label: t('meetings.itemStart'), control: textInput({ name: 'itemStart', value: item.start ?? '', placeholder: '10:00', class: 'input--short' }) }),
    field({ label: t('meetings.itemEnd'), control: textInput({ name: 'itemEnd', value: item.end ?? '', placeholder: '10:15', class: 'input--short' }) }),
    field({ label: t('meetings.itemText'), control: textInput({ name: 'itemText', value: item.item ?? '' }) }),
    field({ label: t('meetings.itemSpeakers'), control: textInput({ name: 'itemSpeakers', value: item.speakers ?? '' }) }),
    h('button', { type: 'button', class: 'button button--small button--secondary', onclick: () => row.remove() }, t('meetings.removeItem')));
  return row;
}

function meetingForm(root, meeting, etag) {
  const summary = h('div');
  const form = h('form', { class: 'meeting-form', novalidate: true });
  const errors = new FieldErrors(summary, form);
  const input = (name, value, props = {}) => textInput({ name, value: value ?? '', ...props });
  const title = input('title', meeting?.title, { maxlength: '200' });
  const format = select(FORMATS.map((value) => ({ value, label: t(`rsvp.format.${value}`) })), meeting?.format ?? 'Hybrid', { name: 'format' });
  const venue = input('venue', meeting?.venue ?? 'United Nations Headquarters, New York');
  const timeZone = input('timeZone', meeting?.timeZone ?? 'America/New_York', { spellcheck: 'false' });
  const start = input('start', meeting?.start, { placeholder: '2027-05-10T10:00' });
  const end = input('end', meeting?.end, { placeholder: '2027-05-10T13:00' });
  const link = input('connectionLink', meeting?.connectionLink, { type: 'url' });
  const participants = input('participants', meeting?.invitees?.participants?.join(', '), { autocapitalize: 'characters', spellcheck: 'false' });
  const reminders = input('reminders', (meeting?.reminders ?? ['P7D', 'P1D']).join(', '));
  const rows = h('div', { class: 'agenda-rows' }, ...(meeting?.agenda ?? [{}]).map((item) => agendaRow(item)));
  const list = (text) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  append(form,
    field({ label: t('meetings.name'), control: title, key: 'title' }),
    field({ label: t('meetings.format'), control: format, key: 'format' }),
    field({ label: t('meetings.venue'), control: venue, key: 'venue' }),
    field({ label: t('meetings.timeZone'), hint: t('meetings.timeZoneHint'), control: timeZone, key: 'timeZone' }),
    field({ label: t('meetings.start'), hint: t('meetings.localHint'), control: start, key: 'start' }),
    field({ label: t('meetings.end'), hint: t('meetings.localHint'), control: end, key: 'end' }),
    field({ label: t('meetings.link'), hint: t('common.optional'), control: link, key: 'connectionLink' }),
    field({ label: t('meetings.participants'), hint: t('meetings.participantsHint'), control: participants, key: 'invitees.participants' }),
    field({ label: t('meetings.reminders'), hint: t('meetings.remindersHint'), control: reminders, key: 'reminders' }),
    h('fieldset', { class: 'field', dataset: { key: 'agenda' } },
      h('legend', { class: 'field__label' }, t('meetings.agenda')),
      rows,
      h('button', { type: 'button', class: 'button button--secondary', onclick: () => rows.append(agendaRow()) }, t('meetings.addItem'))),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, meeting ? t('meetings.save') : t('meetings.create'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      title: title.value.trim(),
      format: format.value,
      venue: venue.value.trim() || null,
      timeZone: timeZone.value.trim(),
      start: start.value.trim(),
      end: end.value.trim(),
      connectionLink: link.value.trim() || null,
      invitees: { participants: list(participants.value).map((p) => p.toUpperCase()), regions: [], kinds: [], focalPoints: false },
      agenda: [...rows.querySelectorAll('[data-agenda="row"]')].map((row) => ({
        start: row.querySelector('[name="itemStart"]').value.trim(),
        end: row.querySelector('[name="itemEnd"]').value.trim(),
        item: row.querySelector('[name="itemText"]').value.trim(),
        speakers: row.querySelector('[name="itemSpeakers"]').value.trim() || null,
      })),
      registrationDeadline: meeting?.registrationDeadline ?? null,
      reminders: list(reminders.value),
    };
    errors.clear();
    try {
      const { data } = meeting
        ? await put(`/api/meetings/${segment(meeting.id)}`, body, { ifMatch: etag })
        : await post('/api/meetings', body);
      flash(meeting ? t('meetings.saved') : t('meetings.created'));
      navigate(href('/meetings', data.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        replace(notices, errorAlert(error));
      }
    }
  });
  const notices = h('div');
  append(root, pageHeader(meeting ? t('meetings.editTitle') : t('meetings.newTitle')), summary, notices, form);
}

export async function meetingView({ root, params }) {
  const id = params.id;
  let { data: meeting, etag } = await get(`/api/meetings/${segment(id)}`);
  const notices = h('div');
  const registrations = h('div');
  const speakers = h('div');
  const report = h('div');
  const actions = [h('a', { class: 'button button--secondary', href: href('/meetings', id, 'edit') }, t('common.edit'))];
  if (meeting.status !== 'Cancelled') {
    actions.unshift(h('button', { type: 'button', class: 'button', onclick: (event) => busy(event.currentTarget, invite) }, t('meetings.invite')));
  }

  append(root,
    pageHeader(meeting.title, ...actions),
    takeFlash(),
    notices,
    details([
      [t('meetings.statusLabel'), statusBadge(meeting.status)],
      [t('meetings.reference'), meeting.reference],
      [t('meetings.when'), `${meeting.start} – ${meeting.end} (${meeting.timeZone}); ${formatDateTime(meeting.startUtc)}`],
      [t('meetings.where'), meeting.venue || t(`rsvp.format.${meeting.format}`)],
      [t('meetings.link'), meeting.connectionLink ?? t('meetings.noLink')],
    ]),
    section(t('meetings.agenda'), dataTable({
      caption: t('meetings.agenda'),
      captionHidden: true,
      empty: t('meetings.noAgenda'),
      rows: meeting.agenda,
      columns: [
        { header: t('meetings.itemTime'), cell: (a) => `${a.start}–${a.end}` },
        { header: t('meetings.itemText'), cell: (a) => a.item },
        { header: t('meetings.itemSpeakers'), cell: (a) => a.speakers ?? '' },
      ],
    })),
    section(t('meetings.registrations'), registrations),
    section(t('meetings.speakers'), speakers),
    section(t('meetings.attendance'), attendanceForm()),
    section(t('meetings.report'), report));
  showSpeakers();
  await Promise.all([loadRegistrations(), loadReport()]);

  async function invite() {
    try {
      await post(`/api/meetings/${segment(id)}/invite`);
      replace(notices, alertBox('success', t('meetings.invited')));
      announce(t('meetings.invited'));
      ({ data: meeting, etag } = await get(`/api/meetings/${segment(id)}`));
    } catch (error) {
      replace(notices, errorAlert(error));
    }
  }

  async function loadRegistrations() {
    const { data } = await get(`/api/meetings/${segment(id)}/registrations`);
    replace(registrations,
      h('div', { class: 'button-row' }, h('button', { type: 'button', class: 'button button--small button--secondary', onclick: (event) => busy(event.currentTarget, loadRegistrations) }, t('meetings.refresh'))),
      dataTable({
        caption: t('meetings.registrations'),
        captionHidden: true,
        empty: t('meetings.noInvitees'),
        rows: data.items,
        columns: [
          { header: t('meetings.participant'), cell: (r) => r.participant },
          { header: t('meetings.kind'), cell: (r) => r.kind },
          { header: t('meetings.invitee'), cell: (r) => r.name },
          { header: t('meetings.answer'), cell: (r) => (r.attendance ? t(`rsvp.answer.${r.attendance}`) : t('meetings.noAnswer')) },
          { header: t('meetings.answeredAt'), cell: (r) => (r.answeredAt ? formatDateTime(r.answeredAt) : '') },
        ],
      }));
  }

  /** The speakers list, per agenda item; up and down move a speaker within its item, Save sends the order with If-Match. */
  function showSpeakers() {
    const order = meeting.speakers.map((s) => ({ ...s }));
    const list = h('ol', { class: 'speakers' });
    const status = h('p', { role: 'status' });
    const move = (index, by) => {
      const other = index + by;
      if (other < 0 || other >= order.length || order[other].agendaItem !== order[index].agendaItem) {
        return;
      }

      [order[index], order[other]] = [order[other], order[index]];
      draw();
    };
    const draw = () => replace(list, ...order.map((s, i) => h('li', { dataset: { invitee: s.inviteeId } },
      `${t('meetings.onItem', { item: s.agendaItem + 1 })}: ${s.name} (${s.participant}) `,
      h('button', { type: 'button', class: 'button button--small button--secondary', 'aria-label': t('meetings.moveUp', { name: s.name }), onclick: () => move(i, -1) }, '↑'),
      h('button', { type: 'button', class: 'button button--small button--secondary', 'aria-label': t('meetings.moveDown', { name: s.name }), onclick: () => move(i, 1) }, '↓'))));
    draw();
    const save = async () => {
      const items = [...new Set(order.map((s) => s.agendaItem))].map((agendaItem) => ({ agendaItem, speakers: order.filter((s) => s.agendaItem === agendaItem).map((s) => s.inviteeId) }));
      try {
        const result = await put(`/api/meetings/${segment(id)}/speakers`, { items }, { ifMatch: etag });
        ({ data: meeting, etag } = result);
        status.textContent = t('meetings.speakersSaved');
      } catch (error) {
        status.textContent = error.message ?? String(error);
      }
    };
    replace(speakers, order.length
      ? h('div', {}, list, h('button', { type: 'button', class: 'button button--secondary', onclick: (event) => busy(event.currentTarget, save) }, t('meetings.saveOrder')), status)
      : h('p', {}, t('meetings.noSpeakers')));
  }

  function attendanceForm() {
    const csv = h('textarea', { name: 'attendanceCsv', rows: '4', placeholder: 'Name,Email,Join time,Leave time' });
    const result = h('p', { role: 'status' });
    return h('form', { novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      try {
        const { data } = await post(`/api/meetings/${segment(id)}/attendance`, { csv: csv.value });
        result.textContent = t('meetings.attendanceRecorded', { recorded: formatNumber(data.recorded), matched: formatNumber(data.matchedInvitees) });
        await loadReport();
      } catch (error) {
        result.textContent = error.message ?? String(error);
      }
    } },
    field({ label: t('meetings.attendanceCsv'), hint: t('meetings.attendanceHint'), control: csv, key: 'csv' }),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button button--secondary' }, t('meetings.upload'))),
    result);
  }

  async function loadReport() {
    const { data } = await get(`/api/meetings/${segment(id)}/report`);
    const total = data.total;
    const invited = Math.max(total.invited, 1);
    replace(report,
      barChart({
        title: t('meetings.reportChart'),
        items: [['inPerson', total.inPerson], ['online', total.online], ['declined', total.declined], ['noAnswer', total.noAnswer], ['attended', total.attended]]
          .map(([key, value]) => ({ label: t(`meetings.count.${key}`), value: value / invited, text: formatNumber(value) })),
      }),
      h('p', {}, t('meetings.reportSummary', { invited: formatNumber(total.invited), represented: formatNumber(data.participantsRepresented) })),
      h('a', { class: 'button button--secondary', href: `/api/meetings/${segment(id)}/report?format=csv`, download: `meeting-${id}.csv` }, t('meetings.csv')));
  }
}
