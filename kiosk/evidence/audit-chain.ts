import { canonicalBytes } from './canonical-json.js';
import { sha256Hex } from '../core/hashing.js';
import { CHAIN_GENESIS } from './manifest.js';

/**
 * The audit log's hash chain (nhật ký truy cập): pure, so the rule is tested byte for byte and the
 * same code checks rows read from SQLite or from an exported copy.
 */
export const auditActions = ['view', 'download', 'export', 'delete', 'identity-view', 'verify'] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: AuditAction | string;
  target: string;
  /** Free-form context (never an identity: this table is shown to technicians). */
  detail: string | null;
}

export interface AuditRow extends AuditEntry {
  prevHash: string;
  hash: string;
}

export const AUDIT_GENESIS = CHAIN_GENESIS;

/** hash = sha256(prev_hash as 32 raw bytes ‖ canonical JSON of the entry). */
export function auditEntryHash(prevHash: string, entry: AuditEntry): string {
  const { seq, at, actor, role, action, target, detail } = entry;
  return sha256Hex(
    Buffer.concat([Buffer.from(prevHash, 'hex'), canonicalBytes({ seq, at, actor, role, action, target, detail })]),
  );
}

export interface BrokenLink {
  seq: number;
  reason: 'hash-mismatch' | 'prev-mismatch' | 'gap';
  detail: string;
}

/** The first row, in order, whose link does not hold; undefined when the whole chain is intact. */
export function findFirstBrokenLink(rows: readonly AuditRow[]): BrokenLink | undefined {
  let previousHash = AUDIT_GENESIS;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq)
      return {
        seq: row.seq,
        reason: 'gap',
        detail: `expected entry ${expectedSeq}, found ${row.seq}: entries were removed`,
      };
    if (row.prevHash !== previousHash)
      return { seq: row.seq, reason: 'prev-mismatch', detail: `prev_hash does not match entry ${row.seq - 1}'s hash` };
    const computed = auditEntryHash(row.prevHash, row);
    if (computed !== row.hash)
      return { seq: row.seq, reason: 'hash-mismatch', detail: 'the entry was changed after it was written' };
    previousHash = row.hash;
    expectedSeq++;
  }
  return undefined;
}
