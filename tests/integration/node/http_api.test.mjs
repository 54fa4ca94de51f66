// Raw HTTP against a running hfserve: limits and errors, health/ready/status, admin routes,
// and that a client disconnect stops its generation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { startServer, haveFixtures, fixtures } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;

before(async () => {
  if (skip) return;
  server = await startServer(['--max-body-bytes', '4096']);
});
after(async () => { if (server) await server.stop(); });

// Sends raw bytes and returns everything the server answers until it closes (or timeoutMs).
function rawRequest(port, data, { timeoutMs = 5000, endAfterWrite = false } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    const timer = setTimeout(() => { s.destroy(); resolve(out); }, timeoutMs);
    s.on('data', (d) => { out += d.toString(); });
    s.on('close', () => { clearTimeout(timer); resolve(out); });
    s.on('error', () => {});
    s.write(data);
    if (endAfterWrite) s.end();
  });
}

async function json(pathname, init) {
  const r = await fetch(server.base + pathname, init);
  return { status: r.status, body: await r.json() };
}

test('health, ready and status', { skip }, async () => {
  assert.deepEqual((await json('/health')).body, { status: 'ok' });
  const ready = await json('/ready');
  assert.equal(ready.status, 200);
  const st = await json('/status');
  assert.equal(st.status, 200);
  assert.ok(st.body.version);
  assert.ok(st.body.hardware.cpu);
  assert.ok(st.body.models.available.includes('llama-tiny'));
});

test('unknown route 404 and wrong method 405 are OpenAI-shaped', { skip }, async () => {
  const nf = await json('/v1/nothing');
  assert.equal(nf.status, 404);
  assert.ok(nf.body.error.message);
  const r = await fetch(server.base + '/v1/completions');
  assert.equal(r.status, 405);
  assert.ok(r.headers.get('allow').includes('POST'));
  assert.ok((await r.json()).error);
});

test('bad JSON is 400, oversized body is 413, oversized headers are 431', { skip }, async () => {
  const bad = await json('/v1/completions', { method: 'POST', body: '{not json' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.type, 'invalid_request_error');
  const big = await fetch(server.base + '/v1/completions', { method: 'POST', body: 'x'.repeat(10000) });
  assert.equal(big.status, 413);
  const head = await rawRequest(server.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
  assert.match(head, /^HTTP\/1\.1 431/);
});

test('chunked request bodies and pipelined requests answered in order', { skip }, async () => {
  const body = JSON.stringify({ model: 'no-such', prompt: 'x' });
  const chunked = `POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  const pipelined = chunked + 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  const out = await rawRequest(server.port, pipelined);
  const first = out.indexOf('HTTP/1.1 404');
  const second = out.indexOf('HTTP/1.1 200');
  assert.ok(first >= 0 && second > first, out);
});

test('model admin: loaded list, load by path outside the roots is refused, unload', { skip }, async () => {
  const load = await json('/models/load', { method: 'POST', body: JSON.stringify({ model: 'gpt2-tiny' }) });
  assert.equal(load.status, 200);
  const loaded = await json('/models');
  assert.ok(loaded.body.data.some((m) => m.id === 'gpt2-tiny' && m.state === 'ready' && m.memory_bytes > 0));
  const outside = await json('/models/load', {
    method: 'POST', body: JSON.stringify({ path: path.join(fixtures, 'models', '..', '..', '..') }),
  });
  assert.equal(outside.status, 403);
  const un = await json('/models/unload', { method: 'POST', body: JSON.stringify({ model: 'gpt2-tiny' }) });
  assert.equal(un.status, 200);
  const again = await json('/models/unload', { method: 'POST', body: JSON.stringify({ model: 'gpt2-tiny' }) });
  assert.equal(again.status, 404);
});

test('/models/load "dtype": loads a model as bf16 or int8, refuses a conflicting or unknown one', { skip }, async () => {
  const post = (p, body) => json(p, { method: 'POST', body: JSON.stringify(body) });
  await post('/models/unload', { model: 'gpt2-tiny' });  // whatever an earlier test left loaded
  const bf16 = await post('/models/load', { model: 'gpt2-tiny', dtype: 'bf16' });
  assert.equal(bf16.status, 200);
  assert.equal(bf16.body.dtype, 'bf16');
  const listed = await json('/models');
  const entry = listed.body.data.find((m) => m.id === 'gpt2-tiny');
  assert.equal(entry.dtype, 'bf16');
  const done = await post('/v1/completions', { model: 'gpt2-tiny', prompt: 'Hello', max_tokens: 4, temperature: 0, ignore_eos: true });
  assert.equal(done.status, 200);
  assert.equal(done.body.usage.completion_tokens, 4);
  const conflict = await post('/models/load', { model: 'gpt2-tiny', dtype: 'int8' });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error.code, 'model_dtype_conflict');
  assert.match(conflict.body.error.message, /loaded as bf16/);
  const unknown = await post('/models/load', { model: 'gpt2-tiny', dtype: 'int4' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.param, 'dtype');
  assert.equal((await post('/models/unload', { model: 'gpt2-tiny' })).status, 200);
  const int8 = await post('/models/load', { model: 'gpt2-tiny', dtype: 'int8' });
  assert.equal(int8.status, 200);
  assert.equal(int8.body.dtype, 'int8');
  // Back to the default for the tests after this one: the checkpoint's own type (f32).
  assert.equal((await post('/models/unload', { model: 'gpt2-tiny' })).status, 200);
  const auto = await post('/models/load', { model: 'gpt2-tiny', dtype: 'auto' });
  assert.equal(auto.body.dtype, 'f32');
  // Loaded with auto, the f32 checkpoint is f32: asking for f32 is no conflict.
  const same = await post('/models/load', { model: 'gpt2-tiny', dtype: 'f32' });
  assert.equal(same.status, 200);
  assert.equal(same.body.dtype, 'f32');
  const other = await post('/models/load', { model: 'gpt2-tiny', dtype: 'bf16' });
  assert.equal(other.status, 409);
  assert.match(other.body.error.message, /loaded as f32/);
  assert.equal((await post('/models/unload', { model: 'gpt2-tiny' })).status, 200);
});

test('a client that disconnects stops its generation', { skip }, async () => {
  const controller = new AbortController();
  const r = await fetch(server.base + '/v1/completions', {
    method: 'POST', signal: controller.signal,
    body: JSON.stringify({ model: 'llama-tiny', prompt: 'Hello', max_tokens: 1900, stream: true, ignore_eos: true }),
  });
  const reader = r.body.getReader();
  await reader.read();  // generation is under way
  controller.abort();
  let active = -1;
  for (let i = 0; i < 100; i++) {
    const models = (await json('/models')).body.data;
    const m = models.find((x) => x.id === 'llama-tiny');
    active = m?.generation?.active ?? 0;
    if (active === 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.equal(active, 0);
  const m = (await json('/models')).body.data.find((x) => x.id === 'llama-tiny');
  assert.ok(m.generation.generated_tokens < 1900, `generated ${m.generation.generated_tokens}`);
});
