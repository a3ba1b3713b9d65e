// The official JS SDK against the mock: every Flows, runs and Transfer ACL function it has, and
// its GARE detection, with assertions on what the SDK returns. Environment: MOCK (the mock's
// origin) and RESULTS (where the results go), set by steps/clients_test.go, which also points
// GLOBUS_SDK_SERVICE_URL_* at it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { flows, transfer, errors } from '@globus/sdk';

const MOCK = process.env.MOCK;
const as = (who) => ({ headers: { Authorization: `Bearer tok-${who}` } });
const json = async (label, promise, status) => {
  const response = await promise;
  const body = await response.json();
  assert.equal(response.status, status, `${label}: ${response.status} ${JSON.stringify(body)}`);
  return body;
};
const control = async (path, body, method = 'POST') => {
  const r = await fetch(MOCK + path, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  assert.ok(r.ok, `${path}: ${r.status}`);
  return r.json();
};
// A check names the SDK functions it exercises; the results (one row per function) go to the
// file named by RESULTS, which the compatibility matrix in the README is rendered from.
const checks = [];
const check = (functions, name, fn) => checks.push([functions, name, fn]);

const definition = {
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'ExpressionEval', Parameters: { 'greeting.=': "'hello ' + name" }, ResultPath: '$.out', Next: 'Hold' },
    Hold: { Type: 'Wait', Seconds: 600, End: true },
  },
};
let flow;
let run;

check(['flows.flows.validate'], 'flows.validate answers the scopes a definition needs', async () => {
  const body = await json('validate', flows.flows.validate({ payload: { definition }, ...as('alice') }), 200);
  assert.deepEqual(body.scopes, {});
});
check(['flows.flows.create'], 'flows.create answers the new flow document', async () => {
  flow = await json('create', flows.flows.create({ payload: { title: 'JS SDK', definition, input_schema: { type: 'object', required: ['name'] }, run_monitors: [] }, ...as('alice') }), 201);
  assert.match(flow.id, /^[0-9a-f-]{36}$/);
  assert.equal(flow.user_role, 'flow_owner');
  assert.equal(flow.globus_auth_scope, `https://auth.globus.org/scopes/${flow.id}/flow_${flow.id.replaceAll('-', '_')}_user`);
});
check(['flows.flows.get'], 'flows.get reads it back', async () => {
  const body = await json('get', flows.flows.get(flow.id, as('alice')), 200);
  assert.deepEqual(body.definition, definition);
});
check(['flows.flows.getAll'], 'flows.getAll lists it, with pagination fields', async () => {
  const body = await json('getAll', flows.flows.getAll({ query: { filter_roles: 'flow_owner', orderby: 'updated_at DESC' }, ...as('alice') }), 200);
  assert.ok(body.flows.some((f) => f.id === flow.id));
  assert.equal(body.has_next_page, false);
});
check(['flows.flows.update'], 'flows.update changes what it names', async () => {
  const body = await json('update', flows.flows.update(flow.id, { payload: { subtitle: 'from JS', flow_viewers: ['urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002'] }, ...as('alice') }), 200);
  assert.equal(body.subtitle, 'from JS');
  assert.equal(body.title, 'JS SDK');
});
check(['flows.flows.run'], 'flows.run starts a run; input is checked against the schema', async () => {
  const bad = await json('run bad', flows.flows.run(flow.id, { payload: { body: {} }, ...as('alice') }), 400);
  assert.equal(bad.error.code, 'FLOW_INPUT_ERROR');
  run = await json('run', flows.flows.run(flow.id, { payload: { body: { name: 'js' }, label: 'sdk run', tags: [' a  b '] }, ...as('alice') }), 201);
  assert.equal(run.status, 'ACTIVE');
  assert.deepEqual(run.tags, ['a b']);
  await control('/_mock/settle');
});
check(['flows.runs.get'], 'runs.get shows the run, with its flow on request', async () => {
  const body = await json('runs.get', flows.runs.get(run.run_id, { query: { include_flow_description: true }, ...as('alice') }), 200);
  assert.equal(body.flow_description.title, 'JS SDK');
  assert.equal(body.details.code, 'WaitStarted');
});
check(['flows.runs.getAll'], 'runs.getAll lists runs by flow', async () => {
  const body = await json('runs.getAll', flows.runs.getAll({ query: { filter_flow_id: flow.id }, ...as('alice') }), 200);
  assert.deepEqual(body.runs.map((r) => r.run_id), [run.run_id]);
});
check(['flows.runs.update'], 'runs.update replaces label and tags', async () => {
  const body = await json('runs.update', flows.runs.update(run.run_id, { payload: { label: 'renamed', tags: [] }, ...as('alice') }), 200);
  assert.equal(body.label, 'renamed');
  assert.deepEqual(body.tags, []);
});
check(['flows.runs.getLog'], 'runs.getLog pages the log', async () => {
  const body = await json('runs.getLog', flows.runs.getLog(run.run_id, { query: { limit: 2 }, ...as('alice') }), 200);
  assert.deepEqual(body.entries.map((e) => e.code), ['FlowStarted', 'ExpressionEvalStarted']);
  assert.equal(body.has_next_page, true);
});
check(['flows.runs.getDefinition'], 'runs.getDefinition is the snapshot at start', async () => {
  const body = await json('runs.getDefinition', flows.runs.getDefinition(run.run_id, as('alice')), 200);
  assert.deepEqual(body.definition, definition);
});
check(['flows.runs.remove', 'flows.runs.cancel'], 'runs.remove refuses a run still going, runs.cancel ends it, then runs.remove releases it', async () => {
  const conflict = await json('runs.remove active', flows.runs.remove(run.run_id, as('alice')), 409);
  assert.equal(conflict.error.code, 'STATE_CONFLICT');
  const canceled = await json('runs.cancel', flows.runs.cancel(run.run_id, as('alice')), 202);
  assert.equal(canceled.details.code, 'FlowCanceled');
  await json('runs.remove', flows.runs.remove(run.run_id, as('alice')), 200);
  await json('runs.get released', flows.runs.get(run.run_id, as('alice')), 404);
});
check(['flows.flows.remove'], 'flows.remove deletes the flow', async () => {
  const body = await json('remove', flows.flows.remove(flow.id, as('alice')), 200);
  assert.equal(body.DELETED, true);
  await json('get deleted', flows.flows.get(flow.id, as('alice')), 404);
});

