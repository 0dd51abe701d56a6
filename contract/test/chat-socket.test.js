// Chat over the realtime socket through the official clients, every test over both
// adapters: the JSON text adapter of @heroiclabs/nakama-js and the binary protobuf
// adapter of @heroiclabs/nakama-js-protobuf. joinChat for a room, a group and a direct
// message, presence events between two clients, writeChatMessage / updateChatMessage /
// removeChatMessage (acks, live delivery, refusals), leaveChat, and the history
// listChannelMessages reads afterwards. Status follows and live notifications are in
// realtime.test.js.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { WebSocketAdapterPb } from '@heroiclabs/nakama-js-protobuf';
import { WebSocketAdapterText } from '@heroiclabs/nakama-js';
import { useHearth } from '../lib/server.js';
import { newClient, uniqueId, uniqueUsername, UUID_RE } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('cs'));
const roomName = () => `room-${crypto.randomBytes(6).toString('hex')}`;

const adapters = {
  json: () => new WebSocketAdapterText(),
  protobuf: () => new WebSocketAdapterPb(),
};

// Channel types as joinChat takes them.
const ROOM = 1;
const DIRECT = 2;
const GROUP = 3;

const KINDS = ['message', 'presence', 'notification'];

/** A connected socket whose pushes of each kind can be awaited in order. */
async function connect(session, adapter) {
  const socket = client().createSocket(false, false, adapter());
  const queues = Object.fromEntries(KINDS.map((k) => [k, []]));
  const waiters = Object.fromEntries(KINDS.map((k) => [k, []]));
  const push = (kind, value) => {
    const w = waiters[kind].shift();
    if (w) w(value); else queues[kind].push(value);
  };
  socket.onchannelmessage = (m) => push('message', m);
  socket.onchannelpresence = (e) => push('presence', e);
  socket.onnotification = (n) => push('notification', n);
  socket.next = (kind, timeoutMs = 5_000) => {
    if (queues[kind].length) return Promise.resolve(queues[kind].shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} push within ${timeoutMs} ms`)), timeoutMs);
      waiters[kind].push((v) => { clearTimeout(timer); resolve(v); });
    });
  };
  /** Pushes of a kind received so far and not yet awaited. */
  socket.pending = (kind) => queues[kind].splice(0);
  await socket.connect(session, false);
  return socket;
}

/** Awaits pushes of a kind until one satisfies match. */
async function until(socket, kind, match) {
  for (;;) {
    const v = await socket.next(kind);
    if (match(v)) return v;
  }
}

const joinOf = (sessionId) => (e) => (e.joins || []).some((p) => p.session_id === sessionId);
const leaveOf = (sessionId) => (e) => (e.leaves || []).some((p) => p.session_id === sessionId);
const messageOf = (id, code) => (m) => m.message_id === id && m.code === code;

// The JSON adapter leaves absent fields out; the protobuf one gives '' (or []), but
// leaves a false plain bool (a presence's persistence) undefined.
const str = (v) => v ?? '';
const list = (v) => v ?? [];
const bool = (v) => v ?? false;
// Times come as RFC 3339 strings over JSON and as Date objects over protobuf.
const millis = (t) => (t instanceof Date ? t.getTime() : Date.parse(t));

/** Asserts a timestamp is a whole second within a few seconds of now. */
function assertRecent(t, what) {
  const ms = millis(t);
  assert.ok(Number.isFinite(ms), `${what} does not parse: ${t}`);
  assert.equal(ms % 1000, 0, `${what} ${t} should be whole seconds`);
  assert.ok(Math.abs(ms - Date.now()) < 10_000, `${what} ${t} is not about now`);
}

/** Asserts a socket refusal's code and message. */
async function assertRefused(promise, code, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.code, code, `error code of ${JSON.stringify(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

function disconnect(...sockets) {
  for (const s of sockets) s.disconnect(false);
}

for (const [name, adapter] of Object.entries(adapters)) {
  describe(`chat over the ${name} adapter`, () => {
    test('a room: join, presence events, write, update, remove, leave', async () => {
      const a = await player();
      const b = await player();
      const sa = await connect(a, adapter);
      const sb = await connect(b, adapter);
      try {
        const room = roomName();
        const ca = await sa.joinChat(room, ROOM, true, false);
        assert.equal(ca.id, `2...${room}`);
        assert.equal(ca.room_name, room);
        assert.equal(str(ca.group_id), '');
        assert.equal(str(ca.user_id_one), '');
        assert.equal(ca.self.user_id, a.user_id);
        assert.match(ca.self.session_id, UUID_RE);
        assert.equal(ca.self.username, a.username);
        assert.equal(ca.self.persistence, true);
        assert.deepEqual(list(ca.presences), [], 'a new joiner is in self, not among the presences');
        // Joiners hear of their own join.
        const own = await until(sa, 'presence', joinOf(ca.self.session_id));
        assert.equal(own.channel_id, ca.id);
        assert.equal(own.room_name, room);

        const cb = await sb.joinChat(room, ROOM, true, false);
        assert.equal(cb.id, ca.id);
        assert.deepEqual(list(cb.presences).map((p) => [p.user_id, p.session_id, p.username]),
          [[a.user_id, ca.self.session_id, a.username]]);
        const joined = await until(sa, 'presence', joinOf(cb.self.session_id));
        assert.equal(joined.channel_id, ca.id);
        assert.deepEqual(joined.joins.map((p) => [p.user_id, p.username, p.persistence]), [[b.user_id, b.username, true]]);
        assert.deepEqual(list(joined.leaves), []);

        // Write: the sender's ack, and every member (the sender too) receives it live.
        const ack = await sa.writeChatMessage(ca.id, { text: 'hello' });
        assert.equal(ack.channel_id, ca.id);
        assert.match(ack.message_id, UUID_RE);
        assert.equal(ack.code, 0);
        assert.equal(ack.username, a.username);
        assertRecent(ack.create_time, 'ack.create_time');
        assert.equal(millis(ack.update_time), millis(ack.create_time));
        assert.equal(ack.persistent, true); // the wire field is persistent (nakama-js's type says persistence)
        assert.equal(ack.room_name, room);
        for (const [who, s] of [['other', sb], ['sender', sa]]) {
          const m = await until(s, 'message', messageOf(ack.message_id, 0));
          assert.equal(m.channel_id, ca.id, who);
          assert.equal(m.sender_id, a.user_id, who);
          assert.equal(m.username, a.username, who);
          assert.deepEqual(m.content, { text: 'hello' }, who);
          assert.equal(m.persistent, true, who);
          assert.equal(m.room_name, room, who);
          assert.equal(millis(m.create_time), millis(ack.create_time), who);
        }

        // Update: code 1, same id, new content; only the sender may.
        const upd = await sa.updateChatMessage(ca.id, ack.message_id, { text: 'hello, edited' });
        assert.equal(upd.message_id, ack.message_id);
        assert.equal(upd.code, 1);
        assert.equal(millis(upd.create_time), millis(ack.create_time));
        const edited = await until(sb, 'message', messageOf(ack.message_id, 1));
        assert.deepEqual(edited.content, { text: 'hello, edited' });
        assert.equal(edited.sender_id, a.user_id);
        await assertRefused(sb.updateChatMessage(ca.id, ack.message_id, { text: 'not mine' }), 3,
          'Could not find message to update in channel history');
        await assertRefused(sb.removeChatMessage(ca.id, ack.message_id), 3,
          'Could not find message to remove in channel history');

        // A second message, removed: code 2, empty content, gone from history.
        const second = await sb.writeChatMessage(ca.id, { text: 'to be removed' });
        await until(sa, 'message', messageOf(second.message_id, 0));
        const rm = await sb.removeChatMessage(ca.id, second.message_id);
        assert.equal(rm.message_id, second.message_id);
        assert.equal(rm.code, 2);
        assert.equal(rm.username, b.username);
        const removed = await until(sa, 'message', messageOf(second.message_id, 2));
        assert.deepEqual(removed.content, {});
        assert.equal(removed.sender_id, b.user_id);

        // History: the edited message, not the removed one.
        const history = await client().listChannelMessages(b, ca.id, 10, true);
        assert.deepEqual(history.messages.map((m) => [m.message_id, m.sender_id, m.content]),
          [[ack.message_id, a.user_id, { text: 'hello, edited' }]]);
        assert.equal(history.messages[0].room_name, room);
        assert.equal(history.messages[0].persistent, true);

        // Leave: the other member sees it, and the leaver may no longer send.
        await sb.leaveChat(cb.id);
        const left = await until(sa, 'presence', leaveOf(cb.self.session_id));
        assert.deepEqual(left.leaves.map((p) => p.user_id), [b.user_id]);
        await assertRefused(sb.writeChatMessage(ca.id, { text: 'gone' }), 3, 'Must join channel before sending messages');
        await assertRefused(sb.updateChatMessage(ca.id, second.message_id, { text: 'gone' }), 3, 'Must join channel before updating messages');
        await assertRefused(sb.removeChatMessage(ca.id, second.message_id), 3, 'Must join channel before removing messages');
        // Leaving again is not an error.
        await sb.leaveChat(cb.id);
      } finally {
        disconnect(sa, sb);
      }
    });

    test('messages of a member joined with persistence false are delivered, not stored', async () => {
      const a = await player();
      const b = await player();
      const sa = await connect(a, adapter);
      const sb = await connect(b, adapter);
      try {
        const room = roomName();
        const ca = await sa.joinChat(room, ROOM, false, false);
        assert.equal(bool(ca.self.persistence), false);
        const cb = await sb.joinChat(room, ROOM, true, false);
        assert.deepEqual(list(cb.presences).map((p) => [p.user_id, bool(p.persistence)]), [[a.user_id, false]]);

        const ephemeral = await sa.writeChatMessage(ca.id, { text: 'off the record' });
        assert.equal(ephemeral.persistent, false);
        const live = await until(sb, 'message', messageOf(ephemeral.message_id, 0));
        assert.equal(live.persistent, false);
        assert.deepEqual(live.content, { text: 'off the record' });

        const kept = await sb.writeChatMessage(ca.id, { text: 'on the record' });
        assert.equal(kept.persistent, true);
        await until(sa, 'message', messageOf(kept.message_id, 0));

        const history = await client().listChannelMessages(a, ca.id, 10, true);
        assert.deepEqual(history.messages.map((m) => m.message_id), [kept.message_id]);
      } finally {
        disconnect(sa, sb);
      }
    });

    test('a group channel: members join and talk, outsiders are refused', async () => {
      const owner = await player();
      const member = await player();
      const outsider = await player();
      const g = await client().createGroup(owner, { name: `cs-${crypto.randomBytes(6).toString('hex')}`, open: true });
      assert.equal(await client().joinGroup(member, g.id), true);
      const so = await connect(owner, adapter);
      const sm = await connect(member, adapter);
      const sx = await connect(outsider, adapter);
      try {
        const co = await so.joinChat(g.id, GROUP, true, false);
        assert.equal(co.id, `3.${g.id}..`);
        assert.equal(co.group_id, g.id);
        assert.equal(str(co.room_name), '');
        const cm = await sm.joinChat(g.id, GROUP, true, false);
        assert.equal(cm.id, co.id);
        assert.deepEqual(list(cm.presences).map((p) => p.user_id), [owner.user_id]);
        await until(so, 'presence', joinOf(cm.self.session_id));

        const ack = await sm.writeChatMessage(co.id, { text: 'hi group' });
        assert.equal(ack.group_id, g.id);
        const m = await until(so, 'message', messageOf(ack.message_id, 0));
        assert.equal(m.group_id, g.id);
        assert.equal(m.sender_id, member.user_id);
        assert.deepEqual(m.content, { text: 'hi group' });

        await assertRefused(sx.joinChat(g.id, GROUP, true, false), 3, 'Group not found: Invalid channel target');
        await assertRefused(sx.writeChatMessage(co.id, { text: 'let me in' }), 3, 'Must join channel before sending messages');

        // The socket's message is in the group's history after the member's join event.
        const history = await client().listChannelMessages(owner, co.id, 10, false);
        assert.equal(history.messages[0].message_id, ack.message_id);
        assert.equal(history.messages[0].code, 0);
        assert.equal(history.messages[1].code, 3); // joined the group
      } finally {
        disconnect(so, sm, sx);
      }
    });

    test('a direct message: the first joiner invites, both join the same channel', async () => {
      const a = await player();
      const b = await player();
      const sa = await connect(a, adapter);
      const sb = await connect(b, adapter);
      try {
        const [one, two] = [a.user_id, b.user_id].sort();
        const ca = await sa.joinChat(b.user_id, DIRECT, true, false);
        assert.equal(ca.id, `4.${one}.${two}.`);
        assert.equal(ca.user_id_one, one);
        assert.equal(ca.user_id_two, two);
        assert.equal(str(ca.room_name), '');
        assert.equal(str(ca.group_id), '');

        // B is not in the channel yet: a notification asks B to chat.
        const invite = await until(sb, 'notification', (n) => n.code === -1);
        assert.equal(invite.sender_id, a.user_id);
        assert.equal(invite.subject, `${a.username} wants to chat`);
        assert.deepEqual(invite.content, { username: a.username });

        const cb = await sb.joinChat(a.user_id, DIRECT, true, false);
        assert.equal(cb.id, ca.id);
        assert.deepEqual(list(cb.presences).map((p) => p.user_id), [a.user_id]);
        await until(sa, 'presence', joinOf(cb.self.session_id));
        // A is already there: B's join invites nobody.
        const more = sa.pending('notification');
        assert.deepEqual(more.filter((n) => n.code === -1), []);

        const ack = await sa.writeChatMessage(ca.id, { text: 'psst' });
        assert.equal(ack.user_id_one, one);
        assert.equal(ack.user_id_two, two);
        const m = await until(sb, 'message', messageOf(ack.message_id, 0));
        assert.equal(m.sender_id, a.user_id);
        assert.equal(m.user_id_one, one);
        assert.equal(m.user_id_two, two);
        assert.deepEqual(m.content, { text: 'psst' });

        const history = await client().listChannelMessages(b, ca.id, 10, true);
        assert.deepEqual(history.messages.map((x) => x.message_id), [ack.message_id]);

        await sa.leaveChat(ca.id);
        await until(sb, 'presence', leaveOf(ca.self.session_id));
      } finally {
        disconnect(sa, sb);
      }
    });
  });
}
