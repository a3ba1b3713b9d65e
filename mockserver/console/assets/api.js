// How the console speaks to the mock: the control plane with the control token (when the mock
// has one), the emulated APIs with the acting persona's token, never the other way round.

const TOKEN_KEY = 'mock-console-control-token';
const CLIENT_INFO = 'product=mock-console,version=1';

/** The control token, read once from ?token= (then dropped from the address bar) and kept for the tab. */
export function adoptControlToken() {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given !== null) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
}

export function setControlToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** ApiError carries the status and the service's own error document. */
export class ApiError extends Error {
  constructor(status, doc, text) {
    super(describe(status, doc, text));
    this.status = status;
    this.doc = doc;
  }
  get code() {
    const d = this.doc || {};
    return d.error?.code || d.code || d.errors?.[0]?.code || '';
  }
}

// describe reads Flows ({error: {code, detail}}), Transfer ({code, message}) and Auth
// ({errors: [...]}) error documents.
function describe(status, doc, text) {
  if (doc?.error) {
    const detail = Array.isArray(doc.error.detail)
      ? doc.error.detail.map((d) => `${(d.loc || []).join('.')}: ${d.msg}`).join('; ')
      : doc.error.detail;
    return `${status} ${doc.error.code}: ${detail}`;
  }
  if (doc?.code) return `${status} ${doc.code}: ${doc.message}`;
  if (doc?.errors?.length) return `${status} ${doc.errors[0].code}: ${doc.errors[0].detail || doc.errors[0].title}`;
  return `${status}: ${text || 'no body'}`;
}

async function send(path, {method = 'GET', body, headers = {}} = {}) {
  const init = {method, headers: {'X-Globus-Client-Info': CLIENT_INFO, ...headers}};
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let doc = null;
  try { doc = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) throw new ApiError(res.status, doc, text);
  return doc;
}

/** control calls the control plane. */
export function control(path, opts = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = token ? {'X-Mock-Control-Token': token} : {};
  return send(`/_mock/${path}`, {...opts, headers});
}

/** as calls an emulated API as a persona of the default world (tok-<name>). */
export function as(persona, path, opts = {}) {
  return send(path, {...opts, headers: {Authorization: `Bearer tok-${persona}`}});
}

/** query joins parameters, leaving out empty ones. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
