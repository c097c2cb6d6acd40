// Communications between participants (issue 15): #/communications (inbox, sent; the Secretariat's metadata of all),
// #/communications/new (the template), #/communications/{id} (the thread: acknowledge, reply, close) and
// #/communications/stats (the Secretariat's numbers, metadata only). The API decides who sees content; these views only
// show what it sends and hide what it would refuse.
import { h, replace, append } from '../dom.js';
import { t, label, enumValues } from '../i18n.js';
import { get, post, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { field, choiceGroup, select, textInput, FieldErrors } from '../forms.js';
import { pageHeader, section, dataTable, badge, details, errorAlert, alertBox, flash, takeFlash, busy } from '../ui.js';
import { barChart } from '../charts.js';
import { participantList, participantLabel } from '../data.js';
import { formatDateTime, formatNumber, formatPercent, formatSeconds, formatIsoDuration } from '../format.js';
import { isSecretariat, ownParticipants, ownPocIds } from '../roles.js';

/** The Secretariat's own party when it sends on its own behalf. */
const SECRETARIAT = 'SECRETARIAT';
const PAGE_SIZE = 20;
const STATUS_TONE = { Sent: 'warn', Acknowledged: 'info', Replied: 'info', Closed: 'good' };
const URGENCY_TONE = { Routine: 'neutral', Priority: 'info', Urgent: 'warn' };

/** Respond-by choices, and the one each urgency starts with (its usual acknowledgement target). */
const RESPOND_BY = ['PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT24H', 'PT48H', 'PT72H', 'P7D', 'P14D', 'P30D'];
const RESPOND_BY_FOR = { Urgent: 'PT2H', Priority: 'PT24H', Routine: 'PT72H' };

/** The limits the API checks too (CommunicationInputValidator); the API's own answer is shown at the fields as well. */
const MAX_SUBJECT = 200;
const MAX_BODY = 20000;

function parties(me) {
  return [...ownParticipants(me), ...(isSecretariat(me) ? [SECRETARIAT] : [])];
}

function partyName(code, names) {
  if (code === SECRETARIAT) {
    return t('communications.secretariat');
  }

  return names.has(code) ? `${names.get(code)} (${code})` : code;
}

async function participantNames() {
  const participants = await participantList();
  return new Map(participants.map((participant) => [participant.code, participant.name]));
}

export function communicationStatusBadge(status) {
  return badge(label('communicationStatus', status), STATUS_TONE[status] ?? 'neutral');
}

function urgencyBadge(urgency) {
  return badge(label('urgency', urgency), URGENCY_TONE[urgency] ?? 'neutral');
}

export async function communicationsView({ root, query, me }) {
  const boxes = ownParticipants(me).length ? ['inbox', 'sent'] : [];
  if (isSecretariat(me) || boxes.length === 0) {
    boxes.push(isSecretariat(me) ? 'all' : 'inbox');
  }

  const box = boxes.includes(query.get('box')) ? query.get('box') : boxes[0];
  const status = enumValues('communicationStatus').includes(query.get('status')) ? query.get('status') : '';
  const names = await participantNames();
  const list = h('ul', { class: 'message-list', 'aria-label': t(`communications.box.${box}`) });
  const more = h('div', { class: 'button-row' });
  const statusFilter = select([{ value: '', label: t('common.any') }, ...enumValues('communicationStatus').map((value) => ({ value, label: label('communicationStatus', value) }))],
    status, { name: 'status', onchange: (event) => navigate(href('/communications', { box, status: event.target.value })) });

  append(root,
    pageHeader(t('communications.title'),
      h('a', { class: 'button', href: href('/communications/new') }, t('communications.new')),
      isSecretariat(me) ? h('a', { class: 'button button--secondary', href: href('/communications/stats') }, t('communications.statsLink')) : null),
    takeFlash(),
    h('nav', { class: 'tabs', 'aria-label': t('communications.boxes') },
      h('ul', {}, boxes.map((name) => h('li', {}, h('a', { href: href('/communications', { box: name, status }), 'aria-current': name === box ? 'page' : null }, t(`communications.box.${name}`)))))),
    h('div', { class: 'filters filters--single' }, field({ label: t('communications.status'), control: statusFilter })),
    list,
    more);

  let shown = 0;
  await loadPage();

  async function loadPage(continuationToken) {
    const { data } = await get('/api/communications', { query: { box: box === 'all' ? null : box, status, pageSize: PAGE_SIZE, continuationToken } });
    shown += data.items.length;
    append(list, data.items.map((communication) => h('li', {}, summaryCard(communication, names))));
    if (shown === 0) {
      replace(list, h('li', { class: 'empty' }, t(`communications.empty.${box}`)));
    }

    more.replaceChildren();
    if (data.continuationToken) {
      more.append(h('button', { type: 'button', class: 'button button--secondary', onclick: (event) => busy(event.currentTarget, () => loadPage(data.continuationToken)) }, t('common.loadMore')));
    }
  }
}

function summaryCard(communication, names) {
  // The subject is content: the Secretariat's list has none, so the reference names the communication there.
  const title = communication.subject ?? communication.reference;
  return h('article', { class: 'card message-card' },
    h('h2', { class: 'message-card__title' }, h('a', { href: href('/communications', communication.id) }, title)),
    h('p', { class: 'badges' }, urgencyBadge(communication.urgency), communicationStatusBadge(communication.status), badge(label('communicationType', communication.type))),
    h('p', { class: 'message-card__meta' },
      t('communications.fromTo', { from: partyName(communication.from, names), to: partyName(communication.to, names) })),
    h('p', { class: 'message-card__meta muted' },
      communication.subject ? t('communications.referenceSent', { reference: communication.reference, when: formatDateTime(communication.sentAt) }) : t('communications.sentAt', { when: formatDateTime(communication.sentAt) })));
}

export async function communicationNewView({ root, query, me }) {
  const participants = await participantList();
  const own = ownParticipants(me);
  const senders = own.length ? own : [SECRETARIAT];
  const summary = h('div');
  const notices = h('div');
  const form = h('form', { class: 'communication-form', novalidate: true });
  const errors = new FieldErrors(summary, form);

  const from = select(senders.map((code) => ({ value: code, label: partyName(code, new Map(participants.map((p) => [p.code, p.name]))) })), senders[0], { name: 'from' });
  const to = select([{ value: '', label: t('communications.chooseParticipant') },
    ...participants.map((participant) => ({ value: participant.code, label: participantLabel(participant) }))], (query.get('to') ?? '').toUpperCase(), { name: 'to' });
  const kinds = choiceGroup({ legend: t('communications.kinds'), hint: t('communications.kindsHint'), type: 'checkbox', name: 'kinds', key: 'kinds',
    options: enumValues('kind').map((value) => ({ value, label: label('kind', value) })) });
  const type = select([{ value: '', label: t('communications.chooseType') }, ...enumValues('communicationType').map((value) => ({ value, label: label('communicationType', value) }))],
    query.get('inReplyTo') ? 'FollowUp' : '', { name: 'type' });
  const urgency = choiceGroup({ legend: t('communications.urgency'), hint: t('communications.urgencyHint'), type: 'radio', name: 'urgency', key: 'urgency', selected: ['Routine'],
    options: enumValues('urgency').map((value) => ({ value, label: label('urgency', value) })) });
  const respondBy = select(RESPOND_BY.map((value) => ({ value, label: formatIsoDuration(value) })), RESPOND_BY_FOR.Routine, { name: 'respondBy' });
  // The respond-by follows the urgency until the sender picks one of their own.
  let respondByChosen = false;
  respondBy.addEventListener('change', () => {
    respondByChosen = true;
  });
  urgency.addEventListener('change', () => {
    if (!respondByChosen) {
      respondBy.value = RESPOND_BY_FOR[urgency.values()[0]] ?? respondBy.value;
    }
  });
  const subject = textInput({ name: 'subject', maxlength: String(MAX_SUBJECT) });
  const body = h('textarea', { name: 'body', rows: '8' });
  const inReplyTo = query.get('inReplyTo');
  const submit = h('button', { type: 'submit', class: 'button' }, t('communications.send'));

  append(form,
    senders.length > 1 ? field({ label: t('communications.from'), control: from, key: 'from' }) : null,
    field({ label: t('communications.to'), hint: t('communications.toHint'), control: to, key: 'to' }),
    kinds,
    field({ label: t('communications.type'), control: type, key: 'type' }),
    urgency,
    field({ label: t('communications.respondBy'), hint: t('communications.respondByHint'), control: respondBy, key: 'respondBy' }),
    field({ label: t('communications.subject'), hint: t('communications.subjectHint', { max: MAX_SUBJECT }), control: subject, key: 'subject' }),
    field({ label: t('communications.body'), hint: t('communications.bodyHint'), control: body, key: 'body' }),
    inReplyTo ? h('p', { class: 'field__hint' }, t('communications.followsUp', { id: inReplyTo })) : null,
    h('div', { class: 'button-row' }, submit, h('a', { class: 'button button--secondary', href: href('/communications') }, t('common.cancel'))));

  const keyFor = submissionKeys();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    notices.replaceChildren();
    const input = {
      to: to.value || null,
      kinds: kinds.values(),
      type: type.value || null,
      urgency: urgency.values()[0] ?? null,
      subject: subject.value.trim(),
      body: body.value.trim(),
      respondBy: respondBy.value,
      inReplyTo: inReplyTo || null,
      from: senders.length > 1 ? from.value : null,
    };
    const problems = checkCommunication(input, senders.length > 1 ? from.value : senders[0]);
    if (errors.show(problems)) {
      return;
    }

    try {
      const { data } = await busy(submit, () => post('/api/communications', input, { idempotencyKey: keyFor(input) }));
      flash(t('communications.sentMessage', { reference: data.reference }));
      navigate(href('/communications', data.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
        errors.show(error.fieldErrors);
      } else {
        replace(notices, errorAlert(error));
      }
    }
  });

  append(root, pageHeader(t('communications.newTitle')), h('p', { class: 'lead' }, t('communications.newLead')), summary, notices, form);
}

