// @globus-conformance/mock: start the conformance kit's mock of Globus Flows, Transfer and Auth
// from a test run, and give each parallel worker a world of its own (POST /_mock/worlds), so
// that workers share one mock process but never see each other's flows, runs, clock or faults.
import { spawn, execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The services of the JS SDK, all pointed at the mock (one origin serves them): the ones it does
 * not emulate answer 404 there, so a test never reaches the real Globus by mistake.
 */
export const SERVICES = Object.freeze(['FLOWS', 'TRANSFER', 'AUTH', 'GROUPS', 'SEARCH', 'TIMERS', 'COMPUTE']);

/** The header the control plane reads a control token from (the mock's --control-token). */
export const CONTROL_TOKEN_HEADER = 'X-Mock-Control-Token';

// The first line cmd/mockserver prints once it listens; the origin is all it needs to say.
const BANNER = /^mockserver: serving Globus Flows, Transfer and Auth at (https?:\/\/\S+)\s*$/;
const MODULE_PATH = 'github.com/globus-conformance/kit';

/** A control-plane request the mock refused or could not answer. */
export class MockError extends Error {
  /**
   * @param {string} message
   * @param {number} [status] the HTTP status, when the mock answered
   * @param {unknown} [body] the answer's body (JSON when it was JSON)
   */
  constructor(message, status, body) {
    super(message);
    this.name = 'MockError';
    this.status = status;
    this.body = body;
  }
}

/**
 * The GLOBUS_SDK_SERVICE_URL_* variables that send the official SDKs and the CLI to the mock.
 * @param {string} url the mock's origin
 * @returns {Record<string, string>}
 */
export function serviceEnv(url) {
  const origin = trimSlash(url) + '/';
  return Object.fromEntries(SERVICES.map((s) => [`GLOBUS_SDK_SERVICE_URL_${s}`, origin]));
}

/**
 * Starts the mock on a free loopback port, or uses a running one (options.url or
 * GLOBUS_MOCK_URL). The binary is options.binary, else GLOBUS_MOCK_BINARY, else `mockserver` on
 * PATH, else built with `go build` when the current directory (or this package) lies inside a
 * checkout of the conformance kit.
 * @param {import('./index.d.ts').StartOptions} [options]
 * @returns {Promise<import('./index.d.ts').Mock>}
 */
export async function startMock(options = {}) {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const controlToken = options.controlToken ?? process.env.MOCKSERVER_CONTROL_TOKEN;
  const external = options.url ?? process.env.GLOBUS_MOCK_URL;
  if (external) {
    const url = trimSlash(external);
    await waitUntilAnswering(url, controlToken, timeoutMs);
    return { url, pid: undefined, external: true, stop: async () => {} };
  }
  const binary = options.binary ?? process.env.GLOBUS_MOCK_BINARY ?? onPath('mockserver') ?? (await buildFromCheckout(options.cwd));
  const args = ['--addr', '127.0.0.1:0', ...(options.args ?? [])];
  const child = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const stderr = tail(child.stderr, options.onLog);
  let url;
  try {
    url = await banner(child, stderr, timeoutMs, binary);
  } catch (err) {
    child.kill('SIGKILL');
    // A process it forked may hold the pipes open; they must not keep this process alive.
    child.stdout.destroy();
    child.stderr.destroy();
    throw err;
  }
  // A test process that dies without its teardown must not leave the mock behind.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const exited = new Promise((done) => child.once('exit', done));
  let stopping;
  return {
    url,
    pid: child.pid,
    external: false,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', orphan);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        }
      })();
      return stopping;
    },
  };
}

/**
 * Starts the mock (as startMock does) for a whole test run and puts GLOBUS_MOCK_URL and the
 * GLOBUS_SDK_SERVICE_URL_* variables in process.env, which the runners' workers inherit. Its stop
 * puts the variables back as they were, so that the next run of a watch mode starts a mock again
 * instead of finding the stopped one's URL.
 * @param {import('./index.d.ts').StartOptions} [options]
 * @returns {Promise<import('./index.d.ts').Mock>}
 */
