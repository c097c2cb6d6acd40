// The portal's entry point: the acknowledgement page at /ack/{token}, or the signed-in app with hash routes.
import { h, replace, append } from './js/dom.js';
import { t, LANGUAGES, language, chooseLanguage, useLanguageOf } from './js/i18n.js';
import { configureApi, get, ApiError } from './js/api.js';
import { configureAuth, session, token, signOut, signOutLocally, completeEntraSignIn, loadConfig } from './js/auth.js';
import { route, current, match, href } from './js/router.js';
import { hasAnyRole, isSecretariat, canCommunicate, canNominate } from './js/roles.js';
import { pageHeader, errorAlert, loading, alertBox } from './js/ui.js';
import { ackView } from './js/views/ack.js';
import { rsvpView } from './js/views/rsvp.js';
import { exerciseView } from './js/views/exercise.js';
import { confirmView } from './js/views/confirm.js';
import { signInView, noRoleView } from './js/views/signin.js';
import { directoryView } from './js/views/directory.js';
import { participantsView, participantView } from './js/views/participants.js';
import { pocNewView, pocEditView } from './js/views/poc-form.js';
import { coverageView } from './js/views/coverage.js';
import { campaignsView, campaignNewView, campaignView, campaignReportView } from './js/views/campaigns.js';
import { auditView } from './js/views/audit.js';
import { rolesView } from './js/views/roles.js';
import { communicationsView, communicationNewView, communicationView, communicationStatsView } from './js/views/communications.js';
import { exercisesView, exerciseNewView, exerciseView as exerciseLiveView, exerciseReportView } from './js/views/exercises.js';
import { meetingsView, meetingNewView, meetingEditView, meetingView } from './js/views/meetings.js';
import { homeView } from './js/views/home.js';
import { outreachListView, outreachNewView, outreachView } from './js/views/outreach.js';
import { importsView, importView } from './js/views/imports.js';

const NAV = [
  { path: '/', text: 'home.nav', sections: [''] },
  { path: '/directory', text: 'nav.directory', sections: ['directory', 'pocs'] },
  { path: '/participants', text: 'nav.participants', sections: ['participants'] },
  { path: '/coverage', text: 'nav.coverage', sections: ['coverage'] },
  { path: '/campaigns', text: 'nav.campaigns', sections: ['campaigns'], secretariat: true },
  { path: '/audit', text: 'nav.audit', sections: ['audit'], secretariat: true },
  { path: '/roles', text: 'nav.roles', sections: ['roles'], secretariat: true },
  { path: '/communications', text: 'nav.communications', sections: ['communications'], when: canCommunicate },
  { path: '/communications/stats', text: 'nav.communicationStats', sections: [], exact: true, secretariat: true },
  { path: '/exercises', text: 'nav.exercises', sections: ['exercises'], secretariat: true },
  { path: '/meetings', text: 'nav.meetings', sections: ['meetings'] },
  { path: '/outreach', text: 'outreach.nav', sections: ['outreach'], secretariat: true },
  { path: '/imports', text: 'imports.nav', sections: ['imports'], when: canNominate },
];

const SECRETARIAT = { secretariat: true };
route('/', { view: homeView });
route('/directory', { view: directoryView });
route('/participants', { view: participantsView });
route('/participants/:code', { view: participantView });
route('/pocs/new', { view: pocNewView });
route('/pocs/:id/edit', { view: pocEditView });
route('/coverage', { view: coverageView });
route('/campaigns', { view: campaignsView, ...SECRETARIAT });
route('/campaigns/new', { view: campaignNewView, ...SECRETARIAT });
route('/campaigns/:id', { view: campaignView, ...SECRETARIAT });
route('/campaigns/:id/report', { view: campaignReportView, ...SECRETARIAT });
route('/audit', { view: auditView, ...SECRETARIAT });
route('/roles', { view: rolesView, ...SECRETARIAT });
// The fixed paths before /communications/:id, which would take "new" and "stats" for ids.
route('/communications', { view: communicationsView });
route('/communications/new', { view: communicationNewView });
route('/communications/stats', { view: communicationStatsView });
route('/communications/:id', { view: communicationView });
// Exercises: the Secretariat and each exercise's controllers, who may hold no role in the directory (the API decides).
route('/exercises', { view: exercisesView });
route('/exercises/new', { view: exerciseNewView, ...SECRETARIAT });
route('/exercises/:id', { view: exerciseLiveView });
route('/exercises/:id/report', { view: exerciseReportView });
route('/meetings', { view: meetingsView });
route('/meetings/new', { view: meetingNewView, ...SECRETARIAT });
route('/meetings/:id/edit', { view: meetingEditView, ...SECRETARIAT });
route('/meetings/:id', { view: meetingView, ...SECRETARIAT });
route('/outreach', { view: outreachListView, ...SECRETARIAT });
route('/outreach/new', { view: outreachNewView, ...SECRETARIAT });
route('/outreach/:id', { view: outreachView, ...SECRETARIAT });
// The review area of regional lists: the Secretariat and focal points (the API shows each its own participants' entries).
route('/imports', { view: importsView });
route('/imports/:id', { view: importView });

const main = document.getElementById('main');
const header = document.getElementById('site-header');
let me = null;
let controller = null;
let signInMessage = null;
// The first page keeps the browser's focus at the top (skip link first); later navigations move it to the new h1.
let navigated = false;

const config = await loadConfig();
configureAuth(config);
configureApi({
  baseUrl: config.apiBaseUrl ?? '',
  getToken: token,
  onUnauthorized: () => {
    signOutLocally();
    me = null;
    signInMessage = t('signIn.expired');
    render();
  },
});
buildShell();

