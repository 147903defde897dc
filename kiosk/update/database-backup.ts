import { chmod, chown, copyFile, open, rename, rm, stat } from 'node:fs/promises';
import { fleetLifetimeSeqMigrationSql } from '../fleet/outbox.js';
import { Database } from '../store/database.js';

/**
 * The database saved before a new release migrates it, and put back on a rollback. The backup is
 * SQLite's own consistent snapshot (`VACUUM INTO`), never a byte copy of a file that may have a
 * WAL beside it; restoring copies that closed snapshot over the database (the daemon is stopped),
 * with the database's owner and mode, and removes the -wal and -shm the failed release left.
 * Central monitoring keeps the failed release's event ids for a day: the restored outbox moves its
 * counter past them (the same step as the fleet's own migration), so its next events are not dropped
 * as duplicates.
 */
export async function backupDatabase(path: string, backup: string): Promise<void> {
  const original = await stat(path);
  await rm(backup, { force: true });
  const db = await Database.open(path);
  try {
    await db.run('VACUUM INTO ?', [backup]);
  } finally {
    await db.close();
  }
  await chmod(backup, 0o600);
  await keepOwner(backup, original);
  // The updater runs as root: SQLite may have left a -wal or -shm owned by root beside the daemon's database.
  for (const suffix of ['-wal', '-shm'])
    await stat(`${path}${suffix}`).then(
      (s) => keepOwner(`${path}${suffix}`, original, s),
      () => undefined,
    );
}

export async function restoreDatabase(backup: string, path: string): Promise<void> {
  const original = await stat(path).catch(() => stat(backup));
  const temporary = `${path}.restoring`;
  await copyFile(backup, temporary);
  const db = await Database.open(temporary);
  try {
    if (await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fleet_outbox'"))
      await db.exec(fleetLifetimeSeqMigrationSql);
  } finally {
    await db.close();
  }
  const handle = await open(temporary, 'r+');
  await handle.sync();
  await handle.close();
  await chmod(temporary, 0o600);
  await keepOwner(temporary, original);
  for (const suffix of ['-wal', '-shm']) await rm(`${path}${suffix}`, { force: true });
  await rename(temporary, path);
}

async function keepOwner(
  path: string,
  owner: { uid: number; gid: number },
  current?: { uid: number; gid: number },
): Promise<void> {
  if (process.getuid?.() !== 0) return;
  if (current && current.uid === owner.uid && current.gid === owner.gid) return;
  await chown(path, owner.uid, owner.gid);
}