export async function startMockForRun(options) {
  const mock = await startMock(options);
  const vars = { GLOBUS_MOCK_URL: mock.url, ...serviceEnv(mock.url) };
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return {
    ...mock,
    async stop() {
      await mock.stop();
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}

/**
 * Makes a world of its own on the mock: the default world's seed, or worldDocument (a world
 * file's JSON, as --fixtures and PUT /_mock/state take it).
 * @param {string} [url] the mock's origin (default: GLOBUS_MOCK_URL)
 * @param {object} [worldDocument]
 * @param {{ controlToken?: string }} [options]
 * @returns {Promise<World>}
 */
export async function createWorld(url, worldDocument, options = {}) {
  const origin = trimSlash(url ?? process.env.GLOBUS_MOCK_URL ?? '');
  if (!origin) {
    throw new MockError('createWorld: no mock URL: pass one, or set GLOBUS_MOCK_URL (startMock and the runner setups do)');
  }
  const controlToken = options.controlToken ?? process.env.MOCKSERVER_CONTROL_TOKEN;
  const doc = await control(origin, controlToken, 'POST', '/_mock/worlds', worldDocument);
  return new World(origin, doc, controlToken);
}

/**
 * Makes a world, hands it to use (a test runner's fixture callback) and deletes it afterwards.
 * @param {(world: World) => Promise<void>} use
 * @param {string} [url]
 * @param {object} [worldDocument]
 */
export async function useWorld(use, url, worldDocument) {
  const world = await createWorld(url, worldDocument);
  try {
    await use(world);
  } finally {
    await world.delete();
  }
}

/** One isolated world of a mock: its personas' tokens, its clients and its control plane. */
export class World {
  /**
   * @param {string} url the mock's origin
   * @param {{ id: string, tokens: Record<string, string>, clients: {id: string, secret: string}[], control: string }} doc
   *   the answer of POST /_mock/worlds
   * @param {string} [controlToken]
   */
  constructor(url, doc, controlToken) {
    this.url = url;
    this.id = doc.id;
    this.tokens = Object.freeze({ ...doc.tokens });
    this.clients = Object.freeze(doc.clients.map((c) => Object.freeze({ ...c })));
    this.controlPath = doc.control;
    Object.defineProperty(this, 'controlToken', { value: controlToken, enumerable: false });
  }

  /** The world's first OAuth client (client credentials that route to this world). */
  get client() {
    return this.clients[0];
  }

  /** @param {string} persona e.g. 'alice' */
  token(persona) {
    const token = this.tokens[persona];
    if (token === undefined) {
      throw new MockError(`world ${this.id} has no persona ${JSON.stringify(persona)} (it has ${Object.keys(this.tokens).join(', ')})`);
    }
    return token;
  }

  /** Headers that make a request as persona, for the JS SDK's `headers` option or fetch. */
  headers(persona) {
    return { Authorization: `Bearer ${this.token(persona)}` };
  }

  /** The GLOBUS_SDK_SERVICE_URL_* variables pointing the official clients at this world's mock. */
  env() {
    return serviceEnv(this.url);
  }

  /** The identity id a persona's token stands for. */
  async identity(persona) {
    const token = await this.request('GET', `/tokens/${encodeURIComponent(this.token(persona))}`);
    return token.identity_id;
  }

  /**
   * Any control-plane route of this world, e.g. request('POST', '/collections', {...}).
   * @param {string} method
   * @param {string} path under the world's control path, starting with '/'
   * @param {unknown} [body] sent as JSON
   */
  request(method, path, body) {
    return control(this.url, this.controlToken, method, this.controlPath + path, body);
  }

  clock() {
    return this.request('GET', '/clock');
  }

  /** Moves the world's clock forward; runs whose Wait states come due go on before it answers. */
  advanceClock(seconds) {
    return this.request('POST', '/clock/advance', { seconds });
  }

  /** Stops the clock, at `now` (a Date or an RFC 3339 string) or where it is. */
  freezeClock(now) {
    return this.request('POST', '/clock/freeze', now === undefined ? {} : { now: now instanceof Date ? now.toISOString() : now });
  }

  /** Puts the clock back on wall time. */
  followClock() {
    return this.request('POST', '/clock/follow');
  }

  /** Returns once no run can progress without the clock moving. */
  settle() {
    return this.request('POST', '/settle');
  }

  /**
   * Adds a fault rule, e.g. { operation: 'createFlow', status: 503, times: 1 }; answers the rule
   * with its id.
   */
  injectFault(rule) {
    return this.request('POST', '/faults', rule);
  }

  async faults() {
    return (await this.request('GET', '/faults')).faults;
  }

  /** Removes one fault rule (by id, or the rule injectFault answered), or all of them. */
  clearFaults(fault) {
    const id = typeof fault === 'object' && fault !== null ? fault.id : fault;
    return this.request('DELETE', id === undefined ? '/faults' : `/faults/${encodeURIComponent(id)}`);
  }

  /**
   * The request journal, oldest first.
   * @param {{ method?: string, path?: string, client?: string, bodies?: boolean }} [filter]
   *   path: a pattern as fault rules take it ('*' one segment, a trailing '/**' the rest)
   */
  async requests(filter = {}) {
    const q = new URLSearchParams();
    for (const key of ['method', 'path', 'client']) {
      if (filter[key] !== undefined) q.set(key, filter[key]);
    }
    if (filter.bodies) q.set('bodies', 'true');
    const query = q.size ? `?${q}` : '';
    return (await this.request('GET', `/requests${query}`)).requests;
  }

  clearRequests() {
    return this.request('DELETE', '/requests');
  }

  /** Back to the world's seed (the journal stays; fault rules go). */
  reset() {
    return this.request('POST', '/reset');
  }

  /**
   * Mints a token: { identity_id | persona, scopes?, expires_in? (seconds), ... } as POST
   * /_mock/tokens takes it; answers the token document ({ token, identity_id, expires_at, ... }).
   */
  async mintToken(spec) {
    const { persona, ...rest } = spec;
    const body = persona === undefined ? rest : { identity_id: await this.identity(persona), ...rest };
    return this.request('POST', '/tokens', body);
  }

  /** Decides who the next browser or CLI login is, e.g. { persona: 'alice', mfa: true }. */
  decideLogin(decision) {
    return this.request('POST', '/logins', decision);
  }

  /** The whole state, a valid world document. */
  state() {
    return this.request('GET', '/state');
  }

  /** Replaces the state with a world document. */
  load(worldDocument) {
    return this.request('PUT', '/state', worldDocument);
  }

  /** Frees the world on the mock; its tokens answer 401 from then on. Deleting twice is fine. */
  async delete() {
    try {
      await control(this.url, this.controlToken, 'DELETE', `/_mock/worlds/${encodeURIComponent(this.id)}`);
    } catch (err) {
      if (!(err instanceof MockError && err.status === 404)) throw err;
    }
  }

  toJSON() {
    return { id: this.id, url: this.url, tokens: this.tokens, clients: this.clients, control: this.controlPath };
  }
}

// control sends one control-plane request and answers its JSON, or throws a MockError that says
// what the mock answered.
async function control(origin, controlToken, method, path, body) {
  const headers = {};
  if (controlToken) headers[CONTROL_TOKEN_HEADER] = controlToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(origin + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new MockError(`${method} ${origin}${path}: ${err.cause?.message ?? err.message}`);
  }
  const text = await res.text();
  let parsed = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text for the message
  }
  if (!res.ok) {
    throw new MockError(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`, res.status, parsed);
  }
  return parsed;
}

async function waitUntilAnswering(url, controlToken, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await control(url, controlToken, 'GET', '/_mock/clock');
      return;
    } catch (err) {
      // A mock that answers but refuses (a missing control token) will not change its mind.
      if (err.status !== undefined || Date.now() > deadline) {
        throw new MockError(`the mock at ${url} does not answer its control plane: ${err.message}`, err.status, err.body);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// banner resolves with the origin of the mock's first stdout line, and rejects when the line is
// anything else, the process ends first, or nothing comes within timeoutMs.
function banner(child, stderr, timeoutMs, binary) {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const fail = (why) => {
      clearTimeout(timer);
      const printed = out.trim().slice(0, 500);
      const logs = stderr.text().trim();
      reject(new MockError(`${binary}: ${why}${printed ? `\nstdout: ${printed}` : ''}${logs ? `\nstderr: ${logs}` : ''}`));
    };
    const timer = setTimeout(() => fail(`printed no banner within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before it served`));
    const onData = (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      child.stdout.removeListener('data', onData);
      child.stdout.resume(); // the rest of the banner and anything later is not needed
      const first = out.slice(0, nl);
      const m = BANNER.exec(first);
      if (!m) return fail(`its first line is not the mockserver banner: ${JSON.stringify(first)}`);
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolvePromise(trimSlash(m[1]));
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
  });
}

// tail keeps the last lines of a stream for error messages (and passes each chunk to onLog).
function tail(stream, onLog) {
  let kept = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    onLog?.(chunk);
    kept = (kept + chunk).slice(-4000);
  });
  return { text: () => kept };
}

function onPath(name) {
  const names = process.platform === 'win32' ? [`${name}.exe`] : [name];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const n of names) {
      const candidate = join(dir || '.', n);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The root of the conformance kit's checkout holding dir, or undefined.
 * @param {string} dir
 */
export function findCheckout(dir) {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mod = join(d, 'go.mod');
    if (existsSync(mod) && existsSync(join(d, 'cmd', 'mockserver'))) {
      const first = readFileSync(mod, 'utf8').split('\n', 1)[0].trim();
      if (first === `module ${MODULE_PATH}`) return d;
    }
    if (dirname(d) === d) return undefined;
  }
}

// buildFromCheckout builds bin/mockserver of the checkout that holds cwd or this package, as
// `make build` does; go's build cache makes it quick when nothing changed.
async function buildFromCheckout(cwd) {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findCheckout(cwd ?? process.cwd()) ?? findCheckout(here);
  if (!root) {
    throw new MockError('no mockserver binary: pass options.binary, set GLOBUS_MOCK_BINARY or GLOBUS_MOCK_URL, put mockserver on PATH, or run inside a checkout of the conformance kit (which is built with go)');
  }
  const out = join(root, 'bin', process.platform === 'win32' ? 'mockserver.exe' : 'mockserver');
  await new Promise((done, reject) => {
    execFile('go', ['build', '-o', out, './cmd/mockserver'], { cwd: root, timeout: 600_000 }, (err, _stdout, stderr) => {
      if (err) reject(new MockError(`go build ./cmd/mockserver in ${root}: ${err.message}\n${stderr}`));
      else done();
    });
  });
  return out;
}

function trimSlash(url) {
  return url.replace(/\/+$/, '');
}
