// Drives the browser app (app/) in Chromium with Playwright: a login through the mock's login
// page, the flow listing, a high-assurance flow's GARE, a refused and an accepted second login,
// the retried request, a refresh once the tokens expired on the mock clock, and the log out.
// APP is the app's URL, MOCK the mock's, HA_FLOW and HA_POLICY the high-assurance flow and its
// policy, FLOW a standard flow, all arranged by the Go test.
import { chromium } from 'playwright-core';

const { APP, MOCK, FLOW, HA_FLOW, HA_POLICY } = process.env;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

function check(ok, what) {
  if (!ok) throw new Error(what);
  console.log(`ok: ${what}`);
}

const text = (page, sel) => page.locator(sel).innerText();

// control calls the mock's control plane (from Node: it answers no browser).
async function control(method, path, body) {
  const res = await fetch(`${MOCK}${path}`, { method, body: body && JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' } });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

// login picks an identity on the mock's login page (its real form) and submits it.
async function login(page, username, mfa) {
  const option = page.locator('select[name=identity_id] option', { hasText: username }).first();
  await page.locator('select[name=identity_id]').selectOption(await option.getAttribute('value'));
  await page.locator('input[name=mfa]').setChecked(mfa);
  await page.locator('button[type=submit]').click();
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const page = await browser.newPage();
try {
  page.setDefaultTimeout(20000); // a shared CI machine under -race can be slow
  page.on('console', (m) => console.log(`page console: ${m.text()} ${m.location().url}`));

  await page.goto(APP);
  await page.locator('#login:visible').waitFor();
  check((await text(page, '#status')) === 'Logged out', 'the app starts logged out');

  await page.locator('#login').click();
  await page.waitForURL((u) => u.href.startsWith(`${MOCK}/v2/oauth2/authorize`));
  check((await text(page, 'h1')) === 'Log in to Browser app', "the mock's login page names the app's client");

  await login(page, 'alice@example.org', false);
  await page.waitForURL((u) => u.href.startsWith(APP) && !u.search);
  await page.locator(`#flows li[data-flow-id="${HA_FLOW}"]`).waitFor();
  const status = await text(page, '#status');
  check(status.includes('auth.globus.org') && status.includes('flows.globus.org'),
    `back in the app with tokens from the code exchange: ${status}`);
  check(status.includes('Logged in as alice@example.org'), `manager.user reads the login's ID token: ${status}`);
  const listed = await text(page, '#flows');
  check(listed.includes('Standard flow') && listed.includes('High-assurance flow'), 'the app lists the flows');
  check(await page.locator(`#flows li[data-flow-id="${FLOW}"]`).count() === 1, 'the standard flow is listed by id');

  await page.locator(`#flows li[data-flow-id="${HA_FLOW}"] button`).click();
  await page.locator('#gare:visible').waitFor();
  const message = await text(page, '#gare .session-message');
  check(message.length > 0, `the GET of the high-assurance flow answers a GARE: ${message}`);

  await page.locator('#reauth').click();
  await page.waitForURL((u) => u.href.startsWith(`${MOCK}/v2/oauth2/authorize`));
  const asked = new URL(page.url()).searchParams;
  check(asked.get('session_required_policies') === HA_POLICY && asked.get('prompt') === 'login',
    'handleErrorResponse sends the GARE to the login with the policy and prompt=login');
  const body = await text(page, 'body');
  check(body.includes(`Required policies: `) && body.includes(HA_POLICY) && body.includes('Multi-factor authentication is required')
    && body.includes(message), "the login page shows the requirement and the GARE's message");

  await login(page, 'alice@example.org', false);
  const refusal = await text(page, '.refusal');
  check(/multi-factor/i.test(refusal), `the login page refuses a login without MFA and says why: ${refusal}`);
  check(page.url().startsWith(MOCK), 'the refused login stays on the login page');

  await login(page, 'alice@example.org', true);
  await page.waitForURL((u) => u.href.startsWith(APP) && !u.search);
  await page.locator('#flow:not(:empty)').waitFor();
  check((await text(page, '#flow')) === 'High-assurance flow: states A', 'the retried GET succeeds');
  const haGets = (await control('GET', `/_mock/requests?method=GET&path=/flows/${HA_FLOW}`)).requests.map((r) => r.status);
  check(JSON.stringify(haGets) === '[403,200]', `the first GET was refused with 403, the retry not: ${haGets}`);

  // Past the tokens' lifetime on the mock clock, Flows answers 401 and the SDK refreshes.
  await control('POST', '/_mock/clock/advance', { seconds: 48 * 3600 + 60 });
  await page.locator(`#flows li[data-flow-id="${FLOW}"] button`).click();
  await page.locator('#flow', { hasText: 'Standard flow' }).waitFor();
  const gets = (await control('GET', `/_mock/requests?method=GET&path=/flows/${FLOW}`)).requests.map((r) => r.status);
  check(JSON.stringify(gets) === '[401,200]', `an expired token is refreshed and the GET retried: ${gets}`);

  await page.locator('#logout').click();
  await page.locator('#login:visible').waitFor();
  const revoked = (await control('GET', '/_mock/requests?method=POST&path=/v2/oauth2/token/revoke')).requests;
  check(revoked.length === 2 && revoked.every((r) => r.status === 200), `logging out revokes both tokens: ${revoked.length}`);
  check((await text(page, '#error')) === '', 'the app reported no error');
} catch (e) {
  // What the browser showed when a step failed.
  console.log(`at ${page.url()}:\n${await page.locator('body').innerText().catch(() => '')}`);
  throw e;
} finally {
  await browser.close();
}
