import assert from 'node:assert/strict';
import { decodeJwt, nowSec, UUID_RE } from './nakama.js';
import { REFRESH_TOKEN_EXPIRY_SEC, TOKEN_EXPIRY_SEC } from './server.js';

/**
 * Assert everything nakama-js decoded from a freshly issued session:
 * created flag, uid/usn/exp claims, a refresh token that outlives the token.
 */
export function assertSession(session, { created, userId, username, vars } = {}) {
  const t0 = nowSec();
  if (created !== undefined) assert.equal(session.created, created, 'session.created');
  assert.equal(typeof session.token, 'string');
  assert.match(session.user_id ?? '', UUID_RE, `session.user_id should be a UUID, got ${session.user_id}`);
  assert.equal(typeof session.username, 'string', 'session.username');
  assert.ok(session.username.length > 0, 'session.username is empty');
  if (userId !== undefined) assert.equal(session.user_id, userId, 'session.user_id');
  if (username !== undefined) assert.equal(session.username, username, 'session.username');
  if (vars !== undefined) assert.deepEqual(session.vars, vars, 'session.vars');

  // Token claims as nakama-js reads them (uid, usn, exp, vrs).
  const { header, payload } = decodeJwt(session.token);
  assert.equal(header.alg, 'HS256', 'token alg');
  assert.equal(payload.uid, session.user_id);
  assert.equal(payload.usn, session.username);
  assert.ok(Number.isInteger(session.expires_at), `expires_at should be an integer, got ${session.expires_at}`);
  assert.ok(session.expires_at > t0, `expires_at ${session.expires_at} is not in the future (now ${t0})`);
  assert.ok(session.expires_at <= t0 + TOKEN_EXPIRY_SEC + 5,
    `expires_at ${session.expires_at} exceeds now + token_expiry_sec (${t0 + TOKEN_EXPIRY_SEC})`);
  assert.ok(session.expires_at >= t0 + TOKEN_EXPIRY_SEC - 60,
    `expires_at ${session.expires_at} is not about now + token_expiry_sec (${t0 + TOKEN_EXPIRY_SEC})`);

  // Refresh token.
  assert.equal(typeof session.refresh_token, 'string');
  assert.ok(session.refresh_token.length > 0, 'refresh_token is empty');
  const refresh = decodeJwt(session.refresh_token).payload;
  assert.equal(refresh.uid, session.user_id, 'refresh token uid');
  assert.ok(Number.isInteger(session.refresh_expires_at), 'refresh_expires_at');
  assert.ok(session.refresh_expires_at > session.expires_at,
    `refresh_expires_at ${session.refresh_expires_at} should be after expires_at ${session.expires_at}`);
  assert.ok(session.refresh_expires_at <= t0 + REFRESH_TOKEN_EXPIRY_SEC + 5 &&
    session.refresh_expires_at >= t0 + REFRESH_TOKEN_EXPIRY_SEC - 60,
    `refresh_expires_at ${session.refresh_expires_at} is not about now + refresh_token_expiry_sec (${t0 + REFRESH_TOKEN_EXPIRY_SEC})`);
  assert.notEqual(session.refresh_token, session.token, 'refresh token must differ from the session token');
}
