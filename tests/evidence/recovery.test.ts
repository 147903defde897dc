import { execFile } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../kiosk/evidence/catalog.js';
import { probeSegmentTiming, type SegmentTiming } from '../../kiosk/media/segment-timing.js';
import { recoverySweep } from '../../kiosk/evidence/recovery.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { ffprobe } from '../media/helpers.js';
import { recordTestSegment, recordUntilKilled, segmentFileName, silentLogger, tempDirs } from './fixtures.js';
import { migrations } from '../../kiosk/database-schema.js';

// Real files from GStreamer, made once: a finished Matroska file of 30 frames at 30 fps, a Matroska
// recording killed 3 s into its only segment, and an MPEG-TS one killed 3.5 s in with 2-second segments.
const temp = tempDirs();
let dir: string;
let recordingsDir: string;
let db: Database;
let finished: string;
let mkvRun: { spawnedAt: Date; killedAt: Date };
const cutMkv = () => join(recordingsDir, 'rec-mkv', segmentFileName(0));
const tsSegment = (index: number) => join(recordingsDir, 'rec-ts', `segment-${String(index).padStart(5, '0')}.ts`);

beforeAll(async () => {
  dir = await temp.make();
  recordingsDir = join(dir, 'recordings');
  await Promise.all(['rec-mkv', 'rec-ts'].map((folder) => mkdir(join(recordingsDir, folder), { recursive: true })));
  finished = join(dir, 'finished.mkv');
  [mkvRun] = await Promise.all([
    recordUntilKilled(join(recordingsDir, 'rec-mkv'), 'mkv', { segmentSeconds: 60, killAfterMs: 3000 }),
    recordUntilKilled(join(recordingsDir, 'rec-ts'), 'ts', { segmentSeconds: 2, killAfterMs: 3500 }),
    recordTestSegment(finished),
  ]);
  db = (await openStore(join(dir, 'diemcau.sqlite'), migrations)).db;
}, 60_000);

afterAll(async () => {
  await db?.close();
  await temp.cleanup();
});

async function videoPackets(path: string): Promise<number> {
  const { stdout } = await promisify(execFile)('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v',
    '-count_packets',
    '-show_entries',
    'stream=nb_read_packets',
    '-of',
    'csv=p=0',
    path,
  ]);
  // MPEG-TS lists the stream again under its program: the first line is enough.
  return Number(stdout.split('\n')[0]);
}

async function timingOf(path: string): Promise<SegmentTiming> {
  const timing = await probeSegmentTiming(path);
  expect(timing).not.toBeNull();
  return timing!;
}

describe('segment timing of files GStreamer writes', () => {
  it('a finished Matroska file keeps its container duration, and has a creation time', async () => {
    const timing = await timingOf(finished);
    const probe = await ffprobe(finished);
    expect(probe.formatDuration).toBeDefined();
    expect(timing.durationSeconds).toBe(probe.formatDuration);
    expect(Math.abs(timing.durationSeconds - 30 / 30)).toBeLessThan(0.05);
    expect(timing.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a Matroska segment cut by SIGKILL has no container duration but is measured from its packets', async () => {
    const timing = await timingOf(cutMkv());
    const probe = await ffprobe(cutMkv());
    expect(probe.formatDuration).toBeUndefined();
    expect(probe.videoSeconds).toBeGreaterThan(1);
    expect(Math.abs(timing.durationSeconds - probe.videoSeconds)).toBeLessThan(0.5);
    // matroskamux writes DateUTC when it opens the file, so even a cut file says when it began.
    const createdAt = Date.parse(timing.createdAt!);
    expect(createdAt).toBeGreaterThanOrEqual(mkvRun.spawnedAt.getTime());
    expect(createdAt).toBeLessThanOrEqual(mkvRun.killedAt.getTime());
  });

  it('an MPEG-TS segment cut by SIGKILL gets a duration, and no creation time (the container has none)', async () => {
    const timing = await timingOf(tsSegment(1));
    // Counted in frames at the known 30 fps: ffprobe() in tests/media/helpers.ts reads the blank lines
    // TS packets print (their side_data) as a packet at 0 s.
    const seconds = (await videoPackets(tsSegment(1))) / 30;
    expect(seconds).toBeGreaterThan(0.3);
    expect(Math.abs(timing.durationSeconds - seconds)).toBeLessThan(0.5);
    expect(timing.createdAt).toBeUndefined();
  });

  it('a file without a packet has no timing', async () => {
    const empty = join(dir, 'empty.mkv');
    await writeFile(empty, '');
    expect(await probeSegmentTiming(empty)).toBeNull();
  });
});

describe('recovery sweep on crash-cut files', () => {
  it('places each recovered segment in time from the best evidence, never as an empty range', async () => {
    const catalog = new Catalog(db, recordingsDir);
    const result = await recoverySweep(catalog, silentLogger);
    expect(result.recovered.map((r) => [r.recordingId, r.index])).toEqual([
      ['rec-mkv', 0],
      ['rec-ts', 0],
      ['rec-ts', 1],
    ]);
    const spanMs = (s: { startedAt: string; endedAt: string }) => Date.parse(s.endedAt) - Date.parse(s.startedAt);

    // Matroska: the file's own creation time, then its duration.
    const [mkv] = await catalog.segments('rec-mkv');
    const mkvTiming = await timingOf(cutMkv());
    expect(mkv).toMatchObject({
      recovered: true,
      startedAt: mkvTiming.createdAt,
      durationSeconds: mkvTiming.durationSeconds,
    });
    expect(spanMs(mkv!)).toBe(Math.round(mkvTiming.durationSeconds * 1000));
    expect(spanMs(mkv!)).toBeGreaterThan(1000);

    // MPEG-TS: the first segment ends at its last write; the next starts where it ended.
    const [first, second] = await catalog.segments('rec-ts');
    expect(first!.endedAt).toBe((await stat(tsSegment(0))).mtime.toISOString());
    expect(spanMs(first!)).toBe(Math.round(first!.durationSeconds! * 1000));
    expect(Math.abs(first!.durationSeconds! - 2)).toBeLessThan(0.5);
    expect(second!.startedAt).toBe(first!.endedAt);
    expect(spanMs(second!)).toBe(Math.round((await timingOf(tsSegment(1))).durationSeconds * 1000));
    expect(spanMs(second!)).toBeGreaterThan(300);
  });
});
