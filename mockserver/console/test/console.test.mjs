// The console in a real browser: Debian's chromium driven by playwright-core. Run by
// TestConsoleInBrowser (browser_test.go), which starts the mocks and passes their URLs:
// MOCK_URL (the default world), SCALE_URL (10,000 runs of alice's), GUARDED_URL with
// GUARD_TOKEN (a mock whose control plane needs a token), SCREENSHOTS (a folder, to write the
// README's pictures there).
import {chromium} from 'playwright-core';
import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {createHash} from 'node:crypto';

const mock = process.env.MOCK_URL;
const scale = process.env.SCALE_URL;
const shots = process.env.SCREENSHOTS;
const BOB = '0b0b0000-0000-4000-8000-000000000002';
const DAVE = '0da0e000-0000-4000-8000-000000000004';
const COLLECTION = 'c011ec70-0000-4000-8000-000000000301';
const TIMEOUT = 10_000;

// api calls the mock as a client would: a persona's token on the emulated APIs.
async function api(path, {persona = 'alice', method = 'GET', body} = {}) {
  const res = await fetch(mock + path, {method, headers: {Authorization: `Bearer tok-${persona}`, 'Content-Type': 'application/json'},
    body: body === undefined ? undefined : JSON.stringify(body)});
  const doc = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(doc)}`);
  return doc;
}

const definition = {
  StartAt: 'Ask',
  States: {
    Ask: {Type: 'CreateWebInput', ResultPath: '$.question', Next: 'Await', Parameters: {InputType: 'Selection',
      Context: {Title: 'Release the files?', Rows: [{Field: 'Files', 'Value.$': '$.files'}]},
      Options: [{Value: 'yes', Label: 'Release', Description: 'Let them go'}, {Value: 'no', Label: 'Keep'}],
      RespondentUrns: [`urn:globus:auth:identity:${BOB}`]}},
    Await: {Type: 'AwaitWebInput', Parameters: {'web_input_id.$': '$.question.web_input_id'}, ResultPath: '$.answer', Next: 'Decide'},
    Decide: {Type: 'Choice', Choices: [{Variable: '$.answer.response', StringEquals: 'yes', Next: 'Cool off'}], Default: 'Refused'},
    'Cool off': {Type: 'Wait', Seconds: 3600, Next: 'Done'},
    Refused: {Type: 'Fail', Error: 'Refused'},
    Done: {Type: 'Pass', End: true},
  },
};

// contrastProblems runs in the page: each element with text of its own whose colour, against the
// first opaque background behind it, falls below WCAG's 4.5:1.
function contrastProblems() {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      if (e.tagName === 'svg' || e.closest?.('svg') === e) continue;
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('select, option, [hidden]') || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const fg = rgb(el instanceof SVGElement ? style.fill : style.color).slice(0, 3);
    const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) out.push(`${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} "${el.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
  }
  return out;
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const start = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message.split('\n')[0]}`);
    if (page) await page.screenshot({path: join(process.env.FAILURES || '.', `failure-${passed + failed}.png`), fullPage: true}).catch(() => {});
  }
}

async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, {recursive: true});
  await page.screenshot({path: join(shots, `${name}.png`), fullPage: false});
}

// text waits until an element shows a text.
async function text(selector, want) {
  await page.locator(selector).filter({hasText: want}).first().waitFor({timeout: TIMEOUT});
}

const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage']});
const context = await browser.newContext({viewport: {width: 1280, height: 860}});
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// A refusal the page shows (bob's 403, the consents API's 404) is logged by the browser too.
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });

let flow;
let run;
await check('the console opens on the runs page, acting as alice', async () => {
  await page.goto(`${mock}/_mock/console/`);
  await text('h1', 'Runs');
  if (await page.locator('#persona').inputValue() !== 'alice') throw new Error('the persona picker does not say alice');
});

await check('a flow with a web input, started through the API, shows on its diagram and timeline', async () => {
  flow = await api('/flows', {method: 'POST', body: {title: 'Release', definition, input_schema: {}}});
  run = await api(`/flows/${flow.id}/run`, {method: 'POST', body: {body: {files: '3 files'}, label: 'release run'}});
  await page.goto(`${mock}/_mock/console/#/runs/${run.run_id}`);
  await text('#run-status', 'INACTIVE');
  await text('#current-state', 'Await');
  await page.locator('svg.diagram .node-current[data-state="Await"]').waitFor({timeout: TIMEOUT});
  await text('ol.timeline', 'AwaitWebInputStarted');
  await page.locator('svg.diagram .edge-choice text', {hasText: 'Default'}).waitFor({timeout: TIMEOUT});
  await shot('run');
});

