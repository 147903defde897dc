import { mkdir, readdir, readFile, stat, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { AuditLog } from '../../kiosk/evidence/audit-log.js';
import { Catalog } from '../../kiosk/evidence/catalog.js';
import { DEVICE_KEY_PATH, generateDeviceKey, loadOrCreateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { EvidenceService } from '../../kiosk/evidence/evidence-service.js';
import type { AgeRecipient } from '../../kiosk/evidence/encryption.js';
import { EvidenceStore } from '../../kiosk/evidence/evidence-store.js';
import { ExportError } from '../../kiosk/evidence/export.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { recoverySweep } from '../../kiosk/evidence/recovery.js';
import { verifyFolder } from '../../kiosk/evidence/verify.js';
import type { SegmentInfo } from '../../kiosk/media/types.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { defaultConfigPath, parseConfig } from '../../config/load.js';
import { recordTestSegment, segmentFileName, silentLogger, tempDirs } from './fixtures.js';
import { mountTestDrive, type TestDrive } from './test-drive.js';
import { migrations } from '../../kiosk/database-schema.js';

const temp = tempDirs();
const open: Database[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((db) => db.close()));
  await temp.cleanup();
});

async function database(dir: string): Promise<Database> {
  const { db } = await openStore(join(dir, 'diemcau.sqlite'), migrations);
  open.push(db);
  return db;
}

/** Writes a real file and describes it the way the media worker reports a closed segment. */
async function segmentOnDisk(
  recordingsDir: string,
  recordingId: string,
  index: number,
  bytes: Buffer | string = `segment ${index} of ${recordingId}`,
): Promise<SegmentInfo> {
  const path = join(recordingsDir, recordingId, segmentFileName(index));
  await mkdir(join(recordingsDir, recordingId), { recursive: true });
  await writeFile(path, bytes);
  const digest = await sha256File(path);
  return {
    recordingId,
    index,
    path,
    sizeBytes: digest.size,
    durationSeconds: 60,
    sha256: digest.sha256,
    startedAt: `2026-01-02T03:0${index}:00+07:00`,
    endedAt: `2026-01-02T03:0${index + 1}:00+07:00`,
  };
}

describe('audit log in SQLite', () => {
  it('chains entries, refuses casual edits, and names the first row changed behind its back', async () => {
    const db = await database(await temp.make());
    const audit = new AuditLog(db);
    const actor = { id: 'tech-1', role: 'technician' };
    await Promise.all([
      audit.append(actor, 'view', 'rec-1'),
      audit.append(actor, 'download', 'rec-1', 'segment-00000.mkv'),
      audit.append(actor, 'export', 'rec-1', 'usb'),
      audit.append(actor, 'delete', 'rec-0'),
    ]);
    expect(await audit.verify()).toEqual({ ok: true, entries: 4 });
    expect((await audit.list(10)).map((r) => r.seq)).toEqual([4, 3, 2, 1]);

    await expect(db.run("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")).rejects.toThrow('append-only');
    await expect(db.run('DELETE FROM audit_log WHERE seq = 3')).rejects.toThrow('append-only');

    // Someone with the database file drops the guard and rewrites history.
    await db.exec('DROP TRIGGER audit_log_no_update');
    await db.run("UPDATE audit_log SET target = 'rec-9' WHERE seq = 2");
    expect(await audit.verify()).toMatchObject({ ok: false, entries: 4, broken: { seq: 2, reason: 'hash-mismatch' } });
  });

  it('finds a deleted row as a gap', async () => {
    const db = await database(await temp.make());
    const audit = new AuditLog(db);
    for (const action of ['view', 'view', 'export'] as const)
      await audit.append({ id: 't', role: 'technician' }, action, 'rec-1');
    await db.exec('DROP TRIGGER audit_log_no_delete');
    await db.run('DELETE FROM audit_log WHERE seq = 2');
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { seq: 3, reason: 'gap' } });
  });
});

