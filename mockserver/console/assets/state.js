// Who the console acts as: a persona of the default world, whose token is tok-<name>.

export const PERSONAS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const KEY = 'mock-console-persona';

export function persona() {
  const p = sessionStorage.getItem(KEY);
  return PERSONAS.includes(p) ? p : 'alice';
}

export function setPersona(p) { sessionStorage.setItem(KEY, p); }

/** identities maps each persona to its identity (id, username), as Auth says; filled at start. */
export const identities = {};

/** urnName names an identity URN by its persona when it is one. */
export function urnName(urn) {
  const id = String(urn).replace('urn:globus:auth:identity:', '');
  const p = Object.keys(identities).find((k) => identities[k].id === id);
  return p ? `${p} (${urn})` : urn;
}

/** notify shows a message in the page's live region. */
export function notify(message, kind = 'info') {
  const n = document.getElementById('notice');
  n.className = kind;
  n.textContent = message;
}