await check('the flow page draws the definition with its Choice branches and Catch edges', async () => {
  await page.goto(`${mock}/_mock/console/#/flows/${flow.id}`);
  await text('h1', 'Release');
  for (const state of Object.keys(definition.States)) await page.locator(`svg.diagram [data-state="${state}"]`).waitFor({timeout: TIMEOUT});
  await page.locator('svg.diagram .edge-choice text', {hasText: 'StringEquals'}).waitFor({timeout: TIMEOUT});
  await shot('flow');
  const patient = await api('/flows', {method: 'POST', body: {title: 'Patient', definition: {StartAt: 'Sleepy', States: {
    Sleepy: {Type: 'Action', ActionUrl: 'https://actions.globus.org/hello_world', Parameters: {echo_string: 'zzz'}, ResultPath: '$.out',
      Catch: [{ErrorEquals: ['ActionTimeout'], ResultPath: '$.timeout', Next: 'GaveUp'}], End: true},
    GaveUp: {Type: 'Pass', End: true}}}}});
  await page.goto(`${mock}/_mock/console/#/flows/${patient.id}`);
  await page.locator('svg.diagram .edge-catch[data-from="Sleepy"][data-to="GaveUp"]', {hasText: 'Catch ActionTimeout'})
    .waitFor({timeout: TIMEOUT});
});

await check('bob answers the web input in the page; the run goes on to the Wait state', async () => {
  await page.goto(`${mock}/_mock/console/#/people`);
  await page.selectOption('#persona', 'bob');
  await page.getByRole('group', {name: /Answer .Release the files\?/}).waitFor({timeout: TIMEOUT});
  await page.getByLabel('Release', {exact: true}).check();
  await shot('people');
  await page.getByRole('button', {name: 'Send answer'}).click();
  await text('#notice', 'Answered as bob: Release');
  await page.selectOption('#persona', 'alice');
  await page.goto(`${mock}/_mock/console/#/runs/${run.run_id}`);
  await text('#current-state', 'Cool off');
  await text('ol.timeline', 'WaitStarted');
});

await check('a pending login is approved in the page, through the login page\'s form, as carol with MFA', async () => {
  const verifier = 'v'.repeat(50);
  const q = new URLSearchParams({client_id: '0c11e570-0000-4000-8000-000000000402', redirect_uri: 'http://127.0.0.1:8765/callback',
    response_type: 'code', scope: 'openid', state: 's1', code_challenge_method: 'S256',
    code_challenge: createHash('sha256').update(verifier).digest('base64url')});
  const res = await fetch(`${mock}/v2/oauth2/authorize?${q}`, {redirect: 'manual', headers: {Accept: 'text/html'}});
  if (res.status !== 200) throw new Error(`authorize answered ${res.status}`);
  await page.goto(`${mock}/_mock/console/#/people`);
  const row = page.locator('section[aria-label="Logins"] tbody tr', {hasText: 'pending'});
  await row.getByLabel('As').selectOption('carol');
  await row.getByLabel('With MFA').check();
  await row.getByRole('button', {name: 'Approve'}).click();
  await text('#notice', 'Login approved as carol');
  const logins = (await (await fetch(`${mock}/_mock/logins`)).json()).logins;
  const decided = logins.map((l) => `${l.status} ${l.identity_id} mfa=${l.mfa}`).join();
  if (decided !== 'approved 0ca20100-0000-4000-8000-000000000003 mfa=true') throw new Error(`the logins: ${decided}`);
});

