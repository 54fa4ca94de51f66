// The built-in web page (GET /) in headless Chromium (Debian's chromium, driven with
// playwright-core): it loads with no console errors; a chat message streams a reply from
// /v1/chat/completions; Stop cancels a long generation (the server's running batch empties long
// before the generation could have ended); the embeddings view embeds two texts; the status view
// lists the loaded models. A screenshot of each view goes to build/screenshots (or
// $HFSERVE_SCREENSHOTS). Also with auth on: the page asks for a key and uses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary, repoRoot } from './server.mjs';

const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
let playwright = null;
try {
  playwright = await import('playwright-core');
} catch { /* not installed: skipped below */ }
const skip = (!haveFixtures() && 'fixtures not found (../shared/fixtures)')
  || (!chromiumPath && 'chromium not installed (apt-get install chromium)')
  || (!playwright && 'playwright-core not installed (npm ci in tests/integration/node)');
const shots = process.env.HFSERVE_SCREENSHOTS ?? path.join(repoRoot, 'build', 'screenshots');
let server;
let browser;

before(async () => {
  if (skip) return;
  fs.mkdirSync(shots, { recursive: true });
  server = await startServer();
  browser = await playwright.chromium.launch({ executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A page with every console error and uncaught exception collected.
async function openPage(base) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const r = await page.goto(base + '/');
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-type'], /^text\/html/);
  return { page, errors };
}

async function generationActive() {
  const s = await (await fetch(server.base + '/status')).json();
  const m = s.models.loaded.find((x) => x.id === 'gpt2-tiny');
  return m?.generation?.active ?? 0;
}

test('chat streams a reply, Stop cancels one; embeddings and status views', { skip }, async () => {
  const { page, errors } = await openPage(server.base);
  await page.waitForFunction(() => document.querySelector('#chat-model').options.length > 0);
  await page.selectOption('#chat-model', 'gpt2-tiny');
  await page.fill('#temperature', '0');
  await page.fill('#max-tokens', '24');
  await page.fill('#prompt', 'Hello there');
  await page.click('#send');
  await page.waitForSelector('.msg.assistant[data-state="done"]', { timeout: 60000 });
  const reply = await page.textContent('.msg.assistant .text');
  assert.ok(reply.length > 0, 'a reply streamed in');
  assert.equal(await page.textContent('#chat-state'), 'done');
  await page.screenshot({ path: path.join(shots, 'web-chat.png') });

  // A generation that would take many seconds: stop it once its first text is in.
  await page.fill('#max-tokens', '900');
  await page.fill('#prompt', 'Tell me a long story');
  await page.click('#send');
  await page.waitForFunction(() => {
    const all = document.querySelectorAll('.msg.assistant .text');
    return all.length === 2 && all[1].textContent.length > 0;
  }, null, { timeout: 60000 });
  await page.click('#stop');
  await page.waitForSelector('.msg.assistant[data-state="stopped"]', { timeout: 10000 });
  assert.equal(await page.textContent('#chat-state'), 'stopped');
  // The server dropped the sequence: its running batch empties (polled, at most 10 s), long
  // before 900 tokens could have been generated.
  let active = 1;
  for (let i = 0; i < 1000 && active > 0; i++) {
    active = await generationActive();
    if (active > 0) await new Promise((res) => setTimeout(res, 10));
  }
  assert.equal(active, 0, 'the cancelled generation stopped on the server');
  const stopped = await page.$$eval('.msg.assistant .text', (all) => all[1].textContent);
  assert.ok(stopped.length > 0);

  await page.click('nav button[data-view="embeddings"]');
  await page.waitForFunction(() => document.querySelector('#embed-model').options.length > 0);
  await page.selectOption('#embed-model', 'bert-tiny');
  await page.fill('#embed-input', 'a cat sat on the mat\na dog lay on the rug');
  await page.click('#embed');
  await page.waitForSelector('#embed-table tbody tr:nth-child(2)', { timeout: 30000 });
  const dims = await page.$$eval('#embed-table tbody tr td:nth-child(3)', (tds) => tds.map((t) => t.textContent));
  assert.equal(dims.length, 2);
  assert.ok(Number(dims[0]) > 0 && dims[0] === dims[1]);
  await page.screenshot({ path: path.join(shots, 'web-embeddings.png') });

  await page.click('nav button[data-view="status"]');
  await page.waitForFunction(() => [...document.querySelectorAll('#models-table tbody td:first-child')]
    .some((td) => td.textContent === 'gpt2-tiny'), null, { timeout: 10000 });
  assert.match(await page.textContent('#status-line'), /^ready/);
  await page.screenshot({ path: path.join(shots, 'web-status.png') });

  assert.deepEqual(errors, []);
  await page.close();
});

test('with auth on, the page asks for a key and sends it', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-web-'));
  const db = path.join(dir, 'keys.db');
  const key = execFileSync(binary, ['keys', 'create', '--db', db, '--name', 'browser', '--admin'])
    .toString().trim();
  const keyed = await startServer(['--db', db]);
  try {
    const { page, errors } = await openPage(keyed.base);  // the page itself needs no key
    // Without a key the model list is refused (401) and the page says so.
    await page.waitForFunction(() => document.querySelector('#chat-state').textContent.includes('401'));
    errors.length = 0;  // the browser logs the refused fetch itself; that one is expected
    await page.fill('#api-key', key);
    await page.dispatchEvent('#api-key', 'change');
    await page.waitForFunction(() => document.querySelector('#chat-model').options.length > 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('hfserve-key')), key);
    await page.selectOption('#chat-model', 'gpt2-tiny');
    await page.fill('#max-tokens', '8');
    await page.fill('#prompt', 'Hi');
    await page.click('#send');
    await page.waitForSelector('.msg.assistant[data-state="done"]', { timeout: 60000 });
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await keyed.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
