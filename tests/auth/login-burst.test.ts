import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Database } from '../../kiosk/store/database.js';
import { addConsoleUser } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/** Password guessing in one parallel burst: every attempt counts before its (slow) password check. */
describe('login throttling under a parallel burst', () => {
  let dir: string;
  let daemon: DaemonHandle;

  // A daemon per test: every attempt from this one address counts, so the two bursts must not share a count.
  beforeEach(async () => {
    dir = await makeTempDir('login-burst');
    const config = writeTestConfig(dir);
    await addConsoleUser(config, 'quantri', 'admin', 'mật khẩu quản trị 1');
    await addConsoleUser(config, 'kythuat', 'technician', 'mật khẩu kỹ thuật 1');
    daemon = await startDaemon(config);
  });
  afterEach(async () => {
    await daemon?.stop();
    await removeTempDir(dir);
  });

  const login = (username: string, password: string) =>
    fetch(`${daemon.consoleUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  const checked = () => daemon.logs.filter((l) => l.msg === 'console login failed' || l.msg === 'console login').length;

  it('checks at most 5 of 400 parallel passwords for one user, and refuses the right one sent after them', async () => {
    const before = checked();
    const burst = Array.from({ length: 400 }, (_, i) => login('quantri', `sai mật khẩu số ${i}`));
    // The right password in the same burst, once the wrong ones are on their way.
    const right = login('quantri', 'mật khẩu quản trị 1');
    const statuses = await Promise.all(burst);
    const rightStatus = await right;
    const passwordChecks = checked() - before;
    console.log(
      `400 parallel wrong passwords + the right one: ${passwordChecks} checked, ${statuses.filter((s) => s === 429).length + (rightStatus === 429 ? 1 : 0)} refused as locked; right one → ${rightStatus}`,
    );
    expect(passwordChecks).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(395);
    expect(rightStatus).toBe(429);
  }, 60_000);

  it('checks at most 20 attempts from one address across 400 user names', async () => {
    const before = checked();
    const statuses = await Promise.all(
      Array.from({ length: 400 }, (_, i) => login(`nguoi-${i}`, 'thử mật khẩu chung')),
    );
    const passwordChecks = checked() - before;
    console.log(`400 parallel attempts over 400 names from one address: ${passwordChecks} checked`);
    expect(passwordChecks).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(380);
    // Names that are no account never reach the log (one could be a password typed in the wrong field).
    expect(daemon.logs.some((l) => String(l.username ?? '').startsWith('nguoi-'))).toBe(false);
    const db = await Database.open(join(dir, 'data', 'diemcau.sqlite'), 'readonly');
    try {
      const actors = (
        await db.all<{ actor: string }>("SELECT DISTINCT actor FROM audit_log WHERE action = 'login-failed'")
      )
        .map((r) => r.actor)
        .sort();
      expect(actors).toEqual(['(unknown user name)']);
    } finally {
      await db.close();
    }
  }, 60_000);
});
