// #/ : the home of the signed-in user, from GET /api/home. What waits for an answer comes first, so the first screen
// of a phone says what to do; every item is one click from its page or its action.
import { h, append, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import { get, post, segment } from '../api.js';
import { href } from '../router.js';
import { pageHeader, section, dataTable, badge, errorAlert, announce, busy, takeFlash } from '../ui.js';
import { formatDate, formatDateTime, formatNumber, formatPercent, formatSeconds } from '../format.js';

const CONFIRMATION_TONE = { Current: 'good', Due: 'warn', Overdue: 'warn' };
const OUTCOME_TONE = { Acknowledged: 'good', NoResponse: 'warn', Undeliverable: 'warn' };

export async function homeView({ root, me, signal }) {
  const { data: home } = await get('/api/home', { signal });
  append(root, pageHeader(t('home.title')), takeFlash());
  if (home.secretariat) {
    append(root, secretariatHome(home.secretariat));
  }

  for (const poc of home.pocs) {
    append(root, pocHome(poc));
  }

  for (const participant of home.participants) {
    append(root, participantHome(participant, me));
  }
}

// POC: what waits for its answer, then its own record, then its participant's other POCs.
function pocHome(home) {
  const record = home.record;
  const waiting = [
    ...home.pings.map((ping) => item(
      t('home.pingWaiting', { name: ping.name }),
      t('home.answerBy', { time: formatDateTime(ping.deadline) }),
      actionButton(t('home.acknowledge'), t('home.acknowledgeHidden', { name: ping.name }), () => post(`/api/campaigns/${segment(ping.campaignId)}/acknowledge`), t('home.acknowledged', { name: ping.name })))),
    ...home.injects.map((inject) => item(
      [badge(t('home.exercise'), 'warn'), ' ', t('home.injectWaiting', { exercise: inject.exerciseName, title: inject.title })],
      t('home.answerBy', { time: formatDateTime(inject.respondBy) }),
      h('a', { class: 'button button--small', href: `/exercise/${encodeURIComponent(inject.token)}` },
        t(inject.expects === 'Reply' ? 'home.reply' : 'home.answer'), h('span', { class: 'visually-hidden' }, ` ${t('home.injectHidden', { title: inject.title })}`)))),
    ...home.communications.map((communication) => communicationItem(communication)),
    ...home.meetings.filter((meeting) => meeting.myAnswer === null && meeting.registrationOpen).map((meeting) => meetingItem(meeting, t('home.register'))),
    record.confirmation.status !== 'Current'
      ? item(t(`home.confirm${record.confirmation.status}`), t('home.lastConfirmed', { date: formatDate(record.confirmation.lastConfirmedAt) }),
        actionButton(t('home.confirmButton'), '', () => post(`/api/pocs/${segment(record.poc.id)}/confirm`), t('home.confirmedNow')))
      : null,
  ].filter(Boolean);

  return h('div', { class: 'home' },
    section(t('home.waitingForYou'), waiting.length ? h('ul', { class: 'todo' }, waiting) : h('p', { class: 'empty' }, t('home.nothingWaiting'))),
    section(t('home.yourRecord'),
      h('p', {}, h('span', { class: 'poc-name' }, record.poc.fullName), ' · ', label('kind', record.poc.kind), ' ', label('rank', record.poc.rank), ' · ',
        h('a', { href: href('/participants', home.participant) }, home.participantName)),
      h('p', {}, confirmationBadge(record.confirmation), ' ', h('span', { class: 'muted' }, t('home.lastConfirmed', { date: formatDate(record.confirmation.lastConfirmedAt) }))),
      h('div', { class: 'button-row' }, h('a', { class: 'button button--secondary', href: href('/pocs', record.poc.id, 'edit') }, t('home.editRecord')))),
    section(t('home.colleagues', { name: home.participantName }), home.colleagues.length
      ? h('ul', { class: 'plain card-list' }, home.colleagues.map((poc) => h('li', { class: 'card' },
        h('span', { class: 'poc-name block' }, poc.fullName), h('span', { class: 'muted block' }, `${label('kind', poc.kind)} ${label('rank', poc.rank)} · ${poc.organisation}`),
        (poc.emails ?? []).map((email) => h('a', { class: 'block', href: `mailto:${email}` }, email)))))
      : h('p', { class: 'empty' }, t('home.noColleagues'))));
}

// Focal point: one section per participant, headed with its name.
function participantHome(home) {
  const waiting = [
    ...home.missing.map((missing) => item(
      t('home.missing', { kind: label('kind', missing.kind).toLowerCase(), rank: label('rank', missing.rank).toLowerCase() }), null,
      h('a', { class: 'button button--small', href: href('/pocs/new', { participant: home.participant, kind: missing.kind, rank: missing.rank }) },
        t('home.nominate'), h('span', { class: 'visually-hidden' }, ` ${t('home.nominateHidden', { kind: label('kind', missing.kind), rank: label('rank', missing.rank) })}`)))),
    ...home.communications.map((communication) => communicationItem(communication)),
    ...home.meetings.map((meeting) => meetingItem(meeting, t('home.openMeeting'), t('home.registered', { answered: meeting.answered, invited: meeting.invited }))),
    ...home.pocs.filter((entry) => (entry.poc.missedPings ?? 0) > 0).map((entry) => item(
      t('home.pocMissedPings', { name: entry.poc.fullName, count: entry.poc.missedPings }), null,
      h('a', { class: 'button button--small button--secondary', href: href('/pocs', entry.poc.id, 'edit') }, t('home.review'), h('span', { class: 'visually-hidden' }, ` ${entry.poc.fullName}`)))),
    ...home.pocs.filter((entry) => entry.confirmation.status !== 'Current').map((entry) => item(
      t(`home.pocConfirm${entry.confirmation.status}`, { name: entry.poc.fullName }), t('home.lastConfirmed', { date: formatDate(entry.confirmation.lastConfirmedAt) }),
      h('a', { class: 'button button--small button--secondary', href: href('/participants', home.participant) }, t('home.review')))),
  ];
  const id = `participant-${home.participant}`;
  return h('section', { class: 'home panel', 'aria-labelledby': id },
    h('h2', { id }, h('a', { href: href('/participants', home.participant) }, home.name), ' ', nominationBadge(home.nominationStatus)),
    h('h3', {}, t('home.waitingForYou')),
    waiting.length ? h('ul', { class: 'todo' }, waiting) : h('p', { class: 'empty' }, t('home.nothingWaiting')),
    home.escalations.length ? h('p', { class: 'alert alert--error' }, t('home.escalations', { count: home.escalations.length })) : null,
    h('h3', {}, t('home.pocsOf', { name: home.name })),
    dataTable({
      caption: t('home.pocsOf', { name: home.name }),
      captionHidden: true,
      empty: t('home.noPocs'),
      rows: home.pocs,
      columns: [
        { header: t('poc.fullName'), cell: (entry) => h('span', { class: 'poc-name' }, entry.poc.fullName) },
        { header: t('poc.kind'), cell: (entry) => `${label('kind', entry.poc.kind)} ${label('rank', entry.poc.rank).toLowerCase()}` },
        { header: t('home.confirmation'), cell: (entry) => confirmationBadge(entry.confirmation) },
        { header: t('home.lastPing'), cell: (entry) => entry.poc.lastPingOutcome ? badge(t(`home.outcomes.${entry.poc.lastPingOutcome}`), OUTCOME_TONE[entry.poc.lastPingOutcome] ?? 'neutral') : t('home.notPinged') },
        { header: t('home.missedPings'), cell: (entry) => formatNumber(entry.poc.missedPings ?? 0), numeric: true },
        { header: t('common.actions'), cell: (entry) => h('a', { class: 'button button--small button--secondary', href: href('/pocs', entry.poc.id, 'edit') }, t('common.edit'), h('span', { class: 'visually-hidden' }, ` ${entry.poc.fullName}`)) },
      ],
    }));
}

// Secretariat: today's picture, each figure a link to its page.
function secretariatHome(home) {
  const coverage = home.coverage;
  const stats = home.communicationsLast30Days;
  const nominated = coverage.participants - coverage.none;
  return h('div', { class: 'home' },
    h('ul', { class: 'summary-cards plain' },
      card(String(home.runningCampaigns.length), t('home.campaignsRunning'), href('/campaigns')),
      card(formatNumber(nominated), t('home.coverage', { count: coverage.participants, newly: coverage.newlyNominatedLast30Days }), href('/coverage')),
      card(formatNumber(home.confirmationsOverdue), t('home.overdue', { due: home.confirmationsDue }), href('/directory')),
      card(String(home.meetings.length), t('home.meetingsComing'), href('/meetings')),
      card(String(home.runningExercises.length), t('home.exercisesRunning'), href('/exercises')),
      card(formatNumber(stats.count), t('home.communications', { acknowledged: stats.acknowledgedWithinTarget === null ? t('common.notApplicable') : formatPercent(stats.acknowledgedWithinTarget) }), href('/communications'))),
    section(t('home.campaigns'), home.runningCampaigns.length
      ? h('ul', { class: 'todo' }, home.runningCampaigns.map((campaign) => item(
        h('a', { href: href('/campaigns', campaign.id) }, campaign.name),
        campaign.progress
          ? t('home.campaignProgress', { acknowledged: campaign.progress.acknowledged, inScope: campaign.progress.inScope, status: label('campaignStatus', campaign.status) })
          : label('campaignStatus', campaign.status),
        campaign.progress ? h('progress', { max: String(Math.max(campaign.progress.inScope, 1)), value: String(campaign.progress.acknowledged), 'aria-label': t('home.progressOf', { name: campaign.name }) }) : null)))
      : h('p', { class: 'empty' }, t('home.noCampaigns'))),
    section(t('home.exercises'), home.runningExercises.length
      ? h('ul', { class: 'todo' }, home.runningExercises.map((exercise) => item(
        [badge(t('home.exercise'), 'warn'), ' ', h('a', { href: href('/exercises', exercise.id) }, exercise.name)],
        t('home.exerciseProgress', { sent: exercise.injects.filter((i) => i.deliveredAt).length, injects: exercise.injects.length, status: t(`exercises.status.${exercise.status}`) }))))
      : h('p', { class: 'empty' }, t('home.noExercises'))),
    section(t('home.meetings'), home.meetings.length
      ? h('ul', { class: 'todo' }, home.meetings.map((meeting) => meetingItem(meeting, t('home.openMeeting'),
        t('home.registrations', { answered: meeting.answered, invited: meeting.invited, inPerson: meeting.inPerson, online: meeting.online }))))
      : h('p', { class: 'empty' }, t('home.noMeetings'))),
    section(t('home.undeliverable'), home.lastCompletedCampaign
      ? [h('p', {}, h('a', { href: href('/campaigns', home.lastCompletedCampaign.id, 'report') }, home.lastCompletedCampaign.name), ' · ',
        t('home.undeliverableCount', { count: home.undeliverable.length })),
      home.undeliverable.length ? h('ul', { class: 'plain' }, home.undeliverable.map((row) => h('li', {},
        h('a', { href: href('/pocs', row.pocId, 'edit') }, t('home.undeliverableRow', { participant: row.participant, kind: label('kind', row.kind) })),
        row.reason ? h('span', { class: 'muted block' }, row.reason) : null))) : null]
      : h('p', { class: 'empty' }, t('home.noCompletedCampaign'))),
    section(t('home.communicationsTitle'), h('p', {}, t('home.communicationStats', {
      count: stats.count,
      acknowledge: formatSeconds(stats.timeToAcknowledge.medianSeconds),
      reply: formatSeconds(stats.timeToFirstReply.medianSeconds),
    }))));
}

function card(value, text, target) {
  return h('li', { class: 'card' }, h('a', { class: 'card__link', href: target }, h('span', { class: 'card__value block' }, value), h('span', { class: 'card__label block' }, text)));
}

function item(title, detail, action) {
  return h('li', { class: 'todo__item' },
    h('span', { class: 'todo__text' }, h('span', { class: 'todo__title block' }, title), detail ? h('span', { class: 'muted block' }, detail) : null),
    action ? h('span', { class: 'todo__action' }, action) : null);
}

function communicationItem(communication) {
  return item(
    h('a', { href: href('/communications', communication.id) }, communication.subject ?? communication.reference),
    t('home.communicationFrom', { from: communication.from, urgency: t(`home.urgencies.${communication.urgency}`), time: formatDateTime(communication.acknowledgeBy) }),
    communication.escalationSteps > 0 ? badge(t('home.escalated'), 'warn') : null);
}

function meetingItem(meeting, linkText, detail) {
  return item(
    h('a', { href: href('/meetings', meeting.id) }, meeting.title),
    detail ?? t('home.meetingWhen', { time: formatDateTime(meeting.startUtc), deadline: formatDateTime(meeting.registrationDeadlineUtc ?? meeting.startUtc) }),
    h('a', { class: 'button button--small button--secondary', href: href('/meetings', meeting.id) }, linkText, h('span', { class: 'visually-hidden' }, ` ${meeting.title}`)));
}

/** A button that calls the API once and replaces its item's action with a confirmation. */
function actionButton(text, hidden, action, done) {
  return h('button', {
    type: 'button',
    class: 'button button--small',
    onclick: async (event) => {
      const button = event.currentTarget;
      const place = button.parentElement;
      try {
        await busy(button, action);
        replace(place, badge(done, 'good'));
        announce(done);
      } catch (error) {
        place.append(errorAlert(error));
      }
    },
  }, text, hidden ? h('span', { class: 'visually-hidden' }, ` ${hidden}`) : null);
}

function confirmationBadge(confirmation) {
  return badge(t(`home.confirmations.${confirmation.status}`), CONFIRMATION_TONE[confirmation.status]);
}

function nominationBadge(status) {
  return badge(label('nominationStatus', status), status === 'Both' ? 'good' : status === 'None' ? 'neutral' : 'info');
}
