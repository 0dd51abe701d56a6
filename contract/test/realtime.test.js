// The realtime socket through the official clients, over both adapters: the default
// JSON text adapter of @heroiclabs/nakama-js and the binary protobuf adapter of
// @heroiclabs/nakama-js-protobuf. Status follow/update/unfollow, live notifications,
// and RPC refusals without a runtime module.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketAdapterPb } from '@heroiclabs/nakama-js-protobuf';
import { WebSocketAdapterText } from '@heroiclabs/nakama-js';
import { useHearth } from '../lib/server.js';
import { newClient, uniqueId, uniqueUsername } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('rt'));

const adapters = {
  json: () => new WebSocketAdapterText(),
  protobuf: () => new WebSocketAdapterPb(),
};

/** A connected socket whose pushes of one kind can be awaited in order. */
async function connect(session, adapter, appearOnline = true) {
  const socket = client().createSocket(false, false, adapter());
  const queues = { status: [], notification: [] };
  const waiters = { status: [], notification: [] };
  const push = (kind, value) => {
    const w = waiters[kind].shift();
    if (w) w(value); else queues[kind].push(value);
  };
  socket.onstatuspresence = (e) => push('status', e);
  socket.onnotification = (n) => push('notification', n);
  socket.next = (kind, timeoutMs = 5_000) => {
    if (queues[kind].length) return Promise.resolve(queues[kind].shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} push within ${timeoutMs} ms`)), timeoutMs);
      waiters[kind].push((v) => { clearTimeout(timer); resolve(v); });
    });
  };
  await socket.connect(session, appearOnline);
  return socket;
}

/** Awaits pushes of a kind until one satisfies match. */
async function until(socket, kind, match) {
  for (;;) {
    const v = await socket.next(kind);
    if (match(v)) return v;
  }
}

for (const [name, adapter] of Object.entries(adapters)) {
  describe(`socket over the ${name} adapter`, () => {
    test('followUsers, updateStatus and unfollowUsers', async () => {
      const a = await player();
      const b = await player();
      const sa = await connect(a, adapter);
      const sb = await connect(b, adapter);
      try {
        const users = await client().getUsers(b, [a.user_id]);
        assert.equal(users.users[0].online, true);

        const status = await sb.followUsers([a.user_id]);
        assert.equal(status.presences.length, 1);
        assert.equal(status.presences[0].user_id, a.user_id);
        assert.equal(status.presences[0].username, a.username);

        await sa.updateStatus('in a match');
        const ev = await until(sb, 'status', (e) => (e.joins || []).some((p) => p.user_id === a.user_id));
        assert.equal(ev.joins[0].status, 'in a match');
        assert.equal(ev.leaves.length, 1);

        await sa.updateStatus(); // appear offline
        const off = await until(sb, 'status', (e) => (e.leaves || []).some((p) => p.user_id === a.user_id) && !(e.joins || []).length);
        assert.equal(off.leaves[0].session_id, ev.joins[0].session_id);

        await sb.unfollowUsers([a.user_id]);
        const again = await sb.followUsers([a.user_id]);
        assert.deepEqual(again.presences ?? [], []); // A appears offline
        const offline = await client().getUsers(b, [a.user_id]);
        assert.ok(!offline.users[0].online);
      } finally {
        sa.disconnect(false);
        sb.disconnect(false);
      }
    });

    test('a friend request arrives as a live notification', async () => {
      const a = await player();
      const b = await player();
      const sb = await connect(b, adapter, false);
      try {
        await client().addFriends(a, [b.user_id]);
        const n = await sb.next('notification');
        assert.equal(n.code, -2);
        assert.equal(n.sender_id, a.user_id);
        assert.equal(n.subject, `${a.username} wants to add you as a friend`);
        assert.deepEqual(n.content, { username: a.username });
        assert.equal(n.persistent, true);
      } finally {
        sb.disconnect(false);
      }
    });

    test('rpc with no runtime module answers RUNTIME_FUNCTION_NOT_FOUND', async () => {
      const s = await connect(await player(), adapter);
      try {
        await assert.rejects(s.rpc('nowhere', '{}'), (err) => {
          assert.equal(err.code, 6);
          assert.equal(err.message, 'RPC function not found');
          return true;
        });
        // The socket stays usable.
        const ok = await s.followUsers([]);
        assert.deepEqual(ok.presences ?? [], []);
      } finally {
        s.disconnect(false);
      }
    });
  });
}
