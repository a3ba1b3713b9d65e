import { world } from '@globus-conformance/mock/jest';
import { ownFlowsOnly } from '../shared.js';

const w = await world();

test('this file sees only the flow it made, while the other file makes its own', async () => {
  expect(await ownFlowsOnly(w, 'jest B', 'jest A')).toEqual(['jest B']);
});
