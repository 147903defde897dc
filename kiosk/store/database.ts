import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import { SerialQueue } from '../core/serial-queue.js';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

/** SQLite said the disk is full. The statement (or transaction) was rolled back. */
const isFull = (error: unknown) => (error as { code?: string })?.code === 'SQLITE_FULL';

/** The transaction an async call chain runs in; `open` turns false at COMMIT or ROLLBACK. */
interface TransactionScope {
  open: boolean;
}

/**
 * A thin promise wrapper over sqlite3: one connection, WAL, foreign keys on.
 *
 * Every write is serialised here. One connection has one transaction at a time, so a write from
 * elsewhere while a transaction is open would become part of it (and be rolled back with it): writes
 * and transactions queue one after another. Code running inside a transaction (its async call chain,
 * whichever object it writes through) writes straight into it, and a transaction asked for inside one
 * joins it. Reads are not queued.
 */
export class Database {
  readonly #writes = new SerialQueue();
  readonly #scope = new AsyncLocalStorage<TransactionScope>();
  #freeSpace: (() => Promise<number>) | undefined;

  private constructor(
    private readonly db: sqlite3.Database,
    readonly path: string,
  ) {}

  static open(path: string, mode: 'readwrite' | 'readonly' = 'readwrite'): Promise<Database> {
    const flags = mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(path, flags, (error) =>
        error ? reject(error) : resolve(new Database(db, path)),
      );
    });
  }

  /**
   * Where to find room when a write fails with SQLITE_FULL (the store's disk reserve): the write is
   * retried while the hook frees bytes, so the end of a session is written on a disk that filled up.
   */
  whenFull(freeSpace: () => Promise<number>): void {
    this.#freeSpace = freeSpace;
  }

  /**
   * Retries `write` after freeing space. Inside a transaction a failed statement is not retried on
   * its own: SQLite may have rolled the whole transaction back, so the transaction is retried (its
   * attempt has ended, and so has `#inTransaction`, by the time its failure arrives here).
   */
  async #roomFor<T>(write: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (!isFull(error) || this.#inTransaction() || !this.#freeSpace || (await this.#freeSpace()) <= 0) throw error;
      }
    }
  }

  #inTransaction(): boolean {
    return this.#scope.getStore()?.open === true;
  }

  /** A write: straight into the transaction it runs in, otherwise after every write queued before it. */
  #write<T>(write: () => Promise<T>): Promise<T> {
    if (this.#inTransaction()) return write();
    return this.#writes.run(() => this.#roomFor(write));
  }

  run(sql: string, params: SqlParams = []): Promise<{ lastID: number; changes: number }> {
    return this.#write(() => this.#run(sql, params));
  }

  #run(sql: string, params: SqlParams): Promise<{ lastID: number; changes: number }> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T = Record<string, unknown>>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      this.db.get(sql, params, (error: Error | null, row: T | undefined) => (error ? reject(error) : resolve(row)));
    });
  }

  all<T = Record<string, unknown>>(sql: string, params: SqlParams = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all(sql, params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)));
    });
  }

  exec(sql: string): Promise<void> {
    return this.#write(() => this.#exec(sql));
  }

  #exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error ? reject(error) : resolve())));
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT, rolling back on error, queued with every other
   * write. Inside a transaction, a transaction joins the one already open (SQLite has no nested BEGIN).
   */
  transaction<T>(work: (db: Database) => Promise<T>): Promise<T> {
    if (this.#inTransaction()) return work(this);
    const once = async () => {
      const scope: TransactionScope = { open: true };
      await this.#exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#scope.run(scope, () => work(this));
        await this.#exec('COMMIT');
        return result;
      } catch (error) {
        await this.#exec('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A promise the work left running must not write into the next transaction.
        scope.open = false;
      }
    };
    return this.#writes.run(() => this.#roomFor(once));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }
}
