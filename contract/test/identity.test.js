// Identity through the official client: link/unlink of device, custom id and email,
// logout, getUsers, account deletion, and social providers that are not configured.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useHearth } from '../lib/server.js';
import {
  Session, newClient, expectError, uniqueId, uniqueEmail, uniqueUsername, UUID_RE,
} from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);

const ALREADY_EXISTS = { status: 409, code: 6 };
const LAST_IDENTIFIER = {
  status: 403,
  code: 7,
  message: 'Cannot unlink last account identifier. Check profile exists and is not last link.',
};
const UNAUTHENTICATED = { status: 401, code: 16 };
const NOT_FOUND = { status: 404, code: 5, message: 'User account not found.' };
const PASSWORD = 'password123';

const deviceIds = (account) => (account.devices ?? []).map((d) => d.id).sort();

describe('device link / unlink', () => {
  test('a linked device logs into the account; unlinking frees it; the last one stays', async () => {
    const c = client();
    const first = uniqueId('device');
    const second = uniqueId('device');
    const s = await c.authenticateDevice(first, true);

    assert.equal(await c.linkDevice(s, { id: second }), true);
    let account = await c.getAccount(s);
    assert.deepEqual(deviceIds(account), [first, second].sort());

    // The second device now signs into the same account, without creating one.
    const viaSecond = await c.authenticateDevice(second, false);
    assert.equal(viaSecond.user_id, s.user_id);
    assert.equal(viaSecond.created, false);

    // Linking a device the account already holds changes nothing.
    assert.equal(await c.linkDevice(s, { id: second }), true);
    assert.deepEqual(deviceIds(await c.getAccount(s)), [first, second].sort());

    assert.equal(await c.unlinkDevice(s, { id: first }), true);
    account = await c.getAccount(s);
    assert.deepEqual(deviceIds(account), [second]);
    await expectError(c.authenticateDevice(first, false), NOT_FOUND);

    // The remaining device is the account's only way in.
    await expectError(c.unlinkDevice(s, { id: second }), LAST_IDENTIFIER);
    assert.deepEqual(deviceIds(await c.getAccount(s)), [second]);
  });

  test("linking another account's device is 409 and moves nothing", async () => {
    const c = client();
    const theirs = uniqueId('device');
    const owner = await c.authenticateDevice(theirs, true);
    const s = await c.authenticateDevice(uniqueId('device'), true);

    await expectError(c.linkDevice(s, { id: theirs }), { ...ALREADY_EXISTS, message: 'Device ID already in use.' });
    assert.deepEqual(deviceIds(await c.getAccount(owner)), [theirs]);
    assert.equal(deviceIds(await c.getAccount(s)).includes(theirs), false);
    assert.equal((await c.authenticateDevice(theirs, false)).user_id, owner.user_id);
  });
});

describe('custom id link / unlink', () => {
  test('link, sign in with it, unlink; the last identifier cannot be unlinked', async () => {
    const c = client();
    const device = uniqueId('device');
    const custom = uniqueId('custom');
    const s = await c.authenticateDevice(device, true);
    assert.equal((await c.getAccount(s)).custom_id, undefined);

    assert.equal(await c.linkCustom(s, { id: custom }), true);
    let account = await c.getAccount(s);
    assert.equal(account.custom_id, custom);
    assert.deepEqual(deviceIds(account), [device]);

    const viaCustom = await c.authenticateCustom(custom, false);
    assert.equal(viaCustom.user_id, s.user_id);
    assert.equal(viaCustom.created, false);

    assert.equal(await c.unlinkCustom(s, { id: custom }), true);
    account = await c.getAccount(s);
    assert.equal(account.custom_id, undefined);
    assert.deepEqual(deviceIds(account), [device]);
    await expectError(c.authenticateCustom(custom, false), NOT_FOUND);
  });

  test('unlinking the only identifier (a custom id) is 403', async () => {
    const c = client();
    const custom = uniqueId('custom');
    const s = await c.authenticateCustom(custom, true);
    await expectError(c.unlinkCustom(s, { id: custom }), LAST_IDENTIFIER);
    assert.equal((await c.getAccount(s)).custom_id, custom);
    assert.equal((await c.authenticateCustom(custom, false)).user_id, s.user_id);
  });

  test("linking another account's custom id is 409", async () => {
    const c = client();
    const theirs = uniqueId('custom');
    const owner = await c.authenticateCustom(theirs, true);
    const s = await c.authenticateDevice(uniqueId('device'), true);

    await expectError(c.linkCustom(s, { id: theirs }), { ...ALREADY_EXISTS, message: 'Custom ID is already in use.' });
    assert.equal((await c.getAccount(s)).custom_id, undefined);
    assert.equal((await c.getAccount(owner)).custom_id, theirs);
  });
});

