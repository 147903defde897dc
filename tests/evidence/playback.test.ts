import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { concatList, remuxArguments } from '../../kiosk/evidence/playback.js';
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

  it('joins real Matroska segments into one fragmented MP4 on stdout, without re-encoding', async () => {
    // A folder name with a quote and a space: the list must still name the files exactly.
    const dir = join(await dirs.make(), "phòng 'A'");
    await mkdir(dir);
    const paths = [join(dir, segmentFileName(0)), join(dir, segmentFileName(1))];
    for (const path of paths) await recordTestSegment(path);
    const child = spawn('ffmpeg', remuxArguments(), { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    child.stdin.end(concatList(paths));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(errors).toBe('');
    expect(code).toBe(0);
    const mp4 = Buffer.concat(chunks);
    // Fragmented: the header (moov) first, then movie fragments (moof) as the segments are read.
    expect(mp4.subarray(4, 8).toString()).toBe('ftyp');
    expect(mp4.indexOf('moof')).toBeGreaterThan(mp4.indexOf('moov'));
    const out = join(dir, 'out.mp4');
    await writeFile(out, mp4);
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
    expect((await readFile(out)).length).toBe(mp4.length);
  }, 60_000);
});
