// The one way the portal talks to the HTTP API: bearer token, JSON in and out, RFC 9457 problems as ApiError.

let settings = { baseUrl: '', getToken: () => null, onUnauthorized: () => {} };

export function configureApi(options) {
  settings = { ...settings, ...options };
}

/** A failed call: the HTTP status and the server's ProblemDetails (title, detail, errors by field). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Field errors as { "phones[0].number": ["message"] }; empty when the problem names no fields. */
  get fieldErrors() {
    return this.problem.errors && typeof this.problem.errors === 'object' ? this.problem.errors : {};
  }
}

/** The network failed or the server could not be reached: no status at all. */
export class NetworkError extends Error {
  constructor(cause) {
    super('network');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/**
 * Calls the API. path starts with /api. Returns { data, etag, status, headers }; throws ApiError for 4xx/5xx.
 * ifMatch sends the version a PUT or DELETE is based on; idempotencyKey makes a create safe to send again (see
 * submissionKeys); anonymous skips the token (acknowledgement links).
 */
export async function call(path, { method = 'GET', body, ifMatch, idempotencyKey, query, accept = 'application/json', anonymous = false, signal } = {}) {
  const headers = { Accept: accept };
  const token = anonymous ? null : await settings.getToken();
  if (token) {
    headers.Authorization = `Bearer ${token}`;
    // Azure Static Web Apps replaces Authorization on requests it forwards to its linked backend (the Functions app),
    // so the token travels in this header too; the API reads it first (decision 0006).
    headers['X-Poc-Authorization'] = `Bearer ${token}`;
  }

  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }

  if (ifMatch) {
    headers['If-Match'] = ifMatch;
  }

  if (idempotencyKey) {
    // A Structured Field string, as the IETF draft defines the header.
    headers['Idempotency-Key'] = `"${idempotencyKey}"`;
  }

  let response;
  try {
    response = await fetch(settings.baseUrl + path + queryString(query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    if (error?.name === 'AbortError') {
      throw error;
    }

    throw new NetworkError(error);
  }

  // Behind Static Web Apps an expired session may be answered with a redirect to its sign-in page instead of a 401.
  if (response.redirected && new URL(response.url).pathname.startsWith('/.auth/')) {
    if (!anonymous) {
      settings.onUnauthorized();
    }

    throw new ApiError(401, { detail: '' });
  }

  const type = response.headers.get('Content-Type') ?? '';
  let data = null;
  if (accept === 'text/csv' && response.ok) {
    data = await response.blob();
  } else if (type.includes('json')) {
    data = await response.json().catch(() => null);
  } else if (response.status !== 204) {
    data = await response.text();
  }

  if (!response.ok) {
    if (response.status === 401 && !anonymous) {
      settings.onUnauthorized();
    }

    throw new ApiError(response.status, data && typeof data === 'object' ? data : { detail: '' });
  }

  return { data, etag: response.headers.get('ETag'), status: response.status, headers: response.headers };
}

export const get = (path, options) => call(path, { ...options, method: 'GET' });
export const post = (path, body, options) => call(path, { ...options, method: 'POST', body });
export const put = (path, body, options) => call(path, { ...options, method: 'PUT', body });
export const del = (path, options) => call(path, { ...options, method: 'DELETE' });

/**
 * Idempotency-Keys for one create form: the same key while the same body is sent again (the user retries after a
 * network error or a 503, when the first try may have been saved), a new key once the body changed. The server then
 * creates the record once however often a submission is repeated (decision 0017).
 */
export function submissionKeys() {
  let last = null;
  return (body) => {
    const text = JSON.stringify(body);
    if (last?.text !== text) {
      last = { text, key: crypto.randomUUID() };
    }

    return last.key;
  };
}

/** Every page of a paged list ({ items, continuationToken }), up to a limit of items. */
export async function getAll(path, query = {}, limit = 5000) {
  const items = [];
  let continuationToken;
  do {
    const { data } = await get(path, { query: { ...query, pageSize: 500, continuationToken } });
    items.push(...data.items);
    continuationToken = data.continuationToken;
  } while (continuationToken && items.length < limit);
  return items;
}

/** A path segment from a value: ids and codes come from data, so they are always encoded. */
export function segment(value) {
  return encodeURIComponent(String(value));
}

function queryString(query) {
  if (!query) {
    return '';
  }

  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(name, String(value));
    }
  }

  const text = params.toString();
  return text ? `?${text}` : '';
}
