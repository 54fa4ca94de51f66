// /tokenize, /detokenize, /classify, /v1/rerank (and /rerank), /score and /metrics against a running
// hfserve on the fixture models plus a generated cross-encoder. Results are checked against
// independent paths: the CLI on the same folder, PyTorch references in the fixtures, the
// embeddings route, and each other (the engine is batch-invariant, so the same pair scored in
// another request gives the same bits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, haveFixtures, fixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;
let genDir;
const crossEncoder = 'cross-encoder-tiny';
const modelDir = (id) => (id === crossEncoder ? path.join(genDir, id) : path.join(fixtures, 'models', id));

before(async () => {
  if (skip) return;
  genDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-rerank-'));
  execFileSync(binary, ['make-model', '--arch', 'bert', '--config', 'cross-encoder-tiny', '--out',
    path.join(genDir, crossEncoder)]);
  server = await startServer(['--model-dir', path.join(fixtures, 'models'), '--model-dir', genDir]);
});

after(async () => {
  if (server) await server.stop();
  if (genDir) fs.rmSync(genDir, { recursive: true, force: true });
});

async function post(route, body) {
  const r = await fetch(server.base + route, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

function assertApiError(res, status, param) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0);
  if (param !== undefined) assert.equal(res.body.error.param, param, JSON.stringify(res.body));
}

function cli(args) {
  return JSON.parse(execFileSync(binary, [...args, '--json']).toString());
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

test('tokenize: the same ids as the CLI, counts, special tokens and token strings', { skip }, async () => {
  const text = 'Hello world, this is hfserve!';
  for (const model of ['gpt2-tiny', 'llama-tiny', 'bert-tiny']) {
    const expected = cli(['tokenize', '--model', modelDir(model), '--text', text]);
    const r = await post('/tokenize', { model, prompt: text });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.tokens, expected.ids, model);
    assert.equal(r.body.count, expected.ids.length);
    assert.equal(r.body.token_strs, null);
    const config = JSON.parse(fs.readFileSync(path.join(modelDir(model), 'config.json')));
    assert.equal(r.body.max_model_len, config.n_positions ?? config.max_position_embeddings);

    const plain = cli(['tokenize', '--model', modelDir(model), '--text', text, '--no-special']);
    const r2 = await post('/tokenize', { model, prompt: text, add_special_tokens: false,
      return_token_strs: true });
    assert.deepEqual(r2.body.tokens, plain.ids, model);
    assert.deepEqual(r2.body.token_strs, plain.tokens, model);
  }
  // BERT adds [CLS] ... [SEP]: two more ids with special tokens than without.
  const withSpecial = await post('/tokenize', { model: 'bert-tiny', prompt: text });
  const without = await post('/tokenize', { model: 'bert-tiny', prompt: text, add_special_tokens: false });
  assert.equal(withSpecial.body.count, without.body.count + 2);
});

test('tokenize chat messages: the prompt a chat completion would read', { skip }, async () => {
  const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi there' }];
  const t = await post('/tokenize', { model: 'llama-tiny', messages });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  const chat = await post('/v1/chat/completions', { model: 'llama-tiny', messages, max_tokens: 1 });
  assert.equal(chat.status, 200, JSON.stringify(chat.body));
  assert.equal(t.body.count, chat.body.usage.prompt_tokens);
  const noPrompt = await post('/tokenize', { model: 'llama-tiny', messages, add_generation_prompt: false });
  assert.ok(noPrompt.body.count < t.body.count, 'the generation prompt adds tokens');
  assert.deepEqual(noPrompt.body.tokens, t.body.tokens.slice(0, noPrompt.body.count));
});

test('detokenize inverts tokenize; special tokens are kept', { skip }, async () => {
  const text = 'Byte-level BPE round trips: café, 数学, emoji 🙂.';
  const t = await post('/tokenize', { model: 'gpt2-tiny', prompt: text });
  const d = await post('/detokenize', { model: 'gpt2-tiny', tokens: t.body.tokens });
  assert.equal(d.status, 200, JSON.stringify(d.body));
  assert.equal(d.body.prompt, text);
  const b = await post('/tokenize', { model: 'bert-tiny', prompt: 'hello' });
  const bd = await post('/detokenize', { model: 'bert-tiny', tokens: b.body.tokens });
  assert.match(bd.body.prompt, /^\[CLS\] hello \[SEP\]$/);
});

