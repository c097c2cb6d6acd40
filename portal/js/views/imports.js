// Regional directories' lists under review (decision 0042): #/imports (the lists, and reading in a new one) and
// #/imports/{id} (each entry beside the POC it was matched to, accepted or rejected one by one).
import { h, replace, append, uid } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { canManage, canNominate } from '../roles.js';
import { field, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, badge, details, errorAlert, flash, takeFlash, busy, announce } from '../ui.js';
import { formatDateTime } from '../format.js';

const MATCH_TONE = { New: 'info', Known: 'good', Differing: 'warn' };
const DECISION_TONE = { Pending: 'neutral', Accepted: 'good', Rejected: 'warn' };

/** The exchange columns, in the order the side-by-side view shows them (docs/import-format.md). */
const COLUMNS = ['representative', 'position', 'team_name', 'email', 'telephone', 'mobile', 'emergency_phone', 'languages', 'timezone', 'business_hours', 'kind', 'rank'];

export async function importsView({ root, me }) {
  const { data } = await get('/api/imports');
  append(root,
    pageHeader(t('imports.title')),
    takeFlash(),
    h('p', {}, t('imports.intro')),
    dataTable({
      caption: t('imports.title'),
      captionHidden: true,
      empty: t('imports.empty'),
      rows: data.items,
      columns: [
        { header: t('imports.directory'), cell: (item) => h('a', { href: href('/imports', item.id) }, item.directory) },
        { header: t('imports.reference'), cell: (item) => item.reference ?? '' },
        { header: t('imports.importedAt'), cell: (item) => formatDateTime(item.importedAt) },
        { header: t('imports.counts'), cell: (item) => t('imports.countsText', item.counts) },
        { header: t('imports.pending'), numeric: true, cell: (item) => String(item.counts.pending) },
      ],
    }),
    canNominate(me) ? newImportForm() : null);
}

/** Reading in a list: the directory's name and the CSV text or JSON entries, pasted. */
function newImportForm() {
  const summary = h('div', { tabindex: '-1' });
  const directory = textInput({ name: 'directory', maxlength: '100', required: true });
  const reference = textInput({ name: 'reference', maxlength: '100' });
  const text = h('textarea', { name: 'list', rows: '8', required: true, spellcheck: 'false' });
  const form = h('form', { class: 'form', novalidate: true },
    summary,
    field({ label: t('imports.directory'), hint: t('imports.directoryHint'), control: directory, key: 'directory' }),
    field({ label: t('imports.reference'), control: reference, key: 'reference' }),
    field({ label: t('imports.list'), hint: t('imports.listHint'), control: text, key: 'csv' }),
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button' }, t('imports.read'))));
  const errors = new FieldErrors(summary, form);
  const notices = h('div');
  const keyFor = submissionKeys();
  const submit = form.querySelector('button[type=submit]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    notices.replaceChildren();
    const body = { directory: directory.value.trim(), reference: reference.value.trim() || null, ...listBody(text.value) };
    try {
      const { data } = await busy(submit, () => post('/api/imports', body, { idempotencyKey: keyFor(body) }));
      flash(t('imports.readDone', data.counts));
      navigate(href('/imports', data.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        replace(notices, errorAlert(error));
      }
    }
  });
  return section(t('imports.new'), notices, form);
}

/** Pasted text that is a JSON array (or an exchange document) goes as entries; anything else as CSV. */
function listBody(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed);
      return { entries: Array.isArray(parsed) ? parsed : parsed.entries ?? [] };
    } catch {
      // Not JSON after all: the server names what is wrong with it as CSV.
    }
  }

  return { csv: text };
}

export async function importView({ root, params, me }) {
  const { data } = await get(`/api/imports/${segment(params.id)}`);
  const list = h('div', { class: 'import-entries' });
  append(root,
    pageHeader(t('imports.reviewTitle', { directory: data.directory })),
    takeFlash(),
    section(t('imports.summary'), details([
      [t('imports.directory'), data.directory],
      [t('imports.reference'), data.reference ?? t('common.none')],
      [t('imports.importedAt'), formatDateTime(data.importedAt)],
      [t('imports.counts'), t('imports.countsText', data.counts)],
    ])),
    list);
  replace(list, data.entries.map((entry) => entryCard(params.id, entry, me)));
}

/** One entry: incoming and existing in two columns, the differing rows marked, and the decision buttons. */
function entryCard(importId, entry, me) {
  const headingId = uid('entry');
  const card = h('section', { class: 'import-entry', 'aria-labelledby': headingId });
  render();
  return card;

  function render() {
    const differs = new Set(entry.differences);
    const rows = COLUMNS.filter((column) => entry.incoming[column] || entry.existing?.[column]).map((column) => ({
      column,
      incoming: entry.incoming[column] ?? '',
      existing: entry.existing?.[column] ?? '',
      differs: differs.has(column),
    }));
    const decision = entry.decision === 'Pending' && canManage(me, entry.participant)
      ? h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button', onclick: (event) => decide(event.currentTarget, 'accept') }, t('imports.accept')),
        h('button', { type: 'button', class: 'button button--secondary', onclick: (event) => decide(event.currentTarget, 'reject') }, t('imports.reject')))
      : null;
    replace(card,
      h('h2', { id: headingId },
        t('imports.entryTitle', { number: entry.number, name: entry.incoming.representative ?? '', participant: entry.participant }), ' ',
        badge(t(`imports.match.${entry.match}`), MATCH_TONE[entry.match]), ' ',
        badge(t(`imports.decision.${entry.decision}`), DECISION_TONE[entry.decision])),
      dataTable({
        caption: t('imports.sideBySide', { number: entry.number }),
        captionHidden: true,
        cards: false,
        rows,
        columns: [
          { header: t('imports.field'), cell: (row) => t(`imports.columns.${row.column}`) },
          { header: t('imports.incoming'), cell: (row) => (row.differs ? h('mark', {}, row.incoming) : row.incoming) },
          { header: entry.pocId ? t('imports.existing') : t('imports.noExisting'), cell: (row) => row.existing },
          { header: t('imports.differs'), cell: (row) => (row.differs ? t('imports.differsYes') : '') },
        ],
      }),
      entry.resultPocId ? h('p', {}, h('a', { href: href('/pocs', entry.resultPocId, 'edit') }, t('imports.openPoc'))) : null,
      decision);
  }

  async function decide(button, verb) {
    await busy(button, async () => {
      try {
        const { data } = await post(`/api/imports/${segment(importId)}/entries/${entry.number}/${verb}`);
        entry = data;
        render();
        announce(t(verb === 'accept' ? 'imports.accepted' : 'imports.rejected', { number: entry.number }));
      } catch (error) {
        card.append(errorAlert(error));
      }
    });
  }
}
