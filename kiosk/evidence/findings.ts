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
  | 'chain-broken';

export interface Finding {
  /** File name relative to the checked folder. */
  file: string;
  reason: FindingReason;
  detail: string;
}

export const formatFinding = (finding: Finding): string => `${finding.file}: ${finding.reason}: ${finding.detail}`;
