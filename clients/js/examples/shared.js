// What the example suites of every runner do with the official JS SDK. Every runner's expect
// speaks Jest's matchers, so the scenarios take it as an argument and each suite only says how
// its runner hands a test its world.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flows, transfer, errors } from '@globus/sdk';

// A flow whose run waits ten minutes of the mock's clock.
export const definition = {
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 600, End: true } },
};

// alice's guest collection in the default world's seed.
const GUEST = 'c011ec70-0000-4000-8000-000000000301';

/** alice creates a flow and runs it; the clock moves past its wait; the journal shows the run. */
export async function flowRun(world) {
  const headers = world.headers('alice');
  const created = await flows.flows.create({ payload: { title: 'example flow', definition }, headers });
  const flow = await created.json();
  const started = await flows.flows.run(flow.id, { payload: { body: {} }, headers });
  const run = await started.json();
  const status = async () => (await (await flows.runs.get(run.run_id, { headers })).json()).status;
  await world.settle();
  const waiting = await status();
  await world.advanceClock(601);
  const done = await status();
  const journal = await world.requests({ method: 'POST', path: '/flows/*/run' });
  return { created: created.status, started: started.status, waiting, done, journal: journal.map((e) => [e.path, e.status]), flowId: flow.id };
}

/** A fault on Transfer's rule creation, once: the SDK's error, then the rule. */
export async function faultOnce(world) {
  await world.injectFault({ operation: 'createAccessRule', status: 503, times: 1 });
  const create = () => transfer.access.create(GUEST, {
    payload: { DATA_TYPE: 'access', principal_type: 'identity', principal: '0b0b0000-0000-4000-8000-000000000002', path: '/shared/', permissions: 'r' },
    headers: world.headers('alice'),
  });
  const failed = await create();
  const error = await failed.json();
  const retried = await create();
  return { status: failed.status, wellFormed: errors.isErrorWellFormed(error), code: error.code, retried: retried.status };
}

/**
 * Makes a flow titled mine, waits until the suite called theirs has made its own (so both run at
 * once, in two workers), and answers the titles of the flows alice sees.
 */
export async function ownFlowsOnly(world, mine, theirs) {
  const headers = world.headers('alice');
  const created = await flows.flows.create({ payload: { title: mine, definition }, headers });
  if (created.status !== 201) throw new Error(`create ${mine}: ${created.status}`);
  await rendezvous(mine, theirs);
  const listed = await (await flows.flows.getAll({ query: { filter_roles: 'flow_owner' }, headers })).json();
  return listed.flows.map((f) => f.title);
}

// rendezvous marks mine done in EXAMPLES_RENDEZVOUS (a directory the driver makes) and waits for
// theirs: two suites that meet there ran at the same time. Without the variable it does not wait.
async function rendezvous(mine, theirs) {
  const dir = process.env.EXAMPLES_RENDEZVOUS;
  if (!dir) return;
  writeFileSync(join(dir, mine), String(process.pid));
  const deadline = Date.now() + 25_000;
  while (!existsSync(join(dir, theirs))) {
    if (Date.now() > deadline) throw new Error(`${theirs} never came: the suites did not run in parallel workers`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The scenarios each runner's flows suite runs, each as (world, expect) => Promise<void>. */
export const scenarios = {
  'the worker has the service URLs globalSetup exported': async (world, expect) => {
    expect(process.env.GLOBUS_SDK_SERVICE_URL_FLOWS).toBe(world.env().GLOBUS_SDK_SERVICE_URL_FLOWS);
  },
  'alice creates a flow, runs it, the clock ends its wait and the journal shows the run': async (world, expect) => {
    const got = await flowRun(world);
    expect(got).toMatchObject({ created: 201, started: 201, waiting: 'ACTIVE', done: 'SUCCEEDED' });
    expect(got.journal).toEqual([[`/flows/${got.flowId}/run`, 201]]);
  },
  "an injected fault is the SDK's error, once": async (world, expect) => {
    expect(await faultOnce(world)).toEqual({ status: 503, wellFormed: true, code: 'ServiceUnavailable', retried: 201 });
  },
};
