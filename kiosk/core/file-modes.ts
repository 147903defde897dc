import type { Dirent } from 'node:fs';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';

/**
 * The file modes of everything the daemon keeps (README "Files and modes"): one place for the
 * scheme. Nothing is readable, writable or searchable by "other" — the database holds password
 * hashes and the audit log, the recordings confidential hearings. The daemon's group may read the
 * recordings (a technician's tools on the device), never the database or the keys.
 *
 * Explicit modes where this code creates a file; the umask for what libraries create (GStreamer's
 * segment files in the media worker, SQLite's -wal and -shm take the database's own mode).
 */
export const fileModes = {
  /** Set at daemon start, before any file is created and before the media worker is forked. */
  umask: 0o027,
  dataDir: 0o750,
  /** `keys/` */
  privateDir: 0o700,
  /** The database, its -wal, -shm, backups and disk reserve; the keys; the TLS key when ours. */
  privateFile: 0o600,
  /** A TLS key owned by another user (root) that the daemon reads through its group. */
  groupReadFile: 0o640,
  /** A recording's folder while it records, and `recordings/` itself. */
  recordingDir: 0o750,
  /** Segments, manifest and signature while recording (GStreamer's 0666 under the umask). */
  recordingFile: 0o640,
  /** Sealed evidence: read-only, even to the daemon's user, until retention deletes it. */
  sealedDir: 0o550,
  sealedFile: 0o440,
} as const;

/**
 * Creates a folder and its missing parents with exactly `mode`, whatever the umask. A folder that
 * exists keeps its mode: an operator's tighter one stays, a looser one is the start's to tighten.
 */
export async function makeDir(path: string, mode: number): Promise<void> {
  const created = await mkdir(path, { recursive: true, mode });
  if (created === undefined) return;
  const first = resolve(created);
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    await chmod(dir, mode);
    if (dir === first || dir === dirname(dir)) return;
  }
}

/**
 * What one path may allow at most: bits beyond `max` are removed, none is ever added (a folder an
 * operator made 0700 stays 0700). `within`: the same for every folder and file under a folder.
 */
export interface ModeTarget {
  path: string;
  max: number;
  within?: { dirs: number; files: number };
}

export interface ModeChange {
  path: string;
  from: number;
  to: number;
}

export interface ModeFailure {
  path: string;
  mode: number;
  error: string;
}

/**
 * Tightens what an older version, a looser umask or another program left. Absent paths are
 * skipped; symbolic links are never followed (chmod would change their target). A path that
 * cannot be changed (another owner, a read-only filesystem) is reported, not thrown.
 */
export async function tightenModes(
  targets: readonly ModeTarget[],
): Promise<{ changed: ModeChange[]; failed: ModeFailure[] }> {
  const changed: ModeChange[] = [];
  const failed: ModeFailure[] = [];
  const tighten = async (path: string, max: number, within?: ModeTarget['within']): Promise<void> => {
    const stats = await lstat(path).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? undefined : Promise.reject(error),
    );
    if (!stats || stats.isSymbolicLink()) return;
    const from = stats.mode & 0o777;
    const to = from & max;
    if (to !== from) {
      try {
        await chmod(path, to);
        changed.push({ path, from, to });
      } catch (error) {
        failed.push({ path, mode: from, error: (error as NodeJS.ErrnoException).code ?? String(error) });
      }
    }
    if (!within || !stats.isDirectory()) return;
    let entries: Dirent[];
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      failed.push({ path, mode: to, error: (error as NodeJS.ErrnoException).code ?? String(error) });
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await tighten(join(path, entry.name), within.dirs, within);
      else if (entry.isFile()) await tighten(join(path, entry.name), within.files);
    }
  };
  for (const target of targets) await tighten(target.path, target.max, target.within);
  return { changed, failed };
}

/** The device's own paths, resolved from the config by the caller. */
export interface DataPaths {
  dataDir: string;
  /** The SQLite file; its -wal, -shm, `.reserve` and `.vN.bak` sit beside it under the same name. */
  database: string;
  recordingsDir: string;
  /** `<dataDir>/keys`: the device signing key and the identity key. */
  keysDir: string;
  tlsKeyFile?: string;
}

/** The scheme applied to a device's paths, for `tightenModes` at daemon start. */
export async function dataModeTargets(paths: DataPaths): Promise<ModeTarget[]> {
  const dbDir = dirname(paths.database);
  const dbName = basename(paths.database);
  // Regular files with the database's own suffixes only (a folder named like it must keep its x bits).
  const dbSuffix = /^(|-wal|-shm|-journal|\.reserve|\.v\d+\.bak)$/;
  const entries = await readdir(dbDir, { withFileTypes: true }).catch(() => []);
  const dbFiles = entries
    .filter((e) => e.isFile() && e.name.startsWith(dbName) && dbSuffix.test(e.name.slice(dbName.length)))
    .map((e) => join(dbDir, e.name));
  const targets: ModeTarget[] = [
    { path: paths.dataDir, max: fileModes.dataDir },
    ...dbFiles.map((path) => ({ path, max: fileModes.privateFile })),
    {
      path: paths.keysDir,
      max: fileModes.privateDir,
      within: { dirs: fileModes.privateDir, files: fileModes.privateFile },
    },
    // Sealed recordings of older versions were 0444/0555: these maxima make them 0440/0550.
    {
      path: paths.recordingsDir,
      max: fileModes.recordingDir,
      within: { dirs: fileModes.recordingDir, files: fileModes.recordingFile },
    },
  ];
  // A TLS key outside the data directory may be shared (root:ssl-cert 0640): only "other" is taken away there.
  if (paths.tlsKeyFile) {
    const inside = !relative(paths.dataDir, paths.tlsKeyFile).startsWith('..');
    const owner = await lstat(paths.tlsKeyFile).then(
      (s) => s.uid,
      () => undefined,
    );
    targets.push({
      path: paths.tlsKeyFile,
      max: inside && owner === process.getuid?.() ? fileModes.privateFile : fileModes.groupReadFile,
    });
  }
  return targets;
}