test('tokenize and detokenize reject bad input with OpenAI-shaped errors', { skip }, async () => {
  assertApiError(await post('/tokenize', { prompt: 'x' }), 400, 'model');
  assertApiError(await post('/tokenize', { model: 'gpt2-tiny' }), 400, 'prompt');
  assertApiError(await post('/tokenize', { model: 'gpt2-tiny', prompt: 'x',
    messages: [{ role: 'user', content: 'x' }] }), 400, 'messages');
  assertApiError(await post('/tokenize', { model: 'gpt2-tiny', prompt: [1, 2] }), 422, 'prompt');
  assertApiError(await post('/tokenize', { model: 'gpt2-tiny', messages: [{ role: 'wizard', content: 'x' }] }), 422, 'messages');
  assertApiError(await post('/tokenize', { model: 'no-such-model', prompt: 'x' }), 404);
  assertApiError(await post('/detokenize', { model: 'gpt2-tiny' }), 400, 'tokens');
  assertApiError(await post('/detokenize', { model: 'gpt2-tiny', tokens: 'abc' }), 422, 'tokens');
  assertApiError(await post('/detokenize', { model: 'gpt2-tiny', tokens: [1, -2] }), 422, 'tokens');
  assertApiError(await post('/detokenize', { model: 'gpt2-tiny', tokens: [1, 10000000] }), 422, 'tokens');
  const r = await fetch(server.base + '/tokenize', { method: 'POST', body: '{not json' });
  assert.equal(r.status, 400);
});

test('classify matches the PyTorch reference probabilities of the fixture', { skip }, async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected', 'bert-tiny.json')));
  const tol = ref.atol_suggested.cls_probabilities;
  const config = JSON.parse(fs.readFileSync(path.join(fixtures, 'models', 'bert-tiny-cls', 'config.json')));
  let checked = 0;
  for (const c of ref.cases) {
    c.input_ids.forEach((ids, row) => {
      const mask = c.attention_mask[row];
      if (mask.includes(0) || c.token_type_ids[row].some((t) => t !== 0)) return;  // unpadded, one segment
      c.row = row;
      c.ids = ids;
    });
    if (c.ids === undefined) continue;
    const r = await post('/classify', { model: 'bert-tiny-cls', input: c.ids });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = r.body.data[0];
    const probs = c.cls_model.probabilities[c.row];
    assert.equal(d.num_classes, probs.length);
    d.probs.forEach((p, i) => assert.ok(Math.abs(p - probs[i]) <= tol, `${c.name}: ${p} vs ${probs[i]}`));
    assert.equal(d.label, config.id2label[String(c.cls_model.predicted_label_id[c.row])]);
    checked++;
  }
  assert.ok(checked >= 2, `compared ${checked} fixture cases`);
});

test('classify: several texts in one request, in order, as the CLI computes them', { skip }, async () => {
  const inputs = ['a wonderful film', 'the plot was dull and slow', 'ok'];
  const r = await post('/classify', { model: 'bert-tiny-cls', input: inputs });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.object, 'list');
  assert.match(r.body.id, /^classify-/);
  assert.equal(r.body.data.length, 3);
  let tokens = 0;
  for (let i = 0; i < inputs.length; i++) {
    const d = r.body.data[i];
    assert.equal(d.index, i);
    const expected = cli(['classify', '--model', modelDir('bert-tiny-cls'), '--input', inputs[i]]);
    d.probs.forEach((p, k) => assert.ok(Math.abs(p - expected.probs[k]) < 1e-6, `${p} vs ${expected.probs[k]}`));
    const best = expected.probs.indexOf(Math.max(...expected.probs));
    assert.equal(d.label, expected.labels[best]);
    const t = await post('/tokenize', { model: 'bert-tiny-cls', prompt: inputs[i] });
    tokens += t.body.count;
  }
  assert.equal(r.body.usage.prompt_tokens, tokens);
});

