// Friends through the official client: addFriends (invite and accept), listFriends with
// state filter and cursor, blockFriends, deleteFriends, listFriendsOfFriends.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueUsername } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = (name = uniqueUsername('fr')) => client().authenticateDevice(uniqueId('device'), true, name);
const statesOf = (list) => Object.fromEntries((list.friends ?? []).map((f) => [f.user.username, f.state]));

describe('addFriends and listFriends', () => {
  test('an invite is sent and received, and adding back accepts it', async () => {
    const a = await player();
    const b = await player();
    assert.equal(await client().addFriends(a, [b.user_id]), true);
    assert.deepEqual(statesOf(await client().listFriends(a)), { [b.username]: 1 });
    assert.deepEqual(statesOf(await client().listFriends(b)), { [a.username]: 2 });
    assert.equal(await client().addFriends(b, undefined, [a.username]), true);
    const list = await client().listFriends(a);
    assert.deepEqual(statesOf(list), { [b.username]: 0 });
    const f = list.friends[0];
    assert.equal(f.user.id, b.user_id);
    assert.equal(f.user.edge_count, 1);
    assert.match(f.user.create_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/); // the client keeps only the user's times
  });

  test('state filter, limit and cursor page through every edge exactly once', async () => {
    const me = await player();
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await player());
    await client().addFriends(me, others.slice(0, 3).map((o) => o.user_id));
    await client().addFriends(others[3], [me.user_id]);
    await client().blockFriends(me, [others[4].user_id]);
    assert.deepEqual(Object.values(statesOf(await client().listFriends(me, 1))), [1, 1, 1]);
    assert.deepEqual(Object.values(statesOf(await client().listFriends(me, 3))), [3]);
    const seen = [];
    let cursor;
    do {
      const page = await client().listFriends(me, undefined, 2, cursor);
      seen.push(...page.friends.map((f) => f.state));
      cursor = page.cursor;
    } while (cursor);
    assert.deepEqual(seen, [1, 1, 1, 2, 3]);
  });

  test('refusals carry Nakama\'s messages', async () => {
    const a = await player();
    await expectError(client().addFriends(a, [a.user_id]), { status: 400, code: 3, message: 'Cannot add self as friend.' });
    await expectError(client().addFriends(a, ['not-a-uuid']), { status: 400, code: 3, message: "Invalid user ID 'not-a-uuid'." });
    await expectError(client().addFriends(a, undefined, [uniqueUsername('nobody')]), { status: 400, code: 3, message: 'No valid ID or username was provided.' });
    await expectError(client().deleteFriends(a, [a.user_id]), { status: 400, code: 3, message: 'Cannot delete self.' });
    await expectError(client().blockFriends(a, [a.user_id]), { status: 400, code: 3, message: 'Cannot block self.' });
    await expectError(client().listFriends(a, 4), { status: 400, code: 3, message: 'Invalid state - state must be between 0 and 3.' });
    await expectError(client().listFriends(a, undefined, 1001), { status: 400, code: 3, message: 'Invalid limit - limit must be between 1 and 1000.' });
    await expectError(client().listFriends(a, undefined, 10, 'garbage'), { status: 400, code: 3, message: 'Cursor is invalid.' });
  });
});

describe('blockFriends and deleteFriends', () => {
  test('a blocked user cannot invite the blocker; deleting lifts the block', async () => {
    const a = await player();
    const b = await player();
    assert.equal(await client().blockFriends(b, [a.user_id]), true);
    assert.equal(await client().addFriends(a, [b.user_id]), true); // silently ignored, as in Nakama
    assert.deepEqual(statesOf(await client().listFriends(a)), {});
    assert.deepEqual(statesOf(await client().listFriends(b)), { [a.username]: 3 });
    assert.equal(await client().deleteFriends(b, [a.user_id]), true);
    assert.deepEqual(statesOf(await client().listFriends(b)), {});
    await client().addFriends(a, [b.user_id]);
    assert.deepEqual(statesOf(await client().listFriends(b)), { [a.username]: 2 });
  });

  test('deleting a friend removes both sides', async () => {
    const a = await player();
    const b = await player();
    await client().addFriends(a, [b.user_id]);
    await client().addFriends(b, [a.user_id]);
    assert.equal(await client().deleteFriends(a, undefined, [b.username]), true);
    assert.deepEqual(statesOf(await client().listFriends(a)), {});
    assert.deepEqual(statesOf(await client().listFriends(b)), {});
  });
});

describe('listFriendsOfFriends', () => {
  test('lists friends of friends with their referrer, paged', async () => {
    const me = await player();
    const friend = await player();
    const fofs = [await player(), await player(), await player()];
    const befriend = async (x, y) => { await client().addFriends(x, [y.user_id]); await client().addFriends(y, [x.user_id]); };
    await befriend(me, friend);
    for (const f of fofs) await befriend(friend, f);
    const all = await client().listFriendsOfFriends(me);
    assert.equal(all.friends_of_friends.length, 3);
    for (const f of all.friends_of_friends) assert.equal(f.referrer, friend.user_id);
    assert.deepEqual(new Set(all.friends_of_friends.map((f) => f.user.id)), new Set(fofs.map((f) => f.user_id)));
    const first = await client().listFriendsOfFriends(me, 2);
    assert.equal(first.friends_of_friends.length, 2);
    assert.ok(first.cursor);
    const second = await client().listFriendsOfFriends(me, 2, first.cursor);
    assert.equal(second.friends_of_friends.length, 1);
    assert.ok(!second.cursor);
  });
});
