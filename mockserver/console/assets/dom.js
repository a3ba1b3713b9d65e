// Small DOM helpers. Every value from the mock goes in as text, never as HTML.

/** h builds an element: h('a', {href: '#/x', class: 'c'}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** json shows a value as indented JSON in a <pre>. */
export function json(value, label) {
  return h('pre', {class: 'json', 'aria-label': label}, JSON.stringify(value, null, 2));
}

/** field is a labelled form control; the control gets an id so its label points at it. */
let fieldCount = 0;
export function field(label, control) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  return h('span', {class: 'field'}, h('label', {for: id}, label), control);
}

/** table renders rows under headings; cells are nodes or text. */
export function table(caption, headings, rows) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headings.map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))
      : h('tr', {}, h('td', {colspan: headings.length, class: 'empty'}, 'None'))));
}

/** section is a titled part of a page. */
export function section(title, ...children) {
  return h('section', {'aria-label': title}, h('h2', {}, title), ...children);
}

/** time shows a timestamp in the page's locale, with the exact value as a tooltip. */
export function time(ts) {
  if (!ts) return '—';
  const d = new Date(ts);
  return h('time', {datetime: ts, title: ts}, isNaN(d) ? ts : d.toLocaleString());
}

/** status is a run or web input status as a badge. */
export function status(s) {
  return h('span', {class: `badge status-${String(s).toLowerCase()}`}, s);
}

/** button is a button that disables itself while its action runs. */
export function button(label, action, attrs = {}) {
  const b = h('button', {type: 'button', ...attrs}, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try { await action(); } finally { b.disabled = false; }
  });
  return b;
}
