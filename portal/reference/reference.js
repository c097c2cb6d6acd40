// The API reference for people: Scalar (vendored in /vendor/scalar, see docs/decisions/0012-api-reference.md) renders
// the OpenAPI document. The document is for signed-in users like the rest of the API, so this page reads it with the
// portal's session token and hands it to Scalar; Scalar fetches nothing else (no fonts, no proxy, no telemetry).
import { configureApi, get } from '../js/api.js';
import { token } from '../js/auth.js';
import { h, replace } from '../js/dom.js';
import { t } from '../js/i18n.js';

const main = document.getElementById('reference');

async function show() {
  document.title = t('reference.title');
  if (!token()) {
    replace(main, h('p', {}, t('reference.signInFirst'), ' ', h('a', { href: '/' }, t('reference.toPortal'))));
    return;
  }

  configureApi({ getToken: token });
  const { data: description } = await get('/api/openapi.json');
  globalThis.Scalar.createApiReference(main, {
    content: description,
    servers: [{ url: location.origin, description: t('reference.server') }],
    authentication: { preferredSecurityScheme: 'bearer', securitySchemes: { bearer: { token: token() } } },
    persistAuth: false,
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    hideDarkModeToggle: true,
    forceDarkModeState: 'light',
  });
}

window.addEventListener('load', () => show().catch((error) => replace(main, h('p', { role: 'alert' }, t('reference.failed', { message: error.message })))));
