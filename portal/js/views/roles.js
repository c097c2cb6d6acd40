// #/roles (Secretariat): who holds which role; give and remove roles.
import { h, replace, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, post, del, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { participantList, participantLabel } from '../data.js';
import { field, select, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, errorAlert, describeError, busy, confirmButton, announce, takeFlash, flash } from '../ui.js';
import { formatDateTime } from '../format.js';

export async function rolesView({ root, query }) {
  const filters = { email: query.get('email') ?? '', role: query.get('role') ?? '', participant: query.get('participant') ?? '' };
  const participants = await participantList();
  const participantOptions = [{ value: '', label: t('common.none') }, ...participants.map((participant) => ({ value: participant.code, label: participantLabel(participant) }))];

  const controls = {
    email: textInput({ name: 'email', type: 'email', value: filters.email, autocapitalize: 'none' }),
    role: select([{ value: '', label: t('common.any') }, ...enumValues('role').map((value) => ({ value, label: label('role', value) }))], filters.role, { name: 'role' }),
    participant: select([{ value: '', label: t('common.any') }, ...participantOptions.slice(1)], filters.participant, { name: 'participant' }),
  };
  const filterForm = h('form', { class: 'filters', role: 'search', 'aria-label': t('roles.filtersLabel') },
    field({ label: t('roles.email'), control: controls.email }),
    field({ label: t('roles.role'), control: controls.role }),
    field({ label: t('roles.participant'), control: controls.participant }),
    h('div', { class: 'button-row filters__actions' }, h('button', { type: 'submit', class: 'button' }, t('roles.filter'))));
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(href('/roles', Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value.trim()]))));
  });

  const { data } = await get('/api/role-assignments', { query: { ...filters, pageSize: 500 } });
  const list = h('div');
  const notices = h('div');
  const render = (items) => replace(list, dataTable({
    caption: t('roles.listTitle'),
    captionHidden: true,
    empty: t('roles.empty'),
    rows: items,
    columns: [
      { header: t('roles.email'), cell: (assignment) => assignment.email },
      { header: t('roles.role'), cell: (assignment) => label('role', assignment.role) },
      { header: t('roles.participant'), cell: (assignment) => (assignment.participant ? h('a', { href: href('/participants', assignment.participant) }, assignment.participant) : '') },
      { header: t('roles.poc'), cell: (assignment) => (assignment.pocId ? h('a', { href: href('/pocs', assignment.pocId, 'edit'), class: 'monospace' }, assignment.pocId) : '') },
      { header: t('roles.assigned'), cell: (assignment) => t('roles.assignedValue', { when: formatDateTime(assignment.createdAt), who: assignment.createdBy }) },
      // The bootstrap assignment can be removed like any other once someone else is Secretariat (the API refuses the last one).
      { header: t('common.actions'), cell: (assignment) => h('span', {}, assignment.bootstrap ? h('span', { class: 'muted' }, t('roles.bootstrap'), ' ') : null, confirmButton({
        label: t('roles.remove', { email: assignment.email, role: label('role', assignment.role) }),
        question: t('roles.removeQuestion'),
        confirmLabel: t('roles.removeConfirm'),
        className: 'button button--small button--secondary',
        action: async () => {
          try {
            await del(`/api/role-assignments/${segment(assignment.id)}`);
            announce(t('roles.removed', { email: assignment.email }));
            render(items.filter((item) => item.id !== assignment.id));
          } catch (error) {
            replace(notices, errorAlert(error));
          }
        },
      })) },
    ],
  }));
  render(data.items);

  append(root, pageHeader(t('roles.title')), takeFlash(), notices, addForm(participantOptions), section(t('roles.listTitle'), filterForm, list));
}

function addForm(participantOptions) {
  const summary = h('div');
  const form = h('form', { class: 'inline-form', novalidate: true });
  const errors = new FieldErrors(summary, form);
  const email = textInput({ name: 'email', type: 'email', autocapitalize: 'none', autocomplete: 'off' });
  const role = select(enumValues('role').map((value) => ({ value, label: label('role', value) })), 'FocalPoint', { name: 'role' });
  const participant = select(participantOptions, '', { name: 'participant' });
  const pocId = textInput({ name: 'pocId', spellcheck: 'false' });
  const participantField = field({ label: t('roles.participant'), hint: t('roles.participantHint'), control: participant, key: 'participant' });
  const pocField = field({ label: t('roles.poc'), hint: t('roles.pocHint'), control: pocId, key: 'pocId' });
  const update = () => {
    participantField.hidden = role.value === 'Secretariat';
    pocField.hidden = role.value !== 'Poc';
  };
  role.addEventListener('change', update);
  update();
  const submit = h('button', { type: 'submit', class: 'button' }, t('roles.add'));
  append(form, 
    field({ label: t('roles.email'), control: email, key: 'email' }),
    field({ label: t('roles.role'), control: role, key: 'role' }),
    participantField,
    pocField,
    h('div', { class: 'button-row filters__actions' }, submit));
  const keyFor = submissionKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const body = {
      email: email.value.trim(),
      role: role.value,
      participant: role.value === 'Secretariat' ? null : participant.value || null,
      pocId: role.value === 'Poc' ? pocId.value.trim() || null : null,
    };
    try {
      await busy(submit, () => post('/api/role-assignments', body, { idempotencyKey: keyFor(body) }));
      flash(t('roles.added', { email: body.email, role: label('role', body.role) }));
      navigate(href('/roles', { email: body.email }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        const { title, detail } = describeError(error);
        errors.show({ '': [[title, detail].filter(Boolean).join(' ')] });
      }
    }
  });
  return section(t('roles.addTitle'), summary, form);
}
