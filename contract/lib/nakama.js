// Shared helpers: the official client, error assertions, ids and JWT tools.
import './websocket-global.js'; // must be evaluated before nakama-js
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Client, Session } from '@heroiclabs/nakama-js';
import { SERVER_KEY } from './server.js';

export { Client, Session };

export const REQUEST_TIMEOUT_MS = 10_000;

/** A client for the given server. autoRefreshSession is off unless asked for. */
export function newClient(server, { serverKey = SERVER_KEY, autoRefreshSession = false } = {}) {
  // Client(serverkey, host, port, useSSL, timeout, autoRefreshSession)
  return new Client(serverKey, server.host, String(server.port), false, REQUEST_TIMEOUT_MS, autoRefreshSession);
}

/** Unique ids, so tests sharing one server never collide. */
export function uniqueId(prefix = 'id') {
  return `${prefix}-${crypto.randomUUID()}`; // 36+ bytes, well inside 10-128
}
export function uniqueEmail() {
  return `u${crypto.randomUUID().replaceAll('-', '')}@example.com`;
}
export function uniqueUsername(prefix = 'user') {
  return `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * nakama-js (2.x) rejects on a non-2xx HTTP status with the fetch Response
 * object itself (`throw response` in api.gen.ts), on a timeout with the
 * string "Request timed out.", and on a network failure with fetch's TypeError.
 *
 * expectError awaits `promise`, asserts it rejected with a Response whose
 * status and JSON body match, and returns { status, body }.
 * status/code may be a number or an array of allowed numbers; message may be
 * a string (exact) or a RegExp. Extra body keys are allowed.
 */
export async function expectError(promise, { status, code, message } = {}) {
  let value;
  try {
    value = await promise;
  } catch (err) {
    if (!(err instanceof Response)) {
      assert.fail(`expected rejection with an HTTP Response, got ${describe(err)}`);
    }
    const text = await err.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      assert.fail(`HTTP ${err.status} error body is not JSON: ${JSON.stringify(text)}`);
    }
    const where = `HTTP ${err.status} ${text}`;
    if (status !== undefined) matchOne(err.status, status, `status (${where})`);
    if (code !== undefined) matchOne(body.code, code, `body.code (${where})`);
    if (message !== undefined) {
      if (message instanceof RegExp) assert.match(String(body.message), message, `body.message (${where})`);
      else assert.equal(body.message, message, `body.message (${where})`);
    }
    return { status: err.status, body };
  }
  assert.fail(`expected an HTTP error, but the call resolved with ${describe(value)}`);
}

function matchOne(actual, expected, what) {
  if (Array.isArray(expected)) {
    assert.ok(expected.includes(actual), `${what}: expected one of ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  } else {
    assert.equal(actual, expected, what);
  }
}

function describe(v) {
  if (v instanceof Error) return `${v.name}: ${v.message}${v.cause ? ` (cause: ${v.cause.code || v.cause.message})` : ''}`;
  try { return JSON.stringify(v); } catch { return String(v); }
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** Decode a JWT without verifying it. */
export function decodeJwt(token) {
  const parts = String(token).split('.');
  assert.equal(parts.length, 3, `not a JWT: ${token}`);
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
  };
}

/** Sign a payload as an HS256 JWT with the given key. */
export function signJwt(payload, key, header = { alg: 'HS256', typ: 'JWT' }) {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const sig = crypto.createHmac('sha256', key).update(head).digest();
  return `${head}.${b64url(sig)}`;
}

export const nowSec = () => Math.floor(Date.now() / 1000);

/** Assert that an ISO-8601 timestamp parses and lies within [from - slack, to + slack]. */
export function assertTimeBetween(iso, fromMs, toMs, slackMs = 5_000, what = 'timestamp') {
  assert.equal(typeof iso, 'string', `${what} should be an ISO string, got ${JSON.stringify(iso)}`);
  const t = Date.parse(iso);
  assert.ok(Number.isFinite(t), `${what} does not parse: ${iso}`);
  assert.ok(t >= fromMs - slackMs && t <= toMs + slackMs,
    `${what} ${iso} not within [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()}] ± ${slackMs} ms`);
}
