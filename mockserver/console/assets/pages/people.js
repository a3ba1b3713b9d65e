// People's parts: what a person does in the Globus web app. Web inputs are answered through the
// Flows API as the acting persona; pending logins are approved through the real login page's
// form; consents are read through Auth and granted through the control plane, where the mock
// has them.
import {as, control, query} from '../api.js';
import {h, json, section, table, time, status, field, button} from '../dom.js';
import {persona, identities, PERSONAS, notify} from '../state.js';

export async function peoplePage(main, params) {
  const inputs = h('div');
  const logins = h('div');
  const consents = h('div');
  const projects = h('div');
  main.replaceChildren(h('h1', {}, 'People'),
    section('Web inputs', h('p', {}, `Open web inputs ${persona()} may see, answered as ${persona()}.`), inputs),
    section('Logins', h('p', {}, 'Logins waiting at the login page; approving one submits the login page\'s form.'), logins),
    section('Consents', consents),
    section('Projects', h('p', {}, `Globus Auth projects ${persona()} administers (by name or through a group), and their authentication policies, as Auth lists them to ${persona()}.`), projects));
  await Promise.all([webInputs(inputs, params.get('web_input')), pendingLogins(logins), consentList(consents), projectList(projects)]);
}

async function projectList(box) {
  let projects, policies;
  try {
    [projects, policies] = await Promise.all([as(persona(), '/v2/api/projects'), as(persona(), '/v2/api/policies')]);
  } catch (e) {
    box.replaceChildren(h('p', {class: 'error'}, e.message));
    return;
  }
  const describe = (p) => [p.high_assurance ? 'high assurance' : 'standard', p.required_mfa ? 'MFA' : null,
    `${p.authentication_assurance_timeout} s`].filter(Boolean).join(', ');
  const policiesOf = (id) => policies.policies.filter((p) => p.project_id === id)
    .map((p) => `${p.display_name} (${describe(p)})`).join('; ') || 'none';
  const known = new Set(projects.projects.map((p) => p.id));
  const rows = projects.projects.map((p) => [p.display_name,
    [...p.admins.identities.map((i) => i.username), ...p.admins.groups.map((g) => `group ${g.name}`)].join(', '),
    policiesOf(p.id)]);
  // A policy whose project the world does not know is its creator's to administer.
  for (const id of new Set(policies.policies.map((p) => p.project_id).filter((id) => !known.has(id)))) {
    rows.push([`${id} (not a project of the world)`, persona(), policiesOf(id)]);
  }
  box.replaceChildren(table(`Projects ${persona()} administers`, ['Project', 'Administrators', 'Policies'], rows));
}

async function webInputs(box, focus) {
  const doc = await as(persona(), `/web_inputs${query({filter_states: 'open', per_page: 50})}`);
  const rows = [];
  for (const w of doc.web_input_summaries) {
    rows.push([h('a', {href: `#/runs/${w.run.id}`}, w.run.label || w.run.id), w.flow.title, w.title || '(untitled)',
      status(w.status), w.user_roles.join(', '), time(w.created_timestamp),
      w.user_roles.includes('respondent') ? await answerForm(w, box, focus) : 'viewer only']);
  }
  box.replaceChildren(table('Open web inputs', ['Run', 'Flow', 'Question', 'Status', 'Your roles', 'Asked', 'Answer'], rows));
}

async function answerForm(summary, box, focus) {
  const w = await as(persona(), `/web_inputs/${summary.id}`);
  const options = w.input_schema?.oneOf || [];
  const group = h('fieldset', {class: 'answer', id: `web-input-${w.id}`},
    h('legend', {}, `Answer “${summary.title || 'the question'}”`));
  options.forEach((o, i) => {
    const id = `wi-${w.id}-${i}`;
    group.append(h('span', {class: 'choice'},
      h('input', {type: 'radio', name: `wi-${w.id}`, id, value: o.const, checked: i === 0}),
      h('label', {for: id}, o.title || o.const), o.description ? h('small', {}, ` ${o.description}`) : null));
  });
  group.append(button('Send answer', async () => {
    const chosen = group.querySelector('input:checked');
    try {
      await as(persona(), `/web_inputs/${w.id}/respond`, {method: 'POST', body: {response: {value: chosen.value}}});
      notify(`Answered as ${persona()}: ${chosen.labels[0].textContent}`);
    } catch (e) { notify(e.message, 'error'); }
    await webInputs(box, null);
  }));
  if (focus === w.id) setTimeout(() => group.querySelector('input')?.focus());
  return group;
}

async function pendingLogins(box) {
  const doc = await control('logins');
  const rows = doc.logins.map((l) => {
    if (l.status !== 'pending') {
      return [time(l.created), l.request.client_id, l.request.scope, status(l.status), l.identity_id || l.refusal || '—'];
    }
    const who = h('select', {}, PERSONAS.map((p) => h('option', {value: p, selected: p === persona()}, p)));
    const mfa = h('input', {type: 'checkbox'});
    const approve = button('Approve', async () => {
      const form = new URLSearchParams({identity_id: identities[who.value]?.id || '', mfa: mfa.checked ? 'true' : 'false'});
      // The login page's own form; its answer is a redirect to the client, which the console does not follow.
      await fetch(`/v2/web/login/${l.id}`, {method: 'POST', body: form, redirect: 'manual'});
      const after = (await control('logins')).logins.find((x) => x.id === l.id);
      notify(after?.status === 'approved' ? `Login approved as ${who.value}` : `Login not approved: ${after?.refusal || 'refused'}`,
        after?.status === 'approved' ? 'info' : 'error');
      await pendingLogins(box);
    });
    return [time(l.created), l.request.client_id, l.request.scope, status(l.status),
      h('div', {class: 'form'}, field('As', who), field('With MFA', mfa), approve)];
  });
  box.replaceChildren(table('Logins', ['Started', 'Client', 'Scopes', 'Status', 'Decision'], rows));
}

async function consentList(box) {
  const me = identities[persona()];
  let doc;
  try {
    doc = await as(persona(), `/v2/api/identities/${me?.id}/consents${query({all: 'true'})}`);
  } catch (e) {
    box.replaceChildren(h('p', {class: 'error'}, e.message));
    return;
  }
  const list = doc.consents || [];
  // Granting is what a person does on Globus Auth's consent page; here it goes through the
  // control plane (POST /_mock/consents), as a login that asked for the scope would grant it.
  const client = h('input', {type: 'text', value: NATIVE_CLIENT, size: 38});
  const scope = h('input', {type: 'text', size: 60, placeholder: '<flow scope>[<action scope>]'});
  const grant = button('Grant consent', async () => {
    try {
      await control('consents', {method: 'POST', body: {identity_id: me?.id, client_id: client.value.trim(), scope: scope.value.trim()}});
      notify(`Consent granted for ${persona()}`);
    } catch (e) { notify(e.message, 'error'); }
    await consentList(box);
  });
  box.replaceChildren(table(`Consents of ${persona()}`, ['Client', 'Scope', 'Created', 'Status'],
    list.map((c) => [c.client || c.client_id || '—', c.scope_name || c.scope || '—', time(c.created), c.status || '—'])),
  h('div', {class: 'form'}, field('Client', client), field('Scope', scope), grant),
  h('details', {}, h('summary', {}, 'As Auth answers'), json(doc, 'Consents')));
}

// The default world's native client, which logins in the examples use.
const NATIVE_CLIENT = '0c11e570-0000-4000-8000-000000000402';