test('classify rejects models without a classifier and bad inputs', { skip }, async () => {
  assertApiError(await post('/classify', { model: 'bert-tiny', input: 'x' }), 400, 'model');
  assertApiError(await post('/classify', { model: 'gpt2-tiny', input: 'x' }), 400, 'model');
  assertApiError(await post('/classify', { model: 'bert-tiny-cls' }), 400, 'input');
  assertApiError(await post('/classify', { model: 'bert-tiny-cls', input: '' }), 422, 'input');
  assertApiError(await post('/classify', { model: 'bert-tiny-cls', input: [] }), 422, 'input');
  assertApiError(await post('/classify', { model: 'bert-tiny-cls', input: [[1, 99999999]] }), 422, 'input');
  assertApiError(await post('/classify', { model: 'bert-tiny-cls', input: { text: 'x' } }), 422, 'input');
});

const query = 'what is the capital of France';
const documents = ['Paris is the capital of France.', 'Bananas are yellow.', 'France borders Spain.',
  'The capital city hosts the government.'];

test('rerank with a cross-encoder: sigmoid of the pair logit, sorted, equal to /score', { skip }, async () => {
  const r = await post('/v1/rerank', { model: crossEncoder, query, documents });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.body.id, /^rerank-/);
  assert.equal(r.body.results.length, documents.length);
  const byIndex = new Map(r.body.results.map((x) => [x.index, x]));
  for (let i = 0; i < documents.length; i++) {
    const x = byIndex.get(i);
    assert.equal(x.document.text, documents[i]);
    const c = cli(['classify', '--model', modelDir(crossEncoder), '--input', query, '--pair', documents[i]]);
    assert.equal(c.logits.length, 1);
    assert.ok(Math.abs(x.relevance_score - sigmoid(c.logits[0])) < 1e-6, `${x.relevance_score} vs ${c.logits[0]}`);
  }
  for (let i = 1; i < r.body.results.length; i++) {
    assert.ok(r.body.results[i - 1].relevance_score >= r.body.results[i].relevance_score, 'sorted');
  }
  // The same pairs through /score: another request, another batch, the same bits.
  const s = await post('/score', { model: crossEncoder, text_1: query, text_2: documents });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  s.body.data.forEach((d, i) => {
    assert.equal(d.index, i);
    assert.equal(d.object, 'score');
    assert.equal(d.score, byIndex.get(i).relevance_score);
  });
  // Tokens: each pair is [CLS] query [SEP] document [SEP].
  let tokens = 0;
  for (const d of documents) {
    const q = await post('/tokenize', { model: crossEncoder, prompt: query, add_special_tokens: false });
    const t = await post('/tokenize', { model: crossEncoder, prompt: d, add_special_tokens: false });
    tokens += q.body.count + t.body.count + 3;
  }
  assert.equal(r.body.usage.total_tokens, tokens);
  assert.equal(s.body.usage.prompt_tokens, tokens);
});

test('rerank: top_n, return_documents, Cohere document objects and the /rerank alias', { skip }, async () => {
  const all = await post('/rerank', { model: crossEncoder, query, documents });
  assert.equal(all.status, 200);
  const top = await post('/v1/rerank', { model: crossEncoder, query, documents: documents.map((text) => ({ text })),
    top_n: 2, return_documents: false });
  assert.equal(top.status, 200, JSON.stringify(top.body));
  assert.equal(top.body.results.length, 2);
  for (let i = 0; i < 2; i++) {
    assert.equal(top.body.results[i].index, all.body.results[i].index);
    assert.equal(top.body.results[i].relevance_score, all.body.results[i].relevance_score);
    assert.equal(top.body.results[i].document, undefined);
  }
});

test('rerank and score with an embedding model: cosine of the /v1/embeddings vectors', { skip }, async () => {
  const r = await post('/v1/rerank', { model: 'bert-tiny', query, documents });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const e = await post('/v1/embeddings', { model: 'bert-tiny', input: [query, ...documents] });
  const vec = e.body.data.map((d) => d.embedding);
  const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);  // unit vectors: dot = cosine
  for (const x of r.body.results) assert.equal(x.relevance_score, dot(vec[0], vec[x.index + 1]));
  assert.equal(r.body.usage.total_tokens, e.body.usage.total_tokens, 'the query is embedded once');
  // Pairwise: text_1[i] with text_2[i].
  const s = await post('/score', { model: 'bert-tiny', text_1: [documents[0], documents[1]],
    text_2: [documents[2], documents[3]] });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.data[0].score, dot(vec[1], vec[3]));
  assert.equal(s.body.data[1].score, dot(vec[2], vec[4]));
});

