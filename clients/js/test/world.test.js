// createWorld and World: a world's personas, its control-plane helpers, and its isolation from
// the other worlds of the same mock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MockError, createWorld, startMock, useWorld } from '../index.js';
import { BINARY } from './helpers.js';

const BOB = '0b0b0000-0000-4000-8000-000000000002';
const VIEW_FLOWS = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/view_flows';
const definition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

let mock;
before(async () => {
  mock = await startMock({ binary: BINARY });
});
after(() => mock.stop());

// as sends one request to the emulated services with a persona's token of a world.
async function as(world, persona, method, path, body) {
  const res = await fetch(world.url + path, {
    method,
    headers: { ...world.headers(persona), ...(body && { 'Content-Type': 'application/json' }) },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
const titles = async (world) => (await as(world, 'alice', 'GET', '/flows?filter_roles=flow_owner')).body.flows.map((f) => f.title);

describe('a world', () => {
  let world;
  before(async () => {
    world = await createWorld(mock.url);
  });
  after(() => world.delete());

  test('has the personas, a client and the service URLs', async () => {
    assert.match(world.id, /^w[0-9a-f]+$/);
    assert.equal(world.token('alice'), `${world.id}-tok-alice`);
    assert.deepEqual(world.headers('bob'), { Authorization: `Bearer ${world.id}-tok-bob` });
    assert.ok(world.client.secret.startsWith(`${world.id}-`));
    assert.equal(world.env().GLOBUS_SDK_SERVICE_URL_AUTH, `${mock.url}/`);
    assert.equal(await world.identity('bob'), BOB);
    assert.throws(() => world.token('mallory'), /no persona "mallory" \(it has alice, bob/);
  });

  test('its client credentials get a token of this world', async () => {
    const res = await fetch(`${mock.url}/v2/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: world.client.id, client_secret: world.client.secret, scope: 'openid' }),
    });
    assert.equal(res.status, 200);
    assert.ok((await res.json()).access_token.startsWith(`${world.id}-`));
  });

  test('freezes, advances and releases its clock', async () => {
    await world.freezeClock(new Date('2030-01-01T00:00:00Z'));
    await world.advanceClock(3600);
    assert.deepEqual(await world.clock(), { frozen: true, now: '2030-01-01T01:00:00Z' });
    await world.freezeClock('2031-06-01T12:00:00Z');
    assert.equal((await world.clock()).now, '2031-06-01T12:00:00Z');
    await world.followClock();
    assert.equal((await world.clock()).frozen, false);
  });

  test('injects a fault, lists it and clears it', async () => {
    const rule = await world.injectFault({ operation: 'listFlows', status: 503 });
    assert.equal((await as(world, 'alice', 'GET', '/flows')).status, 503);
    assert.deepEqual((await world.faults()).map((f) => f.id), [rule.id]);
    await world.clearFaults(rule);
    assert.equal((await as(world, 'alice', 'GET', '/flows')).status, 200);
    await world.injectFault({ operation: 'listFlows', status: 500 });
    await world.injectFault({ operation: 'getFlow', status: 500 });
    await world.clearFaults();
    assert.deepEqual(await world.faults(), []);
  });

  test('reads its journal with filters, and clears it', async () => {
    await world.clearRequests();
    await as(world, 'alice', 'GET', '/flows');
    const made = await as(world, 'alice', 'POST', '/flows', { title: 'journal', definition });
    const posts = await world.requests({ method: 'POST', path: '/flows' });
    assert.deepEqual(posts.map((e) => [e.method, e.path, e.status]), [['POST', '/flows', 201]]);
    assert.equal(posts[0].request_body, undefined);
    const [withBody] = await world.requests({ method: 'POST', bodies: true });
    assert.equal(withBody.request_body.title, 'journal');
    assert.equal(withBody.response_body.id, made.body.id);
    assert.equal((await world.requests({ path: '/flows/*' })).length, 0);
    await world.clearRequests();
    assert.deepEqual(await world.requests(), []);
  });

  test('mints a token for a persona', async () => {
    const minted = await world.mintToken({ persona: 'bob', scopes: [VIEW_FLOWS], expires_in: 60 });
    assert.ok(minted.token.startsWith(`${world.id}-`));
    assert.equal(minted.identity_id, BOB);
    assert.equal((await fetch(`${mock.url}/flows`, { headers: { Authorization: `Bearer ${minted.token}` } })).status, 200);
  });

  test('resets to its seed', async () => {
    await as(world, 'alice', 'POST', '/flows', { title: 'to forget', definition });
    assert.ok((await titles(world)).includes('to forget'));
    await world.reset();
    assert.deepEqual(await titles(world), []);
  });

  test('a refused control request is a MockError with the mock\'s answer', async () => {
    const err = await world.advanceClock(-5).catch((e) => e);
    assert.ok(err instanceof MockError);
    assert.equal(err.status, 422);
    assert.deepEqual(err.body.error.detail.map((d) => d.loc), [['seconds']]);
    assert.match(err.message, /^POST \/_mock\/worlds\/w[0-9a-f]+\/clock\/advance: 422 /);
  });
});

test('two worlds of one mock see neither each other\'s flows nor each other\'s clock', async () => {
  const [a, b] = await Promise.all([createWorld(mock.url), createWorld(mock.url)]);
  try {
    await as(a, 'alice', 'POST', '/flows', { title: 'only in a', definition });
    await a.freezeClock('2030-01-01T00:00:00Z');
    assert.deepEqual(await titles(a), ['only in a']);
    assert.deepEqual(await titles(b), []);
    assert.equal((await b.clock()).frozen, false);
    assert.equal((await as(b, 'alice', 'GET', `/flows?filter_roles=flow_owner`)).status, 200);
  } finally {
    await Promise.all([a.delete(), b.delete()]);
  }
});

test('a world of a world document, deleted: its tokens answer 401', async () => {
  const doc = {
    identities: [{ id: '0a11ce00-0000-4000-8000-000000000001', username: 'zed@example.org', name: 'Zed' }],
    tokens: [{ token: 'tok-zed', identity_id: '0a11ce00-0000-4000-8000-000000000001', scopes: [VIEW_FLOWS] }],
  };
  let token;
  await useWorld(async (world) => {
    assert.deepEqual(Object.keys(world.tokens), ['zed']);
    token = world.token('zed');
    assert.equal((await fetch(`${mock.url}/flows`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
  }, mock.url, doc);
  assert.equal((await fetch(`${mock.url}/flows`, { headers: { Authorization: `Bearer ${token}` } })).status, 401);
});

test('deleting a world twice is fine', async () => {
  const world = await createWorld(mock.url);
  await world.delete();
  await world.delete();
  await assert.rejects(world.clock(), (err) => err instanceof MockError && err.status === 404);
});

test('createWorld without a URL uses GLOBUS_MOCK_URL, and says so when it is unset', async () => {
  const saved = process.env.GLOBUS_MOCK_URL;
  try {
    process.env.GLOBUS_MOCK_URL = mock.url;
    await (await createWorld()).delete();
    delete process.env.GLOBUS_MOCK_URL;
    await assert.rejects(createWorld(), /no mock URL: pass one, or set GLOBUS_MOCK_URL/);
  } finally {
    if (saved === undefined) delete process.env.GLOBUS_MOCK_URL;
    else process.env.GLOBUS_MOCK_URL = saved;
  }
});

describe('a mock with a control token', () => {
  let guarded;
  before(async () => {
    guarded = await startMock({ binary: BINARY, env: { MOCKSERVER_CONTROL_TOKEN: 'sesame' } });
  });
  after(() => guarded.stop());

  test('needs the token, from the options or MOCKSERVER_CONTROL_TOKEN, on every control request', async () => {
    const saved = process.env.MOCKSERVER_CONTROL_TOKEN;
    delete process.env.MOCKSERVER_CONTROL_TOKEN;
    try {
      await assert.rejects(createWorld(guarded.url), (err) => err.status === 401);
      const world = await createWorld(guarded.url, undefined, { controlToken: 'sesame' });
      await world.advanceClock(1);
      await world.delete();
      process.env.MOCKSERVER_CONTROL_TOKEN = 'sesame';
      const again = await createWorld(guarded.url);
      assert.equal((await again.requests()).length, 0);
      assert.equal(JSON.stringify(again).includes('sesame'), false, 'the control token shows in the JSON of a world');
      await again.delete();
    } finally {
      if (saved === undefined) delete process.env.MOCKSERVER_CONTROL_TOKEN;
      else process.env.MOCKSERVER_CONTROL_TOKEN = saved;
    }
  });
});
