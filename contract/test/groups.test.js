// Groups through the official client: create, update, list, join, leave, add, kick, ban,
// promote, demote, the two membership lists, and delete.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueUsername, UUID_RE } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('gr'));
const groupName = (prefix) => `${prefix}-${crypto.randomBytes(6).toString('hex')}`;

const statesOf = (list) => Object.fromEntries(list.group_users.map((gu) => [gu.user.id, gu.state]));

describe('groups', () => {
  test('createGroup, updateGroup, listGroups and deleteGroup', async () => {
    const owner = await player();
    const other = await player();
    const prefix = groupName('lg');
    const g = await client().createGroup(owner, { name: `${prefix}-b`, description: 'desc', open: true, max_count: 10 });
    assert.match(g.id, UUID_RE);
    assert.equal(g.creator_id, owner.user_id);
    assert.equal(g.name, `${prefix}-b`);
    assert.equal(g.description, 'desc');
    assert.equal(g.lang_tag, 'en');
    assert.equal(g.open, true);
    assert.equal(g.edge_count, 1);
    assert.equal(g.max_count, 10);
    assert.deepEqual(g.metadata, {});
    const closed = await client().createGroup(owner, { name: `${prefix}-a` });
    assert.equal(closed.open, false);
    assert.equal(closed.max_count, 100);
    await expectError(client().createGroup(other, { name: `${prefix}-a` }), { status: 409, code: 6, message: 'Group name is in use.' });

    // The default page is one group; the cursor pages on, in name order.
    const first = await client().listGroups(other, `${prefix}%`);
    assert.deepEqual(first.groups.map((x) => x.name), [`${prefix}-a`]);
    assert.ok(first.cursor);
    const second = await client().listGroups(other, `${prefix}%`, first.cursor, 10);
    assert.deepEqual(second.groups.map((x) => x.name), [`${prefix}-b`]);
    assert.equal(second.cursor, undefined);

    assert.equal(await client().updateGroup(owner, g.id, { name: `${prefix}-c`, description: 'new', open: false }), true);
    const [updated] = (await client().listGroups(other, `${prefix}-c`, undefined, 10)).groups;
    assert.equal(updated.description, 'new');
    assert.equal(updated.open, false);
    await expectError(client().updateGroup(other, g.id, { name: 'mine' }), {
      status: 404, code: 5, message: "Group not found or you're not allowed to update.",
    });
    await expectError(client().deleteGroup(other, g.id), {
      status: 400, code: 3, message: "Group not found or you're not allowed to delete.",
    });
    assert.equal(await client().deleteGroup(owner, g.id), true);
    assert.deepEqual((await client().listGroups(other, `${prefix}-c`, undefined, 10)).groups, []);
  });

  test('joinGroup, addGroupUsers, promote, demote, kick, ban and leaveGroup', async () => {
    const owner = await player();
    const a = await player();
    const b = await player();
    const g = await client().createGroup(owner, { name: groupName('mg') });

    // A closed group: joining asks; adding accepts.
    assert.equal(await client().joinGroup(a, g.id), true);
    assert.deepEqual(statesOf(await client().listGroupUsers(owner, g.id)), { [owner.user_id]: 0, [a.user_id]: 3 });
    assert.equal(await client().addGroupUsers(owner, g.id, [a.user_id, b.user_id]), true);
    assert.deepEqual(statesOf(await client().listGroupUsers(owner, g.id)), { [owner.user_id]: 0, [a.user_id]: 2, [b.user_id]: 2 });

    await client().promoteGroupUsers(owner, g.id, [a.user_id]); // nakama-js resolves with the raw body here
    const admins = await client().listGroupUsers(owner, g.id, 1);
    assert.deepEqual(admins.group_users.map((gu) => gu.user.id), [a.user_id]);
    assert.equal(await client().demoteGroupUsers(owner, g.id, [a.user_id]), true);
    await expectError(client().kickGroupUsers(a, g.id, [b.user_id]), {
      status: 404, code: 5, message: 'Group not found or permission denied.',
    });
    assert.equal(await client().kickGroupUsers(owner, g.id, [a.user_id]), true);
    assert.equal(await client().banGroupUsers(owner, g.id, [b.user_id]), true);
    assert.equal(await client().joinGroup(b, g.id), true); // banned: nothing changes
    assert.deepEqual(statesOf(await client().listGroupUsers(owner, g.id, 4)), { [b.user_id]: 4 });
    assert.deepEqual(statesOf(await client().listGroupUsers(owner, g.id)), { [owner.user_id]: 0 });

    // listUserGroups: nakama-js 2.8.0 swaps its state and limit arguments on the wire, so
    // the call is made without them.
    assert.equal(await client().joinGroup(a, g.id), true);
    const mine = await client().listUserGroups(a, a.user_id);
    assert.equal(mine.user_groups.length, 1);
    assert.equal(mine.user_groups[0].group.id, g.id);
    assert.equal(mine.user_groups[0].state, 3);
    assert.equal(await client().addGroupUsers(owner, g.id, [a.user_id]), true);

    await expectError(client().leaveGroup(owner, g.id), {
      status: 400, code: 3, message: 'Cannot leave group when you are the last superadmin.',
    });
    assert.equal(await client().leaveGroup(a, g.id), true);
    // The only member leaving deletes the group.
    assert.equal(await client().leaveGroup(owner, g.id), true);
    await expectError(client().joinGroup(a, g.id), { status: 404, code: 5, message: 'Group not found.' });
  });

  test('an open group is joined at once, up to max_count', async () => {
    const owner = await player();
    const a = await player();
    const b = await player();
    const g = await client().createGroup(owner, { name: groupName('og'), open: true, max_count: 2 });
    assert.equal(await client().joinGroup(a, g.id), true);
    await expectError(client().joinGroup(b, g.id), { status: 400, code: 3, message: 'Group is full.' });
    const list = await client().listGroupUsers(b, g.id);
    assert.deepEqual(statesOf(list), { [owner.user_id]: 0, [a.user_id]: 2 });
  });
});