const GUEST = 'c011ec70-0000-4000-8000-000000000301';
let rule;
check(['transfer.access.create'], 'transfer.access.create adds a rule', async () => {
  const body = await json('access.create', transfer.access.create(GUEST, { payload: { DATA_TYPE: 'access', principal_type: 'identity', principal: '0b0b0000-0000-4000-8000-000000000002', path: '/js/', permissions: 'r' }, ...as('alice') }), 201);
  assert.equal(body.code, 'Created');
  rule = body.access_id;
});
check(['transfer.access.get'], 'transfer.access.get reads it', async () => {
  const body = await json('access.get', transfer.access.get({ endpoint_xid: GUEST, id: rule }, as('alice')), 200);
  assert.equal(body.path, '/js/');
  assert.equal(body.permissions, 'r');
});
check(['transfer.access.getAll'], 'transfer.access.getAll lists it after the implicit rule', async () => {
  const body = await json('access.getAll', transfer.access.getAll(GUEST, as('alice')), 200);
  assert.equal(body.DATA[0].id, null);
  assert.equal(body.DATA[0].role_type, 'administrator');
  assert.ok(body.DATA.some((r) => r.id === rule));
});
check(['transfer.access.update'], 'transfer.access.update changes the permissions', async () => {
  const body = await json('access.update', transfer.access.update({ endpoint_xid: GUEST, id: rule }, { payload: { DATA_TYPE: 'access', permissions: 'rw' }, ...as('alice') }), 200);
  assert.equal(body.code, 'Updated');
});
check(['transfer.access.create (409 Exists)'], 'a duplicate rule is Exists in the Transfer error document', async () => {
  const body = await json('access.create dup', transfer.access.create(GUEST, { payload: { principal_type: 'identity', principal: '0b0b0000-0000-4000-8000-000000000002', path: '/js/', permissions: 'r' }, ...as('alice') }), 409);
  assert.equal(body.code, 'Exists');
  assert.ok(body.request_id && body.resource && body.message);
});
check(['transfer.access.remove'], 'transfer.access.remove deletes it, and again is AccessRuleNotFound', async () => {
  const body = await json('access.remove', transfer.access.remove({ endpoint_xid: GUEST, id: rule }, as('alice')), 200);
  assert.equal(body.code, 'Deleted');
  const again = await json('access.remove again', transfer.access.remove({ endpoint_xid: GUEST, id: rule }, as('alice')), 404);
  assert.equal(again.code, 'AccessRuleNotFound');
});
check(['errors.isAuthorizationRequirementsError', 'errors.toAuthorizationQueryParams'], 'the SDK recognizes the GARE of a high-assurance flow', async () => {
  const policy = await fetch(MOCK + '/v2/api/policies', { method: 'POST', headers: { Authorization: 'Bearer tok-alice', 'Content-Type': 'application/json' },
    body: JSON.stringify({ policy: { project_id: 'd0c5e000-0000-4000-8000-000000000001', display_name: 'HA', description: '', high_assurance: true } }) }).then((r) => r.json());
  await control('/_mock/tokens/tok-alice/authentications', { identity_id: '0a11ce00-0000-4000-8000-000000000001' });
  const ha = await json('create HA', flows.flows.create({ payload: { title: 'HA', definition, subscription_id: '5b5c0000-0000-4000-8000-000000000202',
    authentication_policy_id: policy.policy.id, flow_viewers: ['urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002'] }, ...as('alice') }), 201);
  const gare = await json('get HA as bob', flows.flows.get(ha.id, as('bob')), 403);
  assert.ok(errors.isAuthorizationRequirementsError(gare));
  assert.equal(errors.toAuthorizationQueryParams(gare).session_required_policies, policy.policy.id);
  const listed = await json('list HA', flows.flows.getAll({ query: { filter_roles: 'flow_viewer' }, ...as('bob') }), 200);
  assert.equal(listed.flows.find((f) => f.id === ha.id).definition, null);
});
check(['flows.flows.getAll'], 'a page of another origin may read the answers, errors included (CORS)', async () => {
  // Node's fetch does not enforce CORS: this checks the headers a browser would act on.
  const origin = 'https://portal.example.net';
  const listed = await flows.flows.getAll({ headers: { Authorization: 'Bearer tok-alice', Origin: origin } });
  assert.equal(listed.status, 200);
  assert.equal(listed.headers.get('access-control-allow-origin'), '*');
  const refused = await flows.flows.getAll({ headers: { Authorization: 'Bearer tok-unknown', Origin: origin } });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('access-control-allow-origin'), '*');
  const preflight = await fetch(MOCK + '/flows', { method: 'OPTIONS', headers: { Origin: origin,
    'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type, x-globus-client-info' } });
  assert.equal(preflight.status, 204);
  const allowed = preflight.headers.get('access-control-allow-headers').toLowerCase().split(/,\s*/);
  for (const h of ['authorization', 'content-type', 'x-globus-client-info']) assert.ok(allowed.includes(h), `${h} not in ${allowed}`);
  assert.match(preflight.headers.get('access-control-allow-methods'), /\bPOST\b/);
});

let failed = 0;
const rows = new Map();
for (const [functions, name, fn] of checks) {
  let row = { status: 'works' };
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${e.message}`);
    row = { status: 'fails', reason: e.message.split('\n')[0].slice(0, 200) };
  }
  for (const f of functions) if (rows.get(f)?.status !== 'fails') rows.set(f, row);
}
if (process.env.RESULTS) {
  const { version } = JSON.parse(readFileSync(new URL('./node_modules/@globus/sdk/package.json', import.meta.url)));
  const results = [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, row]) => ({ name, ...row }));
  writeFileSync(process.env.RESULTS, JSON.stringify({ client: '@globus/sdk (JS)', version, results }, null, 1) + '\n');
}
console.log(`${checks.length - failed}/${checks.length} checks passed`);
process.exit(failed ? 1 : 0);
