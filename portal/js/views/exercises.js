// Simulation exercises (Secretariat and the exercise's controllers): #/exercises (list), #/exercises/new (editor),
// #/exercises/{id} (inject timeline, dry run, start/pause/resume/end, live view) and #/exercises/{id}/report.
// Every exercise item is marked EXERCISE so nobody takes it for reality.
import { h, replace, append } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, segment, submissionKeys, ApiError } from '../api.js';
import { href, navigate } from '../router.js';
import { pageHeader, section, dataTable, badge, details, errorAlert, alertBox, busy } from '../ui.js';
import { barChart } from '../charts.js';
import { formatDateTime, formatPercent, formatSeconds } from '../format.js';

const STATUS_TONE = { Draft: 'neutral', Running: 'info', Paused: 'warn', Ended: 'good' };
const POLL_MS = 3000;

const TEMPLATE = {
  name: 'Communication check',
  description: '',
  players: { participants: ['ISL', 'NOR'], regions: [], kinds: [] },
  controllers: ['exercise.control@example.org'],
  injects: [
    { at: 'PT0S', title: 'Start of exercise', message: 'Please acknowledge this inject.', expects: 'Acknowledge', contactParticipant: null, respondWithin: 'PT30M', to: 'AllPlayers', participants: [] },
    { at: 'PT30M', title: 'Situation report', message: 'Do you see the same indicators?', expects: 'Reply', contactParticipant: null, respondWithin: 'PT30M', to: 'AllPlayers', participants: [], options: ['Yes', 'No'] },
    { at: 'PT1H', title: 'Reach your neighbour', message: 'Contact NOR through the directory.', expects: 'ContactParticipant', contactParticipant: 'NOR', respondWithin: 'PT1H', to: 'Participants', participants: ['ISL'] },
  ],
};

function marker() {
  return h('p', { class: 'alert alert--warning exercise-banner' }, t('exercises.marker'));
}

function statusBadge(status) {
  return badge(t(`exercises.status.${status}`), STATUS_TONE[status] ?? 'neutral');
}

export async function exercisesView({ root, me }) {
  const { data } = await get('/api/exercises');
  const isSecretariat = (me?.roles ?? []).some((r) => r.role === 'Secretariat');
  append(root,
    pageHeader(t('exercises.title'), isSecretariat ? h('a', { class: 'button', href: href('/exercises/new') }, t('exercises.new')) : null),
    marker(),
    dataTable({
      caption: t('exercises.title'),
      captionHidden: true,
      empty: t('exercises.none'),
      columns: [
        { header: t('exercises.name'), cell: (e) => h('a', { href: href(`/exercises/${e.id}`) }, `[EXERCISE] ${e.name}`) },
        { header: t('exercises.reference'), cell: (e) => e.reference },
        { header: t('exercises.statusLabel'), cell: (e) => statusBadge(e.status) },
        { header: t('exercises.injects'), cell: (e) => String(e.injects.length), numeric: true },
        { header: t('exercises.startedAt'), cell: (e) => (e.startedAt ? formatDateTime(e.startedAt) : '—') },
      ],
      rows: data.items,
    }));
}

/** The editor: the exercise as JSON (players, controllers, the inject timeline), with the timeline previewed as it is typed. */
export async function exerciseNewView({ root }) {
  const text = h('textarea', { id: 'exercise-json', rows: '24', class: 'code', spellcheck: 'false' });
  text.value = JSON.stringify(TEMPLATE, null, 2);
  const preview = h('div');
  const errors = h('div');
  const save = h('button', { type: 'submit', class: 'button' }, t('exercises.create'));
  const keys = submissionKeys();
  const form = h('form', { novalidate: true, onsubmit: submit },
    h('label', { for: 'exercise-json' }, t('exercises.editorLabel')), text, errors, h('div', { class: 'button-row' }, save));
  text.addEventListener('input', showPreview);
  append(root, pageHeader(t('exercises.new')), marker(), form, section(t('exercises.timeline'), preview));
  showPreview();

  function parsed() {
    try {
      return JSON.parse(text.value);
    } catch {
      return null;
    }
  }

  function showPreview() {
    const body = parsed();
    replace(preview, body ? timeline(body.injects ?? []) : alertBox('error', t('exercises.invalidJson'), ''));
  }

  async function submit(event) {
    event.preventDefault();
    const body = parsed();
    if (!body) {
      replace(errors, alertBox('error', t('exercises.invalidJson'), ''));
      return;
    }

    await busy(save, async () => {
      try {
        const { data } = await post('/api/exercises', body, { idempotencyKey: keys(body) });
        navigate(href(`/exercises/${data.id}`));
      } catch (error) {
        const fields = error instanceof ApiError && error.problem?.errors ? Object.entries(error.problem.errors) : [];
        replace(errors, errorAlert(error), fields.length ? h('ul', {}, fields.map(([name, messages]) => h('li', {}, `${name}: ${messages.join(' ')}`))) : null);
      }
    });
  }
}

