// Types of @globus-conformance/mock (plain ESM JavaScript; no build step).

/** The services the official SDKs can be pointed at the mock for. */
export declare const SERVICES: readonly ['FLOWS', 'TRANSFER', 'AUTH', 'GROUPS', 'SEARCH', 'TIMERS', 'COMPUTE'];
/** The header the control plane reads a control token from. */
export declare const CONTROL_TOKEN_HEADER: 'X-Mock-Control-Token';

export interface StartOptions {
  /** A running mock to use instead of starting one (default: GLOBUS_MOCK_URL). */
  url?: string;
  /** The mockserver binary (default: GLOBUS_MOCK_BINARY, then `mockserver` on PATH, then `go build` in a checkout). */
  binary?: string;
  /** More command-line flags for the binary, e.g. ['--fixtures', 'world.json']. */
  args?: string[];
  /** More environment for the binary. */
  env?: Record<string, string>;
  /** Where to look for a checkout of the kit to build the binary in (default: the current directory). */
  cwd?: string;
  /** How long to wait for the banner, or for a running mock to answer (default 30000). */
  timeoutMs?: number;
  /** The control token (default: MOCKSERVER_CONTROL_TOKEN). */
  controlToken?: string;
  /** Receives what the mock logs to stderr. */
  onLog?: (chunk: string) => void;
}

export interface Mock {
  /** The mock's origin, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  /** The process id, when this call started the mock. */
  pid: number | undefined;
  /** Whether the mock was already running (its stop does nothing). */
  external: boolean;
  /** Stops the mock this call started; waits for it to exit. */
  stop(): Promise<void>;
}

export interface Client {
  id: string;
  secret: string;
}

export interface FaultRule {
  operation?: string;
  method?: string;
  path?: string;
  status?: 429 | 500 | 502 | 503;
  times?: number;
  probability?: number;
  retry_after?: number;
  latency_ms?: number;
  drop?: boolean;
}

export interface Fault extends FaultRule {
  id: string;
  code?: string;
  message?: string;
}

export interface JournalFilter {
  method?: string;
  /** A pattern as fault rules take it: '*' one segment, a trailing '/**' the rest. */
  path?: string;
  /** A substring of the client info or user agent. */
  client?: string;
  /** Include the bodies sent and answered (secrets masked). */
  bodies?: boolean;
}

export interface JournalEntry {
  time: string;
  method: string;
  path: string;
  status: number;
  request_id?: string;
  client_info?: string;
  user_agent?: string;
  fault?: string;
  duration_ms?: number;
  request_body?: unknown;
  response_body?: unknown;
  [key: string]: unknown;
}

export interface Clock {
  frozen: boolean;
  now: string;
}

export interface TokenSpec {
  /** A persona of the world (its identity id is looked up), or identity_id. */
  persona?: string;
  identity_id?: string;
  scopes?: string[];
  expires_in?: number;
  [key: string]: unknown;
}

export interface TokenDocument {
  token: string;
  identity_id: string;
  issued_at: string;
  expires_at: string;
  scopes?: string[];
  [key: string]: unknown;
}

/** The answer of POST /_mock/worlds. */
export interface WorldDocument {
  id: string;
  tokens: Record<string, string>;
  clients: Client[];
  control: string;
}

/** A control-plane request the mock refused or could not answer. */
export declare class MockError extends Error {
  /** The HTTP status, when the mock answered. */
  status: number | undefined;
  /** The answer's body (parsed when JSON). */
  body: unknown;
}

/** One isolated world of a mock. */
export declare class World {
  constructor(url: string, doc: WorldDocument, controlToken?: string);
  readonly url: string;
  readonly id: string;
  /** Persona name to bearer token, e.g. { alice: 'w1a2b3-tok-alice', ... }. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly clients: readonly Client[];
  /** The world's first OAuth client (undefined for a world document without clients). */
  readonly client: Client | undefined;
  /** The world's control path, e.g. /_mock/worlds/w1a2b3. */
  readonly controlPath: string;
  token(persona: string): string;
  /** { Authorization: 'Bearer <token>' }, for the JS SDK's `headers` option or fetch. */
  headers(persona: string): { Authorization: string };
  /** The GLOBUS_SDK_SERVICE_URL_* variables. */
  env(): Record<string, string>;
  identity(persona: string): Promise<string>;
  /** Any control-plane route of this world (path under the control path, starting with '/'). */
  request<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  clock(): Promise<Clock>;
  advanceClock(seconds: number): Promise<Clock>;
  freezeClock(now?: Date | string): Promise<Clock>;
  followClock(): Promise<Clock>;
  settle(): Promise<unknown>;
  injectFault(rule: FaultRule): Promise<Fault>;
  faults(): Promise<Fault[]>;
  /** One rule (its id, or the rule injectFault answered), or every rule. */
  clearFaults(fault?: string | Fault): Promise<unknown>;
  requests(filter?: JournalFilter): Promise<JournalEntry[]>;
  clearRequests(): Promise<unknown>;
  reset(): Promise<unknown>;
  mintToken(spec: TokenSpec): Promise<TokenDocument>;
  decideLogin(decision: { persona?: string; identity_id?: string; mfa?: boolean; auto?: boolean; [key: string]: unknown }): Promise<unknown>;
  state(): Promise<Record<string, unknown>>;
  load(worldDocument: Record<string, unknown>): Promise<unknown>;
  delete(): Promise<void>;
  toJSON(): WorldDocument & { url: string };
}

export declare function serviceEnv(url: string): Record<string, string>;
export declare function startMock(options?: StartOptions): Promise<Mock>;
/** startMock, then GLOBUS_MOCK_URL and GLOBUS_SDK_SERVICE_URL_* in process.env. */
export declare function startMockForRun(options?: StartOptions): Promise<Mock>;
export declare function createWorld(url?: string, worldDocument?: Record<string, unknown>, options?: { controlToken?: string }): Promise<World>;
export declare function useWorld(use: (world: World) => Promise<void>, url?: string, worldDocument?: Record<string, unknown>): Promise<void>;
/** The root of the conformance kit's checkout holding dir, or undefined. */
export declare function findCheckout(dir: string): string | undefined;
