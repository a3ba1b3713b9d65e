import { inject } from 'vitest';
import { test, expect } from '@globus-conformance/mock/vitest';
import { scenarios } from '../shared.js';

for (const [name, scenario] of Object.entries(scenarios)) {
  test(name, ({ world }) => scenario(world, expect));
}

test('the global setup provides the mock\'s URL', ({ world }) => {
  expect(inject('globusMockUrl')).toBe(world.url);
});
