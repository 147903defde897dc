import { stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../../kiosk/core/event-bus.js';
import { createLogger } from '../../kiosk/core/logger.js';
import type { RecordingOwner } from '../../kiosk/recording/ports.js';
import { IdentityVault } from '../../kiosk/session/identity-vault.js';
import type { RecordingPort } from '../../kiosk/session/ports.js';
import { SessionService } from '../../kiosk/session/session-service.js';
import type { SessionGap, SessionStateChange } from '../../kiosk/session/bus-events.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { AuditLog } from '../../kiosk/evidence/audit-log.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { sessionBody } from './helpers.js';
import { migrations } from '../../kiosk/database-schema.js';
import { waitFor } from '../support/wait.js';

type StopSummary = Awaited<ReturnType<RecordingPort['stopRecording']>>;

/**
 * Records what the session service asked of its recordings, in order: the recording service, the
 * media engine and the evidence store are not part of these tests. Like the recording service, the
 * seal reads the session's timeline through the owner, so the log shows what would be signed.
 */
class RecordingsSpy implements RecordingPort {
  calls: string[] = [];
  /** The session service that owns the recordings (the newest one after a restart). */
  owner: RecordingOwner | undefined;
  admits = true;
  failNextBegin = false;
  /** Runs while the recorder starts: what else happens to the session meanwhile. */
  duringBegin: (() => Promise<unknown>) | undefined;
  stopSummary: StopSummary = { clean: true, segments: 1, durationSeconds: 60 };
  readonly #sessionOf = new Map<string, string>();

  constructor(private readonly dir: string) {}

  async admit() {
    this.calls.push('admit');
    return this.admits
      ? { ok: true, verdict: 'fits' as const, freeBytes: 1e12, neededBytes: 1e6, message: 'ok' }
      : {
          ok: false,
          verdict: 'refused' as const,
          freeBytes: 0,
          neededBytes: 1e6,
          message: 'Không đủ dung lượng / not enough disk space',
        };
  }

  async begin(request: Parameters<RecordingPort['begin']>[0]) {
    this.calls.push(`begin ${request.sessionId} confidential=${request.confidential}`);
    if (this.failNextBegin) {
      this.failNextBegin = false;
      throw new Error('encoder missing');
    }
    await this.duringBegin?.();
    this.#sessionOf.set(request.sessionId, request.sessionId);
    return { recordingId: request.sessionId, dir: join(this.dir, 'recordings', request.sessionId) };
  }

  async resume(request: Parameters<RecordingPort['resume']>[0]) {
    this.calls.push(`resume ${request.recordingId} since=${request.since} cause=${request.cause}`);
    this.#sessionOf.set(request.recordingId, request.sessionId);
    return undefined;
  }

  async stopRecording(recordingId: string) {
    this.calls.push(`stop ${recordingId}`);
    return this.stopSummary;
  }

  async seal(recordingId: string) {
    const timeline = await this.owner!.timeline(this.#sessionOf.get(recordingId)!);
    this.calls.push(`seal ${recordingId} ${timeline.map((e) => e.type).join(',')}`);
  }

  async raiseConfidentiality(recordingId: string) {
    this.calls.push(`confidential ${recordingId}`);
  }
}

const noFlags = { mass: false, complex: false, prolonged: false, escalated: false };

describe('session service (real SQLite in a temp dir)', () => {
  let dir: string;
  let db: Database;
  let bus: EventBus;
  let logText: string;
  let recordings: RecordingsSpy;
  let clock: number;
  let services: SessionService[];

  const make = () => {
    const logger = createLogger(
      'debug',
      new Writable({
        write: (chunk, _enc, done) => {
          logText += chunk.toString();
          done();
        },
      }) as never,
    );
    const service = new SessionService({
      database: () => db,
      identityKeyPath: join(dir, 'keys', 'identity.key'),
      recordings,
      audit: {
        record: (entry) =>
          new AuditLog(db)
            .append({ id: entry.actor, role: entry.role }, entry.action, entry.target, entry.detail ?? null)
            .then(() => undefined),
      },
      expectedBytes: (seconds) => seconds * 1000,
      bus,
      logger,
      heartbeatMs: 50,
      now: () => new Date(clock),
    });
    recordings.owner = service;
    services.push(service);
    return service;
  };

  beforeEach(async () => {
    dir = await makeTempDir('session-service');
    db = (await openStore(join(dir, 'db.sqlite'), migrations)).db;
    bus = createEventBus(createLogger('silent'));
    logText = '';
    recordings = new RecordingsSpy(dir);
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
    await waitFor(
      'bus events recorded',
      async () => ((await service.store.events(session.id)).length === 6 ? true : undefined),
      5_000,
      100,
    );
    expect(live).toMatchObject({
      state: 'live',
      recordingId: session.id,
      recordingDir: join(dir, 'recordings', session.id),
      recorderStopped: null,
    });
    expect(service.activeSession()).toEqual({ id: session.id });
    clock += 60_000;
    await service.endGracefully('UPS battery low');
    expect(service.activeSession()).toBeNull();
    // The seal comes after the close, so the signed timeline ends with it.
    expect(recordings.calls).toEqual([
      'admit',
      `begin ${session.id} confidential=false`,
      `stop ${session.id}`,
      `seal ${session.id} scheduled,prepared,ready,started,preset-recalled,technician-called,ended,closed`,
    ]);
    expect((await service.getSession(session.id)).state).toBe('closed');
    const events = await service.store.events(session.id);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['scheduled', null],
      ['prepared', 'tech'],
      ['ready', 'tech'],
      ['started', 'kiosk'],
      ['preset-recalled', 'kiosk'],
      ['technician-called', 'room-button'],
      ['ended', 'power'],
      ['closed', 'power'],
    ]);
    expect(events[3]!.data).toEqual({ recordingId: session.id });
    expect(events[4]!.data).toEqual({ preset: 2, name: 'Bàn chủ trì' });
    expect(events[6]!.data).toEqual({ reason: 'UPS battery low' });
    expect(events[7]!.data).toEqual({ segments: 1, durationSeconds: 60 });
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual([
      'scheduled>preparing',
      'preparing>ready',
      'ready>live',
      'live>ending',
      'ending>closed',
    ]);
  });

  it('fails a session whose recording did not finalize, and still seals what was written', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    await service.startSession(session.id, 'kiosk');
    const changes: SessionStateChange[] = [];
    bus.on('sessionStateChanged', (change) => changes.push(change));
    const detail = 'the recorder did not finalize before its deadline; written segments were kept';
    recordings.stopSummary = { clean: false, segments: 2, durationSeconds: 95.5, detail };
    clock += 60_000;
    const final = await service.endSession(session.id, 'kiosk');
    expect(final.state).toBe('failed');
    expect(service.activeSession()).toBeNull();
    expect((await service.store.events(session.id)).at(-1)).toMatchObject({
      type: 'failed',
      actor: 'kiosk',
      data: { segments: 2, durationSeconds: 95.5, detail, reason: `recording did not finalize: ${detail}` },
    });
    expect(recordings.calls).toEqual([
      'admit',
      `begin ${session.id} confidential=false`,
      `stop ${session.id}`,
      `seal ${session.id} scheduled,started,ended,failed`,
    ]);
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['live>ending', 'ending>failed']);
    expect(logText).toContain('recording did not finalize');
  });

  it('makes a running recording confidential when a denunciation is added to its session, and never lowers it', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    const complaint = await service.addCase(session.id, {
      type: 'KN',
      summary: 'Khiếu nại đất đai',
      flags: noFlags,
    } as never);
    await service.startSession(session.id, 'kiosk');
    await service.addCase(session.id, { type: 'TC', summary: 'Tố cáo', flags: noFlags } as never);
    // The open case added before the start asked nothing of the recordings; the denunciation raised the running one.
    expect(recordings.calls).toEqual(['admit', `begin ${session.id} confidential=false`, `confidential ${session.id}`]);
    const raised = await service.updateCase(complaint.id, {
      type: 'KN',
      summary: 'Khiếu nại đất đai',
      confidential: true,
      flags: noFlags,
    } as never);
    expect(raised.confidential).toBe(true);
    expect(recordings.calls.slice(3)).toEqual([`confidential ${session.id}`]);
    const omitted = await service.updateCase(complaint.id, {
      type: 'KN',
      summary: 'Khiếu nại đất đai (sửa)',
      flags: noFlags,
    } as never);
    expect(omitted.confidential).toBe(true);
  });

  it('goes live when the readiness run its start interrupted moved the session on meanwhile', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    // The automatic 2-hour run is recording its test when the officer taps Start: the run ends as the
    // recorder starts, and prepares the session (scheduled → preparing → ready) before the start applies.
    recordings.duringBegin = async () => {
      await service.prepare(session.id, 'readiness');
      await service.markReady(session.id, 'readiness', { readiness: 'warn' });
    };
    const live = await service.startSession(session.id, 'kiosk');
    expect(live.state).toBe('live');
    expect(recordings.calls).toEqual(['admit', `begin ${session.id} confidential=false`]);
  });

  it('begins a confidential recording for a session that already holds a denunciation', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    await service.addCase(session.id, { type: 'TC', summary: 'Tố cáo', flags: noFlags } as never);
    await service.startSession(session.id, 'kiosk');
    expect(recordings.calls).toEqual(['admit', `begin ${session.id} confidential=true`]);
  });

  it('refuses to start a session the disk cannot hold, or whose recorder does not start', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    recordings.admits = false;
    await expect(service.startSession(session.id, 'kiosk')).rejects.toMatchObject({
      kind: 'conflict',
      message: 'Không đủ dung lượng / not enough disk space',
    });
    recordings.admits = true;
    recordings.failNextBegin = true;
    await expect(service.startSession(session.id, 'kiosk')).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'encoder missing',
    });
    expect(await service.getSession(session.id)).toMatchObject({
      state: 'scheduled',
      recordingId: null,
      recordingDir: null,
    });
    expect(service.activeSession()).toBeNull();
    // A refused admission never begins a recording; a failed begin is not stopped or sealed (there is nothing to seal).
    expect(recordings.calls).toEqual(['admit', 'admit', `begin ${session.id} confidential=false`]);
  });

  it("writes the recording service's gap into the timeline, and resumes a live session after a restart", async () => {
    const first = make();
    await first.start();
    const gaps: SessionGap[] = [];
    bus.on('sessionGap', (gap) => gaps.push(gap));
    const session = await first.createSchedule(sessionBody({}, clock) as never);
    await first.startSession(session.id, 'kiosk');
    // As the recording service writes it after the media supervisor restarted a crashed worker.
    const gap = {
      recordingId: session.id,
      from: '2025-06-10T01:00:10.000Z',
      to: '2025-06-10T01:00:13.500Z',
      seconds: 3.5,
      cause: 'worker-crash',
    };
    await first.addTimelineEntry(session.id, { type: 'gap', at: gap.to, data: gap });
    expect((await first.timeline(session.id)).filter((e) => e.type === 'gap')).toEqual([
      { at: gap.to, type: 'gap', actor: 'system', data: gap },
    ]);
    expect(gaps).toEqual([{ sessionId: session.id, ...gap }]);
    bus.emit('segmentClosed', {
      recordingId: session.id,
      index: 0,
      path: '/x',
      sizeBytes: 1,
      durationSeconds: 60,
      sha256: 'a',
      startedAt: '2025-06-10T01:00:00.000Z',
      endedAt: '2025-06-10T01:01:00.000Z',
    });
    clock = Date.parse('2025-06-10T01:01:30Z');
    await first.stop();
    // The last heartbeat (01:01:30, written at stop) is later than the last segment end: the lost span starts there.
    clock = Date.parse('2025-06-10T01:05:00Z');
    const second = make();
    await second.start();
    expect(second.activeSession()).toEqual({ id: session.id });
    expect(recordings.calls).toEqual([
      'admit',
      `begin ${session.id} confidential=false`,
      `resume ${session.id} since=2025-06-10T01:01:30.000Z cause=daemon-restart`,
    ]);
    const events = await second.store.events(session.id);
    expect(events.at(-1)).toMatchObject({
      type: 'resumed',
      actor: 'system',
      at: '2025-06-10T01:05:00.000Z',
      data: { recordingId: session.id },
    });
    expect((await second.getSession(session.id)).state).toBe('live');
    // The span lost to the restart is the recording service's to write, once it records again: the session adds none.
    expect(events.filter((e) => e.type === 'gap')).toHaveLength(1);
    expect(gaps).toHaveLength(1);
  });

  it('marks a live session whose recorder stopped by itself on every view, and still closes it', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    await service.startSession(session.id, 'kiosk');
    const changes: SessionStateChange[] = [];
    bus.on('sessionStateChanged', (change) => changes.push(change));
    const stop = { at: '2025-06-10T01:03:00.000Z', cause: 'disk-full' };
    await service.recorderStopped(session.id, { ...stop, cause: 'disk-full', detail: 'No space left on device' });
    expect(await service.getSession(session.id)).toMatchObject({ state: 'live', recorderStopped: stop });
    expect(changes).toEqual([
      { sessionId: session.id, from: 'live', to: 'live', at: stop.at, recordingId: session.id },
    ]);
    expect((await service.kioskView(session.id)).recorderStopped).toEqual(stop);
    expect((await service.consoleView(session.id)).recorderStopped).toEqual(stop);
    expect((await service.fleetView(session.id)).recorderStopped).toEqual(stop);
    // People are in the room: the session stays live and can still be ended.
    expect(service.activeSession()).toEqual({ id: session.id });
    clock += 5 * 60_000;
    const closed = await service.endSession(session.id, 'kiosk');
    expect(closed).toMatchObject({ state: 'closed', recorderStopped: null });
    expect((await service.getSession(session.id)).recorderStopped).toBeNull();
    expect((await service.kioskView(session.id)).recorderStopped).toBeNull();
    expect((await service.fleetView(session.id)).recorderStopped).toBeNull();
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['live>live', 'live>ending', 'ending>closed']);
    expect(recordings.calls).toEqual([
      'admit',
      `begin ${session.id} confidential=false`,
      `stop ${session.id}`,
      `seal ${session.id} scheduled,started,ended,closed`,
    ]);
  });

  it('resumes a recording that stopped by itself from the moment it stopped, and refuses when none did', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    await expect(service.resumeRecording(session.id, 'tech')).rejects.toMatchObject({ kind: 'conflict' });
    await service.startSession(session.id, 'kiosk');
    await expect(service.resumeRecording(session.id, 'tech')).rejects.toMatchObject({ kind: 'conflict' });
    expect(recordings.calls).toEqual(['admit', `begin ${session.id} confidential=false`]);

    const diskFullAt = '2025-06-10T01:03:00.000Z';
    await service.recorderStopped(session.id, { at: diskFullAt, cause: 'disk-full' });
    clock = Date.parse('2025-06-10T01:06:00Z');
    recordings.admits = false;
    await expect(service.resumeRecording(session.id, 'tech')).rejects.toMatchObject({
      kind: 'conflict',
      message: 'Không đủ dung lượng / not enough disk space',
    });
    recordings.admits = true;
    expect((await service.resumeRecording(session.id, 'tech')).state).toBe('live');
    expect(recordings.calls.slice(2)).toEqual([
      'admit',
      'admit',
      `resume ${session.id} since=${diskFullAt} cause=disk-full`,
    ]);

    // As the recording service reports once the recorder runs again.
    const changes: SessionStateChange[] = [];
    bus.on('sessionStateChanged', (change) => changes.push(change));
    await service.recorderResumed(session.id, '2025-06-10T01:06:01.000Z');
    expect((await service.getSession(session.id)).recorderStopped).toBeNull();
    expect(changes).toEqual([
      { sessionId: session.id, from: 'live', to: 'live', at: '2025-06-10T01:06:01.000Z', recordingId: session.id },
    ]);
    await expect(service.resumeRecording(session.id, 'tech')).rejects.toMatchObject({ kind: 'conflict' });

    // Any other stop resumes as a failure.
    const failedAt = '2025-06-10T01:08:00.000Z';
    await service.recorderStopped(session.id, { at: failedAt, cause: 'failure' });
    await service.resumeRecording(session.id, 'tech');
    expect(recordings.calls.slice(5)).toEqual(['admit', `resume ${session.id} since=${failedAt} cause=failure`]);
  });

  it('applies the fleet schedule by revision and validates it', async () => {
    const service = make();
    await service.start();
    const entry = { fleetId: 'hub-42', revision: 1, ...sessionBody({}, clock + 86_400_000) };
    expect(await service.upsertFromFleet({ sessions: [entry] })).toEqual({
      created: 1,
      updated: 0,
      cancelled: 0,
      ignored: 0,
    });
    expect(await service.upsertFromFleet({ sessions: [{ ...entry, title: 'stale' }] })).toEqual({
      created: 0,
      updated: 0,
      cancelled: 0,
      ignored: 1,
    });
    expect(
      await service.upsertFromFleet({ sessions: [{ ...entry, revision: 2, title: 'Tiếp công dân đột xuất' }] }),
    ).toEqual({ created: 0, updated: 1, cancelled: 0, ignored: 0 });
    const [stored] = await service.listSchedule();
    expect(stored).toMatchObject({
      origin: 'fleet',
      fleetId: 'hub-42',
      fleetRevision: 2,
      title: 'Tiếp công dân đột xuất',
      state: 'scheduled',
    });
    expect(await service.upsertFromFleet({ sessions: [{ ...entry, revision: 3, cancelled: true }] })).toEqual({
      created: 0,
      updated: 0,
      cancelled: 1,
      ignored: 0,
    });
    expect((await service.listSchedule())[0]!.state).toBe('aborted');
    await expect(
      service.upsertFromFleet({ sessions: [{ ...entry, revision: 4, endsAt: entry.startsAt }] }),
    ).rejects.toMatchObject({ kind: 'invalid' });
    await expect(service.upsertFromFleet({ sessions: [{ fleetId: 'x' }] })).rejects.toMatchObject({ kind: 'invalid' });
    // A push is the schedule ahead, bounded: 101 sessions are refused whole, nothing is stored.
    const flood = Array.from({ length: 101 }, (_, i) => ({ ...entry, fleetId: `flood-${i}` }));
    await expect(service.upsertFromFleet({ sessions: flood })).rejects.toMatchObject({
      kind: 'invalid',
      details: [expect.objectContaining({ message: 'at most 100 sessions in one schedule push' })],
    });
    expect((await service.listSchedule()).some((s) => s.fleetId?.startsWith('flood-'))).toBe(false);
  });

  it('audits each confidential read and refuses roles without clearance', async () => {
    const service = make();
    await service.start();
    const session = await service.createSchedule(sessionBody({}, clock) as never);
    const tc = await service.addCase(session.id, {
      type: 'TC',
      summary: 'tố cáo',
      flags: { mass: false, complex: false, prolonged: false, escalated: false },
    });
    const citizen = await service.addCitizen(tc.id, {
      role: 'denouncer',
      identity: { name: 'Phạm Ẩn Danh', idNumber: '001199000777' },
      attendance: 'expected',
    });
    await expect(service.readIdentity(citizen.id, undefined)).rejects.toMatchObject({ kind: 'forbidden' });
    for (const role of ['technician', 'officer', 'admin', 'viewer', 'no-such-role']) {
      await expect(service.readIdentity(citizen.id, { user: 'x', role }), role).rejects.toMatchObject({
        kind: 'forbidden',
      });
    }
    expect(await service.readIdentity(citizen.id, { user: 'cb', role: 'officer-confidential' })).toMatchObject({
      name: 'Phạm Ẩn Danh',
    });
    expect(await service.readIdentity(citizen.id, { user: 'ld', role: 'leader' })).toEqual({
      name: 'Phạm Ẩn Danh',
      idNumber: '001199000777',
    });
    const audit = await db.all<{ actor: string; action: string; target: string }>(
      'SELECT actor, action, target FROM audit_log',
    );
    expect(audit).toEqual([
      { actor: 'cb', action: 'identity-view', target: `citizen:${citizen.id}` },
      { actor: 'ld', action: 'identity-view', target: `citizen:${citizen.id}` },
    ]);
    expect((await service.kioskView(session.id)).cases[0]!.citizens[0]).toMatchObject({
      displayName: 'Người tố cáo #1',
      masked: true,
    });
    await expect(
      service.updateCase(tc.id, {
        type: 'KN',
        summary: 'x',
        flags: { mass: false, complex: false, prolonged: false, escalated: false },
      }),
    ).rejects.toMatchObject({ kind: 'conflict' });
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
    [
      'a flipped byte',
      (sealed: Buffer) => Buffer.concat([sealed.subarray(0, -1), Buffer.of(sealed.at(-1)! ^ 1)]),
      'citizen-1',
    ],
    ['a truncated record', (sealed: Buffer) => sealed.subarray(0, 20), 'citizen-1'],
    [
      'another key',
      (_sealed: Buffer) => IdentityVault.fromKey(Buffer.alloc(32, 7)).seal({ name: 'A' }, 'citizen-1'),
      'citizen-1',
    ],
  ])('refuses a record moved to %s', (_name, alter, boundTo) => {
    const vault = IdentityVault.fromKey(Buffer.alloc(32, 1));
    expect(() => vault.open(alter(vault.seal({ name: 'A' }, 'citizen-1')), boundTo)).toThrow();
  });
});
