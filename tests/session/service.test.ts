import { stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../../kiosk/core/event-bus.js';
import { createLogger } from '../../kiosk/core/logger.js';
import { IdentityVault } from '../../kiosk/session/identity-vault.js';
import type { RecorderPort, StoragePort } from '../../kiosk/session/ports.js';
import { SessionService } from '../../kiosk/session/session-service.js';
import type { SessionGap, SessionStateChange } from '../../kiosk/session/bus-events.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { AuditLog } from '../../kiosk/evidence/audit-log.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { sessionBody, waitFor } from './helpers.js';

/** Records what the service asked of the recorder: the media engine is not part of these tests. */
class RecorderSpy implements RecorderPort {
  calls: string[] = [];
  failNextStart = false;
  async startRecording(request: { recordingId: string; dir: string }) {
    if (this.failNextStart) {
      this.failNextStart = false;
      throw new Error('encoder missing');
    }
    this.calls.push(`start ${request.recordingId} ${request.dir}`);
  }
  async stopRecording() {
    this.calls.push('stop');
  }
}

describe('session service (real SQLite in a temp dir)', () => {
  let dir: string;
  let db: Database;
  let bus: EventBus;
  let logText: string;
  let recorder: RecorderSpy;
  let canHold: boolean;
  let clock: number;
  let services: SessionService[];

  const storage: StoragePort = { canHoldSession: async () => ({ ok: canHold, message: canHold ? 'ok' : 'Không đủ dung lượng / not enough disk space' }) };
  const make = () => {
    const logger = createLogger('debug', new Writable({ write: (chunk, _enc, done) => ((logText += chunk.toString()), done()) }) as never);
    const service = new SessionService({
      database: () => db,
      identityKeyPath: join(dir, 'keys', 'identity.key'),
      recordingsDir: join(dir, 'recordings'),
      recorder,
      storage,
      // Shares the recorder's call log, so the order of evidence and recorder calls is asserted too.
      evidence: {
        openRecording: async (recordingId, session) => void recorder.calls.push(`evidence-open ${recordingId} ${session.sessionId} confidential=${session.confidential}`),
        sealRecording: async (recordingId, events) => void recorder.calls.push(`evidence-seal ${recordingId} ${events.map((e) => e.type).join(',')}`),
      },
      audit: { record: (entry) => new AuditLog(db).append({ id: entry.actor, role: entry.role }, entry.action, entry.target, entry.detail ?? null).then(() => undefined) },
      expectedBytes: (seconds) => seconds * 1000,
      bus,
      logger,
      heartbeatMs: 50,
      now: () => new Date(clock),
    });
    services.push(service);
    return service;
  };

  beforeEach(async () => {
    dir = await makeTempDir('session-service');
    db = (await openStore(join(dir, 'db.sqlite'))).db;
    bus = createEventBus(createLogger('silent'));
    logText = '';
    recorder = new RecorderSpy();
    canHold = true;
    clock = Date.parse('2025-06-10T01:00:00Z');
    services = [];
  });

  afterEach(async () => {
    for (const service of services) await service.stop();
    await db.close();
    await removeTempDir(dir);
  });

  it('persists each transition with its event and publishes it', async () => {
    const service = make();
    await service.start();
    const changes: SessionStateChange[] = [];
    bus.on('sessionStateChanged', (change) => changes.push(change));
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    await service.prepare(session.id, 'tech');
    await expect(service.markReady(session.id, 'tech', { readiness: 'fail' })).rejects.toThrow(/readiness test failed/);
    await service.markReady(session.id, 'tech', { readiness: 'pass' });
    bus.emit('roomButton', 'callTechnician'); // not live yet: not part of the session
    const live = await service.startSession(session.id, 'kiosk');
    bus.emit('ptzPreset', { action: 'recalled', name: 'Bàn chủ trì', slot: 2, source: 'kiosk' });
    bus.emit('ptzPreset', { action: 'stored', name: 'Bàn chủ trì', slot: 2, source: 'console' });
    bus.emit('roomButton', 'callTechnician');
    bus.emit('roomButton', 'mute');
    await waitFor(async () => ((await service.store.events(session.id)).length === 6 ? true : undefined), 5_000, 'bus events recorded');
    expect(live).toMatchObject({ state: 'live', recordingId: session.id, recordingDir: join(dir, 'recordings', session.id) });
    expect(service.activeSession()).toEqual({ id: session.id });
    clock += 60_000;
    await service.endGracefully('UPS battery low');
    expect(service.activeSession()).toBeNull();
    expect(recorder.calls).toEqual([
      `evidence-open ${session.id} ${session.id} confidential=false`,
      `start ${session.id} ${join(dir, 'recordings', session.id)}`,
      'stop',
      `evidence-seal ${session.id} scheduled,prepared,ready,started,preset-recalled,technician-called,ended,closed`,
    ]);
    expect((await service.getSession(session.id)).state).toBe('closed');
    const events = await service.store.events(session.id);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['scheduled', null], ['prepared', 'tech'], ['ready', 'tech'], ['started', 'kiosk'], ['preset-recalled', 'kiosk'], ['technician-called', 'room-button'], ['ended', 'power'], ['closed', 'power'],
    ]);
    expect(events[4]!.data).toEqual({ preset: 2, name: 'Bàn chủ trì' });
    expect(events[6]!.data).toEqual({ reason: 'UPS battery low' });
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['scheduled>preparing', 'preparing>ready', 'ready>live', 'live>ending', 'ending>closed']);
  });

  it('makes a running recording confidential when a denunciation is added to its session, and never lowers it', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    const complaint = await service.addCase(session.id, { type: 'KN', summary: 'Khiếu nại đất đai', flags: { mass: false, complex: false, prolonged: false, escalated: false } } as never);
    await service.startSession(session.id, 'kiosk');
    await service.addCase(session.id, { type: 'TC', summary: 'Tố cáo', flags: { mass: false, complex: false, prolonged: false, escalated: false } } as never);
    expect(recorder.calls.filter((c) => c.startsWith('evidence-open'))).toEqual([
      `evidence-open ${session.id} ${session.id} confidential=false`,
      `evidence-open ${session.id} ${session.id} confidential=true`,
    ]);
    const raised = await service.updateCase(complaint.id, { type: 'KN', summary: 'Khiếu nại đất đai', confidential: true, flags: { mass: false, complex: false, prolonged: false, escalated: false } } as never);
    expect(raised.confidential).toBe(true);
    const omitted = await service.updateCase(complaint.id, { type: 'KN', summary: 'Khiếu nại đất đai (sửa)', flags: { mass: false, complex: false, prolonged: false, escalated: false } } as never);
    expect(omitted.confidential).toBe(true);
  });

  it('refuses to start a session the disk cannot hold, or whose recorder does not start', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    canHold = false;
    await expect(service.startSession(session.id, 'kiosk')).rejects.toMatchObject({ kind: 'conflict', message: 'Không đủ dung lượng / not enough disk space' });
    canHold = true;
    recorder.failNextStart = true;
    await expect(service.startSession(session.id, 'kiosk')).rejects.toMatchObject({ kind: 'unavailable' });
    expect((await service.getSession(session.id)).state).toBe('scheduled');
    // The recording is registered (with its confidentiality) before the recorder is asked to start.
    expect(recorder.calls).toEqual([`evidence-open ${session.id} ${session.id} confidential=false`]);
  });

  it('records a media-worker gap while live, and finds a live session after a restart', async () => {
    const first = make();
    await first.start();
    const gaps: SessionGap[] = [];
    bus.on('sessionGap', (gap) => gaps.push(gap));
    const session = await first.createSchedule(sessionBody({}, clock) as never);
    await first.startSession(session.id, 'kiosk');
    // As the media supervisor publishes it after restarting a crashed worker.
    bus.emit('recordingGap', { recordingId: session.id, from: '2025-06-10T01:00:10.000Z', to: '2025-06-10T01:00:13.500Z', seconds: 3.5, cause: 'media-worker-restart' });
    await waitFor(async () => ((await first.store.events(session.id)).some((e) => e.type === 'gap') ? true : undefined), 5_000, 'gap recorded');
    bus.emit('segmentClosed', { recordingId: session.id, index: 0, path: '/x', sizeBytes: 1, durationSeconds: 60, sha256: 'a', startedAt: '2025-06-10T01:00:00.000Z', endedAt: '2025-06-10T01:01:00.000Z' });
    clock = Date.parse('2025-06-10T01:01:30Z');
    await first.stop();
    // The last heartbeat (01:01:30, written at stop) is later than the last segment end: the gap starts there.
    clock = Date.parse('2025-06-10T01:05:00Z');
    const second = make();
    await second.start();
    expect(second.activeSession()).toEqual({ id: session.id });
    const events = await second.store.events(session.id);
    expect(events.filter((e) => e.type === 'gap').map((e) => e.data)).toEqual([
      { from: '2025-06-10T01:00:10.000Z', to: '2025-06-10T01:00:13.500Z', seconds: 3.5, cause: 'media-worker-restart' },
      { from: '2025-06-10T01:01:30.000Z', to: '2025-06-10T01:05:00.000Z', seconds: 210, cause: 'daemon-restart' },
    ]);
    expect(gaps.map((g) => g.seconds)).toEqual([3.5, 210]);
    expect(recorder.calls).toEqual([`evidence-open ${session.id} ${session.id} confidential=false`, `start ${session.id} ${join(dir, 'recordings', session.id)}`, `start ${session.id} ${join(dir, 'recordings', session.id)}`]);
  });

  it('applies the fleet schedule by revision and validates it', async () => {
    const service = make();
    await service.start();
    const entry = { fleetId: 'hub-42', revision: 1, ...sessionBody({}, clock + 86_400_000) };
    expect(await service.upsertFromFleet({ sessions: [entry] })).toEqual({ created: 1, updated: 0, cancelled: 0, ignored: 0 });
    expect(await service.upsertFromFleet({ sessions: [{ ...entry, title: 'stale' }] })).toEqual({ created: 0, updated: 0, cancelled: 0, ignored: 1 });
    expect(await service.upsertFromFleet({ sessions: [{ ...entry, revision: 2, title: 'Tiếp công dân đột xuất' }] })).toEqual({ created: 0, updated: 1, cancelled: 0, ignored: 0 });
    const [stored] = await service.listSchedule();
    expect(stored).toMatchObject({ origin: 'fleet', fleetId: 'hub-42', fleetRevision: 2, title: 'Tiếp công dân đột xuất', state: 'scheduled' });
    expect(await service.upsertFromFleet({ sessions: [{ ...entry, revision: 3, cancelled: true }] })).toEqual({ created: 0, updated: 0, cancelled: 1, ignored: 0 });
    expect((await service.listSchedule())[0]!.state).toBe('aborted');
    await expect(service.upsertFromFleet({ sessions: [{ ...entry, revision: 4, endsAt: entry.startsAt }] })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(service.upsertFromFleet({ sessions: [{ fleetId: 'x' }] })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('audits each confidential read and refuses roles without clearance', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    const tc = await service.addCase(session.id, { type: 'TC', summary: 'tố cáo', flags: { mass: false, complex: false, prolonged: false, escalated: false } });
    const citizen = await service.addCitizen(tc.id, { role: 'denouncer', identity: { name: 'Phạm Ẩn Danh', idNumber: '001199000777' }, attendance: 'expected' });
    await expect(service.readIdentity(citizen.id, undefined)).rejects.toMatchObject({ kind: 'forbidden' });
    for (const role of ['technician', 'officer', 'admin', 'viewer', 'no-such-role']) {
      await expect(service.readIdentity(citizen.id, { user: 'x', role }), role).rejects.toMatchObject({ kind: 'forbidden' });
    }
    expect(await service.readIdentity(citizen.id, { user: 'cb', role: 'officer-confidential' })).toMatchObject({ name: 'Phạm Ẩn Danh' });
    expect(await service.readIdentity(citizen.id, { user: 'ld', role: 'leader' })).toEqual({ name: 'Phạm Ẩn Danh', idNumber: '001199000777' });
    const audit = await db.all<{ actor: string; action: string; target: string }>('SELECT actor, action, target FROM audit_log');
    expect(audit).toEqual([
      { actor: 'cb', action: 'identity-view', target: `citizen:${citizen.id}` },
      { actor: 'ld', action: 'identity-view', target: `citizen:${citizen.id}` },
    ]);
    expect((await service.kioskView(session.id)).cases[0]!.citizens[0]).toMatchObject({ displayName: 'Người tố cáo #1', masked: true });
    await expect(service.updateCase(tc.id, { type: 'KN', summary: 'x', flags: { mass: false, complex: false, prolonged: false, escalated: false } })).rejects.toMatchObject({ kind: 'conflict' });
    expect(logText).not.toContain('Phạm Ẩn Danh');
    expect(logText).not.toContain('001199000777');
  });
});

describe('identity vault', () => {
  let dir: string | undefined;
  afterEach(async () => {
    await removeTempDir(dir);
    dir = undefined;
  });

  it('creates its key 0600 at first start and reuses it', async () => {
    dir = await makeTempDir('vault');
    const keyPath = join(dir, 'keys', 'identity.key');
    const vault = await IdentityVault.open(keyPath);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    const sealed = vault.seal({ name: 'A' }, 'citizen-1');
    expect((await IdentityVault.open(keyPath)).open(sealed, 'citizen-1')).toEqual({ name: 'A' });
  });

  it('refuses a key others can read', async () => {
    dir = await makeTempDir('vault');
    const keyPath = join(dir, 'identity.key');
    await writeFile(keyPath, `${'ab'.repeat(32)}\n`);
    await chmod(keyPath, 0o644);
    await expect(IdentityVault.open(keyPath)).rejects.toThrow(/readable by others/);
  });

  it.each([
    ['another row', (sealed: Buffer) => sealed, 'citizen-2'],
    ['a flipped byte', (sealed: Buffer) => Buffer.concat([sealed.subarray(0, -1), Buffer.of(sealed.at(-1)! ^ 1)]), 'citizen-1'],
    ['a truncated record', (sealed: Buffer) => sealed.subarray(0, 20), 'citizen-1'],
    ['another key', (sealed: Buffer) => IdentityVault.fromKey(Buffer.alloc(32, 7)).seal({ name: 'A' }, 'citizen-1'), 'citizen-1'],
  ])('refuses a record moved to %s', (_name, alter, boundTo) => {
    const vault = IdentityVault.fromKey(Buffer.alloc(32, 1));
    expect(() => vault.open(alter(vault.seal({ name: 'A' }, 'citizen-1')), boundTo)).toThrow();
  });
});
