import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

/** A thin promise wrapper over sqlite3: one connection, WAL, foreign keys on. */
export class Database {
  #transactions: Promise<void> = Promise.resolve();

  private constructor(private readonly db: sqlite3.Database, readonly path: string) {}

  static open(path: string, mode: 'readwrite' | 'readonly' = 'readwrite'): Promise<Database> {
    const flags = mode === 'readonly' ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(path, flags, (error) => (error ? reject(error) : resolve(new Database(db, path))));
    });
  }

  run(sql: string, params: SqlParams = []): Promise<{ lastID: number; changes: number }> {
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
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error ? reject(error) : resolve())));
  }

  /**
   * Runs `work` inside BEGIN IMMEDIATE … COMMIT, rolling back on error. Transactions from different
   * services are queued one after another: the connection is shared, and SQLite has no nested BEGIN.
   */
  transaction<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const run = this.#transactions.then(async () => {
      await this.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this);
        await this.exec('COMMIT');
        return result;
      } catch (error) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    this.#transactions = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((error) => (error ? reject(error) : resolve())));
  }
}
