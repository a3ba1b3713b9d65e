// The test bench: the request journal, the clock, the fault rules, and the world itself (reset,
// dump, load), all through the control plane.
import {control, query, setControlToken} from '../api.js';
import {h, json, section, table, time, field, button} from '../dom.js';
import {notify} from '../state.js';

export async function benchPage(main) {
  const clock = h('div');
  const journal = h('div');
  const faults = h('div');
  const world = h('div');
  main.replaceChildren(h('h1', {}, 'Test bench'), section('Clock', clock), section('Request journal', journal),
    section('Faults', faults), section('World', world));
  worldPart(world);
  await Promise.all([clockPart(clock), journalPart(journal), faultsPart(faults)]);
}

async function clockPart(box) {
  const c = await control('clock');
  const seconds = h('input', {type: 'number', min: 0, value: 60, step: 'any'});
  const when = h('input', {type: 'text', placeholder: '2027-01-01T00:00:00Z (empty: now)', size: 28});
  const after = (msg) => async (doc) => { notify(`${msg}: the clock reads ${doc.now}`); await clockPart(box); };
  const act = (label, path, body) => button(label, async () => {
    try { await after(label)(await control(path, {method: 'POST', body: body()})); } catch (e) { notify(e.message, 'error'); }
  });
  box.replaceChildren(
    h('p', {}, 'The mock clock reads ', h('strong', {id: 'clock-now'}, time(c.now)), c.frozen ? ' (frozen)' : ' (following wall time)'),
    h('div', {class: 'form'}, field('Seconds', seconds), act('Advance', 'clock/advance', () => ({seconds: Number(seconds.value)}))),
    h('div', {class: 'form'}, field('Freeze at', when), act('Freeze', 'clock/freeze', () => (when.value ? {now: when.value} : {})),
      act('Follow wall time', 'clock/follow', () => undefined)));
}

async function journalPart(box) {
  const method = h('select', {}, ['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => h('option', {value: m}, m || 'any')));
  const path = h('input', {type: 'search', placeholder: '/flows/*/run', size: 24});
  const client = h('input', {type: 'search', placeholder: 'python-sdk', size: 16});
  const mine = h('input', {type: 'checkbox', checked: true});
  const list = h('div');
  const load = async () => {
    try {
      const doc = await control(`requests${query({method: method.value, path: path.value, client: client.value, bodies: 'true'})}`);
      const entries = doc.requests.filter((e) => !mine.checked || !(e.client_info || '').includes('mock-console')).reverse();
      list.replaceChildren(table(`The last ${entries.length} requests, newest first`,
        ['Time', 'Method', 'Path', 'Status', 'Client', 'Duration (ms)', 'Fault', 'Bodies (secrets masked)'],
        entries.slice(0, 200).map((e) => [time(e.time), e.method, h('code', {}, e.path + (e.query ? `?${e.query}` : '')), String(e.status),
          e.client_info || e.user_agent || '—', String(e.duration_ms), e.fault || '', bodies(e)])));
    } catch (e) { list.replaceChildren(h('p', {class: 'error'}, e.message)); }
  };
  const form = h('form', {class: 'filters', 'aria-label': 'Filter the journal'}, field('Method', method), field('Path', path),
    field('Client', client), field('Hide the console\'s own requests', mine), h('button', {type: 'submit'}, 'Filter'),
    button('Clear the journal', async () => { await control('requests', {method: 'DELETE'}); await load(); }));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  box.replaceChildren(form, list);
  await load();
}

// bodies shows what a request sent and got back, each folded away.
function bodies(e) {
  const part = (name, v) => (v === undefined ? null
    : h('details', {}, h('summary', {}, name), typeof v === 'string' ? h('pre', {class: 'json'}, v) : json(v, `${name} of ${e.path}`)));
  return [part('sent', e.request_body), part('answered', e.response_body)];
}

async function faultsPart(box) {
  const doc = await control('faults');
  const operation = h('input', {type: 'text', placeholder: 'createAccessRule', size: 20});
  const method = h('input', {type: 'text', placeholder: 'POST', size: 6});
  const path = h('input', {type: 'text', placeholder: '/flows/*/run', size: 20});
  const statusSel = h('select', {}, ['503', '429', '500', '502'].map((s) => h('option', {value: s}, s)));
  const times = h('input', {type: 'number', min: 0, value: 1});
  const add = button('Add fault', async () => {
    const rule = {status: Number(statusSel.value), times: Number(times.value)};
    if (operation.value) rule.operation = operation.value;
    if (method.value) rule.method = method.value;
    if (path.value) rule.path = path.value;
    try { await control('faults', {method: 'POST', body: rule}); notify('Fault added'); } catch (e) { notify(e.message, 'error'); }
    await faultsPart(box);
  });
  box.replaceChildren(
    table('Fault rules, in the order they apply', ['Id', 'Matches', 'Answer', 'Times left', ''],
      doc.faults.map((f) => [h('code', {}, f.id), f.operation || `${f.method || '*'} ${f.path || ''}`,
        f.drop ? 'drop' : String(f.status || ''), f.times ? String(f.times) : 'until removed',
        button('Remove', async () => { await control(`faults/${f.id}`, {method: 'DELETE'}); await faultsPart(box); })])),
    h('div', {class: 'form'}, field('Operation', operation), field('or method', method), field('and path', path),
      field('Status', statusSel), field('Times (0: until removed)', times), add));
}

function worldPart(box) {
  const file = h('input', {type: 'file', accept: 'application/json,.json'});
  const token = h('input', {type: 'password', size: 24, autocomplete: 'off'});
  box.replaceChildren(
    h('div', {class: 'form'},
      button('Reset to the loaded world', async () => {
        try { await control('reset', {method: 'POST'}); notify('The world is reset'); } catch (e) { notify(e.message, 'error'); }
      }),
      button('Dump the world', async () => {
        try {
          const doc = await control('state');
          const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], {type: 'application/json'}));
          const a = h('a', {href: url, download: 'world.json'}, 'world.json');
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
        } catch (e) { notify(e.message, 'error'); }
      })),
    h('div', {class: 'form'}, field('World file', file),
      button('Load it', async () => {
        if (!file.files.length) { notify('Choose a world file first', 'error'); return; }
        try { await control('state', {method: 'PUT', body: await file.files[0].text()}); notify('World loaded'); } catch (e) {
          notify(e.message, 'error');
        }
      })),
    h('div', {class: 'form'}, field('Control token (when the mock has one)', token),
      button('Use it', async () => { setControlToken(token.value); token.value = ''; notify('Control token kept for this tab'); })),
    h('p', {class: 'hint'}, 'A dump holds every token and secret of the world.'));
}
