import { test, expect } from '@globus-conformance/mock/playwright';
import { ownFlowsOnly } from '../shared.js';

test('this worker sees none of the flows the other worker makes meanwhile', async ({ world }) => {
  const titles = await ownFlowsOnly(world, 'playwright B', 'playwright A');
  expect(titles).toContain('playwright B');
  expect(titles).not.toContain('playwright A');
});
