// Batch invariance through the server: a deterministic request (temperature 0, or a seed) gives
// the same text and the same logprobs, to the last bit of the JSON numbers, whether it runs alone
// or joins a batch of 15 other running generations with other prompts, lengths and settings.
// The others are held running (long, streaming) before the request is sent, and /status proves
// that the steps really were shared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, haveFixtures } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;

before(async () => {
  if (skip) return;
  server = await startServer(['--max-batch-size', '16']);
});
after(async () => { if (server) await server.stop(); });

async function complete(body) {
  const r = await fetch(`${server.base}/v1/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return r.json();
}

// Starts a streaming completion and resolves once its first token has arrived (the sequence is
// then active in the scheduler); `finish()` cancels it by closing the connection.
async function startRunning(body) {
  const abort = new AbortController();
  const r = await fetch(`${server.base}/v1/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }), signal: abort.signal,
  });
  assert.equal(r.status, 200);
  const reader = r.body.getReader();
  let seen = '';
  while (!seen.includes('data: {')) {
    const { value, done } = await reader.read();
    assert.ok(!done, 'stream ended before its first token');
    seen += new TextDecoder().decode(value);
  }
  return { finish: () => { abort.abort(); return reader.cancel().catch(() => {}); } };
}

async function generationStats(model) {
  const status = await (await fetch(`${server.base}/status`)).json();
  return status.models.loaded.find((m) => m.id === model).generation;
}

const words = 'the quick brown fox jumps over a lazy dog while seven small birds sing'.split(' ');
const otherPrompt = (i) => words.slice(0, 1 + (i * 5) % words.length).join(' ') + ` ${i}`;

for (const model of ['gpt2-tiny', 'llama-tiny']) {
  test(`${model}: alone or among 15 running generations, the same bits`, { skip }, async () => {
    const targets = [
      { model, prompt: 'Once upon a time there was', max_tokens: 16, temperature: 0, logprobs: 5, ignore_eos: true },
      { model, prompt: 'A seeded sample', max_tokens: 12, temperature: 0.9, top_p: 0.95, seed: 1234, logprobs: 2,
        ignore_eos: true },
    ];
    const alone = [];
    for (const t of targets) alone.push(await complete(t));

    const others = [];
    for (let i = 0; i < 15; i++) {
      others.push(startRunning({
        model, prompt: otherPrompt(i), max_tokens: 200, ignore_eos: true,
        ...(i % 3 === 0 ? { temperature: 0 } : { temperature: 0.8, seed: i }),
      }));
    }
    const running = await Promise.all(others);
    const before = await generationStats(model);
    assert.equal(before.active, 15, JSON.stringify(before));
    try {
      for (let i = 0; i < targets.length; i++) {
        const together = await complete(targets[i]);
        assert.equal(together.choices[0].text, alone[i].choices[0].text);
        // deepEqual of the parsed numbers: the server prints floats in shortest round-trip form,
        // so equal numbers here are equal float bits there.
        assert.deepEqual(together.choices[0].logprobs, alone[i].choices[0].logprobs);
        assert.deepEqual(together.usage, alone[i].usage);
      }
      const after = await generationStats(model);
      assert.ok(after.largest_batch >= 16, `steps were not shared: ${JSON.stringify(after)}`);
    } finally {
      await Promise.all(running.map((r) => r.finish()));
    }
  });
}
