import { test, expect } from '@globus-conformance/mock/playwright';
import { ownFlowsOnly } from '../shared.js';

test('this worker sees none of the flows the other worker makes meanwhile', async ({ world }) => {
  const titles = await ownFlowsOnly(world, 'playwright A', 'playwright B');
  expect(titles).toContain('playwright A');
  expect(titles).not.toContain('playwright B');
});
