// Two replicas behind nginx (scripts/replicas.sh: Debian's nginx with least_conn and SSE
// buffering off, two hfserve processes on one Redis and one key database), driven with the
// official openai client: streaming works through the proxy, requests spread over both
// replicas, one key's rate limit holds across them, and a replica killed mid-run loses only
// requests whose answer had started streaming: every other request, sent before or after the
// kill, is answered (nginx passes what got no answer to the other replica).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { haveFixtures, binary, fixtures, repoRoot, freePort } from './server.mjs';

const nginx = ['nginx', '/usr/sbin/nginx'].find((c) => !spawnSync(c, ['-v']).error);
const skip = (!haveFixtures() && 'fixtures not found (../shared/fixtures)')
  || (!nginx && 'nginx not installed')
  || (spawnSync('redis-server', ['--version']).error && 'redis-server not installed');
const script = path.join(repoRoot, 'scripts', 'replicas.sh');
let dir;
let env;
let base;
const keys = {};

// Two consecutive free ports for the replicas (the script numbers them from the first).
async function freePair() {
  for (;;) {
    const p = await freePort();
    const ok = await new Promise((resolve) => {
      const s = net.createServer();
      s.on('error', () => resolve(false));
      s.listen(p + 1, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return p;
  }
}

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-replicas-'));
  const db = path.join(dir, 'keys.db');
  const create = (...args) =>
    execFileSync(binary, ['keys', 'create', '--db', db, ...args]).toString().trim();
  keys.open = create('--name', 'app');
  keys.limited = create('--name', 'four-a-minute', '--rpm', '4');
  env = {
    ...process.env,
    HFSERVE: binary,
    REPLICAS_DIR: path.join(dir, 'state'),
    REPLICAS_PORT: String(await freePort()),
    REPLICAS_FIRST_PORT: String(await freePair()),
    REPLICAS_REDIS_PORT: String(await freePort()),
    REPLICAS_SERVE_ARGS: `--model-dir ${path.join(fixtures, 'models')} --db ${db} `
      + '--rate-limit-timeout 10s --log-level info',
    PATH: `${process.env.PATH}:/usr/sbin`,
  };
  execFileSync(script, ['up'], { env, stdio: 'pipe' });
  base = `http://127.0.0.1:${env.REPLICAS_PORT}`;
});

after(() => {
  if (!env) return;
  execFileSync(script, ['down'], { env, stdio: 'pipe' });
  fs.rmSync(dir, { recursive: true, force: true });
});

function replicaLog(i) {
  return fs.readFileSync(path.join(env.REPLICAS_DIR, `replica${i}.log`), 'utf8');
}

// Completions each replica has answered so far (its access log).
function answered() {
  return [0, 1].map((i) => (replicaLog(i).match(/method=POST path=\/v1\/completions/g) ?? []).length);
}

// The access-log counts once `count` more answers than `before` are logged: a replica writes its
// access line just after the answer's last byte, so the client may see the answer first
// (polled, at most 10 s).
async function answeredSince(before, count) {
  let now = answered();
  for (let i = 0; i < 1000 && now[0] + now[1] < before[0] + before[1] + count; i++) {
    await new Promise((res) => setTimeout(res, 10));
    now = answered();
  }
  return now;
}

async function complete(key, maxTokens = 2) {
  const r = await fetch(base + '/v1/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt2-tiny', prompt: 'Hi', max_tokens: maxTokens,
      temperature: 0 }),
  }).catch(() => null);
  return r ? { status: r.status, text: await r.text() } : { status: 0, text: 'no answer' };
}

test('streaming works through nginx, and requests spread over both replicas', { skip }, async () => {
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: keys.open, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt2-tiny', messages: [{ role: 'user', content: 'hello' }], max_tokens: 8,
    temperature: 0, stream: true,
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
  const before = answered();
  const results = await Promise.all(Array.from({ length: 8 }, () => complete(keys.open, 16)));
  for (const r of results) assert.equal(r.status, 200, r.text);
  const after = await answeredSince(before, 8);
  assert.equal(after[0] + after[1] - before[0] - before[1], 8);
  assert.ok(after[0] > before[0] && after[1] > before[1], `per replica: ${before} -> ${after}`);
});

test('one key\'s rate limit holds across both replicas', { skip }, async () => {
  const before = answered();
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await complete(keys.limited)).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
  const after = await answeredSince(before, 6);
  assert.ok(after[0] > before[0] && after[1] > before[1], `per replica: ${before} -> ${after}`);
});

test('a replica killed mid-run loses no request: nginx passes them to the other', { skip }, async () => {
  const pid = Number(fs.readFileSync(path.join(env.REPLICAS_DIR, 'replica0.pid'), 'utf8'));
  const outcomes = [];  // { started, status }
  let killedAt = null;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      const r = await complete(keys.open, 8);
      outcomes.push({ started, status: r.status, text: r.text });
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  // Kill once both replicas have answered during this run, then run on for 20 more answers.
  const start = answered();
  for (let i = 0; i < 2000 && !(answered()[0] > start[0] && answered()[1] > start[1]); i++) {
    await new Promise((res) => setTimeout(res, 5));
  }
  process.kill(pid, 'SIGKILL');
  // From the moment it is gone: a request sent later must be answered by the other replica.
  // Gone or a zombie (its parent, the script, has exited: nobody may reap it soon).
  const alive = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 2000 && alive(); i++) await new Promise((res) => setTimeout(res, 5));
  assert.ok(!alive(), 'replica 0 is gone');
  killedAt = performance.now();
  const count = () => outcomes.filter((o) => o.started > killedAt).length;
  for (let i = 0; i < 4000 && count() < 20; i++) await new Promise((res) => setTimeout(res, 5));
  stop = true;
  await Promise.all(workers);
  const after = outcomes.filter((o) => o.started > killedAt);
  assert.ok(after.length >= 20, `${after.length} requests after the kill`);
  for (const o of after) assert.equal(o.status, 200, o.text);
  // None of these answers had started (not streamed): nginx replayed what replica 0 dropped, so
  // nothing failed, before the kill or after it.
  assert.deepEqual(outcomes.filter((o) => o.status !== 200), []);
});
