// Runs: the acting persona's runs, one page at a time with the API's markers, and a run's
// timeline from its log, its current state on the flow diagram, and the buttons a person has.
import {as, query} from '../api.js';
import {h, json, section, table, time, status, field, button} from '../dom.js';
import {Pager} from '../pager.js';
import {persona, urnName, notify} from '../state.js';
import {render} from '../diagram.js';

const STATUSES = ['', 'ACTIVE', 'INACTIVE', 'SUCCEEDED', 'FAILED', 'ENDED'];
const ROLE_FILTERS = {'': 'runs I started', 'run_owner,run_manager,run_monitor': 'runs I own, manage or monitor',
  'flow_run_manager,flow_run_monitor': 'runs of flows I manage or monitor'};
const POLL_MS = 1000;
const LIST_POLL_MS = 3000;

function select(options, value) {
  const s = h('select', {});
  for (const [v, label] of Object.entries(options)) s.append(h('option', {value: v, selected: v === value}, label));
  return s;
}

export async function runsPage(main, params) {
  const statusSel = select(Object.fromEntries(STATUSES.map((s) => [s, s || 'any status'])), params.get('status') || '');
  const roleSel = select(ROLE_FILTERS, params.get('roles') || '');
  const label = h('input', {type: 'search', value: params.get('label') || ''});
  const flow = h('input', {type: 'search', value: params.get('flow') || '', size: 38, placeholder: 'flow id'});
  const list = h('div');
  const nav = h('div');
  const filters = () => ({filter_status: statusSel.value, filter_roles: roleSel.value, filter_label: label.value.trim(),
    filter_flow_id: flow.value.trim()});
  let pager;
  const redraw = () => nav.replaceChildren(pager.controls(redraw));
  const apply = async () => {
    pager = new Pager(async (marker) => {
      const doc = await as(persona(), `/runs${query({...filters(), per_page: 20, marker})}`);
      list.replaceChildren(table(`Runs of ${persona()}`, ['Label', 'Flow', 'Status', 'Started', 'Completed', 'Run id'],
        doc.runs.map((r) => [h('a', {href: `#/runs/${r.run_id}`}, r.label || '(no label)'), r.flow_title, status(r.status),
          time(r.start_time), time(r.completion_time), h('code', {}, r.run_id)])));
      return {marker: doc.marker, hasNext: doc.has_next_page};
    });
    try { await pager.show(); } catch (e) { list.replaceChildren(h('p', {class: 'error'}, e.message)); }
    redraw();
  };
  const form = h('form', {class: 'filters', 'aria-label': 'Filter runs'},
    field('Status', statusSel), field('Whose', roleSel), field('Label', label), field('Flow', flow),
    h('button', {type: 'submit'}, 'Filter'));
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  main.replaceChildren(h('h1', {}, 'Runs'), form, list, nav);
  await apply();
  // The page shown is read again every few seconds, so statuses change as the runs go on.
  let stopped = false;
  let timer;
  const tick = async () => {
    if (stopped) return;
    if (!document.hidden) await pager.show(pager.markers.length - 1).catch(() => {});
    if (!stopped) timer = setTimeout(tick, LIST_POLL_MS);
  };
  timer = setTimeout(tick, LIST_POLL_MS);
  return () => { stopped = true; clearTimeout(timer); };
}

/** position reads a log: the states entered (in order) and the one the run is in, if any. */
export function position(entries) {
  const visited = new Set();
  let current = null;
  for (const e of entries) {
    const name = e.details?.state_name;
    if (!name) continue;
    visited.add(name);
    if (e.code.endsWith('Started')) current = name;
    else if (name === current) current = null;
  }
  return {visited, current};
}

async function allLogs(id) {
  const entries = [];
  let marker;
  for (let i = 0; i < 100; i++) {
    const doc = await as(persona(), `/runs/${id}/log${query({limit: 100, marker})}`);
    entries.push(...doc.entries);
    if (!doc.has_next_page) break;
    marker = doc.marker;
  }
  return entries;
}

function timeline(entries) {
  return h('ol', {class: 'timeline', 'aria-label': 'Timeline'}, entries.map((e) => {
    const d = e.details || {};
    const data = ['input', 'output', 'error', 'cause'].filter((k) => d[k] !== undefined)
      .map((k) => h('details', {}, h('summary', {}, k), json(d[k], `${k} of ${d.state_name || e.code}`)));
    return h('li', {class: `entry code-${e.code}`},
      time(e.time), ' ', h('strong', {}, e.code), d.state_name ? ` — ${d.state_name}` : '',
      h('div', {class: 'description'}, e.description), data);
  }));
}

export async function runPage(main, id) {
  let definition = null;
  const head = h('div');
  const picture = h('div', {class: 'diagram-box'});
  const events = h('div');
  const doc = h('div');
  let timer = null;
  let stopped = false;
  const act = (verb) => button(verb[0].toUpperCase() + verb.slice(1), async () => {
    try {
      await as(persona(), `/runs/${id}/${verb}`, {method: 'POST', body: {}});
      notify(`${verb} sent as ${persona()}`);
    } catch (e) { notify(e.message, 'error'); }
    await refresh();
  });
  const buttons = h('div', {class: 'actions', role: 'group', 'aria-label': 'Run actions'}, act('cancel'), act('release'), act('resume'));
  const refresh = async () => {
    clearTimeout(timer);
    let run;
    let entries;
    try {
      run = await as(persona(), `/runs/${id}?include_flow_description=true`);
      if (!definition) definition = (await as(persona(), `/runs/${id}/definition`)).definition;
      entries = await allLogs(id);
    } catch (e) {
      head.replaceChildren(h('p', {class: 'error'}, e.message));
      return;
    }
    const going = run.status === 'ACTIVE' || run.status === 'INACTIVE';
    const {visited, current} = position(entries);
    head.replaceChildren(h('h1', {}, run.label || run.run_id),
      h('dl', {class: 'facts'},
        h('dt', {}, 'Status'), h('dd', {id: 'run-status'}, status(run.status)),
        h('dt', {}, 'Flow'), h('dd', {}, h('a', {href: `#/flows/${run.flow_id}`}, run.flow_title || run.flow_id)),
        h('dt', {}, 'Current state'), h('dd', {id: 'current-state'}, going && current ? current : '—'),
        h('dt', {}, 'Details'), h('dd', {}, run.details?.code || '—', run.details?.description ? ` (${run.details.description})` : ''),
        h('dt', {}, 'Owner'), h('dd', {}, urnName(run.run_owner)),
        h('dt', {}, 'Your roles'), h('dd', {}, (run.user_roles || []).join(', ')),
        h('dt', {}, 'Started'), h('dd', {}, time(run.start_time)),
        h('dt', {}, 'Completed'), h('dd', {}, time(run.completion_time)),
        run.blocking_web_input_id ? [h('dt', {}, 'Waiting on'),
          h('dd', {}, h('a', {href: `#/people?web_input=${run.blocking_web_input_id}`}, 'a web input'))] : null),
      buttons);
    picture.replaceChildren(render(definition, {current: going ? current : null, visited, title: run.flow_title}));
    events.replaceChildren(timeline(entries));
    doc.replaceChildren(json(run, 'Run document'));
    if (going && !stopped) timer = setTimeout(refresh, POLL_MS);
  };
  main.replaceChildren(head, h('div', {class: 'columns'}, section('Where it is', picture), section('Timeline', events)),
    h('details', {}, h('summary', {}, 'Run document'), doc));
  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
