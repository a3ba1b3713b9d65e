// The example suites under Jest, Vitest and Playwright Test, each run as a user runs it: the
// runner's globalSetup starts the mock, two workers each get a world, and the suites meet at a
// rendezvous to show they ran at once without seeing each other's flows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startMock } from '../index.js';
import { BINARY, alive, script, tempDir } from './helpers.js';

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

// run runs a runner's examples with env over this process's and checks what its report says.
function run(runner, env) {
  assert.ok(existsSync(bin('.package-lock.json')), 'the examples are not installed: npm ci --prefix clients/js/examples (make js-helper does)');
  const out = tempDir();
  const rendezvous = tempDir();
  const full = { ...process.env, ...(typeof runner.env === 'function' ? runner.env(out) : runner.env), ...env, EXAMPLES_RENDEZVOUS: rendezvous, CI: '1' };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const res = spawnSync(process.execPath, runner.args(out), { cwd: join(EXAMPLES, runner.name), env: full, encoding: 'utf8', timeout: 180_000 });
  const said = `${res.stdout}\n${res.stderr}`.slice(-6000);
  assert.equal(res.status, 0, `${runner.name} exited ${res.status ?? res.signal}:\n${said}`);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.deepEqual(runner.counts(report), { passed: runner.passed, failed: 0, skipped: 0 }, said);
  const [a, b] = runner.pair;
  const pid = (name) => readFileSync(join(rendezvous, name), 'utf8');
  assert.deepEqual(readdirSync(rendezvous).sort(), [a, b]);
  assert.notEqual(pid(a), pid(b), `${a} and ${b} ran in one process`);
}

for (const runner of runners) {
  test(`the ${runner.name} examples pass in two workers, each in its own world, and leave no mock behind`, () => {
    // The binary, wrapped to tell its pid; the runner's globalSetup starts it.
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const binary = script(dir, 'mockserver', `echo $$ > ${pidFile}\nexec ${BINARY} "$@"`);
    run(runner, { GLOBUS_MOCK_URL: undefined, GLOBUS_MOCK_BINARY: binary });
    assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false, 'the mock outlived the run');
  });
}

describe('with GLOBUS_MOCK_URL', () => {
  let mock;
  before(async () => {
    mock = await startMock({ binary: BINARY });
  });
  after(() => mock.stop());

  for (const runner of runners) {
    test(`the ${runner.name} examples use that mock, delete the worlds they made and leave it running`, async () => {
      run(runner, { GLOBUS_MOCK_URL: mock.url, GLOBUS_MOCK_BINARY: '/nonexistent' });
      const res = await fetch(`${mock.url}/_mock/worlds`);
      assert.equal(res.status, 200);
      assert.deepEqual((await res.json()).worlds, []);
    });
  }
});

test('the declarations describe the modules to a TypeScript user (tsc --strict)', () => {
  const res = spawnSync(process.execPath, [bin('typescript/bin/tsc'), '-p', join(EXAMPLES, 'tsconfig.json')], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(res.status, 0, `${res.stdout}${res.stderr}`);
});
