import { test, expect } from '@globus-conformance/mock/playwright';
import { scenarios } from '../shared.js';

for (const [name, scenario] of Object.entries(scenarios)) {
  test(name, ({ world }) => scenario(world, expect));
}

test('the request fixture reaches the same world with a persona\'s token', async ({ world, request }) => {
  const res = await request.get(`${world.url}/flows`, { headers: world.headers('bob') });
  expect(res.status()).toBe(200);
  const [entry] = await world.requests({ method: 'GET', path: '/flows' });
  expect(entry.status).toBe(200);
});
