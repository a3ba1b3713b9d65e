import { test, expect } from '@globus-conformance/mock/vitest';
import { ownFlowsOnly } from '../shared.js';

test('this worker sees none of the flows the other worker makes meanwhile', async ({ world }) => {
  const titles = await ownFlowsOnly(world, 'vitest B', 'vitest A');
  expect(titles).toContain('vitest B');
  expect(titles).not.toContain('vitest A');
});