describe('email link / unlink', () => {
  test('a linked email logs into the same account; unlinking removes it', async () => {
    const c = client();
    const device = uniqueId('device');
    const email = uniqueEmail();
    const s = await c.authenticateDevice(device, true);
    assert.equal((await c.getAccount(s)).email, undefined);

    // Mixed case in, lower case stored.
    assert.equal(await c.linkEmail(s, { email: email.toUpperCase(), password: PASSWORD }), true);
    let account = await c.getAccount(s);
    assert.equal(account.email, email);
    assert.deepEqual(deviceIds(account), [device]);
    assert.equal('password' in account, false, 'the password must never be returned');

    const viaEmail = await c.authenticateEmail(email, PASSWORD, false);
    assert.equal(viaEmail.user_id, s.user_id);
    assert.equal(viaEmail.username, s.username);
    assert.equal(viaEmail.created, false);
    // With create=true too: the address is taken by this account, so nothing is created.
    const again = await c.authenticateEmail(email, PASSWORD, true);
    assert.equal(again.user_id, s.user_id);
    assert.equal(again.created, false);
    // The linked password is the one that works.
    await expectError(c.authenticateEmail(email, 'wrong-password', false),
      { status: 401, code: 16, message: 'Invalid credentials.' });

    assert.equal(await c.unlinkEmail(s, { email, password: PASSWORD }), true);
    account = await c.getAccount(s);
    assert.equal(account.email, undefined);
    assert.deepEqual(deviceIds(account), [device]);
    await expectError(c.authenticateEmail(email, PASSWORD, false), NOT_FOUND);
  });

  test('unlinking the only identifier (an email) is 403', async () => {
    const c = client();
    const email = uniqueEmail();
    const s = await c.authenticateEmail(email, PASSWORD, true);
    await expectError(c.unlinkEmail(s, { email, password: PASSWORD }), LAST_IDENTIFIER);
    assert.equal((await c.getAccount(s)).email, email);
    assert.equal((await c.authenticateEmail(email, PASSWORD, false)).user_id, s.user_id);
  });

  test("linking another account's email is 409", async () => {
    const c = client();
    const theirs = uniqueEmail();
    const owner = await c.authenticateEmail(theirs, PASSWORD, true);
    const s = await c.authenticateDevice(uniqueId('device'), true);

    await expectError(c.linkEmail(s, { email: theirs, password: 'another-password' }),
      { ...ALREADY_EXISTS, message: 'Email is already in use.' });
    assert.equal((await c.getAccount(s)).email, undefined);
    // The owner's login (and password) are untouched.
    assert.equal((await c.authenticateEmail(theirs, PASSWORD, false)).user_id, owner.user_id);
  });
});

describe('sessionLogout', () => {
  test('logging out with the session and refresh token ends both', async () => {
    const c = client();
    const s = await c.authenticateDevice(uniqueId('device'), true);
    assert.equal((await c.getAccount(s)).user.id, s.user_id, 'the session works before logout');

    assert.equal(await c.sessionLogout(s, s.token, s.refresh_token), true);

    await expectError(c.getAccount(s), UNAUTHENTICATED);
    await expectError(c.sessionRefresh(Session.restore(s.token, s.refresh_token)), UNAUTHENTICATED);
  });

  test('logging out one session leaves another session of the same account working', async () => {
    const c = client();
    const device = uniqueId('device');
    const a = await c.authenticateDevice(device, true);
    const b = await c.authenticateDevice(device, false);
    assert.equal(b.user_id, a.user_id);
    assert.notEqual(b.token, a.token, 'every sign-in is a session of its own');

    assert.equal(await c.sessionLogout(a, a.token, a.refresh_token), true);
    await expectError(c.getAccount(a), UNAUTHENTICATED);
    assert.equal((await c.getAccount(b)).user.id, b.user_id);
  });
});

