/**
 * What an audit entry's detail says, as data (codes and figures), never as an English sentence: the
 * console words it from its catalogue in the reader's language. Stored as JSON in the chained
 * `detail` column, so entries written before (free text) stay as they were.
 */
export type AuditDetail =
  | { code: 'play'; segments: number }
  | { code: 'verify-intact' }
  | { code: 'verify-problems'; problems: number }
  | {
      code: 'export';
      encryption: 'clear' | 'passphrase' | 'recipients';
      /** The authorities' names (people, not citizens), for an export encrypted to them. */
      recipients?: string[];
      dir: string;
      drive: string;
      bytes: number;
    }
  | { code: 'export-refused'; refusal: string }
  | { code: 'delete'; reason: 'expired' | 'disk-low'; bytes: number };

export function auditDetail(detail: AuditDetail): string {
  return JSON.stringify(detail);
}
