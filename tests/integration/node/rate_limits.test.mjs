// Per-key rate limits end to end: a key made with --rpm or --tpm gets OpenAI's x-ratelimit-*
// headers on every answer (JSON and SSE), 429 rate_limit_exceeded with Retry-After once over its
// budget, tokens charged with what a request really used; a key without limits gets no headers.
// The budgets refill over a minute (one request per 60 s at --rpm 1), so the few requests here,
// made back to back, never see a refill.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;
let dir;
const keys = {};

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-limits-'));
  const db = path.join(dir, 'keys.db');
  const create = (...args) =>
    execFileSync(binary, ['keys', 'create', '--db', db, ...args]).toString().trim();
  keys.rpm = create('--name', 'one-a-minute', '--rpm', '1');
  keys.tpm = create('--name', 'ten-tokens', '--tpm', '10');
  keys.free = create('--name', 'unlimited');
  server = await startServer(['--db', db]);
});

after(async () => {
  if (server) await server.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function complete(key, extra = {}) {
  const r = await fetch(server.base + '/v1/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt2-tiny', prompt: 'Hello world', max_tokens: 16,
                           ignore_eos: true, temperature: 0, ...extra }),
  });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

function assertRefused(r, unit) {
  assert.equal(r.status, 429, r.text);
  const err = JSON.parse(r.text).error;
  assert.equal(err.code, 'rate_limit_exceeded');
  assert.match(err.message, new RegExp(` ${unit} per minute`));
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${retry}`);
}

test('requests per minute: headers on the answer, then 429 with Retry-After', { skip }, async () => {
  const first = await complete(keys.rpm);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.headers.get('x-ratelimit-limit-requests'), '1');
  assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '0');
  assert.match(first.headers.get('x-ratelimit-reset-requests'), /^((\d+m)?\d+(\.\d+)?s|\d+ms)$/);
  assert.equal(first.headers.get('x-ratelimit-limit-tokens'), null);  // the key has no tpm
  const second = await complete(keys.rpm, { stream: true });
  assertRefused(second, 'requests');
  assert.equal(second.headers.get('x-ratelimit-remaining-requests'), '0');
});

test('tokens per minute: the real usage is charged; a key in debt is refused', { skip }, async () => {
  const first = await complete(keys.tpm, { stream: true, stream_options: { include_usage: true } });
  assert.equal(first.status, 200, first.text);
  assert.match(first.headers.get('content-type'), /text\/event-stream/);
  assert.equal(first.headers.get('x-ratelimit-limit-tokens'), '10');
  assert.equal(first.headers.get('x-ratelimit-remaining-tokens'), '10');
  const usage = first.text.split('\n').filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6))).find((c) => c.usage)?.usage;
  assert.ok(usage && usage.total_tokens > 10, JSON.stringify(usage));  // 16 completion tokens
  const second = await complete(keys.tpm);
  assertRefused(second, 'tokens');
  assert.equal(second.headers.get('x-ratelimit-remaining-tokens'), '0');
});

test('a key without limits gets no rate-limit headers and is never refused', { skip }, async () => {
  for (let i = 0; i < 3; ++i) {
    const r = await complete(keys.free, { max_tokens: 1 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('x-ratelimit-limit-requests'), null);
    assert.equal(r.headers.get('x-ratelimit-limit-tokens'), null);
  }
});