if (location.pathname.startsWith('/ack/')) {
  renderHeader(null, { minimal: true });
  ackView(main, location.pathname.slice('/ack/'.length));
} else if (location.pathname.startsWith('/confirm/')) {
  renderHeader(null, { minimal: true });
  confirmView(main, location.pathname.slice('/confirm/'.length));
} else if (location.pathname.startsWith('/rsvp/')) {
  renderHeader(null, { minimal: true });
  rsvpView(main, location.pathname.slice('/rsvp/'.length));
} else if (location.pathname.startsWith('/exercise/')) {
  renderHeader(null, { minimal: true });
  exerciseView(main, location.pathname.slice('/exercise/'.length));
} else {
  try {
    await completeEntraSignIn();
  } catch (error) {
    signInMessage = error.message;
  }

  if (await useLanguageOf(session()?.email)) {
    buildShell();
  }

  window.addEventListener('hashchange', render);
  render();
}

function buildShell() {
  document.title = t('app.name');
  const skip = document.getElementById('skip-link');
  skip.textContent = t('app.skipToContent');
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  replace(document.getElementById('site-footer'), h('p', {}, t('app.footer'), ' ', h('a', { href: '/reference/' }, t('app.apiReference'))));
}

function renderHeader(user, { minimal = false } = {}) {
  const path = current().path;
  const section = path.split('/')[1] ?? '';
  const name = [h('span', { class: 'brand__name' }, t('app.name')), h('span', { class: 'brand__tagline' }, t('app.tagline'))];
  // The acknowledgement page offers nothing to navigate to: its brand is not a link.
  const brand = minimal ? h('span', { class: 'brand' }, name) : h('a', { class: 'brand', href: href('/') }, name);
  if (minimal || !user) {
    replace(header, h('div', { class: 'site-header__inner' }, brand, languageSwitcher(null)));
    return;
  }

  const items = NAV.filter((item) => hasAnyRole(user) && (!item.secretariat || isSecretariat(user)) && (!item.when || item.when(user)));
  // An entry for one exact page (e.g. the statistics) is the current one there, not the entry of its section.
  const exact = items.find((item) => item.exact && item.path === path);
  replace(header, h('div', { class: 'site-header__inner' },
    brand,
    h('div', { class: 'user' },
      languageSwitcher(user),
      h('span', { class: 'user__name' }, t('nav.signedInAs', { email: user.email })),
      h('button', { type: 'button', class: 'button button--small button--on-dark', onclick: () => { signOut(); me = null; render(); } }, t('nav.signOut')))),
  items.length ? h('nav', { class: 'site-nav', 'aria-label': t('nav.label') },
    h('ul', {}, items.map((item) => h('li', {}, h('a', {
      href: href(item.path),
      'aria-current': (exact ? item === exact : item.sections.includes(section)) ? 'page' : null,
    }, t(item.text)))))) : null);
}

/** The six languages, each named in itself; the choice is remembered for the signed-in user and reloads the page in it. */
function languageSwitcher(user) {
  const select = h('select', { id: 'site-language', class: 'language__select', onchange: (event) => chooseLanguage(event.target.value, user?.email ?? session()?.email) },
    LANGUAGES.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === language }, l.name)));
  return h('div', { class: 'language' }, h('label', { for: 'site-language', class: 'language__label' }, t('language.label')), select);
}

async function render() {
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  const container = h('div', { class: 'view' });
  replace(main, container);

  if (!session()) {
    me = null;
    renderHeader(null);
    const message = signInMessage;
    signInMessage = null;
    await signInView(container, { message, onSignedIn: () => render() });
    focusTitle();
    return;
  }

  main.setAttribute('aria-busy', 'true');
  append(container, loading());
  try {
    if (!me) {
      me = (await get('/api/me', { signal })).data;
      // Signed in just now: the user's own language, when they chose one on this browser before.
      if (await useLanguageOf(me.email ?? session()?.email)) {
        buildShell();
      }
    }

    renderHeader(me);
    if (!hasAnyRole(me) && !current().path.startsWith('/exercises')) {
      noRoleView(container, me);
      focusTitle();
      return;
    }

    const { path, query } = current();
    const found = match(path || '/');
    const root = h('div');
    if (!found) {
      append(root, pageHeader(t('errors.pageNotFoundTitle')), alertBox('error', t('errors.pageNotFoundTitle'), t('errors.pageNotFound')),
        h('a', { href: href('/directory') }, t('nav.directory')));
    } else if (found.view.secretariat && !isSecretariat(me)) {
      append(root, pageHeader(t('errors.forbiddenTitle')), alertBox('error', t('errors.forbiddenTitle'), t('errors.secretariatOnly')));
    } else {
      await found.view.view({ root, params: found.params, query, me, signal });
    }

    if (!signal.aborted) {
      replace(container, root);
      focusTitle();
    }
  } catch (error) {
    if (signal.aborted || error?.name === 'AbortError' || (error instanceof ApiError && error.status === 401)) {
      return;
    }

    replace(container, pageHeader(t('errors.pageTitle')), errorAlert(error, h('button', { type: 'button', class: 'button', onclick: () => render() }, t('common.retry'))));
    focusTitle();
  } finally {
    if (!signal.aborted) {
      main.removeAttribute('aria-busy');
    }
  }
}

function focusTitle() {
  if (navigated) {
    document.getElementById('page-title')?.focus();
  }

  navigated = true;
}
