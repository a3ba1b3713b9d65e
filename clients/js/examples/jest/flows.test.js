import { world } from '@globus-conformance/mock/jest';
import { scenarios } from '../shared.js';

const w = await world();

for (const [name, scenario] of Object.entries(scenarios)) {
  test(name, () => scenario(w, expect));
}
