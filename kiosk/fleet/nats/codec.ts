import type { z } from 'zod';

/** The version every payload carries as `v` (and its subjects as `diemcau.v1`). */
export const SCHEMA_VERSION = 1;

/** The largest payload of each kind, in bytes of UTF-8 JSON; the server's max_payload is above them all. */
export const maxBytes = {
  telemetry: 8 * 1024,
  state: 4 * 1024,
  event: 32 * 1024,
  commandRequest: 64 * 1024,
  commandReply: 128 * 1024,
  anchor: 2 * 1024,
  notaryRequest: 1024,
  notaryReply: 8 * 1024,
} as const;
export type PayloadKind = keyof typeof maxBytes;

export type DecodeErrorCode = 'too-large' | 'malformed' | 'unsupported-version';
export type Decoded<T> = { ok: true; value: T } | { ok: false; code: DecodeErrorCode; error: string };

/** A payload this side was about to send does not match the schema: a bug here, never the peer's input. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    readonly code: 'invalid' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Validates and serialises; throws SchemaError when the value does not match or is too large. */
export function encode<S extends z.ZodType>(kind: PayloadKind, schema: S, value: z.input<S>): Uint8Array {
  const checked = schema.safeParse(value);
  if (!checked.success) throw new SchemaError('invalid', `${kind}: ${describeIssues(checked.error.issues)}`);
  const bytes = encoder.encode(JSON.stringify(checked.data));
  if (bytes.byteLength > maxBytes[kind])
    throw new SchemaError('too-large', `${kind}: ${bytes.byteLength} bytes, more than the ${maxBytes[kind]} allowed`);
  return bytes;
}

/** Checks size, JSON, version and shape, in that order (the size before anything is parsed); never throws. */
export function decode<S extends z.ZodType>(
  kind: PayloadKind,
  schema: S,
  data: Uint8Array | string,
): Decoded<z.output<S>> {
  const size = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
  if (size > maxBytes[kind])
    return { ok: false, code: 'too-large', error: `${kind}: ${size} bytes, more than the ${maxBytes[kind]} allowed` };
  let json: unknown;
  try {
    json = JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
  } catch {
    return { ok: false, code: 'malformed', error: `${kind}: not valid UTF-8 JSON` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, code: 'malformed', error: `${kind}: not a JSON object` };
  const version = (json as { v?: unknown }).v;
  if (version === undefined) return { ok: false, code: 'malformed', error: `${kind}: no schema version (v)` };
  if (version !== SCHEMA_VERSION) {
    return {
      ok: false,
      code: 'unsupported-version',
      error: `${kind}: schema version ${JSON.stringify(version)} is not supported (this side speaks version ${SCHEMA_VERSION})`,
    };
  }
  const result = schema.safeParse(json);
  if (!result.success)
    return { ok: false, code: 'malformed', error: `${kind}: ${describeIssues(result.error.issues)}` };
  return { ok: true, value: result.data };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
}
