import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from './database.js';
import { defaultReserveBytes, DiskReserve, reserveStepBytes } from './disk-reserve.js';
import type { Migration } from './migration.js';
import { openStore } from './open-store.js';

/**
 * Opens and migrates the device database; records each daemon run so a crash is visible at next
 * start; keeps a disk reserve beside the database, given to SQLite a step at a time when a write
 * finds the disk full.
 */
export class StoreService implements Service {
  readonly name = 'store';
  readonly reserve: DiskReserve;
  #db: Database | undefined;
  #runId: number | undefined;

  constructor(
    private readonly path: string,
    private readonly version: string,
    private readonly logger: Logger,
    private readonly migrations: readonly Migration[],
    reserveBytes = defaultReserveBytes,
  ) {
    this.reserve = new DiskReserve(`${path}.reserve`, logger, reserveBytes);
  }

  get db(): Database {
    if (!this.#db) throw new Error('store is not started');
    return this.#db;
  }

  async start(): Promise<void> {
    const opened = await openStore(this.path, this.migrations);
    this.#db = opened.db;
    this.#db.whenFull(async () => {
      const freed = await this.reserve.release(reserveStepBytes);
      if (freed > 0) this.logger.warn({ bytes: freed }, 'the disk is full: database reserve given to the database');
      return freed;
    });
    if (opened.fromVersion !== opened.toVersion) {
      this.logger.info(
        { from: opened.fromVersion, to: opened.toVersion, backup: opened.backupPath },
        'database migrated',
      );
    }
    const unclean = await this.#db.get<{ started_at: string }>(
      'SELECT started_at FROM daemon_runs WHERE stopped_at IS NULL ORDER BY id DESC LIMIT 1',
    );
    if (unclean) this.logger.warn({ startedAt: unclean.started_at }, 'previous run did not stop cleanly');
    const { lastID } = await this.#db.run('INSERT INTO daemon_runs (started_at, version) VALUES (?, ?)', [
      new Date().toISOString(),
      this.version,
    ]);
    this.#runId = lastID;
    // Without a reserve the daemon still runs: it is a safety margin, not a precondition.
    await this.reserve
      .ensure()
      .catch((error: unknown) =>
        this.logger.warn({ err: error, path: this.reserve.path }, 'disk reserve could not be created'),
      );
  }

  async stop(): Promise<void> {
    if (!this.#db) return;
    if (this.#runId !== undefined) {
      await this.#db.run('UPDATE daemon_runs SET stopped_at = ?, clean_stop = 1 WHERE id = ?', [
        new Date().toISOString(),
        this.#runId,
      ]);
    }
    await this.#db.close();
    this.#db = undefined;
  }
}
