// Graceful drain end to end: on SIGTERM the server stops accepting connections, lets requests in
// flight finish within --shutdown-grace (a stream started before the signal runs to its last
// token and [DONE]), cancels what is left when the grace runs out (a stream then gets a
// `shutting_down` error event and [DONE], not a cut connection), and exits 0 either way.
// Each test starts its own server over a generated GPT-2 whose long generations take seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
const model = 'gpt2-long';
let genDir;

before(() => {
  if (skip) return;
  genDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-drain-'));
  execFileSync(binary, ['make-model', '--arch', 'gpt2', '--config',
    JSON.stringify({ n_positions: 8192, n_embd: 128, n_layer: 2, n_head: 4 }),
    '--out', path.join(genDir, model)]);
});

after(() => {
  if (genDir) fs.rmSync(genDir, { recursive: true, force: true });
});

// A streamed completion; resolves once its first token is in, with { events }: a promise of all
// its events (wrapped: an async function returning a bare promise would wait for it).
async function startStream(server, maxTokens) {
  const r = await fetch(server.base + '/v1/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, prompt: 'Hello', max_tokens: maxTokens, temperature: 0,
      ignore_eos: true, stream: true, stream_options: { include_usage: true } }),
  });
  assert.equal(r.status, 200);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    assert.ok(!done, 'the stream ended before its first event');
    text += decoder.decode(value, { stream: true });
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ done: true }));
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));
  })();
  return { events: rest };
}

// Resolves once the server has logged that it is draining (it has taken the signal).
async function drainingLogged(server) {
  for (let i = 0; i < 2000 && !server.logs().includes('shutting down'); i++) {
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.ok(server.logs().includes('shutting down'), server.logs());
}

function connectRefused(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
}

test('SIGTERM: a stream started before it runs to its end; new connections are refused; exit 0', { skip }, async () => {
  const server = await startServer(['--model-dir', genDir, '--shutdown-grace', '60']);
  const { events } = await startStream(server, 1500);
  let finished = false;
  events.then(() => { finished = true; });
  const stopped = server.stop();  // SIGTERM
  await drainingLogged(server);
  assert.ok(!finished, 'the stream was still running when the drain began');
  assert.ok(await connectRefused(server.port), 'the listener is closed while draining');
  const all = await events;
  assert.equal(all.at(-1), '[DONE]');
  const usage = JSON.parse(all.at(-2)).usage;
  assert.equal(usage.completion_tokens, 1500, 'every token of the stream was generated and sent');
  const { code } = await stopped;
  assert.equal(code, 0);
});

test('SIGTERM: what outlives --shutdown-grace is cancelled, and the server still exits 0', { skip }, async () => {
  const server = await startServer(['--model-dir', genDir, '--shutdown-grace', '0.5']);
  const { events } = await startStream(server, 8000);
  const { code } = await server.stop();
  assert.equal(code, 0, server.logs());
  const all = await events;
  assert.equal(all.at(-1), '[DONE]');
  const error = JSON.parse(all.at(-2)).error;
  assert.equal(error?.code, 'shutting_down', all.at(-2));
  assert.ok(!all.some((e) => e.startsWith('{') && JSON.parse(e).usage), 'it did not run to its end');
});
