// Compiled (not run) by clients/js/test/examples.test.js: the hand-written declarations describe
// what the modules export, as a TypeScript user sees them.
import { createWorld, MockError, serviceEnv, startMock, type JournalEntry, type World } from '@globus-conformance/mock';
import { world } from '@globus-conformance/mock/jest';
import { test as vitestTest } from '@globus-conformance/mock/vitest';
import { expect, test as playwrightTest } from '@globus-conformance/mock/playwright';

export async function usesTheCore(): Promise<string> {
  const mock = await startMock({ timeoutMs: 1000, args: ['--log-level', 'warn'], onLog: (s: string) => s.length });
  const w: World = await createWorld(mock.url, { identities: [] }, { controlToken: 'x' });
  const entries: JournalEntry[] = await w.requests({ method: 'GET', path: '/flows/*', bodies: true });
  const fault = await w.injectFault({ operation: 'createFlow', status: 503, times: 1 });
  await w.clearFaults(fault);
  await w.freezeClock(new Date());
  const minted = await w.mintToken({ persona: 'bob', scopes: [], expires_in: 60 });
  const env: Record<string, string> = { ...serviceEnv(mock.url), ...w.env() };
  // @ts-expect-error a persona is named by a string
  w.token(1);
  await mock.stop();
  return `${entries.length} ${minted.token} ${env.GLOBUS_SDK_SERVICE_URL_FLOWS} ${w.headers('alice').Authorization} ${new MockError('x').status}`;
}

export async function usesJest(): Promise<string> {
  return (await world()).token('alice');
}

vitestTest('the fixture is a World', ({ world }) => {
  const id: string = world.id;
  return void id;
});

playwrightTest('the fixture is a World beside Playwright\'s own', async ({ world, request }) => {
  expect(world.client?.id).toBeDefined();
  await request.get(`${world.url}/flows`, { headers: world.headers('alice') });
});
