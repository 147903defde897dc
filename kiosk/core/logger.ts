import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths never written to the journal: credentials, passphrases and denouncers' identities
 * (confidential by law: seed 000 I.2, seed 003 art. 2.3).
 */
export const redactedPaths = [
  'password',
  '*.password',
  'passphrase',
  '*.passphrase',
  'token',
  '*.token',
  'credential',
  '*.credential',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'cookie',
  '*.cookie',
  'denouncer',
  '*.denouncer',
  'identity',
  '*.identity',
  'citizenName',
  '*.citizenName',
  'idNumber',
  '*.idNumber',
];

/**
 * Structured JSON lines on stdout, for journald; with `recent`, each line is also kept in memory
 * (kiosk/core/recent-logs.ts) for central monitoring's `recent-logs` command.
 */
export function createLogger(level: string, destination?: DestinationStream, recent?: DestinationStream): Logger {
  const out = destination ?? pino.destination({ fd: 1, sync: false });
  // A multistream's streams filter by their own level: both get the logger's.
  const streamLevel = level === 'silent' ? 'fatal' : level;
  return pino(
    {
      level,
      base: { svc: 'diemcau' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    recent
      ? withFlush(
          pino.multistream([
            { level: streamLevel as pino.Level, stream: out },
            { level: streamLevel as pino.Level, stream: recent },
          ]),
          out,
        )
      : out,
  );
}

/** A multistream has no flush of its own: `logger.flush()` at shutdown must still reach stdout. */
function withFlush(streams: DestinationStream, out: DestinationStream): DestinationStream {
  const flushable = out as DestinationStream & { flush?: (cb: (error?: Error) => void) => void };
  return Object.assign(streams, {
    flush: (cb: (error?: Error) => void) => (flushable.flush ? flushable.flush(cb) : cb()),
  });
}
