import { test, expect } from '@globus-conformance/mock/vitest';
import { ownFlowsOnly } from '../shared.js';

test('this worker sees none of the flows the other worker makes meanwhile', async ({ world }) => {
  const titles = await ownFlowsOnly(world, 'vitest A', 'vitest B');
  expect(titles).toContain('vitest A');
  expect(titles).not.toContain('vitest B');
});
