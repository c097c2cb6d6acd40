// Sign-in. Locally: a development sign-in that mints a token through POST /api/dev/token (that route exists only when
// the API has a development signing key). In Azure: the Static Web Apps sign-in (/.auth/login/aad) protects the site,
// and an Entra ID access token for the API comes from MSAL.js (vendor/msal, loaded only then), which renews it
// silently before it expires, when config.json names the app registration. See portal/README.md.
import { t } from './i18n.js';

const SESSION = 'pocdir.session';
const MSAL_SCRIPT = '/vendor/msal/msal-browser.min.js';

let config = {};
let msalApp = null;

/** The deployment's config.json (apiBaseUrl, entra), or {} when it has none. */
export async function loadConfig() {
  try {
    const response = await fetch('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

export function configureAuth(portalConfig) {
  config = portalConfig ?? {};
}

/** The current session { mode, email } (with the token, for a development session) or null when signed out. */
export function session() {
  const account = msalApp?.getActiveAccount();
  if (account) {
    return { mode: 'entra', email: account.username ?? null };
  }

  const stored = readJson(SESSION);
  if (!stored?.token || (stored.expiresAt && stored.expiresAt <= Date.now() + 30_000)) {
    return null;
  }

  return stored;
}

/**
 * The access token for the next API call, or null. An Entra ID token comes from MSAL's cache and is renewed silently
 * (refresh token, or a hidden frame) when it is about to expire; only when that needs the user does the page redirect.
 */
export async function token() {
  const account = msalApp?.getActiveAccount();
  if (!account) {
    return session()?.token ?? null;
  }

  const request = { scopes: scopes(), account };
  try {
    return (await msalApp.acquireTokenSilent(request)).accessToken;
  } catch (error) {
    if (error instanceof window.msal.InteractionRequiredAuthError) {
      await msalApp.acquireTokenRedirect({ ...request, state: location.hash });
    }

    return null;
  }
}

/** Forgets the session in this tab (the API refused its token); the next page shows the sign-in. */
export function signOutLocally() {
  sessionStorage.removeItem(SESSION);
  msalApp?.setActiveAccount(null);
}

/** Ends the session; in Azure also the Entra ID and Static Web Apps sessions. */
export async function signOut() {
  const account = msalApp?.getActiveAccount();
  signOutLocally();
  if (account) {
    await msalApp.logoutRedirect({ account, postLogoutRedirectUri: `${location.origin}/.auth/logout?post_logout_redirect_uri=/` });
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

  sessionStorage.setItem(SESSION, JSON.stringify({ mode: 'dev', token: body.token, email, expiresAt: expiryOf(body.token) }));
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

/** Starts the Entra ID sign-in: MSAL redirects to the authorisation endpoint; returnTo is the hash route to come back to. */
export async function beginEntraSignIn(returnTo) {
  const app = await msal();
  const principal = await staticWebAppsPrincipal();
  await app.loginRedirect({ scopes: scopes(), state: returnTo ?? '', ...(principal?.userDetails ? { loginHint: principal.userDetails } : {}) });
}

/**
 * Starts MSAL when an Entra ID app is configured and completes a sign-in when the page was opened by its redirect.
 * Returns false when there is nothing to complete; throws with a user-facing message when the sign-in failed.
 */
export async function completeEntraSignIn() {
  if (!config.entra?.clientId) {
    return false;
  }

  const app = await msal();
  let result;
  try {
    result = await app.handleRedirectPromise();
  } catch {
    throw new Error(t('signIn.entraFailed'));
  }

  if (result?.account) {
    app.setActiveAccount(result.account);
    if (result.state) {
      location.hash = result.state;
    }
  } else if (!app.getActiveAccount() && app.getAllAccounts().length === 1) {
    // Signed in earlier in this browser session (another tab, a reload).
    app.setActiveAccount(app.getAllAccounts()[0]);
  }

  return Boolean(result);
}

/** The MSAL application, created once; its script is fetched on first use. */
async function msal() {
  if (msalApp) {
    return msalApp;
  }

  if (!window.msal) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = MSAL_SCRIPT;
      script.onload = resolve;
      script.onerror = () => reject(new Error(t('signIn.entraFailed')));
      document.head.append(script);
    });
  }

  const entra = config.entra;
  const app = new window.msal.PublicClientApplication({
    auth: {
      clientId: entra.clientId,
      authority: entra.authority,
      redirectUri: entra.redirectUri || `${location.origin}/`,
      // Only needed for an authority other than Entra ID's own hosts (a test's stand-in, a sovereign cloud).
      ...(entra.knownAuthorities ? { knownAuthorities: entra.knownAuthorities } : {}),
    },
    // The tab's storage: closing the browser ends the session, as the Static Web Apps cookie does.
    cache: { cacheLocation: 'sessionStorage' },
  });
  await app.initialize();
  msalApp = app;
  return app;
}

function scopes() {
  return config.entra?.scopes ?? [];
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
