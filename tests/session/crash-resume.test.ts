import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../kiosk/store/database.js';
import { daemonsPerTest, verifyWithCli, writeTestConfig } from '../support/daemon.js';
import { addConsoleUser, call, login, sessionBody } from './helpers.js';
import { waitFor } from '../support/wait.js';

// The real daemon (dist/, built by `npm test` / `npx tsc -p .`) as a child process, killed with SIGKILL mid-session.
describe('a live session survives the daemon being killed', () => {
  const daemons = daemonsPerTest();

  it('resumes into the same recording and records the gap with its exact span', async () => {
    const dir = await daemons.folder('session-crash');
    const configPath = writeTestConfig(dir);
    await addConsoleUser(configPath, 'canbo', 'officer', 'mat-khau-thu-nghiem');
    const first = await daemons.start(configPath, { readyTimeoutMs: 40_000 });
    let cookie = await login(first.consoleUrl, 'canbo', 'mat-khau-thu-nghiem');

    const created = await call('POST', `${first.consoleUrl}/api/schedule`, sessionBody(), cookie);
    expect(created.status).toBe(201);
    const id: string = created.json.session.id;
    const started = await call('POST', `${first.kioskUrl}/api/session/${id}/start`);
    expect(started.status, started.text).toBe(200);
    expect(started.json.session.state).toBe('live');
    const recordingId: string = started.json.session.recordingId;
    expect(recordingId).toBeTruthy();

    // Wait for a heartbeat written after the start: the gap must begin at the last one, not at the start.
    const db = await Database.open(join(dir, 'data', 'diemcau.sqlite'), 'readonly');
    let heartbeatSeen: string;
    try {
      const startedAt = Date.parse(
        (await db.get<{ state_since: string }>('SELECT state_since FROM sessions WHERE id = ?', [id]))!.state_since,
      );
      heartbeatSeen = await waitFor(
        'a heartbeat',
        async () => {
          const row = await db.get<{ heartbeat_at: string | null }>('SELECT heartbeat_at FROM sessions WHERE id = ?', [
            id,
          ]);
          return row?.heartbeat_at && Date.parse(row.heartbeat_at) > startedAt ? row.heartbeat_at : undefined;
        },
        15_000,
        100,
      );
    } finally {
      await db.close();
    }

    const killedAt = Date.now();
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const restartedAt = Date.now();
    const second = await daemons.start(configPath, { readyTimeoutMs: 40_000 });
    const readyAt = Date.now();

    cookie = await login(second.consoleUrl, 'canbo', 'mat-khau-thu-nghiem');
    const report = await call('GET', `${second.consoleUrl}/api/sessions/${id}/report`, undefined, cookie);
    expect(report.status).toBe(200);
    expect(report.json.session.state).toBe('live');
    const types = report.json.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['scheduled', 'started', 'gap', 'resumed']);
    const gap = report.json.events[2];
    const from = Date.parse(gap.data.from);
    const to = Date.parse(gap.data.to);
    expect(from).toBeGreaterThanOrEqual(Date.parse(heartbeatSeen));
    expect(from).toBeLessThanOrEqual(killedAt);
    expect(to).toBeGreaterThanOrEqual(restartedAt);
    expect(to).toBeLessThanOrEqual(readyAt);
    expect(gap.data.seconds).toBe((to - from) / 1000);
    expect(gap.data.cause).toBe('daemon-restart');
    expect(gap.detail.vi).toContain('Không ghi được hình');
    expect(report.json.gapSeconds).toBe(gap.data.seconds);
    const resumed = report.json.events[3];
    expect(resumed.data.recordingId).toBe(recordingId);
    // The media engine records into the same recording id again.
    for (const daemon of [first, second]) {
      expect(
        daemon.logs.filter((entry) => entry.msg === 'recording started').map((entry) => entry.recordingId),
      ).toEqual([recordingId]);
    }

    const current = await call('GET', `${second.kioskUrl}/api/session/current`);
    expect(current.json.session).toMatchObject({ id, state: 'live', recordingId });

    const ended = await call('POST', `${second.kioskUrl}/api/session/${id}/end`, { reason: 'hết giờ' });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.json.session.state).toBe('closed');
    const final = await call('GET', `${second.consoleUrl}/api/sessions/${id}/report`, undefined, cookie);
    expect(final.json.events.map((e: { type: string }) => e.type)).toEqual([
      'scheduled',
      'started',
      'gap',
      'resumed',
      'ended',
      'closed',
    ]);
    expect(await second.stop('SIGTERM')).toBe(0);

    // What both daemons recorded is one signed recording that the standalone verifier accepts.
    const folder = join(dir, 'data', 'recordings', recordingId);
    const verified = await verifyWithCli(folder);
    expect(verified.code, verified.stdout).toBe(0);
    expect(readdirSync(folder).filter((name) => /\.(mkv|ts)$/.test(name)).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
