// Ping campaigns (Secretariat): #/campaigns, #/campaigns/new, #/campaigns/{id} (live progress) and its report.
import { h, replace, uid, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, post, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { field, choiceGroup, select, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, badge, details, errorAlert, alertBox, flash, takeFlash, busy, confirmButton, announce } from '../ui.js';
import { barChart, histogram } from '../charts.js';
import { participantList } from '../data.js';
import { formatDateTime, formatIsoDuration, formatNumber, formatPercent, formatSeconds } from '../format.js';

const STATUS_TONE = { Scheduled: 'neutral', Running: 'info', Completed: 'good', Cancelled: 'warn', Failed: 'warn' };

/** Statuses the page keeps polling: the campaign may still change (a failed one waits for Retry or Close). */
const OPEN = ['Scheduled', 'Running', 'Failed'];
const POLL_MS = 2000;

export function campaignStatusBadge(status) {
  return badge(label('campaignStatus', status), STATUS_TONE[status] ?? 'neutral');
}

export function scopeText(scope) {
  const parts = [];
  if (scope?.participants?.length) {
    parts.push(t('campaigns.scopeParticipants', { list: scope.participants.join(', ') }));
  }

  if (scope?.regions?.length) {
    parts.push(t('campaigns.scopeRegions', { list: scope.regions.map((region) => label('region', region)).join(', ') }));
  }

  if (scope?.kinds?.length) {
    parts.push(t('campaigns.scopeKinds', { list: scope.kinds.map((kind) => label('kind', kind)).join(', ') }));
  }

  return parts.length ? parts.join('; ') : t('campaigns.scopeEveryone');
}

export async function campaignsView({ root }) {
  const list = h('div');
  const more = h('div', { class: 'button-row' });
  append(root, 
    pageHeader(t('campaigns.title'), h('a', { class: 'button', href: href('/campaigns/new') }, t('campaigns.new'))),
    takeFlash(),
    list,
    more);
  const rows = [];
  await loadPage();

  async function loadPage(continuationToken) {
    const { data } = await get('/api/campaigns', { query: { continuationToken } });
    rows.push(...data.items);
    replace(list, dataTable({
      caption: t('campaigns.title'),
      captionHidden: true,
      empty: t('campaigns.empty'),
      rows,
      columns: [
        { header: t('campaigns.name'), cell: (campaign) => h('a', { href: href('/campaigns', campaign.id) }, campaign.name) },
        { header: t('campaigns.reference'), cell: (campaign) => campaign.reference },
        { header: t('campaigns.status'), cell: (campaign) => campaignStatusBadge(campaign.status) },
        { header: t('campaigns.scope'), cell: (campaign) => scopeText(campaign.scope) },
        { header: t('campaigns.startedAt'), cell: (campaign) => formatDateTime(campaign.startedAt ?? campaign.startAt) },
        { header: t('campaigns.deadline'), cell: (campaign) => formatDateTime(campaign.deadline) },
        { header: t('campaigns.acknowledged'), numeric: true, cell: (campaign) => (campaign.progress
          ? t('campaigns.acknowledgedOf', { acknowledged: formatNumber(campaign.progress.acknowledged), inScope: formatNumber(campaign.progress.inScope) })
          : '') },
      ],
    }));
    more.replaceChildren();
    if (data.continuationToken) {
      more.append(h('button', { type: 'button', class: 'button button--secondary', onclick: () => loadPage(data.continuationToken) }, t('common.loadMore')));
    }
  }
}

const UNITS = { minutes: 'M', hours: 'H', days: 'D' };

/** An ISO 8601 duration from an amount and a unit: (90, 'minutes') → PT90M, (3, 'days') → P3D. */
function isoDuration(amount, unit) {
  return unit === 'days' ? `P${amount}D` : `PT${amount}${UNITS[unit]}`;
}

/** "24", "24h", "90m", "2d", "30s" → ISO 8601; anything else is sent as typed, for the server to explain. */
function reminderDuration(text, defaultUnit) {
  const match = /^(\d+)\s*(s|m|min|h|d)?$/i.exec(text.trim());
  if (!match) {
    return text.trim();
  }

  const unit = { s: 'seconds', m: 'minutes', min: 'minutes', h: 'hours', d: 'days' }[(match[2] ?? '').toLowerCase()] ?? defaultUnit;
  return unit === 'seconds' ? `PT${match[1]}S` : isoDuration(match[1], unit);
}

export async function campaignNewView({ root }) {
  const summary = h('div');
  const notices = h('div');
  const form = h('form', { class: 'campaign-form', novalidate: true });
  const errors = new FieldErrors(summary, form);

  const name = textInput({ name: 'name', maxlength: '200' });
  const participants = textInput({ name: 'participants', autocapitalize: 'characters', spellcheck: 'false' });
  const regions = choiceGroup({ legend: t('campaigns.regions'), type: 'checkbox', name: 'regions', key: 'scope.regions',
    options: enumValues('region').map((value) => ({ value, label: label('region', value) })), inline: false });
  const kinds = choiceGroup({ legend: t('campaigns.kinds'), type: 'checkbox', name: 'kinds', key: 'scope.kinds',
    options: enumValues('kind').map((value) => ({ value, label: label('kind', value) })) });

  const windowAmount = h('input', { type: 'number', name: 'windowAmount', min: '1', step: '1', value: '72', inputmode: 'numeric', class: 'input--short' });
  const windowUnit = select(Object.keys(UNITS).map((value) => ({ value, label: t(`campaigns.unit.${value}`) })), 'hours', { name: 'windowUnit' });
  const windowErrorId = uid('window-error');
  const windowError = h('p', { class: 'field__error', id: windowErrorId, hidden: true });
  const windowAmountId = uid('window-amount');
  windowAmount.id = windowAmountId;
  windowAmount.setAttribute('aria-describedby', windowErrorId);
  const windowUnitId = uid('window-unit');
  windowUnit.id = windowUnitId;
  const responseWindow = h('fieldset', { class: 'field', dataset: { key: 'responseWindow' } },
    h('legend', { class: 'field__label' }, t('campaigns.window')),
    h('p', { class: 'field__hint' }, t('campaigns.windowHint')),
    windowError,
    h('div', { class: 'field-row field-row--inline' },
      h('div', {}, h('label', { for: windowAmountId, class: 'field__label field__label--small' }, t('campaigns.windowAmount')), windowAmount),
      h('div', {}, h('label', { for: windowUnitId, class: 'field__label field__label--small' }, t('campaigns.windowUnit')), windowUnit)));
  responseWindow.fieldParts = { control: windowAmount, error: windowError, key: 'responseWindow' };

  const reminders = textInput({ name: 'reminders', value: '24h' });
  const escalate = h('input', { type: 'checkbox', name: 'escalate', id: uid('escalate'), checked: true });
  const escalateHintId = uid('escalate-hint');
  escalate.setAttribute('aria-describedby', escalateHintId);
  const start = choiceGroup({ legend: t('campaigns.start'), type: 'radio', name: 'start', key: 'startAt', selected: ['now'],
    options: [{ value: 'now', label: t('campaigns.startNow') }, { value: 'later', label: t('campaigns.startLater') }] });
  const startAt = h('input', { type: 'datetime-local', name: 'startAt' });
  const startAtField = field({ label: t('campaigns.startAt'), hint: t('campaigns.startAtHint'), control: startAt, key: 'startAt.value' });
  const showStartAt = () => {
    startAtField.hidden = start.values()[0] !== 'later';
  };
  start.addEventListener('change', showStartAt);
  showStartAt();
  const subject = textInput({ name: 'subject', maxlength: '200' });
  const body = h('textarea', { name: 'body', rows: '5', maxlength: '5000' });
  const submit = h('button', { type: 'submit', class: 'button' }, t('campaigns.submit'));

  append(form, 
    field({ label: t('campaigns.name'), hint: t('campaigns.nameHint'), control: name, key: 'name' }),
    section(t('campaigns.scope'),
      h('p', { class: 'field__hint' }, t('campaigns.scopeHint')),
      field({ label: t('campaigns.participants'), hint: t('campaigns.participantsHint'), control: participants, key: 'scope.participants' }),
      regions,
      kinds),
    section(t('campaigns.timing'),
      responseWindow,
      field({ label: t('campaigns.reminders'), hint: t('campaigns.remindersHint'), control: reminders, key: 'reminders' }),
      h('div', { class: 'field choice choice--single', dataset: { key: 'escalate' } },
        escalate,
        h('label', { for: escalate.id }, t('campaigns.escalate')),
        h('p', { class: 'field__hint', id: escalateHintId }, t('campaigns.escalateHint'))),
      start,
      startAtField),
    h('details', { class: 'disclosure' },
      h('summary', {}, t('campaigns.wording')),
      h('p', { class: 'field__hint' }, t('campaigns.wordingHint')),
      field({ label: t('campaigns.subject'), hint: t('common.optional'), control: subject, key: 'subject' }),
      field({ label: t('campaigns.body'), hint: t('common.optional'), control: body, key: 'body' })),
    h('div', { class: 'button-row' }, submit, h('a', { class: 'button button--secondary', href: href('/campaigns') }, t('common.cancel'))));

  const keyFor = submissionKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    notices.replaceChildren();
    const later = start.values()[0] === 'later';
    const startDate = later && startAt.value ? new Date(startAt.value) : null;
    if (later && (!startDate || Number.isNaN(startDate.getTime()))) {
      errors.show({ 'startAt.value': [t('campaigns.startAtRequired')] });
      return;
    }

    const amount = windowAmount.value.trim();
    const input = {
      name: name.value.trim(),
      scope: {
        participants: participants.value.split(/[\s,;]+/).map((code) => code.trim().toUpperCase()).filter(Boolean),
        regions: regions.values(),
        kinds: kinds.values(),
      },
      responseWindow: /^\d+$/.test(amount) ? isoDuration(amount, windowUnit.value) : amount,
      reminders: reminders.value.split(/[,;]+/).map((text) => text.trim()).filter(Boolean).map((text) => reminderDuration(text, windowUnit.value)),
      escalate: escalate.checked,
      startAt: startDate ? startDate.toISOString() : null,
      subject: subject.value.trim() || null,
      body: body.value.trim() || null,
    };

    try {
      const { data } = await busy(submit, () => post('/api/campaigns', input, { idempotencyKey: keyFor(input) }));
      flash(later ? t('campaigns.scheduledMessage', { name: data.name }) : t('campaigns.startedMessage', { name: data.name }));
      navigate(href('/campaigns', data.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        replace(notices, errorAlert(error));
      }
    }
  });

  append(root, pageHeader(t('campaigns.newTitle')), summary, notices, form);
}