/** The checks the API makes that the portal can make first; field names as the API's ProblemDetails use them. */
export function checkCommunication(input, sendingParty) {
  const problems = {};
  if (!input.to) {
    problems.to = [t('communications.check.to')];
  } else if (input.to === sendingParty) {
    problems.to = [t('communications.check.own')];
  }

  if (!input.type) {
    problems.type = [t('communications.check.type')];
  }

  if (!input.urgency) {
    problems.urgency = [t('communications.check.urgency')];
  }

  if (!input.subject) {
    problems.subject = [t('communications.check.subject')];
  } else if (input.subject.length > MAX_SUBJECT) {
    problems.subject = [t('communications.check.subjectLength', { max: MAX_SUBJECT })];
  }

  if (!input.body) {
    problems.body = [t('communications.check.body')];
  } else if (input.body.length > MAX_BODY) {
    problems.body = [t('communications.check.bodyLength', { max: formatNumber(MAX_BODY) })];
  }

  return problems;
}

export async function communicationView({ root, params, me }) {
  const names = await participantNames();
  const content = h('div');
  append(root, content);
  await load(takeFlash());

  async function load(message) {
    const { data: communication } = await get(`/api/communications/${segment(params.id)}`);
    replace(content, ...thread(communication, message));
  }

  function thread(c, message) {
    const mine = parties(me);
    const isParty = mine.includes(c.from) || mine.includes(c.to);
    const receivingPoc = ownPocIds(me).find((pocId) => pocId.toUpperCase().startsWith(`${c.to}-`));
    const acknowledgedByMe = (c.acknowledgements ?? []).some((ack) => ack.recipientId === receivingPoc);
    const notices = h('div');
    const actions = h('div', { class: 'button-row' });
    if (receivingPoc && c.delivering && !acknowledgedByMe) {
      const acknowledge = h('button', { type: 'button', class: 'button', onclick: async () => {
        try {
          await busy(acknowledge, () => post(`/api/communications/${segment(c.id)}/acknowledge`));
          await load(alertBox('success', t('communication.acknowledgedMessage')));
        } catch (error) {
          replace(notices, errorAlert(error));
        }
      } }, t('communication.acknowledge'));
      actions.append(acknowledge);
    }

    if (isParty) {
      const other = mine.includes(c.from) ? c.to : c.from;
      if (other !== SECRETARIAT) {
        actions.append(h('a', { class: 'button button--secondary', href: href('/communications/new', { inReplyTo: c.id, to: other }) }, t('communication.followUp')));
      }
    }

    const title = c.subject ?? t('communication.titleWithoutContent', { reference: c.reference });
    return [
      pageHeader(title),
      message,
      notices,
      h('p', { class: 'badges' }, urgencyBadge(c.urgency), communicationStatusBadge(c.status), badge(label('communicationType', c.type))),
      c.contentErased ? alertBox('info', t('communication.erasedTitle'), t('communication.erased')) : null,
      !isParty ? alertBox('info', t('communication.metadataOnlyTitle'), t('communication.metadataOnly')) : null,
      c.body ? section(t('communication.message'), h('p', { class: 'message-body' }, c.body), c.sender ? senderDetails(c.sender, names) : null) : null,
      actions,
      section(t('communication.details'), details([
        [t('communication.reference'), c.reference],
        [t('communications.fromLabel'), partyName(c.from, names)],
        [t('communications.toLabel'), partyName(c.to, names)],
        [t('communications.kinds'), c.kinds?.length ? c.kinds.map((kind) => label('kind', kind)).join(', ') : t('communication.allKinds')],
        [t('communication.sentAt'), formatDateTime(c.sentAt)],
        [t('communication.respondBy'), formatDateTime(c.respondBy)],
        [t('communication.acknowledgeBy'), formatDateTime(c.acknowledgeBy)],
        [t('communication.acknowledgedAt'), c.acknowledgedAt ? formatDateTime(c.acknowledgedAt) : t('common.notYet')],
        [t('communication.firstReplyAt'), c.firstReplyAt ? formatDateTime(c.firstReplyAt) : t('common.notYet')],
        c.closedAt ? [t('communication.closedAt'), formatDateTime(c.closedAt)] : null,
        c.inReplyTo ? [t('communication.inReplyTo'), isParty ? h('a', { href: href('/communications', c.inReplyTo) }, c.inReplyTo) : c.inReplyTo] : null,
        [t('communication.escalations'), c.escalations?.length
          ? h('ol', { class: 'plain' }, c.escalations.map((step) => h('li', {}, t('communication.escalationStep', { step: step.step, name: step.name, when: formatDateTime(step.at) }))))
          : t('common.none')],
      ])),
      c.acknowledgements ? section(t('communication.acknowledgements'), c.acknowledgements.length
        ? h('ul', { class: 'plain' }, c.acknowledgements.map((ack) => h('li', {}, t('communication.acknowledgedBy', { who: ack.name ?? ack.recipientId, when: formatDateTime(ack.acknowledgedAt) }))))
        : h('p', { class: 'empty' }, t('communication.noAcknowledgement'))) : null,
      c.replies ? section(t('communication.replies'), c.replies.length
        ? h('ol', { class: 'replies' }, c.replies.map((reply) => h('li', { class: 'card reply' },
          h('p', { class: 'reply__meta' }, reply.authorName
            ? t('communication.replyBy', { who: reply.authorName, party: partyName(reply.participant, names), when: formatDateTime(reply.at) })
            : t('communication.replyByParty', { party: partyName(reply.participant, names), when: formatDateTime(reply.at) })),
          reply.body ? h('p', { class: 'message-body' }, reply.body) : h('p', { class: 'empty' }, t('communication.replyErased')),
          reply.closes ? badge(t('communication.closedThread'), 'good') : null)))
        : h('p', { class: 'empty' }, t('communication.noReplies'))) : null,
      isParty && c.status !== 'Closed' ? replyForm(c) : null,
    ];
  }

  function replyForm(c) {
    const summary = h('div');
    const notices = h('div');
    const form = h('form', { class: 'communication-form', novalidate: true });
    const errors = new FieldErrors(summary, form);
    const body = h('textarea', { name: 'reply', rows: '5' });
    const closes = h('input', { type: 'checkbox', name: 'closes', id: 'reply-closes' });
    const submit = h('button', { type: 'submit', class: 'button' }, t('communication.sendReply'));
    append(form, summary, notices,
      field({ label: t('communication.reply'), hint: t('communication.replyHint'), control: body, key: 'body' }),
      h('div', { class: 'field choice choice--single' }, closes, h('label', { for: closes.id }, t('communication.closes'))),
      h('div', { class: 'button-row' }, submit));
    const keyFor = submissionKeys();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clear();
      notices.replaceChildren();
      const input = { body: body.value.trim(), closes: closes.checked };
      if (!input.body) {
        errors.show({ body: [t('communication.replyRequired')] });
        return;
      }

      if (input.body.length > MAX_BODY) {
        errors.show({ body: [t('communications.check.bodyLength', { max: formatNumber(MAX_BODY) })] });
        return;
      }

      try {
        await busy(submit, () => post(`/api/communications/${segment(c.id)}/replies`, input, { idempotencyKey: keyFor(input) }));
        await load(alertBox('success', t(input.closes ? 'communication.closedMessage' : 'communication.repliedMessage')));
      } catch (error) {
        if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length) {
          errors.show(error.fieldErrors);
        } else {
          replace(notices, errorAlert(error));
        }
      }
    });
    return section(t('communication.replyTitle'), form);
  }
}

