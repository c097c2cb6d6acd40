// #/coverage: which participants have nominated which kinds of POC, by region: counts, a chart and the lists.
import { h, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { href, navigate } from '../router.js';
import { participantList } from '../data.js';
import { field, select } from '../forms.js';
import { pageHeader, section, dataTable } from '../ui.js';
import { stackedBars } from '../charts.js';
import { formatPercent } from '../format.js';
import { nominationBadge } from './participants.js';

const STATUSES = ['Both', 'DiplomaticOnly', 'TechnicalOnly', 'None'];
const NO_REGION = 'none';

export async function coverageView({ root, query }) {
  // Member States by default: they are the ones expected to nominate; 'all' shows every participant.
  const requested = query.get('type') ?? 'MemberState';
  const type = requested === 'all' ? '' : requested;
  const all = await participantList({ fresh: true });
  const participants = all.filter((participant) => !type || participant.type === type);
  const regions = [...enumValues('region'), NO_REGION]
    .map((region) => ({ region, members: participants.filter((participant) => (participant.region ?? NO_REGION) === region) }))
    .filter((group) => group.members.length > 0);
  const regionName = (region) => (region === NO_REGION ? t('coverage.noRegion') : label('region', region));
  const count = (members, status) => members.filter((participant) => participant.nominationStatus === status).length;
  const rows = regions.map(({ region, members }) => ({
    region,
    name: regionName(region),
    total: members.length,
    counts: Object.fromEntries(STATUSES.map((status) => [status, count(members, status)])),
    diplomatic: members.filter((participant) => participant.activeDiplomaticPocs > 0).length,
    technical: members.filter((participant) => participant.activeTechnicalPocs > 0).length,
  }));
  const totals = {
    region: 'all',
    name: t('coverage.total'),
    total: participants.length,
    counts: Object.fromEntries(STATUSES.map((status) => [status, count(participants, status)])),
    diplomatic: participants.filter((participant) => participant.activeDiplomaticPocs > 0).length,
    technical: participants.filter((participant) => participant.activeTechnicalPocs > 0).length,
  };

  const typeSelect = select([{ value: '', label: t('common.any') }, ...enumValues('participantType').map((value) => ({ value, label: label('participantType', value) }))],
    type, { name: 'type' });
  const form = h('form', { class: 'filters', 'aria-label': t('coverage.filtersLabel') },
    field({ label: t('participants.type'), control: typeSelect }),
    h('div', { class: 'button-row filters__actions' }, h('button', { type: 'submit', class: 'button' }, t('coverage.show'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(href('/coverage', { type: typeSelect.value || 'all' }));
  });

  const series = STATUSES.map((status) => ({ key: status, label: label('nominationStatus', status), className: `series--${status}` }));
  const percentOf = (part, whole) => (whole ? formatPercent(part / whole) : formatPercent(0));

  append(root, 
    pageHeader(t('coverage.title')),
    h('p', { class: 'lead' }, t('coverage.intro')),
    form,
    h('div', { class: 'summary-cards' },
      card(t('coverage.participants'), String(totals.total)),
      card(t('coverage.nominatedAny'), percentOf(totals.total - totals.counts.None, totals.total)),
      card(t('coverage.withDiplomatic'), String(totals.diplomatic)),
      card(t('coverage.withTechnical'), String(totals.technical))),
    section(t('coverage.byRegion'),
      stackedBars({
        title: t('coverage.chartTitle'),
        rows: rows.map((row) => ({ label: row.name, segments: STATUSES.map((status) => ({ key: status, value: row.counts[status] })) })),
        series,
      }),
      dataTable({
        caption: t('coverage.tableCaption'),
        rows: [...rows, totals],
        columns: [
          { header: t('participants.region'), cell: (row) => row.name },
          { header: t('coverage.participants'), numeric: true, cell: (row) => String(row.total) },
          ...STATUSES.map((status) => ({ header: label('nominationStatus', status), numeric: true, cell: (row) => String(row.counts[status]) })),
          { header: t('coverage.withDiplomatic'), numeric: true, cell: (row) => String(row.diplomatic) },
          { header: t('coverage.withTechnical'), numeric: true, cell: (row) => String(row.technical) },
          { header: t('coverage.nominatedAny'), numeric: true, cell: (row) => percentOf(row.total - row.counts.None, row.total) },
        ],
      })),
    section(t('coverage.lists'),
      regions.map(({ region, members }) => h('details', { class: 'disclosure' },
        h('summary', {}, t('coverage.regionSummary', { region: regionName(region), count: members.length })),
        dataTable({
          caption: t('coverage.regionCaption', { region: regionName(region) }),
          captionHidden: true,
          rows: members,
          columns: [
            { header: t('participants.name'), cell: (participant) => h('a', { href: href('/participants', participant.code) }, participant.name) },
            { header: t('participants.nominationStatus'), cell: (participant) => nominationBadge(participant.nominationStatus) },
            { header: t('participants.diplomatic'), numeric: true, cell: (participant) => String(participant.activeDiplomaticPocs) },
            { header: t('participants.technical'), numeric: true, cell: (participant) => String(participant.activeTechnicalPocs) },
          ],
        })))));
}

function card(title, value) {
  return h('div', { class: 'card' }, h('p', { class: 'card__value' }, value), h('p', { class: 'card__label' }, title));
}
