// Looks up user-facing text. Every string the portal shows lives in i18n/<language>.js; only English exists today.
import { messages, locale } from '../i18n/en.js';

const plurals = new Intl.PluralRules(locale);

export { locale };

/**
 * The text for a dotted key, with {placeholders} filled from params. A message may be an object of plural forms
 * ({ one, other }) chosen by params.count. A missing key logs an error (the browser tests fail on console errors).
 */
export function t(key, params = {}) {
  let message = key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), messages);
  if (message && typeof message === 'object' && 'other' in message) {
    message = message[plurals.select(Number(params.count ?? 0))] ?? message.other;
  }

  if (typeof message !== 'string') {
    console.error(`Missing text: ${key}`);
    return key;
  }

  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether a key exists: for values from the server that may have a translation (audit actions, say). */
export function has(key) {
  const message = key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), messages);
  return typeof message === 'string';
}

/** The label of an enum value the API sends (region, kind, status, ...), or the value itself when none is known. */
export function label(enumName, value) {
  if (value === null || value === undefined || value === '') {
    return t('common.none');
  }

  const key = `enums.${enumName}.${value}`;
  return has(key) ? t(key) : String(value);
}

/** The values of an enum, in the order the text file lists them. */
export function enumValues(enumName) {
  return Object.keys(messages.enums[enumName]);
}
