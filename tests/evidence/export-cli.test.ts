import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../config/load.js';
import { runExport } from '../../kiosk/cli/export.js';
import { cliContext } from '../../kiosk/cli-context.js';
import { runVerify } from '../../kiosk/cli/verify.js';
import { loadOrCreateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { EvidenceStore } from '../../kiosk/evidence/evidence-store.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { segmentFileName, silentLogger, tempDirs } from './fixtures.js';
import { mountTestDrive, type TestDrive } from './test-drive.js';
import { migrations } from '../../kiosk/database-schema.js';

const temp = tempDirs();
let drive: TestDrive;
// No removable drive can be plugged here: a loop-mounted image passes for one (see test-drive.ts).
beforeEach(async () => {
  drive = await mountTestDrive();
  process.env.DIEMCAU_LSBLK = drive.lsblkCommand;
});
afterEach(async () => {
  delete process.env.DIEMCAU_LSBLK;
  await drive.remove();
  await temp.cleanup();
});

const collect = () => {
  const lines: string[] = [];
  return { lines, output: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

describe('diemcau export', () => {
  it('exports a recording from the device database to a removable drive, and diemcau verify accepts the copy; anywhere else is refused', async () => {
    const dataDir = await temp.make();
    const configPath = join(dataDir, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({ ...JSON.parse(await readFile(defaultConfigPath(), 'utf8')), storage: { dataDir } }),
    );
    const { key } = await loadOrCreateDeviceKey(dataDir);
    const { db } = await openStore(join(dataDir, 'diemcau.sqlite'), migrations);
    try {
      const store = new EvidenceStore({
        db,
        recordingsDir: join(dataDir, 'recordings'),
        key,
        device: { id: 'dev', room: 'sim-room' },
        logger: silentLogger,
      });
      await mkdir(join(dataDir, 'recordings', 'rec-9'), { recursive: true });
      for (let index = 0; index < 2; index++) {
        const path = join(dataDir, 'recordings', 'rec-9', segmentFileName(index));
        await writeFile(path, Buffer.alloc(20_000, index));
        const digest = await sha256File(path);
        await store.registerSegment({
          recordingId: 'rec-9',
          index,
          path,
          sizeBytes: digest.size,
          durationSeconds: 1,
          sha256: digest.sha256,
          startedAt: '2026-01-02T03:00:00+07:00',
          endedAt: '2026-01-02T03:00:01+07:00',
        });
      }
      await store.seal('rec-9', []);
    } finally {
      await db.close();
    }
    const usb = join(drive.mountPoint, 'ho-so');
    await mkdir(usb);
    const refused = collect();
    expect(
      await runExport(
        ['--recording', 'rec-9', '--to', await temp.make('diemcau-not-a-drive-'), '--config', configPath],
        cliContext,
        refused.output,
      ),
    ).toBe(1);
    expect(refused.lines.join('\n')).toMatch(
      /export failed: export target .* refused: it is on .*not a removable drive; removable drives mounted now: \/run\/media\/test-/,
    );
    const run = collect();
    expect(await runExport(['--recording', 'rec-9', '--to', usb, '--config', configPath], cliContext, run.output)).toBe(
      0,
    );
    expect(run.lines.join('\n')).toContain(`OK ${join(usb, 'rec-9')}: 40000 bytes copied and verified`);
    expect(await readdir(usb)).toEqual(['rec-9']);

    const pubkey = join(dataDir, 'device.pub.pem');
    await writeFile(pubkey, key.publicKeyPem);
    const verify = collect();
    expect(await runVerify([join(usb, 'rec-9'), '--pubkey', pubkey], verify.output)).toBe(0);

    const missing = collect();
    expect(
      await runExport(['--recording', 'nope', '--to', usb, '--config', configPath], cliContext, missing.output),
    ).toBe(1);
    expect(missing.lines.join('\n')).toContain('no recording nope');
  });
});
