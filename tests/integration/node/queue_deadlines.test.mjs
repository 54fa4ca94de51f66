// The generation queue end to end, on a server that runs one sequence at a time
// (--max-batch-size 1) over a generated GPT-2 with a long context: while one long generation
// holds the batch, requests wait in the queue; they are served by priority (the body's
// `priority`, else the X-Priority header), first come first served within one; a deadline
// (X-Request-Timeout, capped by --request-timeout) that passes while a request waits or while it
// generates answers 504 `timeout` (a stream: an error event, then [DONE]) and stops its work; a
// full queue answers 503 with Retry-After; GET /admin/queue shows what waits and what runs.
// What waits is observed through /admin/queue, never assumed after a sleep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
const model = 'gpt2-long';
const maxQueue = 4;
let server;
let genDir;

before(async () => {
  if (skip) return;
  genDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-queue-'));
  // Wide and deep enough that a few thousand tokens take seconds, so that a generation holding
  // the batch outlasts everything a test does meanwhile by a wide margin.
  execFileSync(binary, ['make-model', '--arch', 'gpt2', '--config',
    JSON.stringify({ n_positions: 8192, n_embd: 128, n_layer: 2, n_head: 4 }),
    '--out', path.join(genDir, model)]);
  server = await startServer(['--model-dir', genDir, '--max-batch-size', '1',
    '--max-queue', String(maxQueue)]);
});

after(async () => {
  if (server) await server.stop();
  if (genDir) fs.rmSync(genDir, { recursive: true, force: true });
});

function complete(body, headers = {}, signal = undefined) {
  return fetch(server.base + '/v1/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, prompt: 'Hello', temperature: 0, ignore_eos: true, ...body }),
    signal,
  });
}

async function queueOf() {
  const r = await fetch(server.base + '/admin/queue');
  assert.equal(r.status, 200);
  const body = await r.json();
  return body.models.find((m) => m.id === model);
}

// Polls /admin/queue until `ready(entry)` holds (at most 20 s).
async function waitForQueue(ready) {
  for (let i = 0; i < 2000; i++) {
    const q = await queueOf();
    if (q && ready(q)) return q;
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.fail(`the queue never got there: ${JSON.stringify(await queueOf())}`);
}

// Starts a long streamed generation and returns once its first token has arrived: from then on
// it holds the one-sequence batch until release() aborts it.
async function holdTheBatch() {
  const controller = new AbortController();
  const r = await complete({ max_tokens: 8000, stream: true }, {}, controller.signal);
  assert.equal(r.status, 200);
  const reader = r.body.getReader();
  const first = await reader.read();
  assert.ok(!first.done);
  await waitForQueue((q) => q.running === 1);
  return {
    release: async () => {
      controller.abort();
      await reader.cancel().catch(() => {});
      await waitForQueue((q) => q.running === 0 && q.queued === 0);
    },
  };
}

async function assertTimeout(r) {
  const text = await r.text();
  assert.equal(r.status, 504, text);
  const err = JSON.parse(text).error;
  assert.equal(err.code, 'timeout', text);
  assert.equal(typeof err.message, 'string');
}

test('the queue serves higher priority first, in arrival order within a priority', { skip }, async () => {
  const hold = await holdTheBatch();
  const served = [];
  const pending = [];
  const submit = async (name, body, headers) => {
    const waiting = (await queueOf()).queued;
    pending.push(complete({ max_tokens: 16, ...body }, headers).then(async (r) => {
      assert.equal(r.status, 200, await r.clone().text());
      served.push(name);
    }));
    await waitForQueue((q) => q.queued === waiting + 1);  // queued before the next one is sent
  };
  await submit('low-1', {});
  await submit('header-10', {}, { 'x-priority': '10' });
  await submit('body-5', { priority: 5 });
  await submit('body-wins-0', { priority: 0 }, { 'x-priority': '20' });
  const q = await queueOf();
  assert.deepEqual(q.by_priority, [{ priority: 10, queued: 1 }, { priority: 5, queued: 1 },
    { priority: 0, queued: 2 }]);
  assert.equal(q.running, 1);
  assert.ok(q.oldest_wait_s > 0, JSON.stringify(q));
  await hold.release();
  await Promise.all(pending);
  assert.deepEqual(served, ['header-10', 'body-5', 'low-1', 'body-wins-0']);
});

test('a full queue answers 503 with Retry-After at once', { skip }, async () => {
  const hold = await holdTheBatch();
  const pending = [];
  for (let i = 0; i < maxQueue; i++) pending.push(complete({ max_tokens: 1 }));
  await waitForQueue((q) => q.queued === maxQueue);
  // /metrics says the same depth (once, not counted twice).
  const metrics = await (await fetch(server.base + '/metrics')).text();
  assert.match(metrics, new RegExp(`^hfserve_queue_depth\\{model="${model}"\\} ${maxQueue}$`, 'm'));
  const r = await complete({ max_tokens: 1 });
  const text = await r.text();
  assert.equal(r.status, 503, text);
  assert.equal(JSON.parse(text).error.code, 'overloaded');
  assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After');
  await hold.release();
  for (const p of pending) assert.equal((await p).status, 200);
});

test('a deadline that passes in the queue answers 504 timeout', { skip }, async () => {
  const hold = await holdTheBatch();
  const before = (await queueOf()).timed_out;
  const r = await complete({ max_tokens: 4 }, { 'x-request-timeout': '0.2' });
  await assertTimeout(r);
  assert.equal((await queueOf()).timed_out, before + 1);
  await hold.release();
});

test('a deadline that passes while generating stops the work: 504, or an error event then [DONE]', { skip }, async () => {
  const status = async () => {
    const r = await fetch(server.base + '/status');
    return (await r.json()).models.loaded.find((m) => m.id === model).generation;
  };
  const before = await status();
  const timedOut = (await queueOf()).timed_out;
  await assertTimeout(await complete({ max_tokens: 6000 }, { 'x-request-timeout': '0.3' }));
  const stream = await complete({ max_tokens: 6000, stream: true }, { 'x-request-timeout': '0.3' });
  assert.equal(stream.status, 200);
  const events = (await stream.text()).split('\n\n').filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
  assert.equal(events.at(-1), '[DONE]');
  const error = JSON.parse(events.at(-2)).error;
  assert.equal(error.code, 'timeout', events.at(-2));
  assert.ok(events.length > 2, 'tokens were streamed before the deadline');
  const after = await waitForQueue((q) => q.running === 0);
  assert.equal(after.timed_out, timedOut + 2);
  // Both were stopped at their deadline, far short of the 12000 tokens they asked for.
  const generated = (await status()).generated_tokens - before.generated_tokens;
  assert.ok(generated > 0 && generated < 12000, `generated ${generated}`);
});

test('malformed X-Request-Timeout and X-Priority are 400s naming the header', { skip }, async () => {
  for (const [header, value] of [['x-request-timeout', 'soon'], ['x-request-timeout', '-1'],
    ['x-priority', 'high']]) {
    const r = await complete({ max_tokens: 1 }, { [header]: value });
    const text = await r.text();
    assert.equal(r.status, 400, text);
    assert.equal(JSON.parse(text).error.param.toLowerCase(), header, text);
  }
});
