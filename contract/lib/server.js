// Starts the real hearth binary for a test file and stops it again.
//
// Each call to startHearth() gets a fresh data directory (so the embedded
// private PostgreSQL runs initdb from scratch), a free loopback port, and a
// child process of its own. stop() sends SIGTERM and waits for the process to
// exit so the private PostgreSQL is shut down cleanly; after 20 s it sends
// SIGKILL to the whole process group. stop() throws if the server did not
// exit cleanly (non-zero status or needed SIGKILL), so an unclean shutdown
// fails the test file instead of passing silently.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';

const CONTRACT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SERVER_KEY = 'defaultkey';
// Passed explicitly so tests can mint tokens the server would accept (e.g. an
// already-expired token with a valid signature).
export const ENCRYPTION_KEY = 'contract-encryption-key';
export const REFRESH_ENCRYPTION_KEY = 'contract-refresh-encryption-key';
export const TOKEN_EXPIRY_SEC = 3600;
// Longer than the token, as refresh_expires_at > expires_at is asserted (and
// nakama-js warns when the refresh lifetime is under 3700 s).
export const REFRESH_TOKEN_EXPIRY_SEC = 7200;

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const LOG_TAIL_BYTES = 64 * 1024;

export function hearthBin() {
  const bin = process.env.HEARTH_BIN || '../bin/hearth';
  // Relative paths are relative to contract/, whatever the cwd.
  return path.resolve(CONTRACT_DIR, bin);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(buf) {
  return buf.length > LOG_TAIL_BYTES ? buf.slice(buf.length - LOG_TAIL_BYTES) : buf;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Children still alive when this process exits get SIGKILLed (process group),
// so a crashed test run does not leave servers or PostgreSQL behind.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Start hearth. Returns { port, host, baseUrl, dataDir, bin, logs(), stop() }.
 * extraArgs are appended to the command line (later flags override earlier); bin
 * names another binary than HEARTH_BIN (relative paths are relative to contract/).
 */
export async function startHearth({ extraArgs = [], bin: binPath } = {}) {
  // bin overrides HEARTH_BIN, e.g. for a binary with runtime modules linked in.
  const bin = binPath ? path.resolve(CONTRACT_DIR, binPath) : hearthBin();
  try {
    await access(bin, fsConstants.X_OK);
  } catch {
    throw new Error(`hearth binary not found or not executable: ${bin} (set HEARTH_BIN)`);
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-contract-'));
  const port = await freePort();
  const args = [
    '--data_dir', dataDir,
    '--socket.address', '127.0.0.1',
    '--socket.port', String(port),
    '--logger.level', 'warn',
    '--security.bcrypt_cost', '4',
    '--session.token_expiry_sec', String(TOKEN_EXPIRY_SEC),
    '--session.refresh_token_expiry_sec', String(REFRESH_TOKEN_EXPIRY_SEC),
    '--session.encryption_key', ENCRYPTION_KEY,
    '--session.refresh_encryption_key', REFRESH_ENCRYPTION_KEY,
    ...extraArgs,
  ];

  let stdout = '';
  let stderr = '';
  const child = spawn(bin, args, {
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so a SIGKILL reaches PostgreSQL too
    env: process.env,
  });
  live.add(child);
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d) => { stdout = tail(stdout + d); });
  child.stderr.on('data', (d) => { stderr = tail(stderr + d); });

  let exited = null; // {code, signal} once the process is gone
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve(exited);
    });
    child.on('error', (err) => {
      exited = { code: null, signal: null, error: err };
      live.delete(child);
      resolve(exited);
    });
  });

  const host = '127.0.0.1';
  const baseUrl = `http://${host}:${port}`;
  const logs = () => `--- hearth stderr ---\n${stderr}\n--- hearth stdout ---\n${stdout}`;

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    let killed = false;
    if (!exited) {
      try { child.kill('SIGTERM'); } catch { /* gone */ }
      const timer = sleep(STOP_GRACE_MS).then(() => 'timeout');
      if ((await Promise.race([exitPromise, timer])) === 'timeout' && !exited) {
        killed = true;
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        await exitPromise;
      }
    }
    // Give a just-stopped PostgreSQL a moment to release files, then clean up.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    if (killed) {
      throw new Error(`hearth did not exit within ${STOP_GRACE_MS / 1000}s of SIGTERM; SIGKILLed\n${logs()}`);
    }
    if (exited.error) throw new Error(`hearth failed to run: ${exited.error.message}\n${logs()}`);
    if (exited.code !== 0) {
      throw new Error(`hearth exited with code ${exited.code} signal ${exited.signal} after SIGTERM\n${logs()}`);
    }
  }

  // Wait for GET /healthcheck -> 200.
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastErr = 'no attempt';
  for (;;) {
    if (exited) {
      await rm(dataDir, { recursive: true, force: true }).catch(() => {});
      stopped = true;
      throw new Error(
        `hearth exited during startup (code ${exited.code}, signal ${exited.signal}` +
        `${exited.error ? `, ${exited.error.message}` : ''})\n${bin} ${args.join(' ')}\n${logs()}`);
    }
    if (Date.now() > deadline) {
      await stop().catch(() => {});
      throw new Error(`hearth did not answer GET /healthcheck with 200 within ${START_TIMEOUT_MS / 1000}s ` +
        `(last: ${lastErr})\n${logs()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthcheck`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastErr = `HTTP ${res.status}`;
    } catch (err) {
      lastErr = err.cause?.code || err.message;
    }
    await sleep(150);
  }

  return { bin, host, port, baseUrl, dataDir, logs, stop };
}

/**
 * Registers before/after hooks in the calling test file: one hearth for the
 * whole file. Returns an object whose `.server` is set once started.
 */
export function useHearth(options) {
  const ctx = { server: null };
  before(async () => {
    ctx.server = await startHearth(options);
  }, { timeout: START_TIMEOUT_MS + 15_000 });
  after(async () => {
    if (ctx.server) await ctx.server.stop();
  }, { timeout: STOP_GRACE_MS + 15_000 });
  return ctx;
}
