// Hash routes (#/directory, #/pocs/{id}/edit, ...): the portal is static files, so every view is one index.html.

const routes = [];

/** Registers a view for a pattern such as '/campaigns/:id/report'. */
export function route(pattern, view) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (whole, name) => {
    names.push(name);
    return '([^/]+)';
  });
  routes.push({ regex: new RegExp(`^${source}$`), names, view });
}

/** The current route: { path, params, query } (query as URLSearchParams). */
export function current() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = hash.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function match(path) {
  for (const candidate of routes) {
    const found = candidate.regex.exec(path);
    if (found) {
      const params = Object.fromEntries(candidate.names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
      return { view: candidate.view, params };
    }
  }

  return null;
}

/** A link target: href('/participants', 'SGP') → '#/participants/SGP'; segments are encoded, query values too. */
export function href(path, ...rest) {
  const query = rest.length && typeof rest[rest.length - 1] === 'object' ? rest.pop() : null;
  const segments = rest.map((part) => `/${encodeURIComponent(String(part))}`).join('');
  let text = `#${path}${segments}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '' && value !== false) {
        params.set(name, String(value));
      }
    }

    const search = params.toString();
    if (search) {
      text += `?${search}`;
    }
  }

  return text;
}

export function navigate(target) {
  if (location.hash === target) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target;
  }
}
