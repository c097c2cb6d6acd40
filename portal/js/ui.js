// Building blocks shared by the views: headings, alerts, tables, badges, inline confirmations, status messages.
import { h, replace, uid } from './dom.js';
import { t } from './i18n.js';
import { ApiError, NetworkError } from './api.js';

/** The page's h1 (focused after each navigation so screen readers announce the new page) and its actions. */
export function pageHeader(title, ...actions) {
  document.title = t('app.documentTitle', { page: title });
  return h('div', { class: 'page-header' },
    h('h1', { id: 'page-title', tabindex: '-1' }, title),
    actions.length ? h('div', { class: 'page-header__actions' }, actions) : null);
}

export function section(title, ...children) {
  const id = uid('section');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** A user-facing explanation of a failed call. */
export function describeError(error) {
  if (error instanceof NetworkError) {
    return { title: t('errors.networkTitle'), detail: t('errors.network') };
  }

  if (error instanceof ApiError) {
    const detail = error.problem?.detail || '';
    switch (error.status) {
      case 401: return { title: t('errors.signedOutTitle'), detail: t('errors.signedOut') };
      case 403: return { title: t('errors.forbiddenTitle'), detail: detail || t('errors.forbidden') };
      case 404: return { title: t('errors.notFoundTitle'), detail: detail || t('errors.notFound') };
      case 412: return { title: t('errors.conflictTitle'), detail: t('errors.conflict') };
      case 429: return { title: t('errors.tooManyTitle'), detail: t('errors.tooMany') };
      default:
        if (error.status >= 500) {
          return { title: t('errors.serverTitle'), detail: t('errors.server') };
        }

        return { title: error.problem?.title || t('errors.requestTitle'), detail };
    }
  }

  return { title: t('errors.unexpectedTitle'), detail: t('errors.unexpected') };
}

/** An alert box for a failed call, with optional actions (buttons). */
export function errorAlert(error, ...actions) {
  const { title, detail } = describeError(error);
  return alertBox('error', title, detail, ...actions);
}

export function alertBox(tone, title, detail, ...actions) {
  return h('div', { class: `alert alert--${tone}`, role: tone === 'error' ? 'alert' : 'status' },
    h('h2', { class: 'alert__title' }, title),
    detail ? h('p', {}, detail) : null,
    actions.length ? h('div', { class: 'button-row' }, actions) : null);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

/**
 * A table with a caption: columns [{ header, cell: row => node or text, numeric }]. Wide tables scroll sideways inside
 * a focusable region so keyboard users can scroll them too; on narrow screens rows become cards (cards: false keeps the table).
 */
export function dataTable({ caption, columns, rows, empty, captionHidden = false, cards = true }) {
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, empty ?? t('common.noData'));
  }

  // On narrow screens (styles.css) each row becomes a card and each cell shows its column's name (data-label).
  const captionId = uid('caption');
  return h('div', { class: ['table-wrap', cards && 'table-wrap--cards'], role: 'region', tabindex: '0', 'aria-labelledby': captionId },
    h('table', {},
      h('caption', { id: captionId, class: captionHidden ? 'visually-hidden' : null }, caption),
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.numeric ? 'numeric' : null }, column.header)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((column, index) => {
        const content = column.cell(row);
        return index === 0 && column.rowHeader !== false
          ? h('th', { scope: 'row', class: column.numeric ? 'numeric' : null }, content)
          : h('td', { class: column.numeric ? 'numeric' : null, 'data-label': column.header }, content);
      }))))));
}

export function badge(text, tone = 'neutral') {
  return h('span', { class: `badge badge--${tone}` }, text);
}

/** A description list of label/value pairs. */
export function details(pairs) {
  return h('dl', { class: 'details' }, pairs.filter(Boolean).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/**
 * A button that asks before it acts: the first click shows the question with confirm and cancel buttons in place of
 * the button (no browser dialog), the confirmation runs action.
 */
export function confirmButton({ label, question, confirmLabel, action, className = 'button button--secondary' }) {
  const wrapper = h('span', { class: 'confirm' });
  const button = h('button', { type: 'button', class: className, onclick: ask }, label);
  wrapper.append(button);

  function ask() {
    const confirm = h('button', { type: 'button', class: 'button button--danger', onclick: run }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'button button--secondary', onclick: reset }, t('common.cancel'));
    replace(wrapper, h('span', { class: 'confirm__question', role: 'status' }, question), confirm, cancel);
    confirm.focus();
  }

  async function run(event) {
    event.target.disabled = true;
    try {
      await action();
    } finally {
      if (wrapper.isConnected) {
        reset();
      }
    }
  }

  function reset() {
    replace(wrapper, button);
    button.focus();
  }

  return wrapper;
}

let flashMessage = null;

/** A message for the next page (e.g. "POC added." after a save that navigates away). */
export function flash(message) {
  flashMessage = message;
}

export function takeFlash() {
  const message = flashMessage;
  flashMessage = null;
  return message ? h('div', { class: 'alert alert--success', role: 'status' }, h('p', {}, message)) : null;
}

/** Announces a short message in the page's live region (visible under the header). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (region) {
    region.textContent = '';
    // A fresh text node after clearing makes screen readers read a repeated message again.
    requestAnimationFrame(() => {
      region.textContent = message;
    });
  }
}

/** A submit button that shows it is working and ignores double clicks. */
export async function busy(button, work) {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = t('common.working');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
  }
}
