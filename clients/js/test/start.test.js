// startMock: which binary it runs, the banner it waits for, what it says when a start goes wrong,
// a running mock given by URL, and stop.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MockError, findCheckout, serviceEnv, startMock, startMockForRun } from '../index.js';
import { BINARY, alive, script, tempDir } from './helpers.js';

// Each case runs with these variables unset, so that the machine's own settings do not decide.
const OWN = ['GLOBUS_MOCK_URL', 'GLOBUS_MOCK_BINARY', 'MOCKSERVER_CONTROL_TOKEN'];
const unset = (vars) => Object.fromEntries(Object.keys(vars).map((k) => [k, undefined]));
function withEnv(vars, fn) {
  return async () => {
    const saved = Object.fromEntries([...OWN, ...Object.keys(vars)].map((k) => [k, process.env[k]]));
    for (const k of OWN) delete process.env[k];
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    try {
      await fn();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
}

describe('startMock', () => {
  test('runs the binary on a free port, serves, and stop ends the process', withEnv({}, async () => {
    const mock = await startMock({ binary: BINARY });
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(mock.external, false);
    const res = await fetch(`${mock.url}/flows`, { headers: { Authorization: 'Bearer tok-alice' } });
    assert.equal(res.status, 200);
    await mock.stop();
    await mock.stop(); // a second stop is harmless
    assert.equal(alive(mock.pid), false);
    await assert.rejects(fetch(`${mock.url}/_mock/clock`));
  }));

  test('two mocks get two ports', withEnv({}, async () => {
    const [a, b] = await Promise.all([startMock({ binary: BINARY }), startMock({ binary: BINARY })]);
    try {
      assert.notEqual(a.url, b.url);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }));

  const dir = tempDir();
  const cases = [
    {
      name: 'a first line that is not the banner',
      body: 'echo "listening on 8080"; sleep 30',
      want: /first line is not the mockserver banner: "listening on 8080"/,
    },
    {
      name: 'an exit before the banner, with what it logged',
      body: 'echo "bad flag" >&2; exit 3',
      want: /exited \(code 3\) before it served[\s\S]*stderr: bad flag/,
    },
    {
      name: 'no banner in time',
      body: 'sleep 30',
      timeoutMs: 300,
      want: /printed no banner within 300 ms/,
    },
  ];
  for (const c of cases) {
    test(`refuses ${c.name}`, withEnv({}, async () => {
      const pidFile = join(dir, `${cases.indexOf(c)}.pid`);
      const binary = script(dir, `fake-${cases.indexOf(c)}`, `echo $$ > ${pidFile}\n${c.body}`);
      const err = await startMock({ binary, timeoutMs: c.timeoutMs }).catch((e) => e);
      assert.ok(err instanceof MockError, `not a MockError: ${err}`);
      assert.match(err.message, c.want);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(alive(pid), false, 'the refused process is left running');
    }));
  }

  test('a binary that cannot be started says so', withEnv({}, async () => {
    await assert.rejects(startMock({ binary: join(dir, 'missing') }), /could not start: .*ENOENT/);
  }));

  test('GLOBUS_MOCK_BINARY comes before PATH, and PATH before a build', withEnv({}, async () => {
    const bin = tempDir();
    const marker = join(bin, 'ran');
    script(bin, 'mockserver', `echo path > ${marker}\nexec ${BINARY} "$@"`);
    const viaEnv = script(tempDir(), 'mock', `echo env > ${marker}\nexec ${BINARY} "$@"`);
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    try {
      process.env.GLOBUS_MOCK_BINARY = viaEnv;
      await (await startMock()).stop();
      assert.equal(readFileSync(marker, 'utf8').trim(), 'env');
      delete process.env.GLOBUS_MOCK_BINARY;
      await (await startMock({ cwd: bin })).stop();
      assert.equal(readFileSync(marker, 'utf8').trim(), 'path');
    } finally {
      process.env.PATH = saved;
    }
  }));

  test('without a binary, builds cmd/mockserver of the checkout it runs in', withEnv({}, async () => {
    // A checkout of the kit in miniature, and a go that "builds" by linking the real binary.
    const root = tempDir();
    writeFileSync(join(root, 'go.mod'), 'module github.com/globus-conformance/kit\n\ngo 1.26\n');
    mkdirSync(join(root, 'cmd', 'mockserver'), { recursive: true });
    mkdirSync(join(root, 'sub', 'dir'), { recursive: true });
    const tools = tempDir();
    script(tools, 'go', `echo "$PWD $*" > ${join(tools, 'args')}\nmkdir -p "$(dirname "$3")"\nprintf '#!/bin/sh\\nexec ${BINARY} "$@"\\n' > "$3"\nchmod +x "$3"`);
    const saved = process.env.PATH;
    process.env.PATH = `${tools}:/usr/bin:/bin`; // no mockserver on it
    try {
      const mock = await startMock({ cwd: join(root, 'sub', 'dir') });
      await mock.stop();
    } finally {
      process.env.PATH = saved;
    }
    assert.equal(readFileSync(join(tools, 'args'), 'utf8').trim(), `${root} build -o ${join(root, 'bin', 'mockserver')} ./cmd/mockserver`);
    assert.ok(existsSync(join(root, 'bin', 'mockserver')));
  }));

  test('findCheckout finds the root of the kit from inside it, and nothing elsewhere', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    assert.equal(findCheckout(join(import.meta.dirname, 'x', 'y')), root);
    assert.equal(findCheckout(tempDir()), undefined);
  });
});

describe('startMock with a running mock', () => {
  let mock;
  before(async () => {
    mock = await startMock({ binary: BINARY, args: ['--control-token', 'sesame'] });
  });
  after(() => mock.stop());

  test('GLOBUS_MOCK_URL is used as it is, and its stop leaves it running', withEnv({ MOCKSERVER_CONTROL_TOKEN: 'sesame' }, async () => {
    process.env.GLOBUS_MOCK_URL = `${mock.url}/`;
    const used = await startMock({ binary: '/nonexistent' });
    assert.deepEqual({ url: used.url, external: used.external }, { url: mock.url, external: true });
    await used.stop();
    const res = await fetch(`${mock.url}/_mock/clock`, { headers: { 'X-Mock-Control-Token': 'sesame' } });
    assert.equal(res.status, 200);
  }));

  test('a running mock that refuses the control plane is reported at once, not waited for', withEnv({}, async () => {
    const started = Date.now();
    const err = await startMock({ url: mock.url, timeoutMs: 20_000 }).catch((e) => e);
    assert.ok(err instanceof MockError);
    assert.equal(err.status, 401);
    assert.ok(Date.now() - started < 10_000);
  }));

  test('a URL where nothing answers fails after the timeout', withEnv({}, async () => {
    const closed = await startMock({ binary: BINARY });
    await closed.stop();
    await assert.rejects(startMock({ url: closed.url, timeoutMs: 300 }), /does not answer its control plane/);
  }));
});

test('serviceEnv points every service of the SDK at the origin, with one trailing slash', () => {
  assert.deepEqual(serviceEnv('http://127.0.0.1:9/'), {
    GLOBUS_SDK_SERVICE_URL_FLOWS: 'http://127.0.0.1:9/',
    GLOBUS_SDK_SERVICE_URL_TRANSFER: 'http://127.0.0.1:9/',
    GLOBUS_SDK_SERVICE_URL_AUTH: 'http://127.0.0.1:9/',
    GLOBUS_SDK_SERVICE_URL_GROUPS: 'http://127.0.0.1:9/',
    GLOBUS_SDK_SERVICE_URL_SEARCH: 'http://127.0.0.1:9/',
    GLOBUS_SDK_SERVICE_URL_TIMERS: 'http://127.0.0.1:9/',
    GLOBUS_SDK_SERVICE_URL_COMPUTE: 'http://127.0.0.1:9/',
  });
});

test('startMockForRun exports the URLs for the workers, and its stop takes them back', withEnv({ ...unset(serviceEnv('http://x')), GLOBUS_SDK_SERVICE_URL_AUTH: 'http://elsewhere/' }, async () => {
  const mock = await startMockForRun({ binary: BINARY });
  assert.equal(process.env.GLOBUS_MOCK_URL, mock.url);
  assert.equal(process.env.GLOBUS_SDK_SERVICE_URL_FLOWS, `${mock.url}/`);
  assert.equal(process.env.GLOBUS_SDK_SERVICE_URL_AUTH, `${mock.url}/`);
  await mock.stop();
  assert.equal(alive(mock.pid), false);
  assert.equal(process.env.GLOBUS_MOCK_URL, undefined);
  assert.equal(process.env.GLOBUS_SDK_SERVICE_URL_FLOWS, undefined);
  assert.equal(process.env.GLOBUS_SDK_SERVICE_URL_AUTH, 'http://elsewhere/');
}));
