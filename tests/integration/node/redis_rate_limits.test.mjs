// Rate limits shared through Redis: two hfserve processes pointed at one Redis (Debian's
// redis-server, started here on a free loopback port) enforce one key's budget together; when
// Redis goes away a fail-open server keeps serving on its own limiter and says so in its log
// and /status, and a fail-closed one refuses keyed requests with 503.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary, freePort } from './server.mjs';

const noRedis = spawnSync('redis-server', ['--version']).error && 'redis-server not installed';
const skip = (!haveFixtures() && 'fixtures not found (../shared/fixtures)') || noRedis;
let dir;
let db;
let redis;
let redisUrl;
const servers = [];

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis did not start:\n' + out)), 20000);
    child.stdout.on('data', (c) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`redis exited with ${code}:\n${out}`)));
  });
  child.removeAllListeners('exit');
  return { child, url: `redis://127.0.0.1:${port}` };
}

function stopRedis() {
  if (!redis || redis.child.exitCode !== null) return Promise.resolve();
  const exited = new Promise((res) => redis.child.on('exit', res));
  redis.child.kill('SIGKILL');
  return exited;
}

const keys = {};

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-redis-'));
  db = path.join(dir, 'keys.db');
  const create = (...args) =>
    execFileSync(binary, ['keys', 'create', '--db', db, ...args]).toString().trim();
  keys.shared = create('--name', 'three-a-minute', '--rpm', '3');
  keys.later = create('--name', 'two-a-minute', '--rpm', '2');
  keys.admin = create('--name', 'operator', '--admin');  // reads /status, has no limits
  redis = await startRedis();
  redisUrl = redis.url;
  for (let i = 0; i < 2; i++) {
    // A generous deadline: a loaded CI machine must not turn a slow answer into a fallback.
    servers.push(await startServer(['--db', db, '--rate-limit-store', redisUrl,
      '--rate-limit-timeout', '10s']));
  }
});

after(async () => {
  for (const s of servers) await s.stop();
  await stopRedis();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function complete(server, key) {
  const r = await fetch(server.base + '/v1/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt2-tiny', prompt: 'Hi', max_tokens: 2, temperature: 0 }),
  });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

async function rateStatus(server, key) {
  const r = await fetch(server.base + '/status', { headers: { authorization: `Bearer ${key}` } });
  assert.equal(r.status, 200);
  return (await r.json()).auth.rate_limits;
}

test('two servers on one Redis enforce one combined budget', { skip }, async () => {
  const [a, b] = servers;
  const answers = [];
  for (const server of [a, b, a, b]) answers.push(await complete(server, keys.shared));
  assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429],
    answers.map((r) => r.text).join('\n'));
  // One budget: the remaining count goes down across the two processes.
  assert.deepEqual(answers.slice(0, 3).map((r) => r.headers.get('x-ratelimit-remaining-requests')),
    ['2', '1', '0']);
  assert.equal(JSON.parse(answers[3].text).error.code, 'rate_limit_exceeded');
  assert.ok(Number(answers[3].headers.get('retry-after')) >= 1);
  const st = await rateStatus(a, keys.admin);
  assert.deepEqual([st.store, st.shared, st.degraded], ['redis', true, false], JSON.stringify(st));
});

test('Redis gone: fail-open serves on the local limiter and says so; fail-closed refuses',
  { skip }, async () => {
    const closed = await startServer(['--db', db, '--rate-limit-store', redisUrl,
      '--rate-limit-fail', 'closed']);
    servers.push(closed);
    await stopRedis();
    const [a] = servers;
    const first = await complete(a, keys.later);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('x-ratelimit-limit-requests'), '2');
    const st = await rateStatus(a, keys.admin);
    assert.deepEqual([st.store, st.shared, st.degraded], ['redis', false, true], JSON.stringify(st));
    assert.ok(st.detail.length > 0);
    assert.match(a.logs(), /rate-limit store unreachable: this server's own limits apply/);
    // The local limiter still holds the key to its limit.
    assert.equal((await complete(a, keys.later)).status, 200);
    const third = await complete(a, keys.later);
    assert.equal(third.status, 429, third.text);

    const refused = await complete(closed, keys.later);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(JSON.parse(refused.text).error.code, 'rate_limit_store_unavailable');
    assert.match(closed.logs(), /rate-limit store unreachable: refusing keyed requests/);
  });
