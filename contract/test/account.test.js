// getAccount and updateAccount through the official client.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useHearth } from '../lib/server.js';
import {
  Session, newClient, expectError, uniqueId, uniqueEmail, uniqueUsername, assertTimeBetween,
} from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);

describe('getAccount', () => {
  test('device account', async () => {
    const before = Date.now();
    const deviceId = uniqueId('device');
    const s = await client().authenticateDevice(deviceId, true);
    const account = await client().getAccount(s);

    assert.equal(account.user.id, s.user_id);
    assert.equal(account.user.username, s.username);
    assert.equal(account.wallet, '{}');
    // Nakama's column defaults for a new user.
    assert.equal(account.user.lang_tag, 'en', 'default lang_tag');
    assert.equal(account.user.metadata, '{}', 'default metadata');
    assert.ok(Array.isArray(account.devices), `devices should be an array, got ${JSON.stringify(account.devices)}`);
    assert.deepEqual(account.devices.map((d) => d.id), [deviceId]);
    assert.equal(account.custom_id, undefined);
    assert.equal(account.email, undefined);
    assertTimeBetween(account.user.create_time, before, Date.now(), 5_000, 'user.create_time');
    assertTimeBetween(account.user.update_time, before, Date.now(), 5_000, 'user.update_time');
  });

  test('custom id account', async () => {
    const customId = uniqueId('custom');
    const s = await client().authenticateCustom(customId, true);
    const account = await client().getAccount(s);
    assert.equal(account.user.id, s.user_id);
    assert.equal(account.user.username, s.username);
    assert.equal(account.custom_id, customId);
    assert.equal(account.wallet, '{}');
    assert.equal(account.email, undefined);
    assert.deepEqual(account.devices ?? [], []);
    assert.ok(account.user.create_time, 'user.create_time');
  });

  test('email account (stored lower-case)', async () => {
    const email = uniqueEmail();
    const s = await client().authenticateEmail(email.replace(/^u/, 'U'), 'password123', true);
    const account = await client().getAccount(s);
    assert.equal(account.user.id, s.user_id);
    assert.equal(account.user.username, s.username);
    assert.equal(account.email, email);
    assert.equal(account.wallet, '{}');
    assert.equal(account.custom_id, undefined);
    assert.deepEqual(account.devices ?? [], []);
    assert.ok(account.user.create_time, 'user.create_time');
    assert.equal('password' in account, false, 'the password must never be returned');
  });
});

describe('updateAccount', () => {
  test('profile fields are stored and returned', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const update = {
      display_name: 'Contract Tester',
      avatar_url: 'https://example.com/avatar.png',
      lang_tag: 'fr',
      location: 'Lyon',
      timezone: 'Europe/Paris',
    };
    assert.equal(await client().updateAccount(s, update), true);
    const account = await client().getAccount(s);
    for (const [k, v] of Object.entries(update)) assert.equal(account.user[k], v, `user.${k}`);
    assert.equal(account.user.username, s.username, 'username untouched');

    // A partial update leaves the other fields alone.
    assert.equal(await client().updateAccount(s, { location: 'Paris' }), true);
    const again = await client().getAccount(s);
    assert.equal(again.user.location, 'Paris');
    assert.equal(again.user.display_name, update.display_name);
    assert.equal(again.user.timezone, update.timezone);
  });

  test('renaming the username is visible to getAccount and new sessions', async () => {
    const deviceId = uniqueId('device');
    const s = await client().authenticateDevice(deviceId, true);
    const newName = uniqueUsername('renamed');
    assert.equal(await client().updateAccount(s, { username: newName }), true);

    // The old token still carries the old name, but the account is read from storage.
    assert.notEqual(s.username, newName);
    const account = await client().getAccount(s);
    assert.equal(account.user.id, s.user_id);
    assert.equal(account.user.username, newName);

    const fresh = await client().authenticateDevice(deviceId, false);
    assert.equal(fresh.user_id, s.user_id);
    assert.equal(fresh.username, newName);
  });

  test('renaming to a taken username is refused and changes nothing', async () => {
    const taken = uniqueUsername('owner');
    await client().authenticateDevice(uniqueId('device'), true, taken);
    const s = await client().authenticateDevice(uniqueId('device'), true);

    // Nakama answers 400 InvalidArgument here (with gRPC's formatting in the message);
    // Hearth keeps the status and code and drops the formatting (COMPAT.md #4).
    await expectError(client().updateAccount(s, { username: taken }), {
      status: 400, code: 3, message: 'Username is already in use.',
    });
    const account = await client().getAccount(s);
    assert.equal(account.user.username, s.username);
  });
});

describe('account reads need a valid session', () => {
  test('a session restored from a token works like the original', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const account = await client().getAccount(Session.restore(s.token, s.refresh_token));
    assert.equal(account.user.id, s.user_id);
  });
});
