// Storage objects through the official client: writeStorageObjects, readStorageObjects,
// listStorageObjects, deleteStorageObjects, permissions and version conflicts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, assertTimeBetween } from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true);
// Collections are per test, so tests sharing one server never see each other's objects.
const collection = () => uniqueId('col').slice(0, 60);
// The version Nakama gives a value: the MD5 hex of the JSON text the client sent.
const versionOf = (value) => crypto.createHash('md5').update(JSON.stringify(value)).digest('hex');

const REJECTED_VERSION = { status: 400, code: 3, message: 'Storage write rejected - version check failed.' };
const REJECTED_DELETE = { status: 400, code: 3, message: 'Storage delete rejected - not found, version check failed, or permission denied.' };

describe('writeStorageObjects and readStorageObjects', () => {
  test('objects round-trip with acks, versions and default permissions', async () => {
    const s = await player();
    const col = collection();
    const save = { level: 3, hp: 97.5, inventory: ['sword', { shield: true }], name: 'Ünïcode' };
    const before = Date.now();
    const acks = await client().writeStorageObjects(s, [
      { collection: col, key: 'save', value: save },
      { collection: col, key: 'settings', value: { music: false }, permission_read: 2, permission_write: 0 },
    ]);
    assert.equal(acks.acks.length, 2);
    for (const [i, key] of ['save', 'settings'].entries()) {
      const ack = acks.acks[i];
      assert.equal(ack.collection, col);
      assert.equal(ack.key, key);
      assert.equal(ack.user_id, s.user_id);
      assertTimeBetween(ack.create_time, before, Date.now(), 5_000, 'ack.create_time');
      assert.equal(ack.update_time, ack.create_time);
    }
    assert.equal(acks.acks[0].version, versionOf(save));

    const read = await client().readStorageObjects(s, { object_ids: [
      { collection: col, key: 'save', user_id: s.user_id },
      { collection: col, key: 'settings', user_id: s.user_id },
      { collection: col, key: 'missing', user_id: s.user_id },
    ] });
    assert.equal(read.objects.length, 2);
    const [saved, settings] = read.objects;
    assert.deepEqual(saved.value, save);
    assert.equal(saved.version, versionOf(save));
    assert.equal(saved.user_id, s.user_id);
    assert.equal(saved.permission_read, 1, 'default read permission');
    assert.equal(saved.permission_write, 1, 'default write permission');
    assertTimeBetween(saved.create_time, before - 1_000, Date.now(), 5_000, 'object.create_time');
    assert.doesNotMatch(saved.create_time, /\.\d/, 'reads carry whole seconds');
    assert.equal(settings.permission_read, 2);
    assert.equal(settings.permission_write, 0);
  });

  test('the owner cannot read its own read-0 object, nor change its write-0 object', async () => {
    const s = await player();
    const col = collection();
    await client().writeStorageObjects(s, [
      { collection: col, key: 'hidden', value: { a: 1 }, permission_read: 0, permission_write: 1 },
      { collection: col, key: 'locked', value: { a: 1 }, permission_read: 1, permission_write: 0 },
    ]);
    const read = await client().readStorageObjects(s, { object_ids: [{ collection: col, key: 'hidden', user_id: s.user_id }] });
    assert.deepEqual(read.objects, []);
    await expectError(client().writeStorageObjects(s, [{ collection: col, key: 'locked', value: { a: 2 } }]),
      { status: 400, code: 3, message: 'Storage write rejected - permission denied.' });
    await expectError(client().deleteStorageObjects(s, { object_ids: [{ collection: col, key: 'locked' }] }), REJECTED_DELETE);
  });

  test('a value that is not a JSON object is refused', async () => {
    const s = await player();
    await expectError(client().writeStorageObjects(s, [{ collection: collection(), key: 'k', value: [1, 2] }]),
      { status: 400, code: 3, message: 'Value must be a JSON object.' });
  });
});

describe('version conflicts', () => {
  test('"*" writes only new objects, a version only over that version', async () => {
    const s = await player();
    const col = collection();
    const first = await client().writeStorageObjects(s, [{ collection: col, key: 'k', value: { n: 1 }, version: '*' }]);
    await expectError(client().writeStorageObjects(s, [{ collection: col, key: 'k', value: { n: 2 }, version: '*' }]), REJECTED_VERSION);

    const second = await client().writeStorageObjects(s, [{ collection: col, key: 'k', value: { n: 2 }, version: first.acks[0].version }]);
    assert.equal(second.acks[0].version, versionOf({ n: 2 }));
    // The first version is stale now.
    await expectError(client().writeStorageObjects(s, [{ collection: col, key: 'k', value: { n: 3 }, version: first.acks[0].version }]), REJECTED_VERSION);

    // A batch with one conflict writes nothing at all.
    await expectError(client().writeStorageObjects(s, [
      { collection: col, key: 'other', value: { fresh: true } },
      { collection: col, key: 'k', value: { n: 4 }, version: '*' },
    ]), REJECTED_VERSION);
    const read = await client().readStorageObjects(s, { object_ids: [
      { collection: col, key: 'k', user_id: s.user_id }, { collection: col, key: 'other', user_id: s.user_id },
    ] });
    assert.equal(read.objects.length, 1);
    assert.deepEqual(read.objects[0].value, { n: 2 });
  });

  test('conditional deletes', async () => {
    const s = await player();
    const col = collection();
    const acks = await client().writeStorageObjects(s, [{ collection: col, key: 'k', value: { n: 1 } }]);
    await expectError(client().deleteStorageObjects(s, { object_ids: [{ collection: col, key: 'k', version: versionOf({ n: 0 }) }] }), REJECTED_DELETE);
    assert.equal(await client().deleteStorageObjects(s, { object_ids: [{ collection: col, key: 'k', version: acks.acks[0].version }] }), true);
    const read = await client().readStorageObjects(s, { object_ids: [{ collection: col, key: 'k', user_id: s.user_id }] });
    assert.deepEqual(read.objects, []);
  });
});