describe('getUsers', () => {
  test('ids and usernames mixed: each user once, unknown ids absent', async () => {
    const c = client();
    const names = [uniqueUsername('ua'), uniqueUsername('ub'), uniqueUsername('uc')];
    const [a, b, u3] = await Promise.all(names.map((n) => c.authenticateDevice(uniqueId('device'), true, n)));
    assert.equal(await c.updateAccount(a, { display_name: 'Player A', location: 'Lyon' }), true);
    const unknown = crypto.randomUUID();

    const res = await c.getUsers(a,
      [a.user_id, b.user_id, a.user_id, unknown], // a twice, an unknown id
      [u3.username, b.username]); // b again, by name
    assert.ok(Array.isArray(res.users), `users should be an array, got ${JSON.stringify(res)}`);
    const byId = new Map(res.users.map((u) => [u.id, u]));
    assert.equal(res.users.length, 3, `expected a, b, c once each, got ${JSON.stringify(res.users.map((u) => u.username))}`);
    assert.deepEqual([...byId.keys()].sort(), [a.user_id, b.user_id, u3.user_id].sort());
    assert.equal(byId.has(unknown), false);

    assert.equal(byId.get(a.user_id).username, names[0]);
    assert.equal(byId.get(b.user_id).username, names[1]);
    assert.equal(byId.get(u3.user_id).username, names[2]);
    assert.equal(byId.get(a.user_id).display_name, 'Player A');
    assert.equal(byId.get(a.user_id).location, 'Lyon');
    assert.equal(byId.get(b.user_id).display_name, undefined);
    for (const u of res.users) {
      assert.match(u.id, UUID_RE);
      assert.ok(Number.isFinite(Date.parse(u.create_time)), `create_time of ${u.username}: ${u.create_time}`);
    }
  });

  test('only unknown ids: no users', async () => {
    const c = client();
    const s = await c.authenticateDevice(uniqueId('device'), true);
    const res = await c.getUsers(s, [crypto.randomUUID()], [uniqueUsername('nobody')]);
    assert.deepEqual(res.users, []);
  });

  test('an id that is not a UUID is 400', async () => {
    const c = client();
    const s = await c.authenticateDevice(uniqueId('device'), true);
    await expectError(c.getUsers(s, [s.user_id, 'not-a-uuid']), {
      status: 400, code: 3, message: "ID 'not-a-uuid' is not a valid system ID.",
    });
  });
});

describe('deleteAccount', () => {
  test('after update and delete the old token is refused and the device makes a new account', async () => {
    const c = client();
    const device = uniqueId('device');
    const username = uniqueUsername('gone');
    const s = await c.authenticateDevice(device, true, username);
    assert.equal(s.created, true);
    assert.equal(await c.updateAccount(s, { display_name: 'Soon Gone', timezone: 'Europe/Paris' }), true);
    const before = await c.getAccount(s);
    assert.equal(before.user.display_name, 'Soon Gone');
    assert.equal(before.user.timezone, 'Europe/Paris');

    assert.equal(await c.deleteAccount(s), true);

    await expectError(c.getAccount(s), UNAUTHENTICATED);
    await expectError(c.sessionRefresh(Session.restore(s.token, s.refresh_token)), UNAUTHENTICATED);
    // Another user no longer finds it.
    const other = await c.authenticateDevice(uniqueId('device'), true);
    assert.deepEqual((await c.getUsers(other, [s.user_id])).users, []);

    // The device id (and the username) are free again: a new, empty account.
    const fresh = await c.authenticateDevice(device, true, username);
    assert.equal(fresh.created, true);
    assert.notEqual(fresh.user_id, s.user_id);
    assert.equal(fresh.username, username);
    const account = await c.getAccount(fresh);
    assert.equal(account.user.id, fresh.user_id);
    assert.equal(account.user.display_name, undefined);
    assert.deepEqual(deviceIds(account), [device]);
  });
});

describe('social providers that are not configured', () => {
  test('authenticateApple is 400 code 9', async () => {
    await expectError(client().authenticateApple('some-apple-id-token', true), {
      status: 400, code: 9, message: 'Apple authentication is not configured.',
    });
  });

  test('authenticateSteam is 400 code 9', async () => {
    await expectError(client().authenticateSteam('some-steam-ticket', true), {
      status: 400, code: 9, message: 'Steam authentication is not configured.',
    });
  });
});
