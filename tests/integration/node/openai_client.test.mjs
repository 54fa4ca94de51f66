// The official openai npm client against a running hfserve on the fixture models.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { startServer, haveFixtures, fixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;
let client;

before(async () => {
  if (skip) return;
  server = await startServer();
  client = new OpenAI({ baseURL: `${server.base}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(async () => {
  if (server) {
    const { code } = await server.stop();
    assert.equal(code, 0, 'graceful shutdown on SIGTERM exits 0\n' + server.logs());
  }
});

test('models.list shows the fixture models', { skip }, async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  for (const id of ['gpt2-tiny', 'llama-tiny', 'bert-tiny']) assert.ok(ids.includes(id), ids.join(','));
  const one = await client.models.retrieve('llama-tiny');
  assert.equal(one.id, 'llama-tiny');
  assert.equal(one.object, 'model');
});

test('greedy completion equals the CLI and the model ids', { skip }, async () => {
  const res = await client.completions.create({
    model: 'gpt2-tiny', prompt: 'Hello, world!', max_tokens: 8, temperature: 0,
  });
  assert.equal(res.object, 'text_completion');
  assert.equal(res.choices.length, 1);
  assert.equal(res.choices[0].finish_reason, 'length');
  assert.equal(res.usage.completion_tokens, 8);
  const cli = JSON.parse(execFileSync(binary, ['generate', '--model',
    path.join(fixtures, 'models', 'gpt2-tiny'), '--prompt', 'Hello, world!', '--max-tokens', '8',
    '--json']).toString());
  assert.equal(res.choices[0].text, cli.text);
  // Usage counts real tokens: GPT-2 encodes "Hello, world!" as 4 tokens.
  assert.equal(res.usage.prompt_tokens, 4);
});

test('completions: several prompts, n, token-id prompts, logprobs, seeds', { skip }, async () => {
  const res = await client.completions.create({
    model: 'gpt2-tiny', prompt: ['a', 'b'], n: 2, max_tokens: 3, temperature: 0.8, seed: 7,
    logprobs: 2,
  });
  assert.equal(res.choices.length, 4);
  assert.deepEqual(res.choices.map((c) => c.index), [0, 1, 2, 3]);
  for (const c of res.choices) {
    assert.equal(c.logprobs.tokens.length, 3);
    assert.equal(c.logprobs.top_logprobs[0] !== null, true);
  }
  const again = await client.completions.create({
    model: 'gpt2-tiny', prompt: ['a', 'b'], n: 2, max_tokens: 3, temperature: 0.8, seed: 7,
  });
  assert.deepEqual(again.choices.map((c) => c.text), res.choices.map((c) => c.text));
  const ids = await client.completions.create({ model: 'gpt2-tiny', prompt: [15496, 11], max_tokens: 2, temperature: 0 });
  assert.equal(ids.usage.prompt_tokens, 2);
});

test('chat completion renders the chat template (prompt tokens match transformers)', { skip }, async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(fixtures, 'tokenizers', 'llama-chat', 'chat_cases.json')));
  const list = Array.isArray(cases) ? cases : cases.cases;
  const c = list.find((x) => x.add_generation_prompt);
  const res = await client.chat.completions.create({
    model: 'llama-tiny', messages: c.messages, max_tokens: 5, temperature: 0,
  });
  assert.equal(res.object, 'chat.completion');
  assert.equal(res.choices[0].message.role, 'assistant');
  assert.equal(typeof res.choices[0].message.content, 'string');
  assert.equal(res.usage.prompt_tokens, c.ids.length);
  assert.ok(['stop', 'length'].includes(res.choices[0].finish_reason));
});

test('chat streaming yields the same text as non-streaming, then usage', { skip }, async () => {
  const messages = [{ role: 'user', content: 'Hello!' }];
  const full = await client.chat.completions.create({ model: 'llama-tiny', messages, max_tokens: 10, temperature: 0 });
  const stream = await client.chat.completions.create({
    model: 'llama-tiny', messages, max_tokens: 10, temperature: 0, stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  assert.ok(chunks > 2);
  assert.equal(text, full.choices[0].message.content);
  assert.equal(finish, full.choices[0].finish_reason);
  assert.deepEqual(usage, full.usage);
});

test('embeddings match transformers (mean pooling, L2-normalised)', { skip }, async () => {
  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected', 'bert-tiny.json')));
  const c = expected.cases.text ?? expected.cases.find?.((x) => x.name === 'text');
  const res = await client.embeddings.create({ model: 'bert-tiny', input: 'Hello, world! How are you today?' });
  assert.equal(res.object, 'list');
  const v = res.data[0].embedding;
  assert.equal(v.length, 64);
  const want = c.mean_pooled_l2norm[0];
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(v[i] - want[i]) <= 2e-5 + 1e-4 * Math.abs(want[i]), `dim ${i}`);
  const b64 = await client.embeddings.create({ model: 'bert-tiny', input: ['a', 'b'], encoding_format: 'base64' });
  assert.equal(b64.data.length, 2);
  const short = await client.embeddings.create({ model: 'bert-tiny', input: 'x', dimensions: 16 });
  assert.equal(short.data[0].embedding.length, 16);
});

test('errors come back as OpenAI errors with the right status', { skip }, async () => {
  await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 404 && e.error?.code === 'model_not_found');
  await assert.rejects(client.completions.create({ model: 'gpt2-tiny', prompt: 'x', temperature: 5 }),
    (e) => e.status === 422 && e.error?.param === 'temperature');
  await assert.rejects(client.embeddings.create({ model: 'gpt2-tiny', input: 'x' }),
    (e) => e.status === 400);
});
