// The example suites under Jest, Vitest and Playwright Test, each run as a user runs it: the
// runner's globalSetup starts the mock, two workers each get a world, and the suites meet at a
// rendezvous to show they ran at once without seeing each other's flows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');
const bin = (path) => join(EXAMPLES, 'node_modules', path);

const runners = [
  {
    name: 'jest',
    args: (out) => [bin('jest/bin/jest.js'), '--ci', '--cacheDirectory', join(out, 'cache'), '--json', '--outputFile', join(out, 'report.json')],
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() },
    counts: (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests }),
    passed: 5,
    pair: ['jest A', 'jest B'],
  },
  {
    name: 'vitest',
    args: (out) => [bin('vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${join(out, 'report.json')}`],
    env: {},
    counts: (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests }),
    passed: 6,
    pair: ['vitest A', 'vitest B'],
  },
  {
    name: 'playwright',
    args: (out) => [bin('@playwright/test/cli.js'), 'test', '--reporter=json', '--output', join(out, 'results')],
    env: (out) => ({ PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, 'report.json') }),
    counts: (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky, skipped: r.stats.skipped }),
    passed: 6,
    pair: ['playwright A', 'playwright B'],
  },
];

for (const runner of runners) {
  test(`the ${runner.name} examples pass in two workers, each in its own world`, () => {
    assert.ok(existsSync(bin('.package-lock.json')), 'the examples are not installed: npm ci --prefix clients/js/examples (make js-helper does)');
    const out = tempDir();
    const rendezvous = tempDir();
    const env = { ...process.env, ...(typeof runner.env === 'function' ? runner.env(out) : runner.env), EXAMPLES_RENDEZVOUS: rendezvous, CI: '1' };
    delete env.GLOBUS_MOCK_URL; // the runner's globalSetup starts the mock
    const res = spawnSync(process.execPath, runner.args(out), { cwd: join(EXAMPLES, runner.name), env, encoding: 'utf8', timeout: 180_000 });
    const said = `${res.stdout}\n${res.stderr}`.slice(-6000);
    assert.equal(res.status, 0, `${runner.name} exited ${res.status ?? res.signal}:\n${said}`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    assert.deepEqual(runner.counts(report), { passed: runner.passed, failed: 0, skipped: 0 }, said);
    const [a, b] = runner.pair;
    const pid = (name) => readFileSync(join(rendezvous, name), 'utf8');
    assert.deepEqual(readdirSync(rendezvous).sort(), [a, b]);
    assert.notEqual(pid(a), pid(b), `${a} and ${b} ran in one process`);
  });
}

test('the declarations describe the modules to a TypeScript user (tsc --strict)', () => {
  const res = spawnSync(process.execPath, [bin('typescript/bin/tsc'), '-p', join(EXAMPLES, 'tsconfig.json')], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(res.status, 0, `${res.stdout}${res.stderr}`);
});
