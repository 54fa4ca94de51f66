// The per-model circuit breaker end to end, forced by a model folder whose weights become
// unreadable (truncated) and later readable again, with --breaker-failures 2 and a 1 s cooldown:
// two failing loads open it; while open, requests are refused at once with 503 `circuit_open`
// and Retry-After, without another load; after the cooldown it is half open and one probe goes
// through; a probe that fails opens it again, a probe that works closes it and the model serves.
// Every transition is watched in /status, and the counts in /metrics; the cooldown's end is
// observed by polling /status, never assumed after a sleep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
const model = 'gpt2-breakable';
let server;
let genDir;
let weights;
let intact;

before(async () => {
  if (skip) return;
  genDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-breaker-'));
  execFileSync(binary, ['make-model', '--arch', 'gpt2', '--config',
    JSON.stringify({ n_positions: 128, n_embd: 32, n_layer: 1, n_head: 2 }),
    '--out', path.join(genDir, model)]);
  weights = path.join(genDir, model, 'model.safetensors');
  intact = fs.readFileSync(weights);
  server = await startServer(['--model-dir', genDir, '--breaker-failures', '2',
    '--breaker-window', '600', '--breaker-cooldown', '1', '--breaker-probes', '1']);
});

after(async () => {
  if (server) await server.stop();
  if (genDir) fs.rmSync(genDir, { recursive: true, force: true });
});

async function complete() {
  const r = await fetch(server.base + '/v1/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, prompt: 'Hello', max_tokens: 4, temperature: 0 }),
  });
  const text = await r.text();
  let code = null;
  try { code = JSON.parse(text).error?.code ?? null; } catch { /* not JSON */ }
  return { status: r.status, retryAfter: r.headers.get('retry-after'), code, text };
}

async function breaker() {
  const status = await (await fetch(server.base + '/status')).json();
  return status.circuit_breakers[model];
}

// Polls /status until the breaker is in `state` (at most 20 s).
async function waitForState(state) {
  for (let i = 0; i < 2000; i++) {
    const b = await breaker();
    if (b && b.state === state) return b;
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.fail(`the breaker never got ${state}: ${JSON.stringify(await breaker())}`);
}

function sample(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return 0;
}

test('unreadable weights open the breaker; a good probe closes it again', { skip }, async () => {
  // Healthy first: no breaker entry (nothing failed yet); then unload so the next use reloads.
  assert.equal((await complete()).status, 200);
  assert.equal(await breaker(), undefined);
  const unload = await fetch(server.base + '/models/unload', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model }),
  });
  assert.equal(unload.status, 200);
  fs.writeFileSync(weights, intact.subarray(0, intact.length / 2));

  // closed: each request tries the load, which fails.
  const first = await complete();
  assert.notEqual(first.status, 200);
  assert.notEqual(first.code, 'circuit_open', first.text);
  let b = await breaker();
  assert.equal(b.state, 'closed');
  assert.equal(b.recent_failures, 1);
  // closed -> open at the second failure.
  const second = await complete();
  assert.notEqual(second.status, 200);
  assert.notEqual(second.code, 'circuit_open');
  b = await breaker();
  assert.equal(b.state, 'open');
  assert.equal(b.failures, 2);
  assert.ok(b.last_error.length > 0);

  // open: refused at once with Retry-After, and no load is tried (the failures stay at 2).
  const refused = await complete();
  assert.equal(refused.status, 503);
  assert.equal(refused.code, 'circuit_open', refused.text);
  assert.equal(refused.retryAfter, '1');
  b = await breaker();
  assert.equal(b.failures, 2);
  assert.equal(b.rejected, 1);

  // open -> half_open after the cooldown; the probe still fails: half_open -> open.
  await waitForState('half_open');
  const failedProbe = await complete();
  assert.notEqual(failedProbe.status, 200);
  assert.notEqual(failedProbe.code, 'circuit_open');
  b = await breaker();
  assert.equal(b.state, 'open');
  assert.equal(b.opened, 2);
  assert.equal(b.failures, 3);

  // The weights are readable again: half_open -> closed on the probe, and the model serves.
  fs.writeFileSync(weights, intact);
  await waitForState('half_open');
  const probe = await complete();
  assert.equal(probe.status, 200, probe.text);
  b = await breaker();
  assert.equal(b.state, 'closed');
  assert.equal(b.closed_again, 1);
  assert.equal((await complete()).status, 200);

  const text = await (await fetch(server.base + '/metrics')).text();
  assert.equal(sample(text, `hfserve_circuit_breaker_state{model="${model}",state="closed"}`), 1);
  assert.equal(sample(text, `hfserve_circuit_breaker_state{model="${model}",state="open"}`), 0);
  assert.equal(sample(text, `hfserve_circuit_breaker_transitions_total{model="${model}",to="open"}`), 2);
  assert.equal(sample(text, `hfserve_circuit_breaker_transitions_total{model="${model}",to="closed"}`), 1);
  assert.equal(sample(text, `hfserve_circuit_breaker_failures_total{model="${model}"}`), 3);
  assert.ok(sample(text, `hfserve_circuit_breaker_rejections_total{model="${model}"}`) >= 1);
});
