// Go runtime modules through the official client: examples/gamemodule (a Nakama-style
// module written only against nakama-common) loaded once as a plugin from the runtime
// path and once linked into its own binary. RPC with a session and with the http_key,
// a call a before hook rejects, an after hook's and an event handler's effects; over the
// socket (JSON and protobuf adapters), RPCs and the chat filter of a realtime before hook.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketAdapterPb } from '@heroiclabs/nakama-js-protobuf';
import { WebSocketAdapterText } from '@heroiclabs/nakama-js';
import { startHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueUsername } from '../lib/nakama.js';

const HTTP_KEY = 'contract-http-key';
const common = ['--runtime.http_key', HTTP_KEY, '--runtime.env', 'greeting=hello'];
// The server runs in its data directory, so the plugin directory is made absolute.
const modules = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', process.env.HEARTH_MODULES || '../bin/modules');
const builds = [
  { name: 'plugin', options: { extraArgs: [...common, '--runtime.path', modules] } },
  { name: 'linked in', options: { bin: process.env.HEARTH_GAMEMODULE_BIN || '../bin/hearth-gamemodule', extraArgs: common } },
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const adapters = {
  json: () => new WebSocketAdapterText(),
  protobuf: () => new WebSocketAdapterPb(),
};

/** Asserts a socket refusal's code and message. */
async function assertRefused(promise, code, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `error code of ${JSON.stringify(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

for (const build of builds) {
  describe(`gamemodule ${build.name}`, () => {
    let server;
    before(async () => { server = await startHearth(build.options); }, { timeout: 75_000 });
    after(async () => { if (server) await server.stop(); }, { timeout: 35_000 });
    const client = () => newClient(server);
    const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('rt'));

    test('rpc with a session sees the payload, the caller and runtime.env', async () => {
      const s = await player();
      const got = await client().rpc(s, 'echo', { level: 3 });
      assert.deepEqual(got.payload, { input: { level: 3 }, user_id: s.user_id, greeting: 'hello' });
    });

    test('rpc ids are case-insensitive and module functions call nk', async () => {
      const s = await player();
      assert.deepEqual((await client().rpc(s, 'REWARD', {})).payload, { coins: 10 });
      assert.deepEqual((await client().rpc(s, 'reward', {})).payload, { coins: 20 });
      const account = await client().getAccount(s);
      assert.deepEqual(JSON.parse(account.wallet), { coins: 20 });
    });

    test('rpc with the http_key runs without a session, with the payload', async () => {
      const got = await client().rpcHttpKey(HTTP_KEY, 'echo', { from: 'server' });
      assert.deepEqual(got.payload, { input: { from: 'server' }, user_id: '', greeting: 'hello' });
      await expectError(client().rpcHttpKey('wrong-key', 'echo', {}), { status: 401, code: 16, message: 'HTTP key invalid' });
    });

    test('errors a module returns reach the client with their code', async () => {
      await expectError(client().rpcHttpKey(HTTP_KEY, 'reward', {}), { status: 401, code: 16, message: 'a player session is required' });
      const s = await player();
      await expectError(client().rpc(s, 'nope', {}), { status: 404, code: 5, message: 'RPC function not found' });
    });

    test('a before hook rejects a call', async () => {
      const s = await player();
      await expectError(client().addFriends(s, [], ['admin']), { status: 403, code: 7, message: 'Befriending admin is not allowed.' });
      const other = await player();
      assert.equal(await client().addFriends(s, [other.user_id]), true);
    });

    test('an after hook runs with the logged-in user', async () => {
      const device = uniqueId('device');
      const s = await client().authenticateDevice(device, true, uniqueUsername('rt'));
      const got = await client().readStorageObjects(s, { object_ids: [{ collection: 'logins', key: 'last', user_id: s.user_id }] });
      assert.equal(got.objects.length, 1);
      assert.deepEqual(got.objects[0].value, { device, created: true });
    });

    test('events reach the event handler asynchronously', async () => {
      const s = await player();
      assert.ok(await client().emitEvent(s, { name: 'level_up', properties: { level: '2' } }));
      let objects = [];
      for (let i = 0; i < 50 && objects.length === 0; i++) {
        objects = (await client().readStorageObjects(s, { object_ids: [{ collection: 'events', key: 'last', user_id: s.user_id }] })).objects;
        if (objects.length === 0) await sleep(100);
      }
      assert.equal(objects.length, 1, 'the event handler stored the event');
      assert.deepEqual(objects[0].value, { name: 'level_up', properties: { level: '2' }, external: true });
    });

    for (const [name, adapter] of Object.entries(adapters)) {
      test(`socket rpc over the ${name} adapter: echo, unknown id, a module's error`, async () => {
        const s = await player();
        const socket = client().createSocket(false, false, adapter());
        await socket.connect(s, false);
        try {
          const got = await socket.rpc('Echo', JSON.stringify({ level: 3 }));
          assert.equal(got.id, 'Echo'); // the id as sent; functions are found case-insensitively
          assert.deepEqual(JSON.parse(got.payload), { input: { level: 3 }, user_id: s.user_id, greeting: 'hello' });
          assert.deepEqual(JSON.parse((await socket.rpc('reward', '{}')).payload), { coins: 10 });
          // The socket answers with its own codes: 6 RUNTIME_FUNCTION_NOT_FOUND (REST: 404,
          // gRPC 5) and 7 RUNTIME_FUNCTION_EXCEPTION with the module's message (REST: the
          // module's gRPC code).
          await assertRefused(socket.rpc('nope', '{}'), 6, 'RPC function not found');
          await assertRefused(socket.rpc('echo', 'not json'), 7, 'payload must be a JSON object');
          // The socket stays usable.
          assert.equal(JSON.parse((await socket.rpc('echo', '{}')).payload).user_id, s.user_id);
        } finally {
          socket.disconnect(false);
        }
      });

      test(`the chat filter over the ${name} adapter rejects a bad word and masks milder ones`, async () => {
        const a = await player();
        const b = await player();
        const sa = client().createSocket(false, false, adapter());
        const sb = client().createSocket(false, false, adapter());
        const received = [];
        sb.onchannelmessage = (m) => received.push(m);
        await sa.connect(a, false);
        await sb.connect(b, false);
        try {
          const room = `filter-${crypto.randomBytes(6).toString('hex')}`;
          const channel = await sa.joinChat(room, 1, true, false);
          await sb.joinChat(room, 1, true, false);

          await assertRefused(sa.writeChatMessage(channel.id, { text: 'what a bad word' }), 7, 'profanity detected');
          const masked = await sa.writeChatMessage(channel.id, { text: 'darn, that was close' });
          for (let i = 0; i < 50 && !received.some((m) => m.message_id === masked.message_id); i++) await sleep(20);
          // The rejected message reached nobody; the masked one arrived masked.
          assert.deepEqual(received.map((m) => [m.message_id, m.content]), [[masked.message_id, { text: '****, that was close' }]]);
          const history = await client().listChannelMessages(a, channel.id, 10, true);
          assert.deepEqual(history.messages.map((m) => m.content), [{ text: '****, that was close' }]);
        } finally {
          sa.disconnect(false);
          sb.disconnect(false);
        }
      });
    }
  });
}
