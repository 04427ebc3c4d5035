// Building the page from elements, never from markup strings: every text from the API goes in as text.
const SVG = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (k === 'checked' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element: h('button', {class: 'x', onclick: f}, 'text', child…). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

/** Replaces the children of `el`. */
export function put(el, ...children) {
  el.replaceChildren();
  return fill(el, {}, children);
}

/** A table with a header row of `headings` (texts) over `body` (a tbody), scrolling sideways on a narrow screen. */
export function table(cls, headings, body) {
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      headings.map((text) => h('th', { scope: 'col', text })),
    ),
  );
  return h('div', { class: 'scroll' }, h('table', { class: cls }, head, body));
}

/** A labelled form field: the label is tied to the control by its id. */
let seq = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++seq}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, text: label }),
    control,
    hint && h('small', { id: hintId, class: 'muted', text: hint }),
  );
}

/** A select of `options` ([value, label] pairs). */
export function select(options, value, attrs = {}) {
  return h(
    'select',
    attrs,
    options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, l)),
  );
}

/** Runs `fn` now and every `ms` after it finished, while the page is shown; returns a stop function. */
export function every(ms, fn) {
  let timer;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        await fn();
      } catch {
        // the page shows its own errors; polling goes on
      }
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Calls `fn` once input stops for `ms`. */
export function debounce(ms, fn) {
  let timer;
  return (...a) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...a), ms);
  };
}
