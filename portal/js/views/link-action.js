// The frame every anonymous link page shares (/ack, /confirm, /rsvp, /exercise/{token}): the token from the path, a
// heading, a body the outcome replaces, a live region that announces it, and one wording per page for unknown (404),
// closed (410) and failed links. Each page supplies only its texts (a key prefix), what it shows and what it posts.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, segment, ApiError } from '../api.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * Mounts the page in main and returns its parts. texts is the i18n prefix (its title, {kind}Title and {kind} for
 * unknown, closed and failed, doneTitle); problemNote, when given, is added under every problem (e.g. whom to contact).
 */
export function linkPage(main, rawToken, texts, { banner = null, problemNote = null } = {}) {
  document.title = t('app.documentTitle', { page: t(`${texts}.title`) });
  const token = decode(rawToken);
  const heading = h('h1', { id: 'page-title', tabindex: '-1' }, t(`${texts}.title`));
  const failure = h('div');
  const body = h('div', { class: 'ack__body' });
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  replace(main, h('div', { class: 'ack' }, banner, heading, failure, body, status));

  const page = {
    token,
    body,
    show: (...content) => replace(body, ...content),

    /** The outcome in place of the body: a success box (its title focused and announced), then what follows it. */
    done(title, inside = [], after = null) {
      const heading2 = h('h2', { tabindex: '-1', class: 'ack__done-title' }, title);
      replace(body, h('div', { class: 'alert alert--success' }, heading2, ...inside), after);
      status.textContent = title;
      heading2.focus();
    },

    /** unknown, closed or failed, in place of the body. */
    problem(kind) {
      const title = h('h2', { tabindex: '-1', class: 'alert__title' }, t(`${texts}.${kind}Title`));
      replace(body, h('div', { class: 'alert alert--error' }, title, h('p', {}, t(`${texts}.${kind}`)), problemNote ? h('p', {}, problemNote) : null));
      status.textContent = t(`${texts}.${kind}Title`);
      title.focus();
    },

    /** GET what the link opens; null (with the problem shown) when the token is malformed, unknown, closed or the call failed. */
    async load(path) {
      if (!TOKEN.test(token)) {
        page.problem('unknown');
        return null;
      }

      try {
        return (await get(`${path}/${segment(token)}`, { anonymous: true })).data;
      } catch (error) {
        page.problem(kindOf(error, 'failed'));
        return null;
      }
    },

    /** POST the answer; the receipt, or null with closed/failed shown in place of the body. */
    async answer(path, input) {
      try {
        return (await post(`${path}/${segment(token)}`, input, { anonymous: true })).data;
      } catch (error) {
        page.problem(error instanceof ApiError && error.status === 410 ? 'closed' : 'failed');
        return null;
      }
    },

    /**
     * One button that posts to the link (ack, confirm): while it works it says so; unknown and closed links replace the
     * page, any other failure keeps the button for another try and says so above it.
     */
    oneClick(path, buttonText, workingText, onDone) {
      const button = h('button', {
        type: 'button',
        class: 'button button--large',
        onclick: async () => {
          if (!TOKEN.test(token)) {
            page.problem('unknown');
            return;
          }

          button.disabled = true;
          button.textContent = workingText;
          failure.replaceChildren();
          try {
            onDone((await post(`${path}/${segment(token)}`, undefined, { anonymous: true })).data);
          } catch (error) {
            const kind = kindOf(error, null);
            if (kind) {
              page.problem(kind);
            } else {
              button.disabled = false;
              button.textContent = buttonText;
              replace(failure, h('div', { class: 'alert alert--error', role: 'alert' },
                h('h2', { class: 'alert__title' }, t(`${texts}.failedTitle`)), h('p', {}, t(`${texts}.failed`))));
            }
          }
        },
      }, buttonText);
      return button;
    },
  };
  return page;
}

function kindOf(error, otherwise) {
  return error instanceof ApiError && error.status === 404 ? 'unknown' : error instanceof ApiError && error.status === 410 ? 'closed' : otherwise;
}

function decode(rawToken) {
  try {
    return decodeURIComponent(rawToken ?? '');
  } catch {
    return '';
  }
}
