// #/directory: search and filter the POCs; each row links to its participant and, where allowed, to its edit form.
import { h, replace, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, post, segment } from '../api.js';
import { href, navigate } from '../router.js';
import { participantList, participantLabel } from '../data.js';
import { canEdit, canNominate } from '../roles.js';
import { field, select, textInput } from '../forms.js';
import { pageHeader, dataTable, badge, errorAlert, takeFlash, announce, loading, busy } from '../ui.js';
import { formatDate } from '../format.js';

const FILTERS = ['q', 'participant', 'kind', 'region', 'language', 'status', 'missedPings', 'confirmation'];
const CONFIRMATIONS = ['Current', 'Due', 'Overdue'];
const CONFIRMATION_TONE = { Due: 'info', Overdue: 'warn' };

export async function directoryView({ root, query, me }) {
  const participants = await participantList();
  const regionOf = new Map(participants.map((participant) => [participant.code, participant.region]));
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? '']));
  if (!query.has('status')) {
    filters.status = 'Active';
  }

  const results = h('div', { class: 'results' });
  const form = filterForm(filters, participants);
  append(root, 
    pageHeader(t('directory.title'), canNominate(me) ? h('a', { class: 'button', href: href('/pocs/new') }, t('directory.add')) : null),
    takeFlash(),
    filterToggle(form, query, filters),
    form,
    results);

  const table = h('div');
  const more = h('div', { class: 'button-row' });
  const count = h('p', { class: 'results__count', role: 'status' });
  replace(results, count, table, more);
  const rows = [];
  await loadPage(undefined);

  async function loadPage(continuationToken) {
    more.replaceChildren(loading());
    try {
      const { data } = await get('/api/pocs', {
        query: {
          q: filters.q,
          participant: filters.participant,
          kind: filters.kind,
          language: filters.language,
          status: filters.status === 'Any' ? '' : filters.status,
          missedPings: filters.missedPings,
          confirmation: filters.confirmation,
          pageSize: 100,
          continuationToken,
        },
      });
      // The API has no region filter for POCs; the region is the participant's, matched here on each page.
      rows.push(...data.items.filter((poc) => !filters.region || regionOf.get(poc.participant) === filters.region));
      count.textContent = t('directory.count', { count: rows.length });
      replace(table, pocTable(rows, me, participants));
      more.replaceChildren();
      if (data.continuationToken) {
        const button = h('button', { type: 'button', class: 'button button--secondary', onclick: () => loadPage(data.continuationToken) }, t('common.loadMore'));
        more.append(button);
      }
    } catch (error) {
      replace(more, errorAlert(error));
    }
  }
}

/**
 * On a phone the results come first and the filters wait behind one button (styles.css hides it on wider screens,
 * where the form is always shown); whether they are open is kept in the URL (filters=open), so back and reload keep it.
 */
function filterToggle(form, query, filters) {
  form.id = 'directory-filters';
  const active = FILTERS.filter((name) => filters[name] && !(name === 'status' && filters.status === 'Active')).length;
  const button = h('button', { type: 'button', class: 'button button--secondary filters-toggle', 'aria-controls': form.id, 'aria-expanded': 'false' },
    active ? t('directory.filterActive', { count: active }) : t('directory.filter'));
  const show = (open) => {
    form.classList.toggle('filters--open', open);
    button.setAttribute('aria-expanded', String(open));
  };
  show(query.get('filters') === 'open');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    show(open);
    const params = new URLSearchParams(query);
    if (open) {
      params.set('filters', 'open');
    } else {
      params.delete('filters');
    }

    const search = params.toString();
    history.replaceState(null, '', `#/directory${search ? `?${search}` : ''}`);
    if (open) {
      form.querySelector('input, select')?.focus();
    }
  });
  return h('div', { class: 'filters-bar' }, button);
}

function filterForm(filters, participants) {
  const controls = {
    q: textInput({ name: 'q', value: filters.q, type: 'search', maxlength: '100' }),
    participant: select([{ value: '', label: t('directory.allParticipants') },
      ...participants.map((participant) => ({ value: participant.code, label: participantLabel(participant) }))], filters.participant, { name: 'participant' }),
    kind: select([{ value: '', label: t('common.any') }, ...enumValues('kind').map((value) => ({ value, label: label('kind', value) }))], filters.kind, { name: 'kind' }),
    region: select([{ value: '', label: t('common.any') }, ...enumValues('region').map((value) => ({ value, label: label('region', value) }))], filters.region, { name: 'region' }),
    language: textInput({ name: 'language', value: filters.language, maxlength: '35', autocapitalize: 'none', spellcheck: 'false' }),
    status: select([{ value: 'Active', label: label('pocStatus', 'Active') }, { value: 'Retired', label: label('pocStatus', 'Retired') },
      { value: 'Any', label: t('common.any') }], filters.status, { name: 'status' }),
    missedPings: select([{ value: '', label: t('common.any') }, ...[1, 2, 3].map((count) => ({ value: String(count), label: t('directory.missedPings', { count }) }))],
      filters.missedPings, { name: 'missedPings' }),
    confirmation: select([{ value: '', label: t('common.any') }, ...CONFIRMATIONS.map((value) => ({ value, label: t(`home.confirmations.${value}`) }))],
      filters.confirmation, { name: 'confirmation' }),
  };

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('directory.filtersLabel') },
    field({ label: t('directory.search'), hint: t('directory.searchHint'), control: controls.q, className: 'filters__wide' }),
    field({ label: t('directory.participant'), control: controls.participant }),
    field({ label: t('poc.kind'), control: controls.kind }),
    field({ label: t('participants.region'), control: controls.region }),
    field({ label: t('poc.language'), hint: t('directory.languageHint'), control: controls.language }),
    field({ label: t('poc.status'), control: controls.status }),
    field({ label: t('directory.stale'), control: controls.missedPings }),
    field({ label: t('directoryConfirmation.filter'), control: controls.confirmation }),
    h('div', { class: 'button-row filters__actions' },
      h('button', { type: 'submit', class: 'button' }, t('directory.searchButton')),
      h('a', { class: 'button button--secondary', href: href('/directory') }, t('directory.reset'))));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value.trim()]));
    navigate(href('/directory', values));
  });
  return form;
}

