// Authentication through the official client: device, custom id, email.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueEmail, uniqueUsername } from '../lib/nakama.js';
import { assertSession } from '../lib/session-asserts.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);

const USERNAME_IN_USE = { status: 409, code: 6, message: 'Username is already in use.' };
const NOT_FOUND = { status: 404, code: 5, message: 'User account not found.' };

describe('authenticateDevice', () => {
  test('creates an account, then finds the same one', async () => {
    const id = uniqueId('device'); // 43 bytes
    const first = await client().authenticateDevice(id, true);
    assertSession(first, { created: true });
    assert.equal(first.vars, undefined, 'no vars were sent, so none should come back');

    const again = await client().authenticateDevice(id, true);
    assertSession(again, { created: false, userId: first.user_id, username: first.username });

    const noCreate = await client().authenticateDevice(id, false);
    assertSession(noCreate, { created: false, userId: first.user_id, username: first.username });
  });

  test('a minimal 10-byte device id is accepted', async () => {
    const id = uniqueId('d').replaceAll('-', '').slice(0, 10);
    assert.equal(Buffer.byteLength(id), 10);
    const s = await client().authenticateDevice(id, true);
    assertSession(s, { created: true });
  });

  test('chosen username and vars end up in the session', async () => {
    const username = uniqueUsername('dev');
    const vars = { k: 'v' };
    const s = await client().authenticateDevice(uniqueId('device'), true, username, vars);
    assertSession(s, { created: true, username, vars });
  });

  test('create=false with an unknown device id is 404', async () => {
    await expectError(client().authenticateDevice(uniqueId('unknown'), false), NOT_FOUND);
  });

  test('a too-short device id is 400', async () => {
    await expectError(client().authenticateDevice('short', true), {
      status: 400, code: 3, message: 'Device ID invalid, must be 10-128 bytes.',
    });
  });

  test('a too-long (129-byte) device id is 400', async () => {
    await expectError(client().authenticateDevice('x'.repeat(129), true), {
      status: 400, code: 3, message: 'Device ID invalid, must be 10-128 bytes.',
    });
  });

  test('a taken username on create is 409', async () => {
    const username = uniqueUsername('taken');
    await client().authenticateDevice(uniqueId('device'), true, username);
    await expectError(client().authenticateDevice(uniqueId('device'), true, username), USERNAME_IN_USE);
  });
});

describe('authenticateCustom', () => {
  test('creates an account, then finds the same one', async () => {
    const id = uniqueId('custom');
    const first = await client().authenticateCustom(id, true);
    assertSession(first, { created: true });

    const again = await client().authenticateCustom(id, true);
    assertSession(again, { created: false, userId: first.user_id, username: first.username });
  });

  test('chosen username and vars end up in the session', async () => {
    const username = uniqueUsername('cus');
    const vars = { k: 'v', team: 'red' };
    const s = await client().authenticateCustom(uniqueId('custom'), true, username, vars);
    assertSession(s, { created: true, username, vars });
  });

  test('create=false with an unknown custom id is 404', async () => {
    await expectError(client().authenticateCustom(uniqueId('unknown'), false), NOT_FOUND);
  });

  test('a too-short (5-byte) custom id is 400', async () => {
    await expectError(client().authenticateCustom('abcde', true), {
      status: 400, code: 3, message: 'Custom ID invalid, must be 6-128 bytes.',
    });
  });

  test('a taken username on create is 409', async () => {
    const username = uniqueUsername('taken');
    await client().authenticateCustom(uniqueId('custom'), true, username);
    await expectError(client().authenticateCustom(uniqueId('custom'), true, username), USERNAME_IN_USE);
  });

  test('custom and device ids are separate namespaces', async () => {
    const id = uniqueId('shared');
    const dev = await client().authenticateDevice(id, true);
    const cus = await client().authenticateCustom(id, true);
    assert.equal(cus.created, true);
    assert.notEqual(cus.user_id, dev.user_id);
  });
});

describe('authenticateEmail', () => {
  const password = 'correct horse battery';

  test('creates an account, then logs in with the same password', async () => {
    const email = uniqueEmail();
    const first = await client().authenticateEmail(email, password, true);
    assertSession(first, { created: true });

    const again = await client().authenticateEmail(email, password, true);
    assertSession(again, { created: false, userId: first.user_id, username: first.username });

    const login = await client().authenticateEmail(email, password, false);
    assertSession(login, { created: false, userId: first.user_id, username: first.username });
  });

  test('chosen username and vars end up in the session', async () => {
    const username = uniqueUsername('mail');
    const vars = { k: 'v' };
    const s = await client().authenticateEmail(uniqueEmail(), password, true, username, vars);
    assertSession(s, { created: true, username, vars });
  });

  test('the email address is case-insensitive', async () => {
    const email = uniqueEmail();
    const first = await client().authenticateEmail(email, password, true);
    const upper = await client().authenticateEmail(email.toUpperCase(), password, false);
    assertSession(upper, { created: false, userId: first.user_id });
  });

  test('a wrong password is 401 Invalid credentials', async () => {
    const email = uniqueEmail();
    await client().authenticateEmail(email, password, true);
    await expectError(client().authenticateEmail(email, 'wrong password!', true), {
      status: 401, code: 16, message: 'Invalid credentials.',
    });
    await expectError(client().authenticateEmail(email, 'wrong password!', false), {
      status: 401, code: 16, message: 'Invalid credentials.',
    });
  });

  test('create=false with an unknown email is 404', async () => {
    await expectError(client().authenticateEmail(uniqueEmail(), password, false), NOT_FOUND);
  });

  test('a password under 8 characters is 400', async () => {
    await expectError(client().authenticateEmail(uniqueEmail(), 'short', true), {
      status: 400, code: 3, message: 'Password must be at least 8 characters long.',
    });
  });

  test('a malformed email address is 400', async () => {
    await expectError(client().authenticateEmail('not-an-email-address', password, true), {
      status: 400, code: 3, message: 'Invalid email address format.',
    });
  });

  test('a taken username on create is 409', async () => {
    const username = uniqueUsername('taken');
    await client().authenticateEmail(uniqueEmail(), password, true, username);
    await expectError(client().authenticateEmail(uniqueEmail(), password, true, username), USERNAME_IN_USE);
  });
});
