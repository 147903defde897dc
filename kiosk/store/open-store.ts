import { chmod, copyFile, open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { fileModes, makeDir } from '../core/file-modes.js';
import { checkCopy } from './check-copy.js';
import { Database } from './database.js';
import type { Migration } from './migration.js';
import { describeError } from '../../hal/core/describe-error.js';

export class StoreRefusedError extends Error {
  override name = 'StoreRefusedError';
}

export interface OpenedStore {
  db: Database;
  /** Version before migrating (0 for a new database). */
  fromVersion: number;
  toVersion: number;
  /** Copy of the database taken before an upgrade, if one was needed. */
  backupPath?: string;
}

/**
 * Opens the device database, refusing (never overwriting) a file that is not a SQLite database,
 * fails its integrity check, or was written by a newer version of this software; then migrates.
 * An existing file is judged on a copy first, so a refused one and its -wal stay byte for byte as
 * they were: the evidence of what went wrong, and what a recovery tool needs.
 */
export async function openStore(path: string, migrations: readonly Migration[]): Promise<OpenedStore> {
  const latest = migrations.at(-1)?.version ?? 0;
  if (
    await stat(path).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    await refuseUnfit(path, latest);
  else await createPrivate(path);
  let db: Database;
  try {
    db = await Database.open(path);
  } catch (error) {
    throw new StoreRefusedError(`cannot open database ${path}: ${describeError(error)}`);
  }
  try {
    const fromVersion = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
    await db.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
    );
    const pending = migrations.filter((m) => m.version > fromVersion);
    let backupPath: string | undefined;
    if (pending.length > 0 && fromVersion > 0) {
      backupPath = `${path}.v${fromVersion}.bak`;
      await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      await copyFile(path, backupPath);
      await chmod(backupPath, fileModes.privateFile);
    }
    for (const migration of pending) {
      await db.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.exec(`PRAGMA user_version = ${migration.version}`);
      });
    }
    return { db, fromVersion, toVersion: Math.max(fromVersion, latest), ...(backupPath ? { backupPath } : {}) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new StoreRefusedError(`database ${path}: migration failed: ${describeError(error)}`);
  }
}

/**
 * SQLite would create the file 0644 under the umask, and gives its -wal and -shm the database's
 * own mode: created here first, 0600, so none of the three is ever readable by others. An existing
 * database's mode is the daemon's start to tighten (kiosk/core/file-modes.ts), never a refused one's.
 */
async function createPrivate(path: string): Promise<void> {
  await makeDir(dirname(path), fileModes.dataDir);
  await (await open(path, 'a', fileModes.privateFile)).close();
  await chmod(path, fileModes.privateFile);
}

async function refuseUnfit(path: string, latest: number): Promise<void> {
  const check = await checkCopy(path);
  switch (check.kind) {
    case 'ok':
      if (check.userVersion > latest) {
        throw new StoreRefusedError(
          `database ${path} has schema version ${check.userVersion}, newer than this software knows (${latest}); it was left untouched — install the newer software or restore a backup`,
        );
      }
      return;
    case 'corrupt':
      throw new StoreRefusedError(
        `database ${path} is corrupt or not a SQLite database (${check.detail}); it was left untouched — restore it from a backup or move it aside`,
      );
    case 'changing':
      throw new StoreRefusedError(
        `database ${path} kept changing while it was copied for its check, so another program is writing it; it was left untouched — stop that program and try again`,
      );
    case 'unchecked':
      throw new StoreRefusedError(
        `database ${path} could not be checked before opening (${check.detail}); it was left untouched — the check works on a copy in ${tmpdir()}: make room there and try again`,
      );
  }
}