await check('a consent granted on the people page is listed as Auth answers it', async () => {
  await page.goto(`${mock}/_mock/console/#/people`);
  await text('main h1', 'People');
  await page.getByLabel('Scope', {exact: true}).fill('urn:globus:auth:scope:transfer.api.globus.org:all');
  await page.getByRole('button', {name: 'Grant consent'}).click();
  await text('table', 'urn:globus:auth:scope:transfer.api.globus.org:all');
  const me = '0a11ce00-0000-4000-8000-000000000001';
  const doc = await (await fetch(`${mock}/v2/api/identities/${me}/consents?all=true`,
    {headers: {Authorization: 'Bearer tok-alice'}})).json();
  if (!doc.consents.some((c) => c.scope_name === 'urn:globus:auth:scope:transfer.api.globus.org:all')) {
    throw new Error(`the consents: ${JSON.stringify(doc)}`);
  }
});

await check('the people page lists the projects the persona administers, through a group too, with their policies', async () => {
  const lab = '6a0c0000-0000-4000-8000-000000000101'; // Research Lab: carol administers it, dave is a member
  const made = await api('/v2/api/projects', {method: 'POST', body: {project: {display_name: 'Lab portal',
    contact_email: 'lab@example.org', admin_ids: ['0ca20100-0000-4000-8000-000000000003'], admin_group_ids: [lab]}}});
  await api('/v2/api/policies', {persona: 'carol', method: 'POST', body: {policy: {project_id: made.project.id,
    display_name: 'Lab MFA', description: '', high_assurance: true, required_mfa: true, authentication_assurance_timeout: 600}}});
  await page.goto(`${mock}/_mock/console/#/people`);
  await page.selectOption('#persona', 'dave');
  const row = page.locator('section[aria-label="Projects"] tbody tr', {hasText: 'Lab portal'});
  await row.filter({hasText: 'group Research Lab'}).filter({hasText: 'Lab MFA (high assurance, MFA, 600 s)'}).waitFor({timeout: TIMEOUT});
  await page.selectOption('#persona', 'bob');
  await page.locator('section[aria-label="Projects"] tbody td.empty').waitFor({timeout: TIMEOUT});
  await page.selectOption('#persona', 'alice');
});

await check('advancing the clock from the test bench ends the Wait state; the run page sees it SUCCEED', async () => {
  await page.goto(`${mock}/_mock/console/#/bench`);
  await page.getByLabel('Seconds').fill('3600');
  await page.getByRole('button', {name: 'Advance'}).click();
  await text('#notice', 'the clock reads');
  await shot('bench');
  await page.goto(`${mock}/_mock/console/#/runs/${run.run_id}`);
  await text('#run-status', 'SUCCEEDED');
  await text('ol.timeline', 'WaitCompleted');
  await text('ol.timeline', 'FlowSucceeded');
});

await check('an open run page follows the run as it goes on, without a reload, private input redacted', async () => {
  const live = await api(`/flows/${flow.id}/run`, {method: 'POST', body: {body: {files: 'some', _private: {password: 'hunter2'}}, label: 'live'}});
  await page.goto(`${mock}/_mock/console/#/runs/${live.run_id}`);
  await text('#current-state', 'Await');
  await page.evaluate(() => { window.sameDocument = true; });
  const open = (await api(`/web_inputs?filter_run_ids=${live.run_id}`, {persona: 'bob'})).web_input_summaries[0];
  const keep = (await api(`/web_inputs/${open.id}`, {persona: 'bob'})).input_schema.oneOf.find((o) => o.title === 'Keep');
  await api(`/web_inputs/${open.id}/respond`, {persona: 'bob', method: 'POST', body: {response: {value: keep.const}}});
  await text('#run-status', 'FAILED');
  await text('ol.timeline', 'FailStarted');
  await page.locator('svg.diagram .node-visited[data-state="Refused"]').waitFor({timeout: TIMEOUT});
  if (!await page.evaluate(() => window.sameDocument)) throw new Error('the page was reloaded');
  if ((await page.content()).includes('hunter2')) throw new Error('the page shows a private value of the run input');
});

