// Numbers, dates and durations for people, in the portal's locale (that of the language shown: i18n/<language>.js).
import { locale, t } from './i18n.js';

let formats = null;

// Made for the locale in force: the language is chosen (and may change after sign-in) before anything is formatted.
function current() {
  if (formats?.locale !== locale) {
    formats = {
      locale,
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
      dateOnly: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }),
      percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
      integer: new Intl.NumberFormat(locale),
    };
  }

  return formats;
}

export function formatDateTime(value) {
  if (!value) {
    return t('common.never');
  }

  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : current().dateTime.format(date);
}

export function formatDate(value) {
  if (!value) {
    return t('common.never');
  }

  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : current().dateOnly.format(date);
}

/** A rate from 0 to 1 as a percentage. */
export function formatPercent(rate) {
  return current().percent.format(Number(rate) || 0);
}

export function formatNumber(value) {
  return current().integer.format(Number(value) || 0);
}

/** Seconds as the two largest units: "45 s", "3 min 20 s", "2 h 5 min", "1 d 3 h". */
export function formatSeconds(value) {
  if (value === null || value === undefined) {
    return t('common.notApplicable');
  }

  let seconds = Math.round(Number(value));
  const units = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
  const parts = [];
  for (const [unit, size] of units) {
    const count = Math.floor(seconds / size);
    if (count > 0 || (unit === 's' && parts.length === 0)) {
      parts.push(t(`units.${unit}`, { count }));
      seconds -= count * size;
    }

    if (parts.length === 2) {
      break;
    }
  }

  return parts.join(' ');
}

/** An ISO 8601 duration (PT72H, P3D, PT30M, PT45S) in words; anything else is returned as it is. */
export function formatIsoDuration(value) {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value ?? '');
  if (!match) {
    return String(value ?? '');
  }

  const [, d = 0, hours = 0, minutes = 0, seconds = 0] = match;
  return formatSeconds(Number(d) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds));
}
