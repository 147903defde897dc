import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../kiosk/store/database.js';
import { openStore, StoreRefusedError } from '../../kiosk/store/open-store.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { migrations } from '../../kiosk/database-schema.js';

const v1 = [
  { version: 1, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT;' },
];
const v2 = [
  ...v1,
  { version: 2, name: 'note flags', sql: "ALTER TABLE notes ADD COLUMN flag TEXT NOT NULL DEFAULT 'none';" },
];

describe('store', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await makeTempDir('store');
    path = join(dir, 'nested', 'device.sqlite');
  });
  afterEach(() => removeTempDir(dir));

  it('creates a fresh database with every known migration, in WAL mode', async () => {
    const { db, fromVersion, toVersion } = await openStore(path, migrations);
    try {
      expect(fromVersion).toBe(0);
      expect(toVersion).toBe(migrations.at(-1)!.version);
      expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
      expect((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version).toBe(toVersion);
      expect(await db.get("SELECT name FROM sqlite_master WHERE name = 'daemon_runs'")).toBeDefined();
    } finally {
      await db.close();
    }
  });

  it('upgrades an older database, keeping its rows and a backup of the old file', async () => {
    const first = await openStore(path, v1);
    await first.db.run('INSERT INTO notes (text) VALUES (?)', ['kept']);
    await first.db.close();

    const second = await openStore(path, v2);
    try {
      expect([second.fromVersion, second.toVersion]).toEqual([1, 2]);
      expect(await second.db.all('SELECT text, flag FROM notes')).toEqual([{ text: 'kept', flag: 'none' }]);
      expect(second.backupPath).toBe(`${path}.v1.bak`);
      const backup = await Database.open(second.backupPath!, 'readonly');
      expect((await backup.get<{ user_version: number }>('PRAGMA user_version'))?.user_version).toBe(1);
      await backup.close();
    } finally {
      await second.db.close();
    }
  });

  it('is idempotent: reopening an up-to-date database changes nothing', async () => {
    await (await openStore(path, v2)).db.close();
    const again = await openStore(path, v2);
    expect([again.fromVersion, again.toVersion, again.backupPath]).toEqual([2, 2, undefined]);
    await again.db.close();
  });

  it('refuses a database written by newer software and leaves it untouched', async () => {
    await (await openStore(path, v2)).db.close();
    const before = await readFile(path);
    await expect(openStore(path, v1)).rejects.toThrow(/schema version 2, newer than this software knows \(1\)/);
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it('refuses a file that is not a SQLite database and leaves it untouched', async () => {
    await openStore(path, v1).then(({ db }) => db.close());
    const garbage = Buffer.from('this is not a database, it is a recording index written by hand\n'.repeat(100));
    await writeFile(path, garbage);
    const error = await openStore(path, v1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreRefusedError);
    expect((error as Error).message).toMatch(/corrupt or not a SQLite database/);
    expect((await readFile(path)).equals(garbage)).toBe(true);
  });

  it('refuses a database whose pages are damaged', async () => {
    const { db } = await openStore(path, v1);
    for (let i = 0; i < 400; i++) await db.run('INSERT INTO notes (text) VALUES (?)', ['x'.repeat(200)]);
    await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.close();
    const bytes = await readFile(path);
    // Overwrite the middle pages (keeping the header) so the b-tree no longer checks out.
    bytes.fill(0x5a, 4096 * 2, 4096 * 6);
    await writeFile(path, bytes);
    await expect(openStore(path, v1)).rejects.toThrow(StoreRefusedError);
    expect((await stat(path)).size).toBe(bytes.length);
  });

  it('rolls back a failing migration and reports it', async () => {
    const broken = [...v1, { version: 2, name: 'broken', sql: 'ALTER TABLE missing ADD COLUMN x TEXT;' }];
    await expect(openStore(path, broken)).rejects.toThrow(/migration failed/);
    const { db, fromVersion } = await openStore(path, v1);
    expect(fromVersion).toBe(1);
    await db.close();
  });
});

describe('Database.transaction', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('tx');
  });
  afterEach(() => removeTempDir(dir));

  it('queues transactions started at the same time by different services instead of nesting them', async () => {
    const { db } = await openStore(join(dir, 'tx.sqlite'), v1);
    try {
      const slowInsert = (text: string) =>
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO notes (text) VALUES (?)', [`${text}-1`]);
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.run('INSERT INTO notes (text) VALUES (?)', [`${text}-2`]);
        });
      const failing = db.transaction(async (tx) => {
        await tx.run('INSERT INTO notes (text) VALUES (?)', ['doomed']);
        throw new Error('changed my mind');
      });
      await Promise.all([slowInsert('a'), expect(failing).rejects.toThrow('changed my mind'), slowInsert('b')]);
      const rows = await db.all<{ text: string }>('SELECT text FROM notes ORDER BY id');
      expect(rows.map((r) => r.text)).toEqual(['a-1', 'a-2', 'b-1', 'b-2']);
    } finally {
      await db.close();
    }
  });

  it('keeps another service’s plain write out of an open transaction: it is not rolled back with it', async () => {
    const { db } = await openStore(join(dir, 'tx.sqlite'), v1);
    try {
      let inside!: () => void;
      const begun = new Promise<void>((resolve) => (inside = resolve));
      const doomed = db.transaction(async (tx) => {
        await tx.run('INSERT INTO notes (text) VALUES (?)', ['doomed']);
        inside();
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error('rolled back');
      });
      await begun;
      // Another service writes while the transaction is open (the same connection, not through `tx`).
      const other = db.run('INSERT INTO notes (text) VALUES (?)', ['other service']);
      await expect(doomed).rejects.toThrow('rolled back');
      await other;
      expect((await db.all<{ text: string }>('SELECT text FROM notes')).map((r) => r.text)).toEqual(['other service']);
    } finally {
      await db.close();
    }
  });

  it('lets code inside a transaction write through any handle, and joins a transaction asked for inside one', async () => {
    const { db } = await openStore(join(dir, 'tx.sqlite'), v1);
    try {
      const helper = { note: (text: string) => db.run('INSERT INTO notes (text) VALUES (?)', [text]) };
      const attempt = db.transaction(async () => {
        await helper.note('through the outer handle');
        await db.transaction((inner) => inner.run('INSERT INTO notes (text) VALUES (?)', ['nested']));
        throw new Error('all or nothing');
      });
      await expect(attempt).rejects.toThrow('all or nothing');
      expect(await db.all('SELECT text FROM notes')).toEqual([]);
      await db.transaction(async () => {
        await helper.note('committed');
        await db.transaction((inner) => inner.run('INSERT INTO notes (text) VALUES (?)', ['nested too']));
      });
      expect((await db.all<{ text: string }>('SELECT text FROM notes ORDER BY id')).map((r) => r.text)).toEqual([
        'committed',
        'nested too',
      ]);
    } finally {
      await db.close();
    }
  });

  it('queues a write a finished transaction left running, instead of letting it into the next one', async () => {
    const { db } = await openStore(join(dir, 'tx.sqlite'), v1);
    try {
      let late: Promise<unknown> | undefined;
      await db.transaction(async () => {
        late = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
          db.run('INSERT INTO notes (text) VALUES (?)', ['late']),
        );
      });
      const next = db.transaction(async (tx) => {
        await tx.run('INSERT INTO notes (text) VALUES (?)', ['next']);
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('next rolled back');
      });
      await expect(next).rejects.toThrow('next rolled back');
      await late;
      expect((await db.all<{ text: string }>('SELECT text FROM notes')).map((r) => r.text)).toEqual(['late']);
    } finally {
      await db.close();
    }
  });
});
