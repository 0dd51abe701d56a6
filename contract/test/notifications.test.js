// Notifications through the official client: listNotifications with a cacheable cursor,
// deleteNotifications; friend requests and accepts create them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueUsername, assertTimeBetween } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('nt'));

describe('listNotifications and deleteNotifications', () => {
  test('friend requests and accepts arrive as persistent notifications', async () => {
    const a = await player();
    const b = await player();
    const before = Date.now();
    await client().addFriends(a, [b.user_id]);
    const got = await client().listNotifications(b, 10);
    assert.equal(got.notifications.length, 1);
    const n = got.notifications[0];
    assert.equal(n.code, -2);
    assert.equal(n.subject, `${a.username} wants to add you as a friend`);
    assert.deepEqual(n.content, { username: a.username });
    assert.equal(n.sender_id, a.user_id);
    assert.equal(n.persistent, true);
    assertTimeBetween(n.create_time, before - 1_000, Date.now(), 5_000, 'create_time');
    await client().addFriends(b, [a.user_id]);
    const accepted = await client().listNotifications(a, 10);
    assert.equal(accepted.notifications[0].code, -3);
    assert.equal(accepted.notifications[0].subject, `${b.username} accepted your friend request`);
  });

  test('the default page is one notification; the cacheable cursor returns only newer ones', async () => {
    const me = await player();
    const senders = [await player(), await player(), await player()];
    for (const s of senders.slice(0, 2)) await client().addFriends(s, [me.user_id]);
    const first = await client().listNotifications(me);
    assert.equal(first.notifications.length, 1);
    assert.equal(first.notifications[0].sender_id, senders[0].user_id);
    const rest = await client().listNotifications(me, 100, first.cacheable_cursor);
    assert.deepEqual(rest.notifications.map((n) => n.sender_id), [senders[1].user_id]);
    const none = await client().listNotifications(me, 100, rest.cacheable_cursor);
    assert.deepEqual(none.notifications, []);
    assert.equal(none.cacheable_cursor, rest.cacheable_cursor);
    await client().addFriends(senders[2], [me.user_id]);
    const newer = await client().listNotifications(me, 100, none.cacheable_cursor);
    assert.deepEqual(newer.notifications.map((n) => n.sender_id), [senders[2].user_id]);
  });

  test('deleting removes only the caller\'s own notifications', async () => {
    const me = await player();
    const other = await player();
    await client().addFriends(other, [me.user_id]);
    const [n] = (await client().listNotifications(me, 10)).notifications;
    assert.equal(await client().deleteNotifications(other, [n.id]), true);
    assert.equal((await client().listNotifications(me, 10)).notifications.length, 1);
    assert.equal(await client().deleteNotifications(me, [n.id]), true);
    assert.deepEqual((await client().listNotifications(me, 10)).notifications, []);
  });

  test('limits and cursors are checked', async () => {
    const me = await player();
    await expectError(client().listNotifications(me, 101), { status: 400, code: 3, message: 'Invalid limit - limit must be between 1 and 100.' });
    await expectError(client().listNotifications(me, 1, 'not-a-cursor!'), { status: 400, code: 3, message: 'Malformed cursor was used.' });
  });
});
