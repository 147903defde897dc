import type { Database } from '../store/database.js';
import {
  AUDIT_GENESIS,
  auditEntryHash,
  findFirstBrokenLink,
  type AuditAction,
  type AuditRow,
  type BrokenLink,
} from './audit-chain.js';

export interface Actor {
  id: string;
  role: string;
}

interface AuditDbRow {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

const toRow = (r: AuditDbRow): AuditRow => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  role: r.role,
  action: r.action,
  target: r.target,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Append-only, hash-chained log of who viewed, downloaded, exported or deleted what. Appends are
 * transactions (each needs the previous hash); the table's triggers refuse updates and
 * deletes, and `verify()` finds any row changed behind their back.
 */
export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Each append reads the previous hash and writes its row in one transaction: the database orders them. */
  append(
    actor: Actor,
    action: AuditAction | (string & {}),
    target: string,
    detail: string | null = null,
  ): Promise<AuditRow> {
    return this.db.transaction(async (tx) => {
      const last = await tx.get<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const entry = {
        seq: (last?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        actor: actor.id,
        role: actor.role,
        action,
        target,
        detail,
      };
      const prevHash = last?.hash ?? AUDIT_GENESIS;
      const hash = auditEntryHash(prevHash, entry);
      await tx.run(
        'INSERT INTO audit_log (seq, at, actor, role, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [entry.seq, entry.at, entry.actor, entry.role, entry.action, entry.target, entry.detail, prevHash, hash],
      );
      return { ...entry, prevHash, hash };
    });
  }

  /** Newest first. */
  async list(limit = 100, beforeSeq?: number): Promise<AuditRow[]> {
    const rows = await this.db.all<AuditDbRow>('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?', [
      beforeSeq ?? Number.MAX_SAFE_INTEGER,
      limit,
    ]);
    return rows.map(toRow);
  }

  /** Every entry, oldest first (the verifier checks them against an anchored head). */
  async rows(): Promise<AuditRow[]> {
    return (await this.db.all<AuditDbRow>('SELECT * FROM audit_log ORDER BY seq')).map(toRow);
  }

  async verify(): Promise<{ ok: true; entries: number } | { ok: false; entries: number; broken: BrokenLink }> {
    const rows = await this.rows();
    const broken = findFirstBrokenLink(rows);
    return broken ? { ok: false, entries: rows.length, broken } : { ok: true, entries: rows.length };
  }
}
