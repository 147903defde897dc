import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { concatList, playbackFileName, remuxArguments } from '../../kiosk/evidence/playback.js';
import { recordTestSegment, segmentFileName, tempDirs } from './fixtures.js';

const run = promisify(execFile);

describe('playback remux (kiosk/evidence/playback.ts)', () => {
  const dirs = tempDirs();
  afterAll(() => dirs.cleanup());

  it('lists segments as file: URLs with quotes escaped for ffconcat', () => {
    expect(concatList(['/data/a.mkv', "/data/it's/b.mkv"])).toBe(
      "ffconcat version 1.0\nfile 'file:/data/a.mkv'\nfile 'file:/data/it'\\''s/b.mkv'\n",
    );
  });

  it('joins real Matroska segments into one MP4 with its index first, without re-encoding', async () => {
    // A folder name with a quote and a space: the list must still name the files exactly.
    const dir = join(await dirs.make(), "phòng 'A'");
    await mkdir(dir);
    const paths = [join(dir, segmentFileName(0)), join(dir, segmentFileName(1))];
    for (const path of paths) await recordTestSegment(path);
    const out = join(dir, 'out.mp4');
    const child = spawn('ffmpeg', remuxArguments(out), { stdio: ['pipe', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    child.stdin.end(concatList(paths));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(errors).toBe('');
    expect(code).toBe(0);
    const mp4 = await readFile(out);
    // The index (moov) before the media (mdat): a browser learns every keyframe's offset from the
    // first bytes and seeks with one Range request.
    expect(mp4.subarray(4, 8).toString()).toBe('ftyp');
    expect(mp4.indexOf('moov')).toBeGreaterThan(0);
    expect(mp4.indexOf('moov')).toBeLessThan(mp4.indexOf('mdat'));
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name:format=duration',
      '-of',
      'json',
      out,
    ]);
    const probe = JSON.parse(stdout);
    expect(probe.streams.map((s: { codec_name: string }) => s.codec_name)).toEqual(['h264']);
    // Two 1-second segments: both are in the copy.
    expect(Number(probe.format.duration)).toBeGreaterThan(1.8);
  }, 60_000);

  it('names the copy after the recording and every segment it holds', () => {
    const one = playbackFileName('rec-1', ['a'.repeat(64)]);
    expect(one).toMatch(/^rec-1-[0-9a-f]{16}\.mp4$/);
    expect(playbackFileName('rec-1', ['a'.repeat(64)])).toBe(one);
    expect(playbackFileName('rec-1', ['a'.repeat(64), 'b'.repeat(64)])).not.toBe(one);
  });
});
