// Generation over a WebSocket (GET /v1/ws) with a real client (the `ws` npm package): the upgrade
// needs a key when auth is on; a completion and a chat run on one socket at once and stream the
// same text as the HTTP API; a cancel stops a running generation (the scheduler's batch empties)
// and the socket goes on; status subscribers see a model load and unload; bad messages, a model
// outside the key's list and a second generation under a running id get error messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startServer, haveFixtures, binary } from './server.mjs';

const skip = !haveFixtures() && 'fixtures not found (../shared/fixtures)';
let server;
let dir;
const keys = {};

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hfserve-ws-'));
  const db = path.join(dir, 'keys.db');
  const create = (...args) =>
    execFileSync(binary, ['keys', 'create', '--db', db, ...args]).toString().trim();
  keys.user = create('--name', 'ws-user');
  keys.gpt2only = create('--name', 'gpt2-only', '--models', 'gpt2-tiny');
  keys.admin = create('--name', 'ws-admin', '--admin');
  server = await startServer(['--db', db]);
});

after(async () => {
  if (server) await server.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// A socket whose messages are read in order with next(predicate).
async function connect(key) {
  const ws = new WebSocket(server.base.replace('http', 'ws') + '/v1/ws',
    { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const queue = [];
  const waiters = [];
  ws.on('message', (data) => {
    queue.push(JSON.parse(data.toString()));
    while (waiters.length) waiters.shift()();
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (req, res) => reject(Object.assign(
      new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
  const taken = new Set();  // indexes of the messages next() has returned
  return {
    ws,
    all: () => queue,
    send: (m) => ws.send(JSON.stringify(m)),
    // The first message not returned before that matches (several readers may wait at once).
    async next(match = () => true) {
      for (;;) {
        const i = queue.findIndex((m, j) => !taken.has(j) && match(m));
        if (i >= 0) {
          taken.add(i);
          return queue[i];
        }
        await new Promise((res) => waiters.push(res));
      }
    },
    close: () => new Promise((res) => { ws.once('close', res); ws.close(); }),
  };
}

// Every message about `id` up to and including its last (done, result, error or cancelled).
async function finish(socket, id) {
  const out = [];
  for (;;) {
    const m = await socket.next((x) => x.id === id);
    out.push(m);
    if (['done', 'result', 'error', 'cancelled'].includes(m.type)) return out;
  }
}

async function http(route, key, body) {
  const r = await fetch(server.base + route, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

test('the upgrade needs a valid key', { skip }, async () => {
  await assert.rejects(connect(null), (e) => e.status === 401);
  await assert.rejects(connect('hf_not-a-real-key'), (e) => e.status === 401);
});

test('a completion and a chat at once on one socket stream what HTTP answers', { skip }, async () => {
  const completion = { model: 'gpt2-tiny', prompt: 'Hello, world!', max_tokens: 12,
                       temperature: 0, ignore_eos: true };
  const chat = { model: 'llama-tiny', messages: [{ role: 'user', content: 'Hello!' }],
                 max_tokens: 10, temperature: 0 };
  const s = await connect(keys.user);
  s.send({ type: 'completion', id: 'a', ...completion });
  s.send({ type: 'chat', id: 'b', ...chat });
  const [a, b] = await Promise.all([finish(s, 'a'), finish(s, 'b')]);
  assert.equal(a.at(-1).type, 'done', JSON.stringify(a.at(-1)));
  assert.equal(b.at(-1).type, 'done', JSON.stringify(b.at(-1)));
  assert.ok(a.slice(0, -1).every((m) => m.type === 'chunk'));
  const textA = a.slice(0, -1).map((m) => m.data.choices[0]?.text ?? '').join('');
  const textB = b.slice(0, -1).map((m) => m.data.choices[0]?.delta?.content ?? '').join('');
  assert.equal(a[0].data.object, 'text_completion');
  assert.equal(b[0].data.object, 'chat.completion.chunk');

  const viaHttpA = await http('/v1/completions', keys.user, completion);
  const viaHttpB = await http('/v1/chat/completions', keys.user, chat);
  assert.equal(textA, viaHttpA.json.choices[0].text);
  assert.equal(textB, viaHttpB.json.choices[0].message.content);

  // stream:false answers with one result message.
  s.send({ type: 'completion', id: 'whole', ...completion, stream: false });
  const [whole] = await finish(s, 'whole');
  assert.equal(whole.type, 'result');
  assert.equal(whole.data.choices[0].text, textA);
  await s.close();
});

test('cancel stops a running generation; the socket goes on', { skip }, async () => {
  const s = await connect(keys.user);
  s.send({ type: 'subscribe', events: ['status'] });
  await s.next((m) => m.type === 'status');
  // Sent back to back: the cancel arrives while the 200-token generation is in flight.
  s.send({ type: 'completion', id: 'long', model: 'gpt2-tiny', prompt: 'Once', max_tokens: 200,
           temperature: 0, ignore_eos: true });
  s.send({ type: 'cancel', id: 'long' });
  const msgs = await finish(s, 'long');
  assert.equal(msgs.at(-1).type, 'cancelled', JSON.stringify(msgs.at(-1)));
  assert.ok(msgs.length - 1 < 200, `${msgs.length - 1} chunks before the cancel`);
  // The scheduler let it go: the model's batch is empty again (the latest status says so, or the
  // next one does: a subscriber hears of a change only).
  const idle = (m) => m.type === 'status' &&
    m.models.some((x) => x.id === 'gpt2-tiny' && x.active === 0 && x.queued === 0);
  const statuses = s.all().filter((m) => m.type === 'status');
  if (!idle(statuses.at(-1))) await s.next(idle);
  // Nothing more about it, and the socket still serves.
  s.send({ type: 'completion', id: 'after', model: 'gpt2-tiny', prompt: 'Hi', max_tokens: 3,
           temperature: 0, ignore_eos: true });
  const after = await finish(s, 'after');
  assert.equal(after.at(-1).type, 'done');
  assert.equal(s.all().filter((m) => m.id === 'long').length, msgs.length);
  s.send({ type: 'cancel', id: 'long' });
  const gone = await s.next((m) => m.id === 'long');
  assert.deepEqual([gone.type, gone.status, gone.error.code], ['error', 404, 'generation_not_found']);
  await s.close();
});

test('status subscribers see a model load and unload', { skip }, async () => {
  const s = await connect(keys.user);
  s.send({ type: 'subscribe', events: ['status'] });
  const first = await s.next((m) => m.type === 'status');
  assert.ok(Array.isArray(first.models));
  const load = await http('/models/load', keys.admin, { model: 'bert-tiny' });
  assert.equal(load.status, 200, JSON.stringify(load.json));
  await s.next((m) => m.type === 'status' &&
    m.models.some((x) => x.id === 'bert-tiny' && x.state === 'ready'));
  const unload = await http('/models/unload', keys.admin, { model: 'bert-tiny' });
  assert.equal(unload.status, 200, JSON.stringify(unload.json));
  await s.next((m) => m.type === 'status' && !m.models.some((x) => x.id === 'bert-tiny'));
  s.send({ type: 'unsubscribe', events: ['status'] });
  await s.close();
});

test('errors come back as messages and leave the socket open', { skip }, async () => {
  const s = await connect(keys.gpt2only);
  s.ws.send('not json');
  let e = await s.next((m) => m.type === 'error');
  assert.deepEqual([e.id, e.status], [null, 400]);
  s.send({ type: 'fly', id: 'x' });
  e = await s.next((m) => m.type === 'error');
  assert.equal(e.status, 422);
  s.send({ type: 'completion', model: 'gpt2-tiny', prompt: 'x' });  // no id
  e = await s.next((m) => m.type === 'error');
  assert.equal(e.error.param, 'id');
  s.send({ type: 'chat', id: 'other', model: 'llama-tiny',
           messages: [{ role: 'user', content: 'x' }] });  // not this key's model
  e = await s.next((m) => m.id === 'other');
  assert.deepEqual([e.type, e.status], ['error', 403]);
  s.send({ type: 'completion', id: 'bad', model: 'gpt2-tiny', prompt: 'x', temperature: 9 });
  e = await s.next((m) => m.id === 'bad');
  assert.deepEqual([e.type, e.status, e.error.param], ['error', 422, 'temperature']);
  s.send({ type: 'completion', id: 'ok', model: 'gpt2-tiny', prompt: 'x', max_tokens: 2 });
  assert.equal((await finish(s, 'ok')).at(-1).type, 'done');
  await s.close();
});