export async function campaignView({ root, params, signal }) {
  const { data: first } = await get(`/api/campaigns/${segment(params.id)}`);
  const info = h('div');
  const progress = h('div');
  const actions = h('div', { class: 'button-row' });
  const notices = h('div');
  const failure = h('div');
  const live = h('p', { class: 'live-status', role: 'status', 'aria-live': 'polite' });
  append(root, pageHeader(first.name), takeFlash(), notices, failure,
    section(t('campaign.progress'), live, progress),
    actions,
    section(t('campaign.details'), info));

  let lastAnnounced = '';
  show(first);
  schedule(first);

  function schedule(campaign) {
    if (!OPEN.includes(campaign.status)) {
      return;
    }

    const timer = setTimeout(async () => {
      if (signal.aborted) {
        return;
      }

      try {
        const { data } = await get(`/api/campaigns/${segment(params.id)}`, { signal });
        show(data);
        schedule(data);
      } catch (error) {
        if (error?.name !== 'AbortError') {
          replace(notices, errorAlert(error));
          schedule(campaign);
        }
      }
    }, POLL_MS);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }

  function show(campaign) {
    const counts = campaign.progress ?? { inScope: 0, sent: 0, acknowledged: 0, pending: 0, undeliverable: 0, noResponse: 0, cancelled: 0 };
    const message = t('campaign.liveStatus', {
      status: label('campaignStatus', campaign.status),
      acknowledged: formatNumber(counts.acknowledged),
      inScope: formatNumber(counts.inScope),
    });
    if (message !== lastAnnounced) {
      live.textContent = message;
      lastAnnounced = message;
    }

    const meterId = uid('meter');
    replace(progress,
      h('label', { for: meterId, class: 'field__label' }, t('campaign.acknowledgedShare')),
      h('progress', { id: meterId, max: String(Math.max(counts.inScope, 1)), value: String(counts.acknowledged) }),
      h('div', { class: 'summary-cards' },
        ['inScope', 'sent', 'acknowledged', 'pending', 'noResponse', 'undeliverable', 'cancelled'].map((key) =>
          h('div', { class: 'card' }, h('p', { class: 'card__value' }, formatNumber(counts[key])), h('p', { class: 'card__label' }, t(`campaign.counts.${key}`))))));

    replace(info, details([
      [t('campaigns.reference'), campaign.reference],
      [t('campaigns.status'), campaignStatusBadge(campaign.status)],
      [t('campaigns.scope'), scopeText(campaign.scope)],
      [t('campaigns.window'), formatIsoDuration(campaign.responseWindow)],
      [t('campaigns.reminders'), campaign.reminders?.length ? campaign.reminders.map(formatIsoDuration).join(', ') : t('common.none')],
      [t('campaigns.escalate'), campaign.escalate ? t('common.yes') : t('common.no')],
      [t('campaign.createdBy'), t('campaign.createdByValue', { who: campaign.createdBy, when: formatDateTime(campaign.createdAt) })],
      campaign.startAt && !campaign.startedAt ? [t('campaigns.startAt'), formatDateTime(campaign.startAt)] : null,
      [t('campaigns.startedAt'), campaign.startedAt ? formatDateTime(campaign.startedAt) : t('common.notYet')],
      [t('campaigns.deadline'), campaign.deadline ? formatDateTime(campaign.deadline) : t('common.notYet')],
      [t('campaign.completed'), campaign.completedAt ? formatDateTime(campaign.completedAt) : t('common.notYet')],
    ]));

    // A failed step says which and why; a campaign closed after one keeps saying so.
    replace(failure, campaign.failure
      ? alertBox(campaign.status === 'Failed' ? 'error' : 'success',
        t(campaign.status === 'Failed' ? 'campaign.failedTitle' : 'campaign.closedAfterFailure', { step: campaign.failure.step }),
        t('campaign.failedDetail', { reason: campaign.failure.reason, when: formatDateTime(campaign.failure.at) }))
      : null);

    const decision = (name) => confirmButton({
      label: t(`campaign.${name}`),
      question: t(`campaign.${name}Question`),
      confirmLabel: t(`campaign.${name}Confirm`),
      action: async () => {
        try {
          const { data } = await post(`/api/campaigns/${segment(campaign.id)}/${name}`);
          announce(t(`campaign.${name}Requested`));
          show(data);
        } catch (error) {
          replace(notices, errorAlert(error));
        }
      },
    });
    replace(actions,
      h('a', { class: 'button', href: href('/campaigns', campaign.id, 'report') }, t('campaign.viewReport')),
      campaign.status === 'Failed' ? decision('retry') : null,
      campaign.status === 'Failed' ? decision('close') : null,
      OPEN.includes(campaign.status) ? decision('cancel') : null);
  }
}

