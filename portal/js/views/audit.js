// #/audit (Secretariat): every write, who made it, when, and what changed, newest first.
import { h, replace, append } from '../dom.js';
import { t, label, has } from '../i18n.js';
import { get } from '../api.js';
import { href, navigate } from '../router.js';
import { field, select, textInput } from '../forms.js';
import { pageHeader, dataTable, errorAlert } from '../ui.js';
import { formatDateTime } from '../format.js';

const ENTITY_TYPES = ['Poc', 'Participant', 'RoleAssignment', 'Campaign', 'CampaignSchedule'];

export async function auditView({ root, query }) {
  const filters = Object.fromEntries(['entityType', 'entityId', 'actor', 'from', 'to'].map((name) => [name, query.get(name) ?? '']));
  const controls = {
    entityType: select([{ value: '', label: t('common.any') }, ...ENTITY_TYPES.map((value) => ({ value, label: label('entityType', value) }))], filters.entityType, { name: 'entityType' }),
    entityId: textInput({ name: 'entityId', value: filters.entityId, spellcheck: 'false' }),
    actor: textInput({ name: 'actor', value: filters.actor, type: 'email', autocapitalize: 'none' }),
    from: h('input', { type: 'date', name: 'from', value: filters.from }),
    to: h('input', { type: 'date', name: 'to', value: filters.to }),
  };
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('audit.filtersLabel') },
    field({ label: t('audit.entityType'), control: controls.entityType }),
    field({ label: t('audit.entityId'), control: controls.entityId }),
    field({ label: t('audit.actor'), control: controls.actor }),
    field({ label: t('audit.from'), control: controls.from }),
    field({ label: t('audit.to'), control: controls.to }),
    h('div', { class: 'button-row filters__actions' }, h('button', { type: 'submit', class: 'button' }, t('audit.filter'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(href('/audit', Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value.trim()]))));
  });

  const list = h('div');
  const more = h('div', { class: 'button-row' });
  append(root, pageHeader(t('audit.title')), form, list, more);
  const rows = [];
  await loadPage();

  async function loadPage(continuationToken) {
    try {
      const { data } = await get('/api/audit', {
        query: {
          entityType: filters.entityType,
          entityId: filters.entityId,
          actor: filters.actor,
          // Whole days in the user's time zone, sent as instants.
          from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : '',
          to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : '',
          pageSize: 100,
          continuationToken,
        },
      });
      rows.push(...data.items);
      replace(list, dataTable({
        caption: t('audit.title'),
        captionHidden: true,
        empty: t('audit.empty'),
        rows,
        columns: [
          { header: t('audit.when'), cell: (entry) => formatDateTime(entry.at) },
          { header: t('audit.actor'), cell: (entry) => entry.actor },
          { header: t('audit.action'), cell: (entry) => (has(`audit.actions.${entry.action}`) ? t(`audit.actions.${entry.action}`) : entry.action) },
          { header: t('audit.entity'), cell: entityCell },
          { header: t('audit.changes'), cell: changesCell },
        ],
      }));
      more.replaceChildren();
      if (data.continuationToken) {
        more.append(h('button', { type: 'button', class: 'button button--secondary', onclick: () => loadPage(data.continuationToken) }, t('common.loadMore')));
      }
    } catch (error) {
      replace(more, errorAlert(error));
    }
  }
}

function entityCell(entry) {
  const target = {
    Poc: href('/pocs', entry.entityId, 'edit'),
    Participant: href('/participants', entry.entityId),
    Campaign: href('/campaigns', entry.entityId),
  }[entry.entityType];
  return [h('span', { class: 'block' }, label('entityType', entry.entityType)),
    target ? h('a', { href: target, class: 'monospace' }, entry.entityId) : h('span', { class: 'monospace' }, entry.entityId)];
}

function changesCell(entry) {
  const changes = entry.changes ?? [];
  if (changes.length === 0) {
    return '';
  }

  const list = h('ul', { class: 'changes' }, changes.map((change) => h('li', {},
    h('span', { class: 'changes__field' }, change.field), ': ',
    h('span', { class: 'changes__before' }, valueText(change.before)), ' → ',
    h('span', { class: 'changes__after' }, valueText(change.after)))));
  return changes.length > 3
    ? h('details', { class: 'disclosure disclosure--compact' }, h('summary', {}, t('audit.changeCount', { count: changes.length })), list)
    : list;
}

/** A changed value as text, never as markup: lists joined, objects as "name: value" pairs without their empty parts. */
function valueText(value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return t('audit.emptyValue');
  }

  if (Array.isArray(value)) {
    return value.map(valueText).join(', ');
  }

  if (typeof value === 'object') {
    const parts = Object.entries(value)
      .filter(([, part]) => part !== null && part !== undefined && !(Array.isArray(part) && part.length === 0))
      .map(([name, part]) => `${name}: ${valueText(part)}`);
    return parts.length ? `(${parts.join('; ')})` : t('audit.emptyValue');
  }

  return String(value);
}
