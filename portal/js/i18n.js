// Looks up user-facing text. Every string the portal shows lives in i18n/<language>.js, one file per UN language with
// the same keys (PortalTextsTests checks them; scripts/i18n-missing.mjs lists what a translation still lacks).
// The language is chosen before anything renders: the signed-in user's choice, else this browser's last choice, else
// the browser's own language among the six, else English (decision 0035).

/** The six UN languages in the UN's order, each named in itself for the switcher. */
export const LANGUAGES = [
  { code: 'ar', name: 'العربية' },
  { code: 'zh', name: '中文' },
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'ru', name: 'Русский' },
  { code: 'es', name: 'Español' },
];

const CODES = LANGUAGES.map((l) => l.code);
const RIGHT_TO_LEFT = ['ar'];
const DEVICE_KEY = 'poc-directory.language';

/** The language shown ("ar"), the locale its dates and numbers use (Intl), and its direction. */
export let language = 'en';
export let locale = 'en-GB';
export let dir = 'ltr';
let messages = {};
let plurals = new Intl.PluralRules(locale);
// English stands in for a text a translation does not have yet (keys are added to en.js first; i18n-missing.mjs lists them).
let fallback = {};
const fallbackPlurals = new Intl.PluralRules('en-GB');

function userKey(email) {
  return `${DEVICE_KEY}:${String(email).trim().toLowerCase()}`;
}

// Storage can be refused (privacy modes); the portal then simply does not remember.
function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered: the choice lasts for this page.
  }
}

/** The first of the browser's languages whose primary subtag is one of the six ("fr-CA" is French), else English. */
export function browserLanguage(preferred = navigator.languages ?? [navigator.language]) {
  for (const tag of preferred ?? []) {
    const primary = String(tag ?? '').split(/[-_]/)[0].toLowerCase();
    if (CODES.includes(primary)) {
      return primary;
    }
  }

  return 'en';
}

function known(code) {
  return CODES.includes(code) ? code : null;
}

async function load(code) {
  const [module, english] = await Promise.all([import(`../i18n/${code}.js`), code === 'en' ? null : import('../i18n/en.js')]);
  fallback = english?.messages ?? {};
  language = code;
  locale = module.locale;
  dir = RIGHT_TO_LEFT.includes(code) ? 'rtl' : 'ltr';
  messages = module.messages;
  plurals = new Intl.PluralRules(locale);
  document.documentElement.lang = code;
  document.documentElement.dir = dir;
}

await load(known(read(DEVICE_KEY)) ?? browserLanguage());

/**
 * After sign-in: the user's own choice, when they made one on this browser and it is not the language shown.
 * Returns whether the language changed (the caller rebuilds what it had rendered).
 */
export async function useLanguageOf(email) {
  const chosen = email ? known(read(userKey(email))) : null;
  if (!chosen || chosen === language) {
    return false;
  }

  await load(chosen);
  write(DEVICE_KEY, chosen);
  return true;
}

/** The switcher's choice: remembered for this browser and, when someone is signed in, for them; the page reloads in it. */
export function chooseLanguage(code, email) {
  if (!known(code)) {
    return;
  }

  write(DEVICE_KEY, code);
  if (email) {
    write(userKey(email), code);
  }

  location.reload();
}

/**
 * The text for a dotted key, with {placeholders} filled from params. A message may be an object of plural forms
 * ({ one, other }, and the language's own: zero, two, few, many) chosen by params.count with the language's plural
 * rules. A key the language lacks is shown in English with a warning; one English lacks too logs an error (the
 * browser tests fail on console errors).
 */
export function t(key, params = {}) {
  let message = lookup(messages, key);
  let rules = plurals;
  if (message === undefined && lookup(fallback, key) !== undefined) {
    console.warn(`Not yet translated into ${language}: ${key}`);
    [message, rules] = [lookup(fallback, key), fallbackPlurals];
  }

  if (message && typeof message === 'object' && 'other' in message) {
    message = message[rules.select(Number(params.count ?? 0))] ?? message.other;
  }

  if (typeof message !== 'string') {
    console.error(`Missing text: ${key}`);
    return key;
  }

  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether a key exists: for values from the server that may have a translation (audit actions, say). */
export function has(key) {
  return typeof (lookup(messages, key) ?? lookup(fallback, key)) === 'string';
}

function lookup(texts, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), texts);
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
  return Object.keys(messages.enums?.[enumName] ?? fallback.enums[enumName]);
}
