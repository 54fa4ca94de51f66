// The usage log and the Prometheus metrics, end to end: every answered request (success, refusal,
// unknown model, streamed or not) becomes one row in the key database, `hfserve usage --json`
// sums them by key and model, the prompt text is stored only with --log-prompts, and /metrics
// carries per-key counts by key name (never the key) and passes `promtool check metrics`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
const marker = 'zebra-quartz-usage-marker';
let dir;
let metrics;  // scraped in the first test, checked by promtool in the second

before(() => {
  if (!skip) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-usage-'));
});
after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function createKey(db, name) {
  return execFileSync(binary, ['keys', 'create', '--db', db, '--name', name]).toString().trim();
}

async function post(base, key, route, body, extraHeaders = {}) {
  const headers = { 'content-type': 'application/json', ...extraHeaders };
  if (key) headers.authorization = `Bearer ${key}`;
  const r = await fetch(base + route, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: r.status, text: await r.text() };
}

function usage(db, ...args) {
  return JSON.parse(execFileSync(binary, ['usage', '--db', db, '--json', ...args]).toString());
}

// Everything the database holds on disk (the db and its WAL), to look for the prompt.
function stored(db) {
  return fs.readdirSync(path.dirname(db)).filter((f) => f.startsWith(path.basename(db)))
    .map((f) => fs.readFileSync(path.join(path.dirname(db), f)).toString('latin1')).join('');
}

test('one usage row per request, summed by key and model; no prompt text', { skip }, async () => {
  const db = path.join(dir, 'plain.db');
  const key = createKey(db, 'meter');
  const admin = execFileSync(binary, ['keys', 'create', '--db', db, '--name', 'ops', '--admin'])
    .toString().trim();
  const server = await startServer(['--db', db]);
  try {
    const a = await post(server.base, key, '/v1/completions',
      { model: 'gpt2-tiny', prompt: marker, max_tokens: 5, ignore_eos: true, temperature: 0 });
    assert.equal(a.status, 200, a.text);
    const b = await post(server.base, key, '/v1/completions',
      { model: 'gpt2-tiny', prompt: marker, max_tokens: 3, ignore_eos: true, temperature: 0,
        stream: true, stream_options: { include_usage: true } });
    assert.equal(b.status, 200, b.text);
    // A stream that starts (200) and then ends with an error event is recorded with the error:
    // a 1 ns deadline has always passed by the time the scheduler looks at the request.
    const late = await post(server.base, key, '/v1/completions',
      { model: 'gpt2-tiny', prompt: marker, max_tokens: 3, stream: true }, { 'x-request-timeout': '1e-9' });
    assert.equal(late.status, 200, late.text);
    assert.match(late.text, /"code":"timeout"/);
    const missing = await post(server.base, key, '/v1/completions',
      { model: 'no-such-model', prompt: 'x', max_tokens: 1 });
    assert.equal(missing.status, 404, missing.text);
    const anonymous = await post(server.base, null, '/v1/completions',
      { model: 'gpt2-tiny', prompt: 'x', max_tokens: 1 });
    assert.equal(anonymous.status, 401, anonymous.text);
    const m = await fetch(server.base + '/metrics', { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(m.status, 200);
    metrics = await m.text();
    const tokensA = JSON.parse(a.text).usage;
    const usageB = b.text.split('\n').filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6))).find((c) => c.usage).usage;
    const { code } = await server.stop();  // the recorder flushes before the server exits
    assert.equal(code, 0);

    const summary = usage(db);
    const gpt2 = summary.find((s) => s.key === 'meter' && s.model === 'gpt2-tiny');
    assert.ok(gpt2, JSON.stringify(summary));
    assert.equal(gpt2.requests, 3);
    assert.equal(gpt2.errors, 1);  // the stream that ended with a timeout
    assert.equal(gpt2.prompt_tokens, tokensA.prompt_tokens + usageB.prompt_tokens);
    assert.equal(gpt2.completion_tokens, 5 + 3);
    assert.ok(gpt2.max_latency_ms >= gpt2.mean_latency_ms && gpt2.mean_latency_ms > 0);
    const unknown = summary.find((s) => s.key === 'meter' && s.model === 'no-such-model');
    assert.deepEqual([unknown?.requests, unknown?.errors], [1, 1], JSON.stringify(summary));
    const anon = summary.find((s) => s.key === '' && s.model === 'gpt2-tiny');
    assert.deepEqual([anon?.requests, anon?.errors], [1, 1], JSON.stringify(summary));
    // The /metrics request (key 'ops') is logged too: it was answered before the server stopped.
    // The /ready polls of startServer are not: probes stay out of the usage log.
    assert.equal(summary.reduce((n, s) => n + s.requests, 0), 6, JSON.stringify(summary));
    assert.deepEqual(usage(db, '--since', '1h'), summary);
    const table = execFileSync(binary, ['usage', '--db', db]).toString();
    assert.match(table, /^KEY\s+MODEL\s+REQUESTS/);
    assert.match(table, /\nmeter\s+gpt2-tiny\s+3\s+1\s/);
    assert.ok(!stored(db).includes(marker), 'the prompt text is not stored without --log-prompts');
    assert.ok(!stored(db).includes(key), 'the key itself is never stored');
  } finally {
    if (server.child.exitCode === null) await server.stop();
  }

  // Per-key counts by name, token counters, the latency histograms.
  assert.match(metrics, /hfserve_key_requests_total\{key="meter",model="gpt2-tiny",status="200"\} 2/);
  assert.match(metrics, /hfserve_key_requests_total\{key="meter",model="gpt2-tiny",status="504"\} 1/);
  assert.match(metrics, /hfserve_key_tokens_total\{key="meter",kind="completion"\} 8/);
  assert.match(metrics, /hfserve_tokens_total\{model="gpt2-tiny",kind="completion"\} 8/);
  assert.match(metrics, /hfserve_time_to_first_token_seconds_count\{[^}]*\} [12]\b/);
  assert.match(metrics, /hfserve_time_per_output_token_seconds_bucket/);
  // Each generation has a queue-wait sample (the timed-out one too); a streamed answer is
  // recorded just after its last byte, so the scrape that follows may not count it yet.
  assert.match(metrics, /hfserve_queue_wait_seconds_count\{model="gpt2-tiny"\} [123]\b/);
  assert.ok(!metrics.includes(key), 'no key in the metrics');
});

const noPromtool = spawnSync('promtool', ['--version']).error && 'promtool not installed';

test('promtool check metrics finds nothing wrong in /metrics', { skip: skip || noPromtool }, () => {
  assert.ok(metrics, 'scraped by the test before');
  const r = spawnSync('promtool', ['check', 'metrics'], { input: metrics });
  assert.equal(r.status, 0, `promtool check metrics:\n${r.stdout}${r.stderr}`);
});

test('--log-prompts stores the request body with its row', { skip }, async () => {
  const db = path.join(dir, 'prompts.db');
  const key = createKey(db, 'logged');
  const server = await startServer(['--db', db, '--log-prompts']);
  const r = await post(server.base, key, '/v1/completions',
    { model: 'gpt2-tiny', prompt: marker, max_tokens: 2, temperature: 0 });
  assert.equal(r.status, 200, r.text);
  const { code } = await server.stop();
  assert.equal(code, 0);
  assert.ok(stored(db).includes(marker), 'the prompt is in the usage log');
  assert.equal(usage(db).find((s) => s.key === 'logged')?.requests, 1);
});
