// Transfer: the collections, each one's roles and ACL rules as Transfer shows them to the acting
// persona, its file tree, and the effective-access question.
import {as, control, query} from '../api.js';
import {h, section, table, time, field, button} from '../dom.js';
import {persona, identities, PERSONAS, urnName} from '../state.js';

export async function transferPage(main, params) {
  const doc = await control('collections');
  const chosen = params.get('collection');
  const rows = doc.collections.map((c) => [
    h('a', {href: `#/transfer?collection=${c.id}`, 'aria-current': c.id === chosen ? 'page' : null}, c.display_name),
    c.entity_type, urnName(c.owner_id), h('code', {}, c.id)]);
  const detail = h('div');
  main.replaceChildren(h('h1', {}, 'Transfer'), table('Collections', ['Name', 'Type', 'Owner', 'Id'], rows), detail);
  const c = doc.collections.find((x) => x.id === chosen);
  if (c) await collection(detail, c);
}

async function collection(box, c) {
  const rules = h('div');
  const roles = h('div');
  const files = h('div');
  const access = h('div');
  box.replaceChildren(h('h2', {}, c.display_name),
    section('Access rules', rules), section('Roles', roles), section('Files', files), section('Who may read or write?', access));
  await Promise.all([
    listOrRefusal(rules, `/v0.10/endpoint/${c.id}/access_list`, (d) => table(`Access rules ${persona()} may see`,
      ['Principal', 'Type', 'Path', 'Permissions', 'Expires', 'Id'],
      d.DATA.map((r) => [r.principal_type === 'identity' ? urnName(r.principal) : r.principal || r.principal_type,
        r.principal_type, h('code', {}, r.path), r.permissions, time(r.expiration_date), h('code', {}, r.id || r.role_id || '—')]))),
    listOrRefusal(roles, `/v0.10/endpoint/${c.id}/role_list`, (d) => table(`Roles ${persona()} may see`,
      ['Principal', 'Role', 'Id'], d.DATA.map((r) => [urnName(r.principal), r.role, h('code', {}, r.id)]))),
    fileTree(files, c.id),
  ]);
  accessForm(access, c.id);
}

// listOrRefusal shows what Transfer answers the acting persona, or its refusal.
async function listOrRefusal(box, path, show) {
  try {
    box.replaceChildren(show(await as(persona(), path)));
  } catch (e) {
    box.replaceChildren(h('p', {class: 'refused'}, `Transfer answers ${persona()}: ${e.message}`));
  }
}

async function fileTree(box, id) {
  const doc = await control(`collections/${id}/files`);
  if (!doc.files.length) {
    box.replaceChildren(h('p', {}, 'No files (POST /_mock/collections/{id}/files adds some).'));
    return;
  }
  const root = {children: new Map()};
  for (const f of doc.files) {
    let node = root;
    for (const part of f.path.split('/').filter(Boolean)) {
      if (!node.children.has(part)) node.children.set(part, {children: new Map()});
      node = node.children.get(part);
    }
    node.file = f;
  }
  const draw = (node) => h('ul', {}, [...node.children.entries()].sort().map(([name, n]) => h('li', {},
    n.file?.type === 'file' ? `${name} (${n.file.size} bytes, ${n.file.last_modified})` : `${name}/`,
    n.children.size ? draw(n) : null)));
  box.replaceChildren(h('div', {class: 'tree'}, draw(root)));
}

function accessForm(box, id) {
  const who = h('select', {}, h('option', {value: ''}, 'anonymous'), PERSONAS.map((p) => h('option', {value: p}, p)));
  const path = h('input', {type: 'text', value: '/', size: 30});
  const answer = h('output', {'aria-live': 'polite'});
  const ask = button('Ask', async () => {
    try {
      const r = await control(`collections/${id}/access${query({identity_id: identities[who.value]?.id, path: path.value})}`);
      answer.textContent = `${who.value || 'anonymous'} may ${r.read ? 'read' : 'not read'} and ${r.write ? 'write' : 'not write'} ${path.value}`;
    } catch (e) { answer.textContent = e.message; }
  });
  box.replaceChildren(h('div', {class: 'form'}, field('Who', who), field('Path', path), ask), answer);
}
