import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextSegmentIndex, nextSegmentIndexIn, segmentIndexFromName } from '../../kiosk/media/segment-files.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

describe('segment numbering', () => {
  it.each([
    ['r1-00000.mkv', 0],
    ['abc-def-00012.ts', 12],
    ['manifest.json', undefined],
    ['r1-00003.mkv.partial', undefined],
  ])('reads the index of %s', (name, index) => {
    expect(segmentIndexFromName(name)).toBe(index);
  });

  it('continues after the highest segment present, gaps included', () => {
    expect(nextSegmentIndex([])).toBe(0);
    expect(nextSegmentIndex(['r-00000.mkv', 'r-00004.mkv', 'manifest.json'])).toBe(5);
  });

  it('reads a real folder, and starts at 0 when it does not exist yet', async () => {
    const dir = await makeTempDir('segments');
    try {
      expect(await nextSegmentIndexIn(join(dir, 'absent'))).toBe(0);
      await mkdir(join(dir, 'rec'));
      await writeFile(join(dir, 'rec', 'rec-00000.mkv'), 'a');
      await writeFile(join(dir, 'rec', 'rec-00001.mkv'), 'b');
      expect(await nextSegmentIndexIn(join(dir, 'rec'))).toBe(2);
    } finally {
      await removeTempDir(dir);
    }
  });
});
