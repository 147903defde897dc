import { copyFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Database } from './database.js';
import { migrations as knownMigrations, type Migration } from './migrations.js';

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
 */
export async function openStore(path: string, migrations: readonly Migration[] = knownMigrations): Promise<OpenedStore> {
  await mkdir(dirname(path), { recursive: true });
  const existed = await stat(path).then((s) => s.size > 0, () => false);
  let db: Database;
  try {
    db = await Database.open(path);
  } catch (error) {
    throw new StoreRefusedError(`cannot open database ${path}: ${(error as Error).message}`);
  }
  try {
    const latest = migrations.at(-1)?.version ?? 0;
    let fromVersion: number;
    try {
      fromVersion = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
      if (existed) {
        const check = await db.all<{ quick_check: string }>('PRAGMA quick_check');
        if (check[0]?.quick_check !== 'ok') throw new Error(check.map((row) => row.quick_check).join('; '));
      }
    } catch (error) {
      throw new StoreRefusedError(`database ${path} is corrupt or not a SQLite database (${(error as Error).message}); it was left untouched — restore it from a backup or move it aside`);
    }
    if (fromVersion > latest) {
      throw new StoreRefusedError(`database ${path} has schema version ${fromVersion}, newer than this software knows (${latest}); it was left untouched — install the newer software or restore a backup`);
    }
    await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    const pending = migrations.filter((m) => m.version > fromVersion);
    let backupPath: string | undefined;
    if (pending.length > 0 && fromVersion > 0) {
      backupPath = `${path}.v${fromVersion}.bak`;
      await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      await copyFile(path, backupPath);
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
    if (error instanceof StoreRefusedError) throw error;
    throw new StoreRefusedError(`database ${path}: migration failed: ${(error as Error).message}`);
  }
}
