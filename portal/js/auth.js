// Sign-in. Locally: a development sign-in that mints a token through POST /api/dev/token (that route exists only when
// the API has a development signing key). In Azure: the Static Web Apps sign-in (/.auth/login/aad) protects the site,
// and an Entra ID access token for the API is obtained with the OAuth 2.0 authorisation code flow with PKCE, written
// here on fetch and WebCrypto (no library), when config.json names the app registration. See portal/README.md.
import { t } from './i18n.js';

const SESSION = 'pocdir.session';
const PENDING = 'pocdir.pkce';

let config = {};

export function configureAuth(portalConfig) {
  config = portalConfig ?? {};
}

/** The current session { mode, token, email, expiresAt } or null when signed out or expired. */
export function session() {
  const stored = readJson(SESSION);
  if (!stored?.token || (stored.expiresAt && stored.expiresAt <= Date.now() + 30_000)) {
    return null;
  }

  return stored;
}

export function token() {
  return session()?.token ?? null;
}

export function signOutLocally() {
  sessionStorage.removeItem(SESSION);
}

/** Ends the session; in Azure also the Static Web Apps session. */
export function signOut() {
  const mode = session()?.mode;
  signOutLocally();
  if (mode === 'entra') {
    location.assign('/.auth/logout?post_logout_redirect_uri=/');
  }
}

/**
 * Which sign-in this deployment offers: 'entra' (config.json names an Entra ID app), 'dev' (the API mints development
 * tokens), 'swa' (signed in to Static Web Apps but no way to get an API token configured) or 'none'.
 */
export async function signInMode() {
  if (config.entra?.clientId) {
    return 'entra';
  }

  try {
    // An empty body: the route answers 400 when it exists, 404 when it does not. No token is minted.
    const response = await fetch(`${config.apiBaseUrl ?? ''}/api/dev/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}',
    });
    if (response.status !== 404) {
      return 'dev';
    }
  } catch {
    return 'none';
  }

  const principal = await staticWebAppsPrincipal();
  return principal ? 'swa' : 'none';
}

/** Local development sign-in as any email address. */
export async function devSignIn(email, name) {
  const response = await fetch(`${config.apiBaseUrl ?? ''}/api/dev/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email, name: name || null }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    return { ok: false, status: response.status, problem: body };
  }

  save({ mode: 'dev', token: body.token, email, expiresAt: expiryOf(body.token) });
  return { ok: true };
}

/** The Static Web Apps user ({ userDetails, identityProvider, userRoles }) or null. */
export async function staticWebAppsPrincipal() {
  try {
    const response = await fetch('/.auth/me', { headers: { Accept: 'application/json' } });
    if (!response.ok || !(response.headers.get('Content-Type') ?? '').includes('json')) {
      return null;
    }

    const body = await response.json();
    return body?.clientPrincipal ?? null;
  } catch {
    return null;
  }
}

/** Starts the Entra ID sign-in: redirects to the authorisation endpoint; returnTo is the hash route to come back to. */
export async function beginEntraSignIn(returnTo) {
  const entra = config.entra;
  const verifier = randomText(32);
  const state = randomText(16);
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const principal = await staticWebAppsPrincipal();
  const url = new URL(`${entra.authority.replace(/\/$/, '')}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: entra.clientId,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: redirectUri(),
    scope: scopes(),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(principal?.userDetails ? { login_hint: principal.userDetails } : {}),
  }).toString();
  location.assign(url.toString());
}

/**
 * Completes the Entra ID sign-in when the page was opened by its redirect (?code=&state=): exchanges the code for an
 * access token. Returns false when there is nothing to complete; throws with a user-facing message when it fails.
 */
export async function completeEntraSignIn() {
  const params = new URLSearchParams(location.search);
  if (!config.entra?.clientId || (!params.has('code') && !params.has('error'))) {
    return false;
  }

  const pending = readJson(PENDING);
  sessionStorage.removeItem(PENDING);
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', `/${pending?.returnTo ?? ''}`);
  if (params.has('error') || !pending || params.get('state') !== pending.state) {
    throw new Error(t('signIn.entraFailed'));
  }

  const response = await fetch(`${config.entra.authority.replace(/\/$/, '')}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: config.entra.clientId,
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
      scope: scopes(),
    }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok || !body?.access_token) {
    throw new Error(t('signIn.entraFailed'));
  }

  save({
    mode: 'entra',
    token: body.access_token,
    email: null,
    expiresAt: Date.now() + (Number(body.expires_in) || 3600) * 1000,
  });
  return true;
}

function redirectUri() {
  return config.entra.redirectUri || `${location.origin}/`;
}

function scopes() {
  return (config.entra.scopes ?? []).join(' ');
}

function save(value) {
  sessionStorage.setItem(SESSION, JSON.stringify(value));
}

function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

/** The exp claim of a JWT in milliseconds, or null; the token is only read here, the API validates it. */
function expiryOf(jwt) {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

function randomText(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }

  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
