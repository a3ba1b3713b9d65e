// The console's shell: a hash router over the pages, the persona picker, and the control token.
import {adoptControlToken, as, ApiError} from './api.js';
import {h} from './dom.js';
import {PERSONAS, persona, setPersona, identities, notify} from './state.js';
import {flowsPage, flowPage} from './pages/flows.js';
import {runsPage, runPage} from './pages/runs.js';
import {peoplePage} from './pages/people.js';
import {transferPage} from './pages/transfer.js';
import {benchPage} from './pages/bench.js';

const routes = [
  [/^\/flows\/([\w-]+)$/, (main, m) => flowPage(main, m[1])],
  [/^\/flows$/, (main) => flowsPage(main)],
  [/^\/runs\/([\w-]+)$/, (main, m) => runPage(main, m[1])],
  [/^\/runs$/, (main, m, params) => runsPage(main, params)],
  [/^\/people$/, (main, m, params) => peoplePage(main, params)],
  [/^\/transfer$/, (main, m, params) => transferPage(main, params)],
  [/^\/bench$/, (main) => benchPage(main)],
];

let leave = null; // the current page's clean-up (a run page stops polling)
let shown = 0;

async function show() {
  const [path, search = ''] = (location.hash.slice(1) || '/runs').split('?');
  const main = document.getElementById('main');
  if (leave) leave();
  leave = null;
  const mine = ++shown;
  for (const a of document.querySelectorAll('header nav a')) {
    a.toggleAttribute('aria-current', path.startsWith(a.getAttribute('href').slice(1)));
  }
  const route = routes.find(([re]) => re.test(path));
  main.replaceChildren(h('p', {class: 'loading'}, 'Loading…'));
  // Each page is built apart and shown only if no later navigation has started meanwhile.
  const view = h('div');
  try {
    if (!route) throw new Error(`No console page at ${path}`);
    const done = await route[1](view, path.match(route[0]), new URLSearchParams(search));
    if (mine !== shown) {
      if (done) done();
      return;
    }
    leave = done || null;
  } catch (e) {
    if (mine !== shown) return;
    const hint = e instanceof ApiError && (e.code.startsWith('CONTROL_TOKEN') || e.code === 'INVALID_CONTROL_TOKEN')
      ? ' Open the console as /_mock/console/?token=<control token>, or give the token on the Test bench page.' : '';
    view.replaceChildren(h('h1', {}, 'Could not show this page'), h('p', {class: 'error', role: 'alert'}, e.message + hint));
  }
  main.replaceChildren(view);
  document.title = `${main.querySelector('h1')?.textContent || 'Console'} · Mock console`;
}

async function start() {
  adoptControlToken();
  const picker = document.getElementById('persona');
  for (const p of PERSONAS) picker.append(h('option', {value: p, selected: p === persona()}, p));
  picker.addEventListener('change', () => { setPersona(picker.value); notify(`Acting as ${picker.value}`); show(); });
  try {
    const doc = await as('alice', `/v2/api/identities?usernames=${PERSONAS.map((p) => `${p}@example.org`).join(',')}`);
    for (const i of doc.identities) identities[i.username.split('@')[0]] = i;
  } catch (e) { notify(`The personas' identities could not be read: ${e.message}`, 'error'); }
  window.addEventListener('hashchange', show);
  await show();
}

start();
