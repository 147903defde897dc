import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../kiosk/evidence/catalog.js';
import { migrations } from '../../kiosk/database-schema.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { segmentFileName, tempDirs } from './fixtures.js';

const temp = tempDirs();
let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
  await temp.cleanup();
});

/** The recordings list's duration is the media sealed, as it plays back: never the wall time between start and end. */
describe('seconds of media per recording (Catalog.mediaSeconds)', () => {
  it('sums the segments’ own durations, leaves out a gap and an unknown duration, and says null when none is known', async () => {
    const dir = await temp.make();
    ({ db } = await openStore(join(dir, 'diemcau.sqlite'), migrations));
    const catalog = new Catalog(db, join(dir, 'recordings'));
    const segment = (recordingId: string, index: number, durationSeconds: number | null, from: string, to: string) =>
      catalog.registerSegment({
        recordingId,
        index,
        path: join(dir, 'recordings', recordingId, segmentFileName(index)),
        sizeBytes: 1000,
        durationSeconds,
        sha256: '0'.repeat(64),
        startedAt: from,
        endedAt: to,
      });
    // 09:00–09:05 recorded, the recorder stopped for 20 minutes, 09:25–09:27:30 recorded again.
    await segment('rec-gap', 0, 300, '2026-12-01T09:00:00+07:00', '2026-12-01T09:05:00+07:00');
    await segment('rec-gap', 1, 150.5, '2026-12-01T09:25:00+07:00', '2026-12-01T09:27:30.5+07:00');
    // A recovered segment whose length could not be read adds nothing it cannot vouch for.
    await segment('rec-gap', 2, null, '2026-12-01T09:27:31+07:00', '2026-12-01T09:28:00+07:00');
    await segment('rec-unknown', 0, null, '2026-12-01T10:00:00+07:00', '2026-12-01T10:01:00+07:00');

    const seconds = await catalog.mediaSeconds();
    expect(seconds.get('rec-gap')).toBeCloseTo(450.5, 6);
    expect(seconds.get('rec-unknown')).toBeNull();
    expect(seconds.has('rec-none')).toBe(false);
  });
});
