// The API reference for people: Scalar (vendored in /vendor/scalar, see docs/decisions/0012-api-reference.md) renders
// the OpenAPI document. The document is for signed-in users like the rest of the API, so this page reads it with the
// portal's session token and hands it to Scalar; Scalar fetches nothing else (no fonts, no proxy, no telemetry).
import { configureApi, get } from '../js/api.js';
import { configureAuth, completeEntraSignIn, loadConfig, token } from '../js/auth.js';
import { h, replace } from '../js/dom.js';
import { t } from '../js/i18n.js';

const main = document.getElementById('reference');

async function show() {
  document.title = t('reference.title');
  const config = await loadConfig();
  configureAuth(config);
  // The portal's Entra ID session lives in MSAL's cache: start MSAL here too (no redirect to complete on this page).
  await completeEntraSignIn().catch(() => false);
  const bearer = await token();
  if (!bearer) {
    replace(main, h('p', {}, t('reference.signInFirst'), ' ', h('a', { href: '/' }, t('reference.toPortal'))));
    return;
  }

  configureApi({ baseUrl: config.apiBaseUrl ?? '', getToken: token });
  const { data: description } = await get('/api/openapi.json');
  globalThis.Scalar.createApiReference(main, {
    content: description,
    servers: [{ url: location.origin, description: t('reference.server') }],
    authentication: { preferredSecurityScheme: 'bearer', securitySchemes: { bearer: { token: bearer } } },
    persistAuth: false,
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    hideDarkModeToggle: true,
    forceDarkModeState: 'light',
    // Scalar's light theme mutes text and method colours below WCAG AA's 4.5:1; these are the portal's own (styles.css).
    customCss: `.light-mode {
      --scalar-color-2: #4a5360; --scalar-color-3: #4a5360; --scalar-color-accent: #0b4f8a;
      --scalar-color-green: #1a6b36; --scalar-color-blue: #0b4f8a; --scalar-color-orange: #7a4d00; --scalar-color-yellow: #7a4d00;
      --scalar-color-red: #a4161a; --scalar-color-purple: #6b2f8f;
    }`,
  });
  labelIconButtons();
}

// Some of Scalar's buttons show only an icon and carry no text: name them after what they open, so screen readers
// (and the axe check of the browser tests) can tell them apart.
function labelIconButtons() {
  const name = () => {
    // A name must contain the words on the button (WCAG 2.5.3), as "Show more" did not in "Show all Audit endpoints".
    for (const button of main.querySelectorAll('button[aria-label]')) {
      const visible = button.innerText.trim();
      if (visible && !button.getAttribute('aria-label').toLowerCase().includes(visible.toLowerCase())) {
        button.setAttribute('aria-label', `${visible}: ${button.getAttribute('aria-label')}`);
      }
    }

    for (const button of main.querySelectorAll('button:not([aria-label])')) {
      // innerText, not textContent: a copy button holds text that is hidden until it is clicked ("Copied").
      if (!button.innerText.trim() && !button.getAttribute('aria-labelledby')) {
        const heading = button.closest('section')?.querySelector('h1, h2, h3, h4')?.textContent.trim();
        button.setAttribute('aria-label', button.title || (String(button.className).includes('copy-button') ? t('reference.copy')
          : heading ? t('reference.toggleNamed', { name: heading }) : t('reference.toggle')));
      }
    }
  };
  new MutationObserver(name).observe(main, { childList: true, subtree: true });
  name();
}

const start = () => show().catch((error) => replace(main, h('p', { role: 'alert' }, t('reference.failed', { message: error.message }))));
// i18n.js awaits its language file, so this module may run after the page's load event (which then never comes again).
if (document.readyState === 'complete') {
  start();
} else {
  window.addEventListener('load', start);
}
