import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { EvidenceStore, ExportRefusedError } from '../../kiosk/evidence/evidence-store.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { migrations } from '../../kiosk/database-schema.js';
import { segmentFileName, silentLogger, tempDirs } from './fixtures.js';
import { writeFile } from 'node:fs/promises';
import { mountTestDrive, type TestDrive } from './test-drive.js';

/**
 * A recording that holds no recorded byte (no segment, or only an empty file) is never exported,
 * so it can never be marked as having a verified copy (issue 11: "a 0-byte recording exported and
 * marked verified"). The drive is a loop-mounted image reported removable (test-drive.ts).
 */
describe('export of an empty recording', () => {
  const dirs = tempDirs();
  let drive: TestDrive;
  let store: EvidenceStore;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const dataDir = await dirs.make();
    drive = await mountTestDrive({ label: 'EMPTY-TEST' });
    const { key } = await loadOrCreateDeviceKey(dataDir);
    const { db } = await openStore(join(dataDir, 'diemcau.sqlite'), migrations);
    close = () => db.close();
    store = new EvidenceStore({
      db,
      recordingsDir: join(dataDir, 'recordings'),
      key,
      device: { id: 'dev', room: 'sim-room' },
      logger: silentLogger,
      drives: drive.source,
    });
    for (const id of ['rec-none', 'rec-zero']) {
      await store.catalog.openRecording(id, {
        sessionId: null,
        dir: id,
        confidential: false,
        startedAt: '2026-12-01T08:00:00+07:00',
      });
      await mkdir(join(dataDir, 'recordings', id), { recursive: true });
    }
    const zero = join(dataDir, 'recordings', 'rec-zero', segmentFileName(0));
    await writeFile(zero, '');
    const digest = await sha256File(zero);
    await store.registerSegment({
      recordingId: 'rec-zero',
      index: 0,
      path: zero,
      sizeBytes: 0,
      durationSeconds: 0,
      sha256: digest.sha256,
      startedAt: '2026-12-01T08:00:00+07:00',
      endedAt: '2026-12-01T08:00:00+07:00',
    });
    for (const id of ['rec-none', 'rec-zero']) await store.seal(id, []);
  }, 60_000);

  afterAll(async () => {
    await close?.();
    await drive?.remove();
    await dirs.cleanup();
  });

  it.each(['rec-none', 'rec-zero'])('refuses %s, and records no export', async (id) => {
    const attempt = store.export(id, { targetRoot: drive.mountPoint, actor: { id: 'kythuat', role: 'technician' } });
    await expect(attempt).rejects.toBeInstanceOf(ExportRefusedError);
    await expect(attempt).rejects.toMatchObject({ kind: 'empty' });
    expect(await store.catalog.exports(id)).toEqual([]);
    expect((await store.catalog.retentionFacts()).find((f) => f.id === id)?.verifiedExport).toBe(false);
  });
});
