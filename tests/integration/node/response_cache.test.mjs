// The response cache end to end (--cache-bytes): a deterministic request (temperature 0, or a
// seed) is answered the second time from the cache, byte for byte as the first time, with
// `X-Cache: hit` and without running the model (the generated-token counter does not move); a
// stream replays as the same stream; sampling without a seed is never cached; fields that change
// the output change the key and `user` does not; concurrent identical requests compute once;
// unloading the model drops its answers; /metrics and /status count hits and misses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, haveFixtures } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
const model = 'gpt2-tiny';
let server;

before(async () => {
  if (skip) return;
  server = await startServer(['--cache-bytes', '1MiB', '--cache-ttl', '600']);
});

after(async () => {
  if (server) await server.stop();
});

async function complete(body, path = '/v1/completions') {
  const r = await fetch(server.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 12, ...body }),
  });
  return { status: r.status, cache: r.headers.get('x-cache'), type: r.headers.get('content-type'),
    text: await r.text() };
}

function sample(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return 0;
}

async function metrics() {
  const r = await fetch(server.base + '/metrics');
  assert.equal(r.status, 200);
  const text = await r.text();
  return {
    generated: sample(text, `hfserve_generated_tokens_total{model="${model}"}`),
    hits: sample(text, 'hfserve_response_cache_lookups_total{result="hit"}'),
    misses: sample(text, 'hfserve_response_cache_lookups_total{result="miss"}'),
    entries: sample(text, 'hfserve_response_cache_entries'),
    droppedForModel: sample(text, 'hfserve_response_cache_dropped_total{reason="model"}'),
  };
}

test('a deterministic completion is computed once, then replayed byte for byte', { skip }, async () => {
  const body = { prompt: 'The cache test', temperature: 0, ignore_eos: true };
  const m0 = await metrics();
  const miss = await complete(body);
  assert.equal(miss.status, 200, miss.text);
  assert.equal(miss.cache, 'miss');
  const m1 = await metrics();
  assert.equal(m1.generated - m0.generated, 12);
  const hit = await complete(body);
  assert.equal(hit.status, 200);
  assert.equal(hit.cache, 'hit');
  assert.equal(hit.text, miss.text);  // id, created, choices, usage: the same bytes
  const m2 = await metrics();
  assert.equal(m2.generated, m1.generated, 'a hit does not run the model');
  assert.equal(m2.hits - m1.hits, 1);
  assert.equal(m1.misses - m0.misses, 1);
  // `user` does not change the answer, so it does not change the key.
  const other = await complete({ ...body, user: 'someone-else' });
  assert.equal(other.cache, 'hit');
  assert.equal(other.text, miss.text);
});

test('a stream is replayed from the cache as the same stream', { skip }, async () => {
  const body = { prompt: 'Streaming from the cache', temperature: 0, ignore_eos: true,
    stream: true, stream_options: { include_usage: true } };
  const miss = await complete(body);
  assert.equal(miss.status, 200);
  assert.equal(miss.cache, 'miss');
  assert.match(miss.type, /^text\/event-stream/);
  assert.ok(miss.text.trimEnd().endsWith('data: [DONE]'));
  const before = await metrics();
  const hit = await complete(body);
  assert.equal(hit.cache, 'hit');
  assert.match(hit.type, /^text\/event-stream/);
  assert.equal(hit.text, miss.text);
  assert.equal((await metrics()).generated, before.generated);
  // The same request without streaming is another answer (a JSON body): its own entry.
  const whole = await complete({ ...body, stream: false, stream_options: undefined });
  assert.equal(whole.cache, 'miss');
  assert.ok(JSON.parse(whole.text).choices);
});

test('chat completions are cached too, keyed by their messages', { skip }, async () => {
  const body = (content) => ({ messages: [{ role: 'user', content }], temperature: 0 });
  const a = await complete(body('hello there'), '/v1/chat/completions');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.cache, 'miss');
  assert.equal((await complete(body('hello there'), '/v1/chat/completions')).text, a.text);
  assert.equal((await complete(body('hello again'), '/v1/chat/completions')).cache, 'miss');
  // The same body on the other route is not the same request.
  const legacy = await complete({ prompt: 'hello there', temperature: 0 });
  assert.equal(legacy.cache, 'miss');
});

test('only deterministic requests are cached; output-changing fields change the key', { skip }, async () => {
  const sampled = { prompt: 'Sampling', temperature: 0.9 };
  const first = await complete(sampled);
  assert.equal(first.status, 200);
  assert.equal(first.cache, null, 'sampling without a seed is never cached');
  assert.equal((await complete(sampled)).cache, null);
  const seeded = { ...sampled, seed: 7 };
  const s1 = await complete(seeded);
  assert.equal(s1.cache, 'miss');
  const s2 = await complete(seeded);
  assert.equal(s2.cache, 'hit');
  assert.equal(s2.text, s1.text);
  assert.equal((await complete({ ...seeded, seed: 8 })).cache, 'miss');
  assert.equal((await complete({ ...seeded, max_tokens: 5 })).cache, 'miss');
  assert.equal((await complete({ ...seeded, stop: ['x'] })).cache, 'miss');
  // An error is not an answer to keep (a token id outside the vocabulary fails in the model).
  const bad = { prompt: [999999], temperature: 0 };
  const e1 = await complete(bad);
  assert.equal(e1.status, 400, e1.text);
  const e2 = await complete(bad);
  assert.equal(e2.status, 400);
  assert.equal(e2.cache, 'miss');
});

test('concurrent identical requests share one computation', { skip }, async () => {
  const body = { prompt: 'All at once', temperature: 0, ignore_eos: true, max_tokens: 200 };
  const before = await metrics();
  const answers = await Promise.all([complete(body), complete(body), complete(body)]);
  const after = await metrics();
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.equal(a.text, answers[0].text);
  }
  assert.deepEqual(answers.map((a) => a.cache).sort(), ['hit', 'hit', 'miss']);
  assert.equal(after.generated - before.generated, 200, 'one generation for three requests');
});

test('unloading the model drops its cached answers; /status shows the cache', { skip }, async () => {
  const body = { prompt: 'Before the unload', temperature: 0 };
  await complete(body);
  assert.equal((await complete(body)).cache, 'hit');
  const before = await metrics();
  assert.ok(before.entries >= 1);
  const r = await fetch(server.base + '/models/unload', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model }),
  });
  assert.equal(r.status, 200, await r.text());
  const after = await metrics();
  assert.ok(after.droppedForModel - before.droppedForModel >= 1);
  assert.equal((await complete(body)).cache, 'miss', 'the reloaded model computes again');
  const status = await (await fetch(server.base + '/status')).json();
  assert.equal(status.response_cache.enabled, true);
  assert.equal(status.response_cache.max_bytes, 1024 * 1024);
  assert.ok(status.response_cache.hits >= 1 && status.response_cache.misses >= 1);
  assert.ok(status.response_cache.bytes > 0 && status.response_cache.bytes <= 1024 * 1024);
});