test('rerank and score reject bad input and models that cannot score', { skip }, async () => {
  assertApiError(await post('/v1/rerank', { model: crossEncoder, documents }), 400, 'query');
  assertApiError(await post('/v1/rerank', { model: crossEncoder, query }), 400, 'documents');
  assertApiError(await post('/v1/rerank', { model: crossEncoder, query, documents: [] }), 422, 'documents');
  assertApiError(await post('/v1/rerank', { model: crossEncoder, query, documents: ['a', 3] }), 422, 'documents');
  assertApiError(await post('/v1/rerank', { model: crossEncoder, query, documents: [{ txt: 'a' }] }), 422, 'documents');
  assertApiError(await post('/v1/rerank', { model: crossEncoder, query, documents, top_n: -1 }), 422, 'top_n');
  assertApiError(await post('/v1/rerank', { model: 'bert-tiny-cls', query, documents }), 400, 'model');
  assertApiError(await post('/v1/rerank', { model: 'gpt2-tiny', query, documents }), 400, 'model');
  assertApiError(await post('/v1/rerank', { model: 'nope', query, documents }), 404);
  assertApiError(await post('/score', { model: crossEncoder, text_1: ['a', 'b'], text_2: ['c', 'd', 'e'] }), 422, 'text_2');
  assertApiError(await post('/score', { model: crossEncoder, text_2: 'x' }), 400, 'text_1');
  assertApiError(await post('/score', { model: crossEncoder, text_1: 'x', text_2: [''] }), 422, 'text_2');
});

// Reads one sample's value from the Prometheus text ("name{labels} value"); 0 when absent.
function sample(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return 0;
}

async function scrape() {
  const r = await fetch(server.base + '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return r.text();
}

test('/metrics counts requests by route and status and mirrors the model cache', { skip }, async () => {
  const ok = 'hfserve_http_requests_total{method="POST",route="/detokenize",status="200"}';
  const bad = 'hfserve_http_requests_total{method="POST",route="/detokenize",status="422"}';
  const tokens = 'hfserve_generated_tokens_total{model="gpt2-tiny"}';
  const before = await scrape();
  for (let i = 0; i < 3; i++) assert.equal((await post('/detokenize', { model: 'gpt2-tiny', tokens: [1, 2] })).status, 200);
  assert.equal((await post('/detokenize', { model: 'gpt2-tiny', tokens: [-1] })).status, 422);
  const c = await post('/v1/completions', { model: 'gpt2-tiny', prompt: 'Hi', max_tokens: 5, ignore_eos: true });
  assert.equal(c.body.usage.completion_tokens, 5);
  await fetch(server.base + '/no/such/route');
  // The access log records a request once its answer is written, which the client may see first:
  // scrape again until the count is there (the first scrape normally has it).
  let after = await scrape();
  for (let i = 0; i < 50 && sample(after, ok) < sample(before, ok) + 3; i++) after = await scrape();
  assert.equal(sample(after, ok) - sample(before, ok), 3);
  assert.equal(sample(after, bad) - sample(before, bad), 1);
  assert.equal(sample(after, tokens) - sample(before, tokens), 5);
  assert.ok(sample(after, 'hfserve_http_requests_total{method="GET",route="other",status="404"}') >= 1);
  assert.ok(!after.includes('/no/such/route'), 'unknown paths do not become labels');
  assert.ok(sample(after, 'hfserve_models_loaded') >= 1);
  assert.ok(sample(after, 'hfserve_model_memory_bytes{model="gpt2-tiny"}') > 0);
  assert.ok(sample(after, 'hfserve_http_request_duration_seconds_count{route="/detokenize"}') >= 4);
  assert.match(after, /^# TYPE hfserve_http_requests_total counter$/m);
  assert.match(after, /^hfserve_build_info\{version="[^"]+",io_backend="(epoll|io_uring)"\} 1$/m);
  assert.ok(sample(after, 'hfserve_uptime_seconds') > 0);
});