function timeline(injects) {
  return dataTable({
    caption: t('exercises.timeline'),
    captionHidden: true,
    columns: [
      { header: '#', cell: (i) => String(i.number ?? ''), numeric: true },
      { header: t('exercises.at'), cell: (i) => i.at },
      { header: t('exercises.injectTitle'), cell: (i) => i.title },
      { header: t('exercises.expects'), cell: (i) => i.expects + (i.contactParticipant ? ` → ${i.contactParticipant}` : '') },
      { header: t('exercises.to'), cell: (i) => (i.to === 'Participants' ? (i.participants ?? []).join(', ') : t('exercises.allPlayers')) },
      { header: t('exercises.respondWithin'), cell: (i) => i.respondWithin },
      { header: t('exercises.deliveredAt'), cell: (i) => (i.deliveredAt ? formatDateTime(i.deliveredAt) : '—') },
    ],
    rows: injects.map((inject, n) => ({ number: n + 1, ...inject })),
  });
}

/** The live view: the timeline with what was delivered, who answered, and the controls for the exercise's state. */
export async function exerciseView({ root, params, signal }) {
  const id = params.id;
  const body = h('div');
  append(root, body);
  await load();

  async function load() {
    const [{ data: exercise }, { data: report }] = await Promise.all([
      get(`/api/exercises/${segment(id)}`, { signal }),
      get(`/api/exercises/${segment(id)}/report`, { signal }),
    ]);
    const message = h('div', { role: 'status', 'aria-live': 'polite' });
    const act = (action, label, tone = 'button button--secondary') => h('button', {
      type: 'button',
      class: tone,
      onclick: async (event) => busy(event.currentTarget, async () => {
        try {
          await post(`/api/exercises/${segment(id)}/${action}`);
          await load();
        } catch (error) {
          replace(message, errorAlert(error));
        }
      }),
    }, label);
    const controls = {
      Draft: [act('dry-run', t('exercises.dryRun')), act('start', t('exercises.start'), 'button')],
      Running: [act('pause', t('exercises.pause')), act('end', t('exercises.end'))],
      Paused: [act('resume', t('exercises.resume'), 'button'), act('end', t('exercises.end'))],
      Ended: [],
    }[exercise.status] ?? [];
    replace(body,
      pageHeader(`[EXERCISE] ${exercise.name}`, h('a', { class: 'button button--secondary', href: href(`/exercises/${id}/report`) }, t('exercises.report'))),
      marker(),
      details([
        [t('exercises.reference'), exercise.reference],
        [t('exercises.statusLabel'), statusBadge(exercise.status)],
        [t('exercises.players'), [...(exercise.players.participants ?? []), ...(exercise.players.regions ?? [])].join(', ')],
        [t('exercises.controllers'), exercise.controllers.join(', ')],
        [t('exercises.dryRuns'), String(exercise.dryRuns)],
        exercise.startedAt ? [t('exercises.startedAt'), formatDateTime(exercise.startedAt)] : null,
        exercise.endedAt ? [t('exercises.endedAt'), formatDateTime(exercise.endedAt)] : null,
      ]),
      h('div', { class: 'button-row' }, controls),
      message,
      section(t('exercises.timeline'), timeline(exercise.injects)),
      section(t('exercises.live'), results(report)));
    if (exercise.status === 'Running' || exercise.status === 'Paused') {
      setTimeout(() => { if (!signal.aborted && body.isConnected) { load().catch(() => {}); } }, POLL_MS);
    }
  }
}

function results(report) {
  return dataTable({
    caption: t('exercises.live'),
    captionHidden: true,
    empty: t('exercises.nothingSent'),
    columns: [
      { header: '#', cell: (r) => String(r.inject), numeric: true },
      { header: t('exercises.participant'), cell: (r) => r.participant },
      { header: t('exercises.deliveredAt'), cell: (r) => (r.deliveredAt ? formatDateTime(r.deliveredAt) : '—') },
      { header: t('exercises.acknowledgedAt'), cell: (r) => (r.firstAcknowledgedAt ? formatDateTime(r.firstAcknowledgedAt) : '—') },
      { header: t('exercises.respondedAt'), cell: (r) => (r.firstResponseAt ? formatDateTime(r.firstResponseAt) : '—') },
      { header: t('exercises.inTime'), cell: (r) => badge(r.inTime ? t('exercises.yes') : t('exercises.no'), r.inTime ? 'good' : 'warn') },
      { header: t('exercises.taken'), cell: (r) => (r.secondsTaken == null ? '—' : formatSeconds(r.secondsTaken)), numeric: true },
    ],
    rows: report.results,
  });
}

