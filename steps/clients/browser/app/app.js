// A small app on the JS SDK's AuthorizationManager: log in (redirect transport, PKCE), list the
// caller's flows, open one, and when Flows answers an authorization requirements error (GARE)
// log in again with its parameters and retry; an expired token is refreshed by the SDK, and
// logging out revokes the tokens. Tokens live in localStorage because every login
// leaves the page; sessionStorage remembers the flow to open once the page comes back.
const { authorization, flows, errors } = globalThis.globus;
const $ = (id) => document.getElementById(id);
const say = (id, text) => { $(id).textContent = text; };

const manager = authorization.create({
  client: APP.client,
  redirect: APP.redirect,
  scopes: APP.scopes,
  useRefreshTokens: true,
  storage: localStorage,
});

async function listFlows() {
  const res = await flows.flows.getAll({ query: { filter_role: 'flow_viewer' } }, { manager });
  const doc = await res.json();
  if (!res.ok) throw new Error(`listing flows: ${res.status} ${JSON.stringify(doc)}`);
  $('flows').replaceChildren(...doc.flows.map((f) => {
    const li = document.createElement('li');
    li.dataset.flowId = f.id;
    const open = document.createElement('button');
    open.textContent = 'Open';
    open.onclick = () => openFlow(f.id);
    li.append(`${f.title} `, open);
    return li;
  }));
}

async function openFlow(id) {
  const res = await flows.flows.get(id, {}, { manager });
  const doc = await res.json();
  if (res.ok) {
    say('flow', `${doc.title}: states ${Object.keys(doc.definition.States).join(', ')}`);
    return;
  }
  if (errors.isAuthorizationRequirementsError(doc)) {
    sessionStorage.setItem('app:open', id);
    $('gare').querySelector('.session-message').textContent = doc.authorization_parameters.session_message;
    $('gare').hidden = false;
    $('reauth').onclick = () => manager.handleErrorResponse(doc);
    return;
  }
  throw new Error(`opening flow ${id}: ${res.status} ${JSON.stringify(doc)}`);
}

async function main() {
  if (new URLSearchParams(location.search).has('code') || new URLSearchParams(location.search).has('error')) {
    say('status', 'Completing login');
    await manager.handleCodeRedirect(); // stores the tokens and reloads the page without the code
    return;
  }
  if (!manager.authenticated) {
    say('status', 'Logged out');
    $('login').hidden = false;
    $('login').onclick = () => manager.login();
    return;
  }
  const rs = manager.tokens.getAll().map((t) => t.resource_server).sort();
  // The ID token of the login (asked for with openid) says who logged in.
  say('status', `Logged in as ${manager.user?.preferred_username || 'someone'} (tokens for ${rs.join(', ')})`);
  $('logout').hidden = false;
  $('logout').onclick = async () => {
    await manager.revoke(); // revokes every token with Auth and forgets them
    location.reload();
  };
  await listFlows();
  const pending = sessionStorage.getItem('app:open');
  if (pending) {
    sessionStorage.removeItem('app:open');
    await openFlow(pending);
  }
}

main().catch((e) => say('error', String(e && e.message ? e.message : e)));