function senderDetails(sender, names) {
  return details([
    [t('communication.sender'), [sender.name ?? sender.email, ` (${partyName(sender.participant, names)})`]],
    [t('communication.senderEmail'), h('a', { href: `mailto:${sender.email}` }, sender.email)],
    sender.phones?.length ? [t('communication.senderPhones'), sender.phones.join(', ')] : null,
  ]);
}

export async function communicationStatsView({ root, query, me }) {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const names = await participantNames();
  const { data: stats } = await get('/api/communications/stats', { query: { from: dayStart(from), to: dayStart(to, 1) } });

  const fromInput = h('input', { type: 'date', name: 'from', value: from });
  const toInput = h('input', { type: 'date', name: 'to', value: to });
  const filter = h('form', { class: 'filters', onsubmit: (event) => {
    event.preventDefault();
    navigate(href('/communications/stats', { from: fromInput.value, to: toInput.value }));
  } },
  field({ label: t('commStats.from'), control: fromInput }),
  field({ label: t('commStats.to'), control: toInput }),
  h('div', { class: 'filters__actions' }, h('button', { type: 'submit', class: 'button' }, t('commStats.apply'))));

  const countItems = (counts, enumName) => {
    const max = Math.max(1, ...Object.values(counts ?? {}));
    return enumValues(enumName).map((key) => ({ label: label(enumName, key), value: (counts?.[key] ?? 0) / max, text: formatNumber(counts?.[key] ?? 0) }));
  };
  // Participants outside the regional groups (regional organisations) have no region: the API's key is "None" or "Unknown".
  const regionName = (row) => (!row.key || row.key === 'None' || row.key === 'Unknown' ? t('coverage.noRegion') : label('region', row.key));
  const participantName = (row) => partyName(row.key, names);
  const withinItems = (rows, nameOf) => rows.filter((row) => row.acknowledgedWithinTarget !== null && row.acknowledgedWithinTarget !== undefined)
    .map((row) => ({ label: nameOf(row), value: row.acknowledgedWithinTarget, text: formatPercent(row.acknowledgedWithinTarget) }));
  const groupTable = (caption, rows, nameOf, firstHeader) => dataTable({
    caption,
    rows,
    empty: t('commStats.none'),
    columns: [
      { header: firstHeader, cell: nameOf },
      { header: t('commStats.count'), numeric: true, cell: (row) => formatNumber(row.count) },
      { header: t('commStats.medianAck'), numeric: true, cell: (row) => formatSeconds(row.timeToAcknowledge.medianSeconds) },
      { header: t('commStats.p90Ack'), numeric: true, cell: (row) => formatSeconds(row.timeToAcknowledge.p90Seconds) },
      { header: t('commStats.medianReply'), numeric: true, cell: (row) => formatSeconds(row.timeToFirstReply.medianSeconds) },
      { header: t('commStats.withinTarget'), numeric: true, cell: (row) => (row.acknowledgedWithinTarget === null ? t('common.notApplicable') : formatPercent(row.acknowledgedWithinTarget)) },
    ],
  });

  append(root,
    pageHeader(t('commStats.title')),
    h('p', { class: 'lead' }, isSecretariat(me) ? t('commStats.leadSecretariat') : t('commStats.leadParticipant')),
    filter,
    h('div', { class: 'summary-cards' },
      card(t('commStats.count'), formatNumber(stats.count)),
      card(t('commStats.withinTarget'), stats.acknowledgedWithinTarget === null ? t('common.notApplicable') : formatPercent(stats.acknowledgedWithinTarget)),
      card(t('commStats.medianAck'), formatSeconds(stats.timeToAcknowledge.medianSeconds)),
      card(t('commStats.p90Ack'), formatSeconds(stats.timeToAcknowledge.p90Seconds)),
      card(t('commStats.medianReply'), formatSeconds(stats.timeToFirstReply.medianSeconds)),
      card(t('commStats.p90Reply'), formatSeconds(stats.timeToFirstReply.p90Seconds))),
    section(t('commStats.byTypeAndUrgency'),
      barChart({ title: t('commStats.byType'), items: countItems(stats.byType, 'communicationType') }),
      barChart({ title: t('commStats.byUrgency'), items: countItems(stats.byUrgency, 'urgency') })),
    section(t('commStats.byParticipant'),
      barChart({ title: t('commStats.withinTargetByParticipant'), items: withinItems(stats.byReceivingParticipant, participantName) }),
      groupTable(t('commStats.byParticipant'), stats.byReceivingParticipant, participantName, t('communications.toLabel'))),
    section(t('commStats.byRegion'),
      barChart({ title: t('commStats.withinTargetByRegion'), items: withinItems(stats.byRegion, regionName) }),
      groupTable(t('commStats.byRegion'), stats.byRegion, regionName, t('participants.region'))));
}

/** A date input's day as the UTC instant it starts (plus days), for the API's from/to; empty stays empty. */
function dayStart(value, plusDays = 0) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return null;
  }

  const date = new Date(`${value}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + plusDays);
  return date.toISOString();
}

function card(title, value) {
  return h('div', { class: 'card' }, h('p', { class: 'card__value' }, value), h('p', { class: 'card__label' }, title));
}