await check('a run is cancelled from its page as alice (it FAILS, FlowCanceled); bob is not shown it at all', async () => {
  const other = await api(`/flows/${flow.id}/run`, {method: 'POST', body: {body: {files: 'none'}, label: 'to cancel'}});
  await page.selectOption('#persona', 'bob');
  await page.goto(`${mock}/_mock/console/#/runs/${other.run_id}`);
  await text('main .error', '404');
  if (await page.locator('ol.timeline').count()) throw new Error('bob is shown the timeline of alice\'s run');
  await page.selectOption('#persona', 'alice');
  await text('#run-status', 'INACTIVE');
  await page.getByRole('button', {name: 'Cancel'}).click();
  await text('#notice', 'cancel sent as alice');
  await text('#run-status', 'FAILED');
  await text('ol.timeline', 'FlowCanceled');
});

await check('a fault rule is added and removed on the test bench', async () => {
  await page.goto(`${mock}/_mock/console/#/bench`);
  await page.getByLabel('Operation').fill('listAccessRules');
  await page.getByLabel('Times (0: until removed)').fill('0');
  await page.getByRole('button', {name: 'Add fault'}).click();
  const row = page.locator('section[aria-label="Faults"] tbody tr', {hasText: 'listAccessRules'});
  await row.waitFor({timeout: TIMEOUT});
  const rules = (await (await fetch(`${mock}/_mock/faults`)).json()).faults;
  if (rules.length !== 1 || rules[0].operation !== 'listAccessRules' || rules[0].status !== 503) throw new Error(JSON.stringify(rules));
  await row.getByRole('button', {name: 'Remove'}).click();
  await row.waitFor({state: 'detached', timeout: TIMEOUT});
  const left = (await (await fetch(`${mock}/_mock/faults`)).json()).faults;
  if (left.length) throw new Error(`faults left: ${JSON.stringify(left)}`);
});

await check('the journal shows what a client sent, without the console\'s own requests', async () => {
  await page.goto(`${mock}/_mock/console/#/bench`);
  await page.getByLabel('Path').first().fill('/flows/*/run');
  await page.getByRole('button', {name: 'Filter'}).click();
  const row = page.locator('section[aria-label="Request journal"] tbody tr', {hasText: `/flows/${flow.id}/run`})
    .filter({hasText: 'release run'});
  await row.waitFor({timeout: TIMEOUT});
  await row.getByText('sent').click();
  await text('section[aria-label="Request journal"] pre', '"release run"');
  if (await page.locator('section[aria-label="Request journal"] tbody tr', {hasText: 'mock-console'}).count()) {
    throw new Error('the console\'s own requests are listed');
  }
});

await check('an ACL rule added through Transfer is listed on the collection, and the access question answers', async () => {
  await api(`/v0.10/endpoint/${COLLECTION}/access`, {method: 'POST', body: {DATA_TYPE: 'access', principal_type: 'identity',
    principal: DAVE, path: '/projects/', permissions: 'r'}});
  const files = await fetch(`${mock}/_mock/collections/${COLLECTION}/files`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({files: [{path: '/projects/a/run1.dat', size: 2048}, {path: '/projects/b/notes.txt', size: 12}]})});
  if (files.status !== 201) throw new Error(`adding files: ${files.status}`);
  await page.goto(`${mock}/_mock/console/#/transfer?collection=${COLLECTION}`);
  await page.locator('section[aria-label="Access rules"] tbody tr', {hasText: '/projects/'}).waitFor({timeout: TIMEOUT});
  await text('section[aria-label="Files"] li', 'run1.dat (2048 bytes');
  await page.getByLabel('Who', {exact: true}).selectOption('dave');
  await page.getByLabel('Path', {exact: true}).fill('/projects/a/');
  await page.getByRole('button', {name: 'Ask'}).click();
  await text('output', 'dave may read and not write /projects/a/');
  await shot('transfer');
});

