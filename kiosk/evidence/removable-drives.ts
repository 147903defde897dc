import { execFile } from 'node:child_process';
import { readFile, realpath, stat, statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  classifyMounts,
  locateTarget,
  LSBLK_COLUMNS,
  parseLsblk,
  parseMountinfo,
  type Drive,
  type MountDecision,
} from './drives.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * The removable drives mounted now, from lsblk and the mount table (the decisions are in drives.ts;
 * this file only reads). The source is injectable: no removable drive can be plugged into a test
 * machine, so tests run a wrapper around the real lsblk that marks their loop device removable.
 */
export interface DriveSource {
  /** `lsblk -J -b -o …` output. */
  lsblk(): Promise<string>;
  /** /proc/self/mountinfo. */
  mountinfo(): Promise<string>;
}

const run = promisify(execFile);

/**
 * The system's lsblk and mount table. `DIEMCAU_LSBLK` names another command printing lsblk's JSON
 * (tests only: it lets a loop-mounted image pass for a USB drive).
 */
export function systemDriveSource(command = process.env.DIEMCAU_LSBLK || 'lsblk'): DriveSource {
  return {
    lsblk: async () =>
      (await run(command, ['-J', '-b', '-o', LSBLK_COLUMNS.join(',')], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }))
        .stdout,
    mountinfo: () => readFile('/proc/self/mountinfo', 'utf8'),
  };
}

export interface RemovableDrive extends Drive {
  freeBytes: number;
}

async function read(
  source: DriveSource,
): Promise<{ decisions: MountDecision[]; mounts: ReturnType<typeof parseMountinfo> }> {
  const [lsblk, mountinfo] = await Promise.all([source.lsblk(), source.mountinfo()]);
  const mounts = parseMountinfo(mountinfo);
  return { decisions: classifyMounts(parseLsblk(lsblk), mounts), mounts };
}

const eligible = (decisions: MountDecision[]): Drive[] => decisions.flatMap((d) => (d.eligible ? [d.drive] : []));

/** The drives an export may go to, with their free space now. */
export async function listRemovableDrives(source: DriveSource): Promise<RemovableDrive[]> {
  const drives = eligible((await read(source)).decisions);
  return Promise.all(
    drives.map(async (drive) => {
      const space = await statfs(drive.mountPoint);
      return { ...drive, freeBytes: space.bavail * space.bsize };
    }),
  );
}

export class ExportTargetError extends Error {
  override name = 'ExportTargetError';
}

/**
 * The target folder with every symlink resolved, once it is known to be on a removable drive;
 * otherwise ExportTargetError saying why. Nothing is created or walked before that.
 */
export async function resolveExportTarget(target: string, source: DriveSource): Promise<{ dir: string; drive: Drive }> {
  if (!target.startsWith('/')) throw new ExportTargetError(`export target ${target} is not an absolute path`);
  let real: string;
  try {
    real = await realpath(resolve(target));
  } catch (error) {
    throw new ExportTargetError(
      `export target ${target} cannot be used (${(error as NodeJS.ErrnoException).code ?? describeError(error)}): pick a mounted removable drive`,
    );
  }
  const { decisions, mounts } = await read(source);
  const decision = locateTarget(real, decisions, mounts);
  const shown = real === target ? target : `${target} (${real})`;
  if (!decision.ok)
    throw new ExportTargetError(`export target ${shown} refused: ${decision.reason.replace(real, 'it')}`);
  if (!(await stat(real)).isDirectory()) throw new ExportTargetError(`export target ${shown} is not a folder`);
  return { dir: real, drive: decision.drive };
}
