// Server key and bearer token checks, and the unauthenticated healthcheck.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useHearth } from '../lib/server.js';
import {
  Session, newClient, expectError, uniqueId, decodeJwt, signJwt,
} from '../lib/nakama.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const UNAUTHENTICATED = { status: 401, code: 16 };

describe('server key', () => {
  test('a wrong server key on authenticate is 401', async () => {
    const bad = newClient(hearth.server, { serverKey: 'not-the-server-key' });
    const { body } = await expectError(bad.authenticateDevice(uniqueId('device'), true), UNAUTHENTICATED);
    assert.equal(typeof body.message, 'string');
    assert.ok(body.message.length > 0, 'error message is empty');
  });

  test('a rejected server key creates no account', async () => {
    const id = uniqueId('device');
    const bad = newClient(hearth.server, { serverKey: 'not-the-server-key' });
    await expectError(bad.authenticateDevice(id, true), UNAUTHENTICATED);
    await expectError(client().authenticateDevice(id, false), { status: 404, code: 5 });
  });

  test('a wrong server key on sessionRefresh is 401', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const bad = newClient(hearth.server, { serverKey: 'not-the-server-key' });
    await expectError(bad.sessionRefresh(s), UNAUTHENTICATED);
  });

  test('no Authorization header on authenticate is 401', async () => {
    const res = await fetch(`${hearth.server.baseUrl}/v2/account/authenticate/device?create=true`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: uniqueId('device') }),
    });
    await expectError(Promise.reject(res), UNAUTHENTICATED);
  });
});

describe('bearer token', () => {
  test('a garbage token on getAccount is 401', async () => {
    // Session.restore needs something shaped like a JWT to decode client-side.
    const garbage = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${
      Buffer.from(JSON.stringify({ uid: 'x', usn: 'y', exp: 9999999999 })).toString('base64url')}.garbage`;
    await expectError(client().getAccount(Session.restore(garbage, '')), UNAUTHENTICATED);
  });

  test('a non-JWT bearer token is 401', async () => {
    const res = await fetch(`${hearth.server.baseUrl}/v2/account`, {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    await expectError(Promise.reject(res), UNAUTHENTICATED);
  });

  test('a token signed with a different key is 401', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const { header, payload } = decodeJwt(s.token);
    const forged = signJwt(payload, 'some-other-encryption-key', header);
    await expectError(client().getAccount(Session.restore(forged, '')), UNAUTHENTICATED);
  });

  test('a refresh token is not accepted as a session token', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    await expectError(client().getAccount(Session.restore(s.refresh_token, '')), UNAUTHENTICATED);
  });

  test('an "alg: none" token is 401', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const { payload } = decodeJwt(s.token);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${
      Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
    await expectError(client().getAccount(Session.restore(none, '')), UNAUTHENTICATED);
  });

  test('no Authorization header on getAccount is 401', async () => {
    const res = await fetch(`${hearth.server.baseUrl}/v2/account`);
    await expectError(Promise.reject(res), UNAUTHENTICATED);
  });

  test('the server key as Basic auth does not open getAccount', async () => {
    const res = await fetch(`${hearth.server.baseUrl}/v2/account`, {
      headers: { Authorization: `Basic ${Buffer.from('defaultkey:').toString('base64')}` },
    });
    await expectError(Promise.reject(res), UNAUTHENTICATED);
  });
});

describe('healthcheck', () => {
  test('GET /healthcheck with no auth is 200 {}', async () => {
    const res = await fetch(`${hearth.server.baseUrl}/healthcheck`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
  });
});