await check('bob sees no rules on alice\'s collection: the page goes through Transfer as bob', async () => {
  await page.selectOption('#persona', 'bob');
  await text('section[aria-label="Access rules"]', 'Transfer answers bob');
  await page.selectOption('#persona', 'alice');
});

await check('the runs page shows one page of 10,000 runs and pages on with the API\'s marker', async () => {
  await page.goto(`${scale}/_mock/console/#/runs`);
  const rows = page.locator('main table tbody tr');
  await rows.first().waitFor({timeout: TIMEOUT});
  const first = await rows.count();
  if (first !== 20) throw new Error(`the first page has ${first} rows, want 20`);
  const top = await rows.first().innerText();
  const next = page.getByRole('button', {name: 'Next page'});
  if (await next.isDisabled()) throw new Error('no next page control');
  await shot('runs');
  const url = page.url();
  await next.click();
  await text('.pager', 'Page 2');
  if (page.url() !== url) throw new Error('paging changed the address (a reload)');
  if (await rows.first().innerText() === top) throw new Error('the second page shows the first page again');
  await page.getByRole('button', {name: 'Previous page'}).click();
  await text('.pager', 'Page 1');
  if (await rows.first().innerText() !== top) throw new Error('previous did not come back to the first page');
});

await check('the pages can be used with the keyboard alone', async () => {
  await page.goto(`${mock}/_mock/console/#/runs`);
  await page.reload();
  await page.locator('main h1').waitFor();
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => document.activeElement?.textContent);
  if (skip !== 'Skip to content') throw new Error(`the first Tab stop is ${skip}`);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await text('main h1', 'People');
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((e) => !e.labels?.length && !e.getAttribute('aria-label')).map((e) => e.outerHTML));
  if (unlabelled.length) throw new Error(`controls without a label: ${unlabelled.join(' ')}`);
});

await check('text keeps a contrast of at least 4.5:1 against its background on every page', async () => {
  const low = [];
  for (const hash of ['#/flows', `#/flows/${flow.id}`, '#/runs', `#/runs/${run.run_id}`, '#/people', `#/transfer?collection=${COLLECTION}`, '#/bench']) {
    await page.goto(`${mock}/_mock/console/${hash}`);
    await page.reload();
    await page.locator('main h1').waitFor({timeout: TIMEOUT});
    low.push(...await page.evaluate(contrastProblems));
  }
  if (low.length) throw new Error(`low contrast: ${[...new Set(low)].slice(0, 8).join('; ')}`);
});

await check('on a guarded mock the console takes the control token once from ?token= and drops it from the address', async () => {
  const guarded = process.env.GUARDED_URL;
  await page.goto(`${guarded}/_mock/console/?token=${process.env.GUARD_TOKEN}#/bench`);
  await text('#clock-now', '');
  if (page.url().includes('token')) throw new Error(`the token stays in the address: ${page.url()}`);
  await page.reload();
  await text('#clock-now', '');
  const stranger = await context.browser().newContext();
  const other = await stranger.newPage();
  await other.goto(`${guarded}/_mock/console/#/bench`);
  await other.locator('main .error', {hasText: 'CONTROL_TOKEN_REQUIRED'}).waitFor({timeout: TIMEOUT});
  await other.locator('main .error', {hasText: '?token='}).waitFor({timeout: TIMEOUT});
  await stranger.close();
});

await check('no script errors on any page', async () => {
  if (errors.length) throw new Error(errors.join('; '));
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
