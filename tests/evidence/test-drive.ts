import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemDriveSource, type DriveSource } from '../../kiosk/evidence/removable-drives.js';

const run = promisify(execFile);

/**
 * A stand-in for a USB drive. No removable drive can be plugged here, so a test drive is a real
 * ext4 filesystem in an image file, loop-mounted under /run/media/test-<random>/<label> (where
 * udisks mounts real ones), and a wrapper around the real lsblk marks that one loop device as a
 * removable USB disk: the only thing faked. Everything else (lsblk's JSON, /proc/self/mountinfo,
 * realpath, the filesystem) is the system's. Needs root (mount), as the project's tests run.
 */
export interface TestDrive {
  /** Where the drive is mounted. */
  mountPoint: string;
  /** Its loop device (/dev/loopN). */
  device: string;
  /** A command printing lsblk's JSON with the drive marked removable (DIEMCAU_LSBLK for a daemon). */
  lsblkCommand: string;
  source: DriveSource;
  remove(): Promise<void>;
}

export async function mountTestDrive(
  options: { sizeMiB?: number; label?: string; markRemovable?: boolean; mountRoot?: string } = {},
): Promise<TestDrive> {
  const work = await mkdtemp(join(tmpdir(), 'diemcau-drive-'));
  const image = join(work, 'drive.img');
  await run('truncate', ['-s', `${options.sizeMiB ?? 64}M`, image]);
  await run('mkfs.ext4', ['-q', '-F', '-L', options.label ?? 'USB-TEST', image]);
  const root = options.mountRoot ?? join('/run/media', `test-${randomBytes(4).toString('hex')}`);
  const mountPoint = join(root, options.label ?? 'USB-TEST');
  await mkdir(mountPoint, { recursive: true });
  await run('mount', ['-o', 'loop', image, mountPoint]);
  const { stdout } = await run('findmnt', ['-n', '-o', 'SOURCE', '--target', mountPoint]);
  const device = stdout.trim();
  const lsblkCommand = join(work, 'lsblk-test-drive.mjs');
  // The wrapper: real lsblk, with only this loop device turned into a removable USB disk.
  await writeFile(
    lsblkCommand,
    `#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
const out = JSON.parse(execFileSync('lsblk', process.argv.slice(2), { encoding: 'utf8' }));
${options.markRemovable === false ? '' : `for (const d of out.blockdevices) if (d.path === ${JSON.stringify(device)}) Object.assign(d, { rm: true, hotplug: true, tran: 'usb', type: 'disk' });`}
process.stdout.write(JSON.stringify(out));
`,
  );
  await chmod(lsblkCommand, 0o755);
  return {
    mountPoint,
    device,
    lsblkCommand,
    source: systemDriveSource(lsblkCommand),
    async remove() {
      await run('umount', [mountPoint]).catch(() => run('umount', ['-l', mountPoint]));
      await rm(root, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    },
  };
}
