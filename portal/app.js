// The portal's entry point: the acknowledgement page at /ack/{token}, or the signed-in app with hash routes.
import { h, replace, append } from './js/dom.js';
import { t, locale } from './js/i18n.js';
import { configureApi, get, ApiError } from './js/api.js';
import { configureAuth, session, token, signOut, signOutLocally, completeEntraSignIn } from './js/auth.js';
import { route, current, match, href } from './js/router.js';
import { hasAnyRole, isSecretariat } from './js/roles.js';
import { pageHeader, errorAlert, loading, alertBox } from './js/ui.js';
import { ackView } from './js/views/ack.js';
import { rsvpView } from './js/views/rsvp.js';
import { signInView, noRoleView } from './js/views/signin.js';
import { directoryView } from './js/views/directory.js';
import { participantsView, participantView } from './js/views/participants.js';
import { pocNewView, pocEditView } from './js/views/poc-form.js';
import { coverageView } from './js/views/coverage.js';
import { campaignsView, campaignNewView, campaignView, campaignReportView } from './js/views/campaigns.js';
import { auditView } from './js/views/audit.js';
import { rolesView } from './js/views/roles.js';

const NAV = [
  { path: '/directory', text: 'nav.directory', sections: ['directory', 'pocs'] },
  { path: '/participants', text: 'nav.participants', sections: ['participants'] },
  { path: '/coverage', text: 'nav.coverage', sections: ['coverage'] },
  { path: '/campaigns', text: 'nav.campaigns', sections: ['campaigns'], secretariat: true },
  { path: '/audit', text: 'nav.audit', sections: ['audit'], secretariat: true },
  { path: '/roles', text: 'nav.roles', sections: ['roles'], secretariat: true },
];

const SECRETARIAT = { secretariat: true };
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
} else if (location.pathname.startsWith('/rsvp/')) {
  renderHeader(null, { minimal: true });
  rsvpView(main, location.pathname.slice('/rsvp/'.length));
} else {
  try {
    await completeEntraSignIn();
  } catch (error) {
    signInMessage = error.message;
  }

  window.addEventListener('hashchange', render);
  render();
}

async function loadConfig() {
  try {
    const response = await fetch('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

function buildShell() {
  document.documentElement.lang = locale;
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
  const brand = minimal ? h('span', { class: 'brand' }, name) : h('a', { class: 'brand', href: href('/directory') }, name);
  if (minimal || !user) {
    replace(header, h('div', { class: 'site-header__inner' }, brand));
    return;
  }

  const items = NAV.filter((item) => hasAnyRole(user) && (!item.secretariat || isSecretariat(user)));
  replace(header, h('div', { class: 'site-header__inner' },
    brand,
    h('div', { class: 'user' },
      h('span', { class: 'user__name' }, t('nav.signedInAs', { email: user.email })),
      h('button', { type: 'button', class: 'button button--small button--on-dark', onclick: () => { signOut(); me = null; render(); } }, t('nav.signOut')))),
  items.length ? h('nav', { class: 'site-nav', 'aria-label': t('nav.label') },
    h('ul', {}, items.map((item) => h('li', {}, h('a', {
      href: href(item.path),
      'aria-current': item.sections.includes(section) ? 'page' : null,
    }, t(item.text)))))) : null);
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
    }

    renderHeader(me);
    if (!hasAnyRole(me)) {
      noRoleView(container, me);
      focusTitle();
      return;
    }

    const { path, query } = current();
    if (path === '/' || path === '') {
      location.replace(href('/directory'));
      return;
    }

    const found = match(path);
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
