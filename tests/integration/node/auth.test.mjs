// API keys end to end: every route x every kind of caller, both key headers, a revocation by the
// CLI seen by the running server, the admin key routes, and a restart that keeps keys and
// revocations. Keys are made with `hfserve keys` in a fresh SQLite file.
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
let db;
const keys = {};

function keysCli(...args) {
  return execFileSync(binary, ['keys', ...args, '--db', db]).toString().trim();
}

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-auth-'));
  db = path.join(dir, 'keys.db');
  keys.admin = keysCli('create', '--name', 'admin', '--admin');
  keys.inference = keysCli('create', '--name', 'app');
  keys.otherModel = keysCli('create', '--name', 'llama-only', '--models', 'llama-tiny');
  keys.revoked = keysCli('create', '--name', 'old');
  keysCli('revoke', 'old');
  keys.late = keysCli('create', '--name', 'late');
  server = await startServer(['--db', db]);
});

after(async () => {
  if (server) await server.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// A well-formed key that was never issued.
const unknownKey = 'hf_' + 'A'.repeat(43);

async function call(route, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const r = await fetch(server.base + route, init);
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* /metrics is text */ }
  return { status: r.status, body: json, text };
}

const bearer = (k) => ({ authorization: `Bearer ${k}` });

let throwaway = 0;
// Every route, with a body its handler accepts (so that an allowed call answers 2xx).
const routes = () => [
  { access: 'open', method: 'GET', route: '/health' },
  { access: 'open', method: 'GET', route: '/ready' },
  { access: 'inference', method: 'GET', route: '/v1/models' },
  { access: 'inference', model: true, method: 'GET', route: '/v1/models/gpt2-tiny' },
  { access: 'inference', model: true, method: 'POST', route: '/v1/completions',
    body: { model: 'gpt2-tiny', prompt: 'Hi', max_tokens: 1 } },
  { access: 'inference', model: true, method: 'POST', route: '/v1/chat/completions',
    body: { model: 'gpt2-tiny', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 } },
  { access: 'inference', model: true, method: 'POST', route: '/v1/embeddings', body: { model: 'bert-tiny', input: 'Hi' } },
  { access: 'inference', model: true, method: 'POST', route: '/tokenize', body: { model: 'gpt2-tiny', prompt: 'Hi' } },
  { access: 'inference', model: true, method: 'POST', route: '/detokenize', body: { model: 'gpt2-tiny', tokens: [1] } },
  { access: 'inference', model: true, method: 'POST', route: '/classify', body: { model: 'bert-tiny-cls', input: 'Hi' } },
  { access: 'inference', model: true, method: 'POST', route: '/v1/rerank',
    body: { model: 'bert-tiny', query: 'q', documents: ['a', 'b'] } },
  { access: 'inference', model: true, method: 'POST', route: '/rerank',
    body: { model: 'bert-tiny', query: 'q', documents: ['a'] } },
  { access: 'inference', model: true, method: 'POST', route: '/score',
    body: { model: 'bert-tiny', text_1: 'a', text_2: 'b' } },
  { access: 'admin', method: 'GET', route: '/models' },
  { access: 'admin', method: 'POST', route: '/models/load', body: { model: 'gpt2-tiny' } },
  { access: 'admin', method: 'POST', route: '/models/unload', body: { model: 'gpt2-tiny' } },
  { access: 'admin', method: 'GET', route: '/status' },
  { access: 'admin', method: 'GET', route: '/metrics' },
  { access: 'admin', method: 'GET', route: '/admin/keys' },
  { access: 'admin', method: 'GET', route: '/admin/queue' },
  { access: 'admin', method: 'POST', route: '/admin/keys', body: { name: `made-${throwaway++}` } },
  { access: 'admin', method: 'DELETE', route: '/admin/keys/late' },
];

const callers = () => [
  { who: 'no key', headers: {}, denied: () => [401, 'missing_api_key'] },
  { who: 'malformed', headers: { authorization: 'Bearer not-a-key' }, denied: () => [401, 'invalid_api_key'] },
  { who: 'basic scheme', headers: { authorization: `Basic ${keys.admin}` }, denied: () => [401, 'invalid_api_key'] },
  { who: 'unknown', headers: bearer(unknownKey), denied: () => [401, 'invalid_api_key'] },
  { who: 'revoked', headers: bearer(keys.revoked), denied: () => [401, 'revoked_api_key'] },
  { who: 'inference', headers: bearer(keys.inference),
    denied: (r) => (r.access === 'admin' ? [403, 'insufficient_scope'] : null) },
  { who: 'inference via x-api-key', headers: { 'x-api-key': keys.inference },
    denied: (r) => (r.access === 'admin' ? [403, 'insufficient_scope'] : null) },
  { who: 'admin', headers: bearer(keys.admin), denied: () => null },
  { who: 'key for another model', headers: bearer(keys.otherModel),
    denied: (r) => (r.access === 'admin' ? [403, 'insufficient_scope'] : r.model ? [403, 'model_not_allowed'] : null) },
];

test('every route x every caller: open, 401, 403 or served', { skip }, async () => {
  for (const c of callers()) {
    for (const r of routes()) {
      if (r.route === '/admin/keys/late' && c.who === 'admin') continue;  // revoked in its own test
      const res = await call(r.route, { method: r.method, body: r.body, headers: c.headers });
      const denied = r.access === 'open' ? null : c.denied(r);
      const what = `${c.who} ${r.method} ${r.route}: ${res.status} ${res.text.slice(0, 200)}`;
      if (denied) {
        assert.equal(res.status, denied[0], what);
        assert.equal(res.body.error.code, denied[1], what);
        assert.equal(typeof res.body.error.message, 'string', what);
      } else {
        assert.ok(res.status >= 200 && res.status < 300, what);
      }
    }
  }
});

test('admin key routes: create, list without secrets, revoke; the new key works at once', { skip }, async () => {
  const admin = bearer(keys.admin);
  const made = await call('/admin/keys', { method: 'POST', headers: admin,
    body: { name: 'via-http', models: ['gpt2-tiny'], rpm: 10 } });
  assert.equal(made.status, 201, made.text);
  assert.match(made.body.key, /^hf_[0-9A-Za-z]{43}$/);
  assert.deepEqual(made.body.models, ['gpt2-tiny']);
  assert.equal(made.body.rpm, 10);
  assert.equal(made.body.scope, 'inference');
  keys.viaHttp = made.body.key;
  const use = await call('/tokenize', { method: 'POST', headers: bearer(keys.viaHttp), body: { model: 'gpt2-tiny', prompt: 'x' } });
  assert.equal(use.status, 200, use.text);
  // A model-limited key may not leave the choice to the server's default model.
  const unnamed = await call('/tokenize', { method: 'POST', headers: bearer(keys.viaHttp), body: { prompt: 'x' } });
  assert.equal(unnamed.status, 403, unnamed.text);
  assert.equal(unnamed.body.error.code, 'model_not_allowed');
  const dup = await call('/admin/keys', { method: 'POST', headers: admin, body: { name: 'via-http' } });
  assert.equal(dup.status, 422, dup.text);
  const bad = await call('/admin/keys', { method: 'POST', headers: admin, body: { name: 'x', scope: 'root' } });
  assert.equal(bad.status, 422, bad.text);

  const list = await call('/admin/keys', { headers: admin });
  assert.equal(list.status, 200);
  for (const k of Object.values(keys)) assert.ok(!list.text.includes(k.slice(3)), 'a key leaked into the list');
  const names = list.body.data.map((k) => k.name);
  for (const n of ['admin', 'app', 'llama-only', 'old', 'late', 'via-http']) assert.ok(names.includes(n), n);
  assert.equal(list.body.data.find((k) => k.name === 'old').revoked, true);

  const del = await call('/admin/keys/late', { method: 'DELETE', headers: admin });
  assert.equal(del.status, 200, del.text);
  const after = await call('/v1/models', { headers: bearer(keys.late) });
  assert.equal(after.status, 401);
  assert.equal(after.body.error.code, 'revoked_api_key');
  const missing = await call('/admin/keys/nobody', { method: 'DELETE', headers: admin });
  assert.equal(missing.status, 404);
});

test('a revocation by the CLI reaches the running server at its next request', { skip }, async () => {
  const before = await call('/v1/models', { headers: bearer(keys.viaHttp) });
  assert.equal(before.status, 200);
  keysCli('revoke', 'via-http');
  const res = await call('/v1/models', { headers: bearer(keys.viaHttp) });
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'revoked_api_key');
  const listed = JSON.parse(keysCli('list', '--json'));
  for (const k of Object.values(keys)) assert.ok(!JSON.stringify(listed).includes(k.slice(3)));
  assert.ok(listed.find((k) => k.name === 'app').last_used > 0, 'use is recorded');
});

test('a restart keeps keys and revocations', { skip }, async () => {
  const { code } = await server.stop();
  assert.equal(code, 0);
  server = await startServer(['--db', db]);
  assert.ok(/auth on/.test(server.logs()), 'the log says auth is on');
  assert.equal((await call('/status', { headers: bearer(keys.admin) })).status, 200);
  assert.equal((await call('/v1/models', { headers: bearer(keys.inference) })).status, 200);
  for (const k of [keys.revoked, keys.late, keys.viaHttp]) {
    const r = await call('/v1/models', { headers: bearer(k) });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'revoked_api_key');
  }
  assert.equal((await call('/v1/models')).status, 401);
  assert.equal((await call('/health')).status, 200);
});