/** The after-action report: per inject and participant, per participant (with a chart), observations, CSV. */
export async function exerciseReportView({ root, params, signal }) {
  const id = params.id;
  const { data: report } = await get(`/api/exercises/${segment(id)}/report`, { signal });
  const observation = h('textarea', { id: 'observation-text', rows: '3' });
  const participant = h('select', { id: 'observation-participant' }, report.participants.map((p) => h('option', { value: p.participant }, p.participant)));
  const saved = h('div', { role: 'status', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'button' }, t('exercises.saveObservation'));
  append(root,
    pageHeader(`[EXERCISE] ${report.name}: ${t('exercises.report')}`,
      h('button', { type: 'button', class: 'button button--secondary', onclick: (event) => downloadCsv(event.currentTarget, report) }, t('exercises.csv'))),
    marker(),
    section(t('exercises.byParticipant'),
      barChart({ title: t('exercises.shareInTime'), items: report.participants.map((p) => ({ label: p.participant, value: p.shareInTime, text: formatPercent(p.shareInTime) })) }),
      dataTable({
        caption: t('exercises.byParticipant'),
        captionHidden: true,
        columns: [
          { header: t('exercises.participant'), cell: (p) => p.participant },
          { header: t('exercises.injects'), cell: (p) => String(p.injects), numeric: true },
          { header: t('exercises.inTime'), cell: (p) => String(p.answeredInTime), numeric: true },
          { header: t('exercises.shareInTime'), cell: (p) => formatPercent(p.shareInTime), numeric: true },
          { header: t('exercises.median'), cell: (p) => (p.medianSeconds == null ? '—' : formatSeconds(p.medianSeconds)), numeric: true },
          { header: t('exercises.observation'), cell: (p) => p.observation ?? '' },
        ],
        rows: report.participants,
      })),
    section(t('exercises.reportTimeline'),
      barChart({
        title: t('exercises.timeTakenChart'),
        max: Math.max(1, ...report.results.map((r) => r.secondsTaken ?? 0)),
        items: report.results.map((r) => ({ label: `#${r.inject} ${r.participant}`, value: r.secondsTaken ?? 0, text: r.secondsTaken == null ? t('exercises.noAnswer') : formatSeconds(r.secondsTaken) })),
      }),
      dataTable({
        caption: t('exercises.reportTimeline'),
        captionHidden: true,
        empty: t('exercises.nothingSent'),
        columns: [
          { header: '#', cell: (i) => String(i.number), numeric: true },
          { header: t('exercises.injectTitle'), cell: (i) => i.title },
          { header: t('exercises.at'), cell: (i) => i.at },
          { header: t('exercises.scheduledAt'), cell: (i) => (i.scheduledAt ? formatDateTime(i.scheduledAt) : '—') },
          { header: t('exercises.deliveredAt'), cell: (i) => (i.deliveredAt ? formatDateTime(i.deliveredAt) : '—') },
          { header: t('exercises.offset'), cell: (i) => (i.offsetSeconds == null ? '—' : formatSeconds(i.offsetSeconds)), numeric: true },
        ],
        rows: report.injects,
      })),
    section(t('exercises.byInject'), results(report)),
    section(t('exercises.observations'), h('form', { onsubmit: submit },
      h('label', { for: 'observation-participant' }, t('exercises.participant')), participant,
      h('label', { for: 'observation-text' }, t('exercises.observation')), observation,
      h('div', { class: 'button-row' }, save), saved)));

  async function submit(event) {
    event.preventDefault();
    await busy(save, async () => {
      try {
        await post(`/api/exercises/${segment(id)}/observations`, { participant: participant.value, text: observation.value });
        replace(saved, alertBox('success', t('exercises.observationSaved'), ''));
      } catch (error) {
        replace(saved, errorAlert(error));
      }
    });
  }
}

async function downloadCsv(button, report) {
  try {
    const { data } = await busy(button, () => get(`/api/exercises/${segment(report.exerciseId)}/report`, { query: { format: 'csv' }, accept: 'text/csv' }));
    const url = URL.createObjectURL(data);
    const link = h('a', { href: url, download: `exercise-${report.reference || report.exerciseId}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    button.after(errorAlert(error));
  }
}
