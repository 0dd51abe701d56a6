// Session refresh, token validation and the client's autoRefreshSession.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENCRYPTION_KEY, useHearth } from '../lib/server.js';
import {
  Session, newClient, expectError, uniqueId, decodeJwt, signJwt, nowSec,
} from '../lib/nakama.js';
import { assertSession } from '../lib/session-asserts.js';

const hearth = useHearth();
const client = () => newClient(hearth.server);
const UNAUTHENTICATED = { status: 401, code: 16 };

describe('sessionRefresh', () => {
  test('returns a session for the same user with a new, usable token', async () => {
    const c = client();
    const session = await c.authenticateDevice(uniqueId('device'), true, undefined, { k: 'v' });
    const { user_id: userId, username, token: oldToken } = session;

    const refreshed = await c.sessionRefresh(session);
    // nakama-js updates the session in place and returns it.
    assert.equal(refreshed, session);
    assertSession(refreshed, { userId, username });
    assert.notEqual(refreshed.token, oldToken, 'refresh should issue a new session token');
    assert.ok(refreshed.refresh_token, 'refresh should return a refresh token');

    // The new token alone is enough for an authenticated call.
    const account = await c.getAccount(Session.restore(refreshed.token, refreshed.refresh_token));
    assert.equal(account.user.id, userId);
    assert.equal(account.user.username, username);
  });

  test('refresh with vars replaces the session vars', async () => {
    const c = client();
    const session = await c.authenticateCustom(uniqueId('custom'), true, undefined, { a: '1', keep: 'no' });
    assert.deepEqual(session.vars, { a: '1', keep: 'no' });
    await c.sessionRefresh(session, { b: '2' });
    assert.deepEqual(session.vars, { b: '2' });
    assert.deepEqual(decodeJwt(session.token).payload.vrs, { b: '2' });
  });

  test('a garbage refresh token is 401', async () => {
    const bogus = Session.restore(
      (await client().authenticateDevice(uniqueId('device'), true)).token,
      signJwt({ uid: '00000000-0000-0000-0000-000000000000', exp: nowSec() + 3600 }, 'not-the-refresh-key'),
    );
    await expectError(client().sessionRefresh(bogus), UNAUTHENTICATED);
  });

  test('a session token is not accepted as a refresh token', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const swapped = Session.restore(s.token, s.token);
    await expectError(client().sessionRefresh(swapped), UNAUTHENTICATED);
  });
});

describe('token validation', () => {
  // A correctly signed token whose exp has passed.
  async function expiredSession() {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const { header, payload } = decodeJwt(s.token);
    const past = nowSec() - 60;
    const forged = { ...payload, exp: past };
    if ('iat' in forged) forged.iat = past - 3600;
    const token = signJwt(forged, ENCRYPTION_KEY, header);
    return { original: s, expired: Session.restore(token, s.refresh_token) };
  }

  test('sanity: re-signing the claims with the server key gives an accepted token', async () => {
    const s = await client().authenticateDevice(uniqueId('device'), true);
    const { header, payload } = decodeJwt(s.token);
    const token = signJwt(payload, ENCRYPTION_KEY, header);
    const account = await client().getAccount(Session.restore(token, ''));
    assert.equal(account.user.id, s.user_id);
  });

  test('an expired but correctly signed token is 401', async () => {
    const { expired } = await expiredSession();
    assert.ok(expired.isexpired(nowSec()), 'client-side, the session is expired');
    // autoRefreshSession is off in newClient(), so the expired token is sent as is.
    await expectError(client().getAccount(expired), UNAUTHENTICATED);
  });

  test('autoRefreshSession refreshes an expired session before the call', async () => {
    const { original, expired } = await expiredSession();
    const expiredToken = expired.token;
    const c = newClient(hearth.server, { autoRefreshSession: true });
    const account = await c.getAccount(expired);
    assert.equal(account.user.id, original.user_id);
    assert.notEqual(expired.token, expiredToken, 'the client should have swapped in a refreshed token');
    assert.ok(expired.expires_at > nowSec(), 'refreshed session expires in the future');
    assert.equal(expired.user_id, original.user_id);
  });
});
