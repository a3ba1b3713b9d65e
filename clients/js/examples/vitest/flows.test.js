import { test, expect } from '@globus-conformance/mock/vitest';
import { scenarios } from '../shared.js';

for (const [name, scenario] of Object.entries(scenarios)) {
  test(name, ({ world }) => scenario(world, expect));
}
