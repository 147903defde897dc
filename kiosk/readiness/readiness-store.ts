import type { Database, SqlValue } from '../store/database.js';
import type { PastRun } from './scheduler.js';
import type { CheckResult, ReadinessRun } from './types.js';

type Row = Record<string, SqlValue>;

/** Readiness runs in SQLite (table `readiness_runs`, migration 3), kept for the report and the fleet. */
export class ReadinessStore {
  constructor(private readonly db: Database) {}

  async insert(run: ReadinessRun): Promise<void> {
    await this.db.run(
      'INSERT INTO readiness_runs (id, session_id, kind, trigger, started_at, finished_at, overall, results) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        run.id,
        run.sessionId,
        run.kind,
        run.trigger,
        run.startedAt,
        run.finishedAt,
        run.overall,
        JSON.stringify(run.results),
      ],
    );
  }

  async get(id: string): Promise<ReadinessRun | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM readiness_runs WHERE id = ?', [id]);
    return row ? runFromRow(row) : undefined;
  }

  /** Newest first. */
  async list(options: { sessionId?: string; limit?: number } = {}): Promise<ReadinessRun[]> {
    const rows = await this.db.all<Row>(
      'SELECT * FROM readiness_runs WHERE (? IS NULL OR session_id = ?) ORDER BY started_at DESC, rowid DESC LIMIT ?',
      [options.sessionId ?? null, options.sessionId ?? null, options.limit ?? 50],
    );
    return rows.map(runFromRow);
  }

  /** What the scheduler needs to know about runs since `since`. */
  async pastRuns(since: string): Promise<PastRun[]> {
    const rows = await this.db.all<Row>(
      'SELECT session_id, kind, started_at FROM readiness_runs WHERE started_at >= ?',
      [since],
    );
    return rows.map((row) => ({
      sessionId: row.session_id === null ? null : String(row.session_id),
      kind: String(row.kind) as PastRun['kind'],
      startedAt: String(row.started_at),
    }));
  }
}

function runFromRow(row: Row): ReadinessRun {
  return {
    id: String(row.id),
    sessionId: row.session_id === null ? null : String(row.session_id),
    kind: String(row.kind) as ReadinessRun['kind'],
    trigger: String(row.trigger) as ReadinessRun['trigger'],
    startedAt: String(row.started_at),
    finishedAt: String(row.finished_at),
    overall: String(row.overall) as ReadinessRun['overall'],
    results: JSON.parse(String(row.results)) as CheckResult[],
  };
}
