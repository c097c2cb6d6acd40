#!/usr/bin/env node
// Lists the portal texts that a translation still lacks: every key of portal/i18n/en.js missing from ar, zh, fr, ru or
// es, every key there that en.js no longer has, and every text whose {placeholders} or plural forms differ. Other
// engineers add keys to en.js in parallel; at merge, run `node scripts/i18n-missing.mjs` and fill what it prints.
// Exit code 1 when something is missing. With --dump it prints every language's texts as JSON instead (PortalTextsTests).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'portal', 'i18n');
const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'];

const isPlural = (v) => v !== null && typeof v === 'object' && 'other' in v && Object.values(v).every((x) => typeof x === 'string');

/** Dotted key -> text, or -> { one, other, ... } for plural texts. */
function flatten(node, prefix = '', out = {}) {
  for (const [key, value] of Object.entries(node)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string' || isPlural(value)) {
      out[dotted] = value;
    } else if (value !== null && typeof value === 'object') {
      flatten(value, dotted, out);
    }
  }

  return out;
}

const placeholders = (text) => [...new Set(String(text).match(/\{\w+\}/g) ?? [])].sort().join(' ');
const forms = (value) => (typeof value === 'string' ? [value] : Object.values(value));

// Imported from their text: the portal's files are ES modules in a package that does not say so, which Node warns about.
async function load(code) {
  try {
    const source = readFileSync(path.join(root, `${code}.js`), 'utf8');
    return await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
  } catch (error) {
    if (error.code !== 'ENOENT') {
      throw error;
    }

    return { locale: code, messages: {} };
  }
}

const languages = {};
for (const code of LANGUAGES) {
  const module = await load(code);
  languages[code] = {
    locale: module.locale,
    pluralCategories: new Intl.PluralRules(module.locale).resolvedOptions().pluralCategories,
    texts: flatten(module.messages),
  };
}

// process.exit would cut a long write to a pipe short: the script ends by itself and sets the exit code instead.
if (process.argv.includes('--dump')) {
  process.stdout.write(JSON.stringify(languages));
} else {
  process.exitCode = report() ? 1 : 0;
}

/** Prints what each translation lacks; returns how many problems it found. */
function report() {
  const english = languages.en.texts;
  let problems = 0;
  for (const code of LANGUAGES.filter((l) => l !== 'en')) {
    const { texts, pluralCategories } = languages[code];
    const lines = [];
    for (const [key, value] of Object.entries(english)) {
      if (!(key in texts)) {
        lines.push(`  missing   ${key}: ${JSON.stringify(value)}`);
        continue;
      }

      const wanted = new Set(forms(value).map(placeholders));
      if (forms(texts[key]).some((form) => !wanted.has(placeholders(form)))) {
        lines.push(`  placeholders differ  ${key}: ${JSON.stringify(texts[key])} (English: ${JSON.stringify(value)})`);
      }

      if (isPlural(value) !== isPlural(texts[key])) {
        lines.push(`  plural in one language only  ${key}`);
      } else if (isPlural(value)) {
        const lacking = pluralCategories.filter((category) => !(category in texts[key]));
        if (lacking.length) {
          lines.push(`  plural forms missing (${lacking.join(', ')})  ${key}`);
        }
      }
    }

    for (const key of Object.keys(texts).filter((k) => !(k in english))) {
      lines.push(`  not in en.js  ${key}`);
    }

    problems += lines.length;
    console.log(lines.length ? `${code}: ${lines.length} to do\n${lines.join('\n')}` : `${code}: complete (${Object.keys(texts).length} keys)`);
  }

  return problems;
}
