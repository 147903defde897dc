import { createHash } from 'node:crypto';
import { appendFile, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreRefusedError } from '../../kiosk/store/open-store.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const v1 = [
  { version: 1, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;' },
];
const pageBytes = 4096;
const checkpointedRows = 400;
const walRows = 40;

/** Every file in the folder with the sha256 of its bytes: equal snapshots mean nothing was written, created or deleted. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort())
    hashes[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  return hashes;
}

/**
 * A WAL database as a power cut leaves it: rows checkpointed into the main file and more rows only
 * in the -wal. The files are copied while the writer still has them open, since closing would
 * checkpoint the -wal away.
 */
async function walDatabase(
  source: string,
  target: string,
  options: { lastSql?: string; withShm?: boolean } = {},
): Promise<void> {
  const { db } = await openStore(source, v1);
  try {
    for (let i = 0; i < checkpointedRows; i++)
      await db.run('INSERT INTO notes (text) VALUES (?)', [`checkpointed ${i} ${'x'.repeat(200)}`]);
    await db.exec('PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 0;');
    for (let i = 0; i < walRows; i++) await db.run('INSERT INTO notes (text) VALUES (?)', [`in the wal ${i}`]);
    if (options.lastSql) await db.exec(options.lastSql);
    await copyFile(source, target);
    await copyFile(`${source}-wal`, `${target}-wal`);
    if (options.withShm) await copyFile(`${source}-shm`, `${target}-shm`);
  } finally {
    await db.close();
  }
}

describe('store: the check at start writes nothing to a database it refuses', () => {
  let dir: string;
  let room: string;
  let path: string;
  beforeEach(async () => {
    dir = await makeTempDir('store-corrupt');
    room = join(dir, 'room');
    path = join(room, 'device.sqlite');
    await mkdir(join(dir, 'live'));
    await mkdir(room);
  });
  afterEach(() => removeTempDir(dir));

  it('refuses a corrupt WAL database and leaves the file and its -wal byte for byte as they were', async () => {
    await walDatabase(join(dir, 'live', 'device.sqlite'), path);
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect((await readFile(`${path}-wal`)).length).toBeGreaterThan(32 + pageBytes);
    // Table leaves in the middle of the main file, not rewritten by the rows in the -wal.
    bytes.fill(0x5a, pageBytes * 4, pageBytes * 10);
    await writeFile(path, bytes);
    const before = await snapshot(room);
    expect(Object.keys(before)).toEqual(['device.sqlite', 'device.sqlite-wal']);

    const error = await openStore(path, v1).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreRefusedError);
    expect((error as Error).message).toMatch(/is corrupt or not a SQLite database .*; it was left untouched/);
    expect(await snapshot(room)).toEqual(before);
  });

  it('refuses a database whose -wal raised its schema beyond this software, touching none of its three files', async () => {
    await walDatabase(join(dir, 'live', 'device.sqlite'), path, { lastSql: 'PRAGMA user_version = 7', withShm: true });
    const before = await snapshot(room);
    expect(Object.keys(before)).toEqual(['device.sqlite', 'device.sqlite-shm', 'device.sqlite-wal']);

    await expect(openStore(path, v1)).rejects.toThrow(
      /schema version 7, newer than this software knows \(1\); it was left untouched/,
    );
    expect(await snapshot(room)).toEqual(before);
  });

  it('refuses a database it could not copy for the check, touching nothing', async () => {
    await walDatabase(join(dir, 'live', 'device.sqlite'), path);
    const before = await snapshot(room);
    const tmp = process.env.TMPDIR;
    process.env.TMPDIR = join(dir, 'no-such-temporary-directory');
    try {
      await expect(openStore(path, v1)).rejects.toThrow(
        /could not be checked before opening \(temporary directory: .*ENOENT.*\); it was left untouched/,
      );
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    expect(await snapshot(room)).toEqual(before);
  });

  it('refuses to judge a database that another program keeps writing while it is copied', async () => {
    await walDatabase(join(dir, 'live', 'device.sqlite'), path);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 100_000; i++) await appendFile(`${path}-wal`, 'x');
    })();
    try {
      await expect(openStore(path, v1)).rejects.toThrow(/kept changing while it was copied for its check/);
    } finally {
      writing = false;
      await writer;
    }
  });

  it('opens a healthy WAL database with rows still in its -wal, and keeps them', async () => {
    await walDatabase(join(dir, 'live', 'device.sqlite'), path);
    const { db, fromVersion } = await openStore(path, v1);
    try {
      expect(fromVersion).toBe(1);
      expect(await db.get('SELECT count(*) AS n FROM notes')).toEqual({ n: checkpointedRows + walRows });
      expect(await db.get('SELECT text FROM notes ORDER BY id DESC LIMIT 1')).toEqual({
        text: `in the wal ${walRows - 1}`,
      });
    } finally {
      await db.close();
    }
  });
});
