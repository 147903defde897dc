/** What `verify` can say about a file of a recording folder. */
export type FindingReason =
  | 'bad-manifest'
  | 'bad-signature'
  | 'key-mismatch'
  | 'missing'
  | 'extra'
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'reordered'
  | 'chain-broken'
  /** The anchor receipt (ANCHORING.md) is for another manifest or signing key: the folder was re-signed or rewritten. */
  | 'anchor-mismatch'
  /** The anchor receipt cannot be read, its signature does not hold, or its notary key is not trusted. */
  | 'bad-receipt'
  /** The device's audit log no longer holds the entries anchored at the seal (deleted or rewritten). */
  | 'audit-tampered';

export interface Finding {
  /** File name relative to the checked folder. */
  file: string;
  reason: FindingReason;
  detail: string;
}

export const formatFinding = (finding: Finding): string => `${finding.file}: ${finding.reason}: ${finding.detail}`;
