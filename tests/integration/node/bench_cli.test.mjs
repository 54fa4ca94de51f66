// `hfserve bench` against a running server: each level sends exactly -n requests with prompts of
// exactly --prompt-tokens tokens (the server's own prompt-token counter grows by n x that) and
// --max-tokens generated tokens each; streaming gives TTFT and TPOT; failures are counted by
// status (exit status 3), and a wrong model or URL is an error naming it (exit status 1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;

before(async () => {
  if (skip) return;
  server = await startServer();
});

after(async () => {
  if (server) await server.stop();
});

function bench(...args) {
  const r = spawnSync(binary, ['bench', '--url', server.base, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function tokens(kind) {
  const text = await (await fetch(server.base + '/metrics')).text();
  const series = `hfserve_tokens_total{model="gpt2-tiny",kind="${kind}"} `;
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.slice(series.length)) : 0;
}

test('each level sends n requests of exactly the asked prompt and output tokens', { skip }, async () => {
  const prompt0 = await tokens('prompt');
  const out0 = await tokens('completion');
  const r = bench('--model', 'gpt2-tiny', '-c', '1,2', '-n', '4', '--prompt-tokens', '16',
    '--max-tokens', '8', '--stream', '--json');
  assert.equal(r.status, 0, r.stderr);
  const levels = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(levels.map((l) => l.clients), [1, 2]);
  for (const l of levels) {
    assert.equal(l.requests, 4);
    assert.equal(l.ok, 4);
    assert.deepEqual(l.errors, {});
    assert.equal(l.output_tokens, 32);
    assert.ok(l.output_tokens_per_s > 0);
    for (const k of ['p50', 'p90', 'p99']) {
      assert.ok(l.ttft_ms[k] > 0 && l.tpot_ms[k] > 0, JSON.stringify(l));
      assert.ok(l.latency_ms[k] >= l.ttft_ms[k]);
    }
    assert.ok(l.ttft_ms.p50 <= l.ttft_ms.p90 && l.ttft_ms.p90 <= l.ttft_ms.p99);
  }
  // Each request's record is made just after its answer's last byte, so the last ones may reach
  // the metrics a moment after the bench exits: poll (at most 10 s), then compare exactly.
  let prompt = await tokens('prompt');
  let out = await tokens('completion');
  for (let i = 0; i < 1000 && (prompt - prompt0 < 8 * 16 || out - out0 < 8 * 8); i++) {
    await new Promise((res) => setTimeout(res, 10));
    prompt = await tokens('prompt');
    out = await tokens('completion');
  }
  assert.equal(prompt - prompt0, 8 * 16);
  assert.equal(out - out0, 8 * 8);
});

test('the table, failures by status, and clear errors', { skip }, async () => {
  const table = bench('--model', 'gpt2-tiny', '-c', '2', '-n', '2', '--prompt-tokens', '8',
    '--max-tokens', '4');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^\| 2 \| 2 \| 2 \| – \| /m);
  assert.match(table.stdout, /TTFT ms p50 \/ p90 \/ p99/);
  // A prompt longer than the model's context (256): every request is a 400.
  const refused = bench('--model', 'gpt2-tiny', '-c', '1', '-n', '3', '--prompt-tokens', '300',
    '--max-tokens', '4', '--json');
  assert.equal(refused.status, 3, refused.stderr);
  const l = JSON.parse(refused.stdout.trim());
  assert.deepEqual([l.ok, l.errors], [0, { 400: 3 }]);
  const unknown = bench('--model', 'no-such-model', '-n', '1');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no-such-model.*404/);
  assert.equal(unknown.stdout, '');
  const badUrl = spawnSync(binary, ['bench', '--url', 'localhost:1', '--model', 'x'], { encoding: 'utf8' });
  assert.equal(badUrl.status, 1);
  assert.match(badUrl.stderr, /--url: 'localhost:1' is not an http:\/\/ URL/);
});
