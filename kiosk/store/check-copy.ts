import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from './database.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * What SQLite reads along with the database: the write-ahead log and a rollback journal left by a
 * crash. The -shm is left out: it is only an index of the -wal, rebuilt when missing.
 */
const companions = ['-wal', '-journal'] as const;

/** A copy is retried this many times when the files change while being copied. */
const copyAttempts = 3;

export type CopyCheck =
  | { kind: 'ok'; userVersion: number }
  /** SQLite says the file is damaged or is not a database. */
  | { kind: 'corrupt'; detail: string }
  /** The files kept changing while copied: another program is writing them. */
  | { kind: 'changing' }
  /** The check itself could not run (no room for the copy, temporary directory unusable…). */
  | { kind: 'unchecked'; detail: string };

/**
 * Reads the schema version and runs `PRAGMA quick_check` on a private copy of the database and its
 * companions. Even a read-only SQLite connection writes beside a WAL database (it creates or
 * rewrites the -shm, and creates a -wal that is missing), so the only way to leave a damaged
 * database byte for byte as it was found is never to open the original until it has passed.
 */
export async function checkCopy(path: string): Promise<CopyCheck> {
  let dir: string;
  try {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-dbcheck-'));
  } catch (error) {
    return { kind: 'unchecked', detail: `temporary directory: ${describeError(error)}` };
  }
  try {
    const copy = join(dir, 'check.sqlite');
    try {
      if (!(await copyWhileUnchanged(path, copy))) return { kind: 'changing' };
    } catch (error) {
      return { kind: 'unchecked', detail: `copying it to ${dir}: ${describeError(error)}` };
    }
    return await inspect(copy);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies the database and its companions, and says whether none of them changed meanwhile. */
async function copyWhileUnchanged(path: string, copy: string): Promise<boolean> {
  for (let attempt = 0; attempt < copyAttempts; attempt++) {
    const before = await fingerprint(path);
    await copyFile(path, copy);
    for (const suffix of companions) {
      await copyFile(path + suffix, copy + suffix).catch((error: NodeJS.ErrnoException) =>
        error.code === 'ENOENT' ? rm(copy + suffix, { force: true }) : Promise.reject(error),
      );
    }
    if ((await fingerprint(path)) === before) return true;
  }
  return false;
}

async function fingerprint(path: string): Promise<string> {
  const files = [path, ...companions.map((suffix) => path + suffix)];
  const parts = await Promise.all(
    files.map((file) =>
      stat(file, { bigint: true }).then(
        (s) => `${s.ino}:${s.size}:${s.mtimeNs}`,
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '-' : Promise.reject(error)),
      ),
    ),
  );
  return parts.join('|');
}

/** SQLite's verdicts on the file itself; any other failure is about the copy, not the database. */
const damageCodes = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/**
 * Opened read-write, like the real open that follows: SQLite then recovers the copy (replays the
 * -wal, rolls back a journal) exactly as it would recover the original.
 */
async function inspect(copy: string): Promise<CopyCheck> {
  let db: Database;
  try {
    db = await Database.open(copy);
  } catch (error) {
    return verdict(error);
  }
  try {
    const userVersion = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
    const rows = await db.all<{ quick_check: string }>('PRAGMA quick_check');
    if (rows[0]?.quick_check !== 'ok')
      return { kind: 'corrupt', detail: rows.map((row) => row.quick_check).join('; ') };
    return { kind: 'ok', userVersion };
  } catch (error) {
    return verdict(error);
  } finally {
    await db.close().catch(() => undefined);
  }
}

function verdict(error: unknown): CopyCheck {
  const { code, message } = error as NodeJS.ErrnoException;
  return damageCodes.has(code ?? '') ? { kind: 'corrupt', detail: message } : { kind: 'unchecked', detail: message };
}
