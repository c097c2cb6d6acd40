// Builds DOM nodes from data without ever parsing HTML: strings become text nodes and attribute values, so a value
// such as "<img src=x onerror=alert(1)>" is shown as those characters, never run. Nothing in the portal uses innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Set as DOM properties (their live state), not as attributes (their initial state).
const PROPERTIES = new Set(['value', 'checked', 'selected', 'indeterminate']);

/** An HTML element: h('p', { class: 'note' }, 'text', child). Props named on* with a function become listeners. */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  applyProps(element, props);
  appendChildren(element, children);
  return element;
}

/** An SVG element, for the charts. */
export function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  applyProps(element, attributes);
  appendChildren(element, children);
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** Appends children, skipping null/false (an optional part) and turning strings into text nodes. */
export function append(element, ...children) {
  appendChildren(element, children);
  return element;
}

/** Replaces an element's children with the given ones. */
export function replace(element, ...children) {
  element.replaceChildren();
  appendChildren(element, children);
  return element;
}

let nextId = 0;

/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

function applyProps(element, props) {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }

    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (PROPERTIES.has(name)) {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function appendChildren(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }

    element.append(child instanceof Node ? child : String(child));
  }
}