/** The time-to-acknowledge histogram has 8 buckets, up to 1 min, 5 min, 15 min, 1 h, 4 h, 24 h, 3 days and beyond. */
const BUCKETS = 8;

export async function campaignReportView({ root, params }) {
  const [{ data: campaign }, { data: report }, participants] = await Promise.all([
    get(`/api/campaigns/${segment(params.id)}`),
    get(`/api/campaigns/${segment(params.id)}/report`),
    participantList(),
  ]);
  const names = new Map(participants.map((participant) => [participant.code, participant.name]));
  // The API's key for participants outside the regional groups (regional organisations) is "None".
  const regionName = (row) => (!row.key || row.key === 'None' ? t('coverage.noRegion') : label('region', row.key));
  const kindName = (row) => label('kind', row.key);
  const participantName = (row) => (names.has(row.key) ? `${names.get(row.key)} (${row.key})` : row.key);
  const rateItems = (rows, nameOf) => rows.map((row) => ({ label: nameOf(row), value: row.responseRate, text: formatPercent(row.responseRate) }));
  const rateTable = (caption, rows, nameOf, firstHeader) => dataTable({
    caption,
    rows,
    columns: [
      { header: firstHeader, cell: nameOf },
      { header: t('report.inScope'), numeric: true, cell: (row) => formatNumber(row.inScope) },
      { header: t('report.acknowledged'), numeric: true, cell: (row) => formatNumber(row.acknowledged) },
      { header: t('report.noResponse'), numeric: true, cell: (row) => formatNumber(row.noResponse) },
      { header: t('report.undeliverable'), numeric: true, cell: (row) => formatNumber(row.undeliverable) },
      { header: t('report.pending'), numeric: true, cell: (row) => formatNumber(row.pending) },
      { header: t('report.responseRate'), numeric: true, cell: (row) => formatPercent(row.responseRate) },
    ],
  });
  const buckets = Array.from({ length: BUCKETS }, (_, index) => ({
    label: t(`report.bucket${index}`),
    count: report.timeToAcknowledgeHistogram?.[index] ?? 0,
  }));

  const download = h('button', { type: 'button', class: 'button button--secondary', onclick: (event) => downloadCsv(event.currentTarget, campaign) }, t('report.downloadCsv'));
  const open = OPEN.includes(campaign.status);
  append(root, 
    pageHeader(t('report.title', { name: campaign.name }), download, h('a', { class: 'button button--secondary', href: href('/campaigns', campaign.id) }, t('report.backToCampaign'))),
    h('p', { class: 'lead' }, open ? t('report.live', { when: formatDateTime(report.compiledAt) }) : t('report.compiled', { when: formatDateTime(report.compiledAt) })),
    h('div', { class: 'summary-cards' },
      card(t('report.responseRate'), formatPercent(report.overall.responseRate)),
      card(t('report.acknowledged'), t('campaigns.acknowledgedOf', { acknowledged: formatNumber(report.overall.acknowledged), inScope: formatNumber(report.overall.inScope) })),
      card(t('report.median'), formatSeconds(report.medianSecondsToAcknowledge)),
      card(t('report.p90'), formatSeconds(report.p90SecondsToAcknowledge)),
      card(t('report.afterReminder'), formatNumber(report.acknowledgedAfterReminder)),
      card(t('report.undeliverable'), formatNumber(report.overall.undeliverable))),
    section(t('report.byRegion'),
      barChart({ title: t('report.rateByRegion'), items: rateItems(report.byRegion, regionName) }),
      rateTable(t('report.rateByRegion'), report.byRegion, regionName, t('participants.region'))),
    section(t('report.byKind'),
      barChart({ title: t('report.rateByKind'), items: rateItems(report.byKind, kindName) }),
      rateTable(t('report.rateByKind'), report.byKind, kindName, t('poc.kind'))),
    section(t('report.timeToAcknowledge'),
      histogram({ title: t('report.histogramTitle'), buckets }),
      dataTable({
        caption: t('report.histogramTitle'),
        rows: buckets,
        columns: [
          { header: t('report.bucket'), cell: (bucket) => bucket.label },
          { header: t('report.count'), numeric: true, cell: (bucket) => formatNumber(bucket.count) },
        ],
      })),
    section(t('report.byParticipant'), rateTable(t('report.byParticipant'), report.byParticipant, participantName, t('directory.participant'))),
    section(t('report.silent'), report.participantsWithNoResponse?.length
      ? h('ul', { class: 'inline-list' }, report.participantsWithNoResponse.map((code) => h('li', {}, h('a', { href: href('/participants', code) }, participantName({ key: code })))))
      : h('p', { class: 'empty' }, t('report.noneSilent'))),
    section(t('report.undeliverableTitle'), dataTable({
      caption: t('report.undeliverableTitle'),
      captionHidden: true,
      empty: t('report.noneUndeliverable'),
      rows: report.undeliverable ?? [],
      columns: [
        { header: t('report.poc'), cell: (row) => h('a', { href: href('/pocs', row.pocId, 'edit') }, row.pocId) },
        { header: t('directory.participant'), cell: (row) => row.participant },
        { header: t('report.reason'), cell: (row) => row.reason ?? '' },
      ],
    })));
}

function card(title, value) {
  return h('div', { class: 'card' }, h('p', { class: 'card__value' }, value), h('p', { class: 'card__label' }, title));
}

async function downloadCsv(button, campaign) {
  try {
    const { data } = await busy(button, () => get(`/api/campaigns/${segment(campaign.id)}/report`, { query: { format: 'csv' }, accept: 'text/csv' }));
    const url = URL.createObjectURL(data);
    const link = h('a', { href: url, download: `campaign-${campaign.reference || campaign.id}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    announce(t('report.downloaded'));
  } catch (error) {
    button.after(errorAlert(error));
  }
}