function pocTable(pocs, me, participants) {
  const names = new Map(participants.map((participant) => [participant.code, participant.name]));
  return dataTable({
    caption: t('directory.tableCaption'),
    captionHidden: true,
    empty: t('directory.empty'),
    rows: pocs,
    columns: [
      { header: t('poc.fullName'), cell: nameCell },
      { header: t('directory.participant'), cell: (poc) => h('a', { href: href('/participants', poc.participant) }, names.get(poc.participant) ?? poc.participant) },
      { header: t('poc.kind'), cell: kindCell },
      { header: t('poc.organisation'), cell: organisationCell },
      { header: t('directory.contact'), cell: contact },
      { header: t('poc.status'), cell: statusCell },
      { header: t('common.actions'), cell: (poc) => actions(poc, me) },
    ],
  });
}

export function nameCell(poc) {
  return [h('span', { class: 'poc-name' }, poc.fullName), poc.position ? h('span', { class: 'muted block' }, poc.position) : null];
}

export function kindCell(poc) {
  return [label('kind', poc.kind), h('span', { class: 'muted block' }, label('rank', poc.rank))];
}

/** The organisation, with the working languages under it. */
export function organisationCell(poc) {
  return [h('span', { class: 'block' }, poc.organisation), h('span', { class: 'muted block' }, t('directory.languagesValue', { languages: (poc.languages ?? []).join(', ') }))];
}

export function contact(poc) {
  return h('ul', { class: 'plain' },
    (poc.emails ?? []).map((email) => h('li', {}, h('a', { href: `mailto:${email}` }, email))),
    (poc.phones ?? []).map((phone) => h('li', {}, h('a', { href: `tel:${phone.number}` }, phone.number), ' ', h('span', { class: 'muted' }, label('phoneType', phone.type)))));
}

/** Status, missed pings and when the details were last confirmed. */
export function statusCell(poc) {
  return [
    h('span', { class: 'badges' },
      badge(label('pocStatus', poc.status), poc.status === 'Active' ? 'good' : 'neutral'),
      poc.missedPings > 0 ? badge(t('directory.missedBadge', { count: poc.missedPings }), 'warn') : null,
      CONFIRMATION_TONE[poc.confirmation] ? badge(t(`home.confirmations.${poc.confirmation}`), CONFIRMATION_TONE[poc.confirmation]) : null),
    h('span', { class: 'muted block' }, t('directory.confirmedOn'), ' ', lastConfirmedCell(poc)),
  ];
}

export function lastConfirmedCell(poc) {
  return h('span', { class: 'last-confirmed' }, formatDate(poc.lastConfirmedAt));
}

/** Edit and "confirm current" for the rows the user may change. */
export function actions(poc, me) {
  if (!canEdit(me, poc)) {
    return '';
  }

  const confirmButton = poc.status === 'Active'
    ? h('button', {
      type: 'button',
      class: 'button button--small button--secondary',
      onclick: async (event) => {
        const button = event.currentTarget;
        try {
          await busy(button, () => post(`/api/pocs/${segment(poc.id)}/confirm`));
          announce(t('poc.confirmed', { name: poc.fullName }));
          const cell = button.closest('tr')?.querySelector('.last-confirmed');
          if (cell) {
            cell.textContent = formatDate(new Date().toISOString());
          }
        } catch (error) {
          button.closest('td')?.append(errorAlert(error));
        }
      },
    }, t('poc.confirmShort'), h('span', { class: 'visually-hidden' }, ` ${t('poc.confirmShortHidden', { name: poc.fullName })}`))
    : null;
  return h('span', { class: 'button-row button-row--tight' },
    h('a', { class: 'button button--small button--secondary', href: href('/pocs', poc.id, 'edit') }, t('common.edit'), h('span', { class: 'visually-hidden' }, ` ${poc.fullName}`)),
    confirmButton);
}