describe('listStorageObjects', () => {
  test('own objects page by cursor, read permission then key; no limit lists one', async () => {
    const s = await player();
    const col = collection();
    await client().writeStorageObjects(s, [
      { collection: col, key: 'e', value: { i: 5 } },
      { collection: col, key: 'b', value: { i: 2 }, permission_read: 2 },
      { collection: col, key: 'c', value: { i: 3 } },
      { collection: col, key: 'a', value: { i: 1 } },
      { collection: col, key: 'd', value: { i: 4 }, permission_read: 2 },
      { collection: col, key: 'z', value: { i: 0 }, permission_read: 0 },
    ]);
    const keys = [];
    let cursor;
    for (let page = 0; page < 10; page++) {
      const list = await client().listStorageObjects(s, col, s.user_id, 2, cursor);
      assert.ok(list.objects.length <= 2);
      keys.push(...list.objects.map((o) => o.key));
      cursor = list.cursor;
      if (!cursor) break;
    }
    assert.deepEqual(keys, ['a', 'c', 'e', 'b', 'd'], 'read 1 before read 2, by key; read 0 never');

    const one = await client().listStorageObjects(s, col, s.user_id);
    assert.equal(one.objects.length, 1);
    assert.equal(one.objects[0].key, 'a');
    assert.equal(typeof one.cursor, 'string');
    assert.ok(one.cursor.length > 0);
  });

  test("another user's public objects, and everyone's", async () => {
    const alice = await player();
    const bob = await player();
    const col = collection();
    await client().writeStorageObjects(alice, [
      { collection: col, key: 'private', value: { p: 1 } },
      { collection: col, key: 'public', value: { p: 2 }, permission_read: 2 },
    ]);
    await client().writeStorageObjects(bob, [{ collection: col, key: 'bobs', value: { p: 3 }, permission_read: 2 }]);

    const alices = await client().listStorageObjects(bob, col, alice.user_id, 100);
    assert.deepEqual(alices.objects.map((o) => [o.key, o.user_id]), [['public', alice.user_id]]);
    assert.deepEqual(alices.objects[0].value, { p: 2 });
    assert.ok(!alices.cursor);

    const everyone = await client().listStorageObjects(bob, col, undefined, 100);
    assert.deepEqual(everyone.objects.map((o) => o.key), ['bobs', 'public']);

    const read = await client().readStorageObjects(bob, { object_ids: [
      { collection: col, key: 'private', user_id: alice.user_id },
      { collection: col, key: 'public', user_id: alice.user_id },
    ] });
    assert.deepEqual(read.objects.map((o) => o.key), ['public']);
  });

  test('refusals', async () => {
    const s = await player();
    await expectError(client().listStorageObjects(s, collection(), 'not-a-uuid', 10),
      { status: 400, code: 3, message: 'Invalid user ID - make sure user ID is a valid UUID.' });
    await expectError(client().listStorageObjects(s, collection(), s.user_id, 101),
      { status: 400, code: 3, message: 'Invalid limit - limit must be between 1 and 100.' });
    await expectError(client().listStorageObjects(s, collection(), s.user_id, 10, 'not-a-cursor'),
      { status: 400, code: 3, message: 'Malformed cursor was used.' });
  });
});

describe('deleteStorageObjects', () => {
  test('deletes own objects only', async () => {
    const alice = await player();
    const bob = await player();
    const col = collection();
    await client().writeStorageObjects(alice, [{ collection: col, key: 'mine', value: { v: 1 }, permission_read: 2 }]);
    // Bob names the same collection and key: that is his own (missing) object, not Alice's.
    await expectError(client().deleteStorageObjects(bob, { object_ids: [{ collection: col, key: 'mine' }] }), REJECTED_DELETE);
    const still = await client().readStorageObjects(bob, { object_ids: [{ collection: col, key: 'mine', user_id: alice.user_id }] });
    assert.equal(still.objects.length, 1);

    assert.equal(await client().deleteStorageObjects(alice, { object_ids: [{ collection: col, key: 'mine' }] }), true);
    const gone = await client().listStorageObjects(alice, col, alice.user_id, 10);
    assert.deepEqual(gone.objects, []);
  });
});
