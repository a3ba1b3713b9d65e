// Flows: the acting persona's flows, and one flow's definition drawn, its input schema, roles,
// policy and subscription, as the Flows API shows them to that persona.
import {as, query} from '../api.js';
import {h, json, section, table, time, field, button} from '../dom.js';
import {Pager} from '../pager.js';
import {persona, urnName, notify} from '../state.js';
import {render} from '../diagram.js';

const ROLES = 'flow_owner,flow_viewer,flow_starter,flow_administrator,run_manager,run_monitor';

export async function flowsPage(main) {
  const list = h('div');
  const pager = new Pager(async (marker) => {
    const doc = await as(persona(), `/flows${query({filter_roles: ROLES, per_page: 20, marker, orderby: 'updated_at DESC'})}`);
    list.replaceChildren(table(`Flows ${persona()} holds a role on`, ['Title', 'Your roles', 'Updated', 'Id'],
      doc.flows.map((f) => [h('a', {href: `#/flows/${f.id}`}, f.title || '(untitled)'), f.user_roles.join(', '),
        time(f.updated_at), h('code', {}, f.id)])));
    return {marker: doc.marker, hasNext: doc.has_next_page};
  });
  await pager.show();
  const nav = h('div');
  const redraw = () => nav.replaceChildren(pager.controls(redraw));
  redraw();
  main.replaceChildren(h('h1', {}, 'Flows'), list, nav);
}

export async function flowPage(main, id) {
  const f = await as(persona(), `/flows/${id}`);
  const roles = ['flow_owner', 'flow_administrators', 'flow_starters', 'flow_viewers', 'run_managers', 'run_monitors'];
  const input = h('textarea', {rows: 6, cols: 60, spellcheck: 'false'}, '{}');
  const label = h('input', {type: 'text', value: 'from the console'});
  const start = button('Start a run', async () => {
    try {
      const run = await as(persona(), `/flows/${id}/run`, {method: 'POST', body: {body: JSON.parse(input.value), label: label.value}});
      location.hash = `#/runs/${run.run_id}`;
    } catch (e) { notify(e.message, 'error'); }
  });
  main.replaceChildren(
    h('h1', {}, f.title || '(untitled)'),
    f.subtitle ? h('p', {class: 'subtitle'}, f.subtitle) : null,
    h('dl', {class: 'facts'},
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, f.id)),
      h('dt', {}, 'Your roles'), h('dd', {}, (f.user_roles || []).join(', ')),
      h('dt', {}, 'Subscription'), h('dd', {}, f.subscription_id || 'none'),
      h('dt', {}, 'Authentication policy'), h('dd', {}, f.authentication_policy_id || 'none'),
      h('dt', {}, 'High assurance'), h('dd', {}, f.is_high_assurance ? 'yes' : 'no'),
      h('dt', {}, 'Scope'), h('dd', {}, h('code', {}, f.globus_auth_scope)),
      h('dt', {}, 'Updated'), h('dd', {}, time(f.updated_at))),
    h('p', {}, h('a', {href: `#/runs?flow=${f.id}`}, 'Runs of this flow')),
    section('Definition', h('div', {class: 'diagram-box'}, render(f.definition, {title: f.title})),
      h('details', {}, h('summary', {}, 'Definition as JSON'), json(f.definition, 'Definition'))),
    section('Input schema', json(f.input_schema, 'Input schema')),
    section('Roles', table('Who holds each role', ['Role', 'Principals'],
      roles.map((r) => [r, [].concat(f[r] || []).map(urnName).join(', ') || '—']))),
    f.user_roles?.includes('flow_starter')
      ? section('Start a run', h('div', {class: 'form'}, field('Run input (JSON)', input), field('Label', label), start))
      : null,
  );
}
