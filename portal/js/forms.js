// Labelled form fields, and the server's field errors (ProblemDetails "errors") shown beside the fields they name.
import { h, uid, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * A labelled control: { label, control, hint, key }. key is the server's field name ("fullName", "phones[0].number");
 * the returned wrapper carries it so FieldErrors can find where to show a message.
 */
export function field({ label, control, hint, key, className }) {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const error = h('p', { class: 'field__error', id: errorId, hidden: true });
  const wrapper = h('div', { class: ['field', className], dataset: { key: key ?? '' } },
    h('label', { for: id, class: 'field__label' }, label),
    hint ? h('p', { class: 'field__hint', id: hintId }, hint) : null,
    error,
    control);
  wrapper.fieldParts = { control, error, key };
  return wrapper;
}

/** A group of checkboxes or radios in a fieldset with a legend; key as for field(). */
export function choiceGroup({ legend, type, name, options, selected = [], key, hint, inline = true }) {
  const errorId = uid('group-error');
  const hintId = hint ? uid('group-hint') : null;
  const error = h('p', { class: 'field__error', id: errorId, hidden: true });
  const inputs = [];
  const fieldset = h('fieldset', { class: ['field', 'choices', inline ? 'choices--inline' : null], dataset: { key: key ?? '' }, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') },
    h('legend', { class: 'field__label' }, legend),
    hint ? h('p', { class: 'field__hint', id: hintId }, hint) : null,
    error,
    options.map((option) => {
      const id = uid(name);
      const input = h('input', { type, id, name, value: option.value, checked: selected.includes(option.value) });
      inputs.push(input);
      return h('div', { class: 'choice' }, input, h('label', { for: id }, option.label));
    }));
  fieldset.fieldParts = { control: inputs[0], controls: inputs, error, key };
  fieldset.values = () => inputs.filter((input) => input.checked).map((input) => input.value);
  return fieldset;
}

export function textInput(props = {}) {
  return h('input', { type: 'text', autocomplete: 'off', ...props });
}

export function select(options, value, props = {}) {
  return h('select', props, options.map((option) => h('option', { value: option.value, selected: option.value === value }, option.label)));
}

/** Shows server field errors beside their fields, and a summary at the top that moves focus to each field. */
export class FieldErrors {
  constructor(summary, root) {
    this.summary = summary;
    this.root = root;
    this.summary.classList.add('error-summary');
    this.summary.hidden = true;
    this.summary.tabIndex = -1;
  }

  clear() {
    for (const wrapper of this.root.querySelectorAll('[data-key]')) {
      const parts = wrapper.fieldParts;
      if (!parts) {
        continue;
      }

      parts.error.hidden = true;
      parts.error.replaceChildren();
      for (const control of parts.controls ?? [parts.control]) {
        control?.removeAttribute('aria-invalid');
      }
    }

    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** errors: { "field": ["message", ...] } as the API sends them. Returns how many were shown. */
  show(errors, { title = t('forms.errorSummaryTitle') } = {}) {
    this.clear();
    const entries = Object.entries(errors ?? {});
    if (entries.length === 0) {
      return 0;
    }

    const items = [];
    for (const [name, messages] of entries) {
      const text = (Array.isArray(messages) ? messages : [messages]).join(' ');
      const wrapper = this.find(name);
      if (wrapper) {
        const parts = wrapper.fieldParts;
        const prefix = parts.error.childNodes.length ? ' ' : '';
        parts.error.append(prefix + text);
        parts.error.hidden = false;
        for (const control of parts.controls ?? [parts.control]) {
          control?.setAttribute('aria-invalid', 'true');
        }

        const target = parts.control;
        items.push(h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => target?.focus() }, text)));
      } else {
        items.push(h('li', {}, text));
      }
    }

    replace(this.summary, h('h2', { class: 'error-summary__title' }, title), h('ul', {}, items));
    this.summary.hidden = false;
    this.summary.setAttribute('role', 'alert');
    this.summary.focus();
    return entries.length;
  }

  /** The field a server key belongs to: itself, else its parent ("phones[0].number" → "phones[0]" → "phones"). */
  find(name) {
    let key = name;
    while (key) {
      const wrapper = [...this.root.querySelectorAll('[data-key]')].find((element) => element.dataset.key.toLowerCase() === key.toLowerCase());
      if (wrapper?.fieldParts) {
        return wrapper;
      }

      const shorter = key.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      key = shorter === key ? '' : shorter;
    }

    return null;
  }
}
