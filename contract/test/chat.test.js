// Channel history through the official client: listChannelMessages on a group channel,
// whose membership events give it history without a socket, in both directions and
// with next, previous and cacheable cursors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueUsername, UUID_RE } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('ch'));

describe('chat', () => {
  test('listChannelMessages pages a group channel both ways', async () => {
    const owner = await player();
    const members = [await player(), await player(), await player()];
    const outsider = await player();
    const g = await client().createGroup(owner, { name: `chat-${crypto.randomBytes(6).toString('hex')}`, open: true });
    for (const m of members) {
      assert.equal(await client().joinGroup(m, g.id), true);
    }
    const channelId = `3.${g.id}..`;
    const joined = members.map((m) => m.username);

    // Nakama's defaults: forward, one message.
    const first = await client().listChannelMessages(owner, channelId);
    assert.equal(first.messages.length, 1);
    const [m] = first.messages;
    assert.equal(m.channel_id, channelId);
    assert.match(m.message_id, UUID_RE);
    assert.equal(m.code, 3); // joined the group
    assert.equal(m.sender_id, members[0].user_id);
    assert.equal(m.username, members[0].username);
    assert.deepEqual(m.content, {});
    assert.equal(m.group_id, g.id);
    assert.equal(m.persistent, true);
    assert.ok(m.create_time && m.update_time);
    assert.ok(first.next_cursor);
    assert.equal(first.prev_cursor, undefined);
    assert.ok(first.cacheable_cursor);

    // Forward in twos, then back.
    const p1 = await client().listChannelMessages(owner, channelId, 2, true);
    assert.deepEqual(p1.messages.map((x) => x.username), joined.slice(0, 2));
    const p2 = await client().listChannelMessages(owner, channelId, 2, true, p1.next_cursor);
    assert.deepEqual(p2.messages.map((x) => x.username), joined.slice(2));
    assert.equal(p2.next_cursor, undefined);
    assert.ok(p2.prev_cursor);
    const back = await client().listChannelMessages(owner, channelId, 2, true, p2.prev_cursor);
    assert.deepEqual(back.messages.map((x) => x.username), joined.slice(0, 2));

    // Backward: newest first.
    const b1 = await client().listChannelMessages(owner, channelId, 2, false);
    assert.deepEqual(b1.messages.map((x) => x.username), [joined[2], joined[1]]);
    const b2 = await client().listChannelMessages(owner, channelId, 2, false, b1.next_cursor);
    assert.deepEqual(b2.messages.map((x) => x.username), [joined[0]]);

    // The cacheable cursor of the newest page gives only what came after it.
    const idle = await client().listChannelMessages(owner, channelId, 10, true, b1.cacheable_cursor);
    assert.deepEqual(idle.messages, []);
    assert.equal(idle.cacheable_cursor, b1.cacheable_cursor);
    assert.equal(await client().leaveGroup(members[1], g.id), true);
    const newer = await client().listChannelMessages(owner, channelId, 10, true, b1.cacheable_cursor);
    assert.deepEqual(newer.messages.map((x) => [x.code, x.username]), [[5, members[1].username]]);

    // Members only; bad input gets Nakama's refusals.
    await expectError(client().listChannelMessages(outsider, channelId, 10), { status: 400, code: 3, message: 'Group not found.' });
    await expectError(client().listChannelMessages(members[1], channelId, 10), { status: 400, code: 3, message: 'Group not found.' });
    await expectError(client().listChannelMessages(owner, channelId, 101), {
      status: 400, code: 3, message: 'Invalid limit - limit must be between 1 and 100.',
    });
    await expectError(client().listChannelMessages(owner, 'not-a-channel', 10), { status: 400, code: 3, message: 'Invalid channel ID.' });
    await expectError(client().listChannelMessages(owner, channelId, 10, false, p1.next_cursor), {
      status: 400, code: 3, message: 'Cursor is invalid or expired.',
    });
  });

  test('listChannelMessages reads a room without joining it', async () => {
    const anyone = await player();
    const page = await client().listChannelMessages(anyone, `2...room-${crypto.randomBytes(4).toString('hex')}`, 100, false);
    assert.deepEqual(page.messages, []);
    assert.ok(page.cacheable_cursor);
  });
});