describe('device key', () => {
  it('is generated once, private to the daemon user, and loaded again unchanged', async () => {
    const dataDir = await temp.make();
    const first = await loadOrCreateDeviceKey(dataDir);
    expect(first.created).toBe(true);
    expect((await stat(join(dataDir, DEVICE_KEY_PATH))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
    const again = await loadOrCreateDeviceKey(dataDir);
    expect(again.created).toBe(false);
    expect(again.key.fingerprint).toBe(first.key.fingerprint);
    expect(first.key.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.key.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });
});

describe('catalog and recovery scan', () => {
  it('finds real segments the worker never reported, with hash and ffprobe duration, and marks them recovered', async () => {
    const dir = await temp.make();
    const db = await database(dir);
    const recordingsDir = join(dir, 'recordings');
    const catalog = new Catalog(db, recordingsDir);
    // Segment 0 was reported; segment 1 was written but the worker died before reporting it.
    await catalog.registerSegment(await segmentOnDisk(recordingsDir, 'rec-crash', 0));
    const lost = join(recordingsDir, 'rec-crash', segmentFileName(1));
    await recordTestSegment(lost);
    // A recording nobody ever reported at all.
    await mkdir(join(recordingsDir, 'rec-orphan'));
    await recordTestSegment(join(recordingsDir, 'rec-orphan', segmentFileName(0)));

    const result = await recoverySweep(catalog, silentLogger);
    expect(result.interrupted).toEqual(['rec-crash']);
    expect(result.recovered.map((r) => [r.recordingId, r.index])).toEqual([
      ['rec-crash', 1],
      ['rec-orphan', 0],
    ]);
    for (const r of result.recovered) expect(r.durationSeconds).toBeGreaterThan(0.5);

    const segments = await catalog.segments('rec-crash');
    expect(segments.map((s) => [s.index, s.recovered])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(segments[1]!.sha256).toBe((await sha256File(lost)).sha256);
    expect((await catalog.recording('rec-crash'))?.state).toBe('recovered');
    expect((await catalog.recording('rec-orphan'))?.state).toBe('recovered');

    expect((await recoverySweep(catalog, silentLogger)).recovered).toEqual([]);
  }, 90_000);

  it('refuses a segment outside the recordings dir', async () => {
    const dir = await temp.make();
    const catalog = new Catalog(await database(dir), join(dir, 'recordings'));
    const outside = await segmentOnDisk(dir, 'elsewhere', 0);
    await expect(catalog.registerSegment(outside)).rejects.toThrow('not inside a recording folder');
  });
});

describe('seal and export', () => {
  const drives: TestDrive[] = [];
  afterEach(async () => {
    await Promise.all(drives.splice(0).map((d) => d.remove()));
  });

  async function setup(options: { confidential?: boolean; recipients?: AgeRecipient[] } = {}) {
    const dir = await temp.make();
    const db = await database(dir);
    const recordingsDir = join(dir, 'recordings');
    const drive = await mountTestDrive();
    drives.push(drive);
    const store = new EvidenceStore({
      db,
      recordingsDir,
      key: generateDeviceKey(),
      device: { id: 'dev-1', room: 'sim-room' },
      logger: silentLogger,
      drives: drive.source,
      exportConfig: { recipients: options.recipients ?? [], timeoutSeconds: 60 },
    });
    await store.catalog.openRecording('rec-1', {
      sessionId: 's-1',
      dir: 'rec-1',
      confidential: Boolean(options.confidential),
      startedAt: '2026-01-02T03:00:00+07:00',
    });
    for (let i = 0; i < 3; i++)
      await store.registerSegment(await segmentOnDisk(recordingsDir, 'rec-1', i, Buffer.alloc(100_000 + i, i + 1)));
    await store.seal('rec-1', [{ at: '2026-01-02T03:00:00+07:00', type: 'started' }]);
    // A folder on the drive (its root also holds ext4's lost+found).
    const usb = join(drive.mountPoint, 'exports');
    await mkdir(usb);
    return { dir, db, store, recordingsDir, usb, drive };
  }
  const actor = { id: 'tech-1', role: 'technician' };

  it('seals a verifiable folder and exports a verified copy to a removable drive, recorded and audited', async () => {
    const { store, recordingsDir, usb, db, drive } = await setup();
    expect((await verifyFolder(join(recordingsDir, 'rec-1'), { pinnedPublicKeyPem: store.key.publicKeyPem })).ok).toBe(
      true,
    );
    const result = await store.export('rec-1', { targetRoot: usb, actor });
    expect(result).toMatchObject({
      dir: join(usb, 'rec-1'),
      encrypted: false,
      bytes: 300_003,
      copied: 3,
      resumed: 0,
      alreadyExported: false,
    });
    expect(await readdir(usb)).toEqual(['rec-1']);
    expect((await verifyFolder(result.dir, { pinnedPublicKeyPem: store.key.publicKeyPem })).ok).toBe(true);
    expect(await store.catalog.exports('rec-1')).toMatchObject([
      { recordingId: 'rec-1', verified: true, encrypted: false, bytes: 300_003, actor: 'tech-1' },
    ]);
    expect((await store.audit.list(1))[0]).toMatchObject({
      action: 'export',
      target: 'rec-1',
      actor: 'tech-1',
      detail: JSON.stringify({
        code: 'export',
        encryption: 'clear',
        dir: result.dir,
        drive: drive.device,
        bytes: 300_003,
      }),
    });
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM exports WHERE verified = 1'))?.n).toBe(1);
    // Again: recognised as already there, not copied twice.
    expect(await store.export('rec-1', { targetRoot: usb, actor })).toMatchObject({ alreadyExported: true });
    // The drive itself (its mount point) is a valid target too.
    expect(await store.export('rec-1', { targetRoot: drive.mountPoint, actor })).toMatchObject({
      dir: join(drive.mountPoint, 'rec-1'),
      alreadyExported: false,
    });
  });

  it('resumes an export interrupted by a crash: keeps good files, recopies a torn one, never shows a half copy under the final name', async () => {
    const { store, usb } = await setup();
    // What a crash in the middle of a copy leaves behind: one complete file, one torn file, no manifest.
    const partial = join(usb, 'rec-1.partial');
    await mkdir(partial);
    await writeFile(
      join(partial, segmentFileName(0)),
      await readFile(join(store.catalog.recordingsDir, 'rec-1', segmentFileName(0))),
    );
    await writeFile(join(partial, segmentFileName(1)), Buffer.alloc(5000, 2));
    expect((await verifyFolder(partial)).ok).toBe(false);

    const result = await store.export('rec-1', { targetRoot: usb, actor });
    expect(result).toMatchObject({ copied: 2, resumed: 1, alreadyExported: false });
    expect(await readdir(usb)).toEqual(['rec-1']);
    expect((await verifyFolder(result.dir)).ok).toBe(true);
  });

  it('an export stopped by its signal (the deadline) removes its partial copy and says so', async () => {
    const { store, usb } = await setup();
    const controller = new AbortController();
    controller.abort(new Error('deadline of 0 s exceeded'));
    const error = await store
      .export('rec-1', { targetRoot: usb, actor, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect(error).toMatchObject({ kind: 'stopped', message: expect.stringContaining('deadline of 0 s exceeded') });
    expect((error as Error).message).toContain('partial copy');
    expect(await readdir(usb)).toEqual([]);
    expect(await store.catalog.exports('rec-1')).toEqual([]);
  });

  it('does not export a copy that fails verification (the source changed since sealing)', async () => {
    const { store, usb, recordingsDir } = await setup();
    await appendFile(join(recordingsDir, 'rec-1', segmentFileName(2)), 'x');
    await expect(store.export('rec-1', { targetRoot: usb, actor })).rejects.toThrow(
      `${segmentFileName(2)}: size-mismatch`,
    );
    expect(await readdir(usb)).toEqual(['rec-1.partial']);
    expect(await store.catalog.exports('rec-1')).toEqual([]);
  });

  it("confidential: never clear; no recipient configured and no right to a passphrase is refused, and so is a technician's passphrase", async () => {
    const { store, usb } = await setup({ confidential: true });
    await expect(store.export('rec-1', { targetRoot: usb, actor })).rejects.toMatchObject({
      kind: 'no-recipients',
      message: expect.stringContaining('no recipient is configured'),
    });
    await expect(
      store.export('rec-1', { targetRoot: usb, actor, passphrase: 'một cụm mật khẩu dài' }),
    ).rejects.toMatchObject({
      kind: 'passphrase-forbidden',
      message: expect.stringContaining('role technician may not choose an export passphrase'),
    });
    expect(await readdir(usb)).toEqual([]);
    expect((await store.audit.list(1))[0]).toMatchObject({ action: 'export-refused', actor: 'tech-1' });
    // A leader may: the copy is age-encrypted to that passphrase.
    const leader = { id: 'lanh-dao', role: 'leader' };
    const result = await store.export('rec-1', {
      targetRoot: usb,
      actor: leader,
      passphrase: 'một cụm mật khẩu dài',
      scryptWorkFactor: 10,
    });
    expect(result).toMatchObject({ encrypted: true, dir: join(usb, 'rec-1.encrypted') });
    expect(await verifyFolder(result.dir, { pinnedPublicKeyPem: store.key.publicKeyPem })).toMatchObject({
      ok: true,
      encrypted: true,
      encryptedTo: { kind: 'passphrase', scryptWorkFactor: 10 },
    });
  });

  it('refuses to delete a recording without a verified export', async () => {
    const { store } = await setup();
    await expect(store.delete('rec-1', actor, 'test')).rejects.toThrow('no verified export');
  });
});

describe('EvidenceService', () => {
  it('catalogues segments from the bus, warns when the disk is low, and answers canHoldSession', async () => {
    const dir = await temp.make();
    const db = await database(dir);
    const config = parseConfig({
      ...JSON.parse(await readFile(defaultConfigPath(), 'utf8')),
      storage: { dataDir: dir },
      // Thresholds no real disk satisfies, so the low-disk path runs here.
      evidence: { disk: { warnFreePercent: 90, criticalFreePercent: 50, reserveBytes: 0, checkIntervalSeconds: 3600 } },
    });
    const bus = createEventBus(silentLogger);
    const lows: string[] = [];
    bus.on('diskLow', (status) => lows.push(status.level));
    const service = new EvidenceService({ config, db: () => db, bus, logger: silentLogger });
    await service.start();
    try {
      expect(lows).toHaveLength(1);
      expect(['warn', 'critical']).toContain(lows[0]);
      const recordingsDir = join(dir, 'recordings');
      bus.emit('segmentClosed', await segmentOnDisk(recordingsDir, 'rec-live', 0));
      bus.emit('segmentClosed', await segmentOnDisk(recordingsDir, 'rec-live', 1));
      await service.settled();
      expect((await service.store.catalog.segments('rec-live')).map((s) => s.index)).toEqual([0, 1]);
      expect((await service.store.catalog.recording('rec-live'))?.state).toBe('recording');

      await service.record({ actor: 'officer-1', role: 'officer', action: 'identity-view', target: 'case-7' });
      expect((await service.store.audit.list(1))[0]).toMatchObject({ action: 'identity-view', target: 'case-7' });
      expect(service.publicKey().fingerprint).toMatch(/^sha256:/);
    } finally {
      await service.stop();
    }
    // A restart finds the recording that was live as interrupted.
    const again = new EvidenceService({ config, db: () => db, bus, logger: silentLogger });
    await again.start();
    try {
      expect((await again.store.catalog.recording('rec-live'))?.state).toBe('recovered');
    } finally {
      await again.stop();
    }
  });
});
