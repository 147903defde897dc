import { z } from 'zod';
import { fleetSchedulePayload } from '../../session/schemas.js';
import { decode, encode, maxBytes, SCHEMA_VERSION, type Decoded } from './codec.js';
import { count, instant, label, localId, runOutcome, version } from './common.js';
import { commandNames, parseSubject, type CommandName } from './subjects.js';

/**
 * Commands from central monitoring: a request on `diemcau.v1.cmd.<room>.<command>` (only the monitoring
 * credential may publish there, only that room may subscribe), answered once on the request's reply
 * subject. The command is named by the subject; the room acts only on what it fully understands, so
 * its request shapes are strict (an unknown field is an error reply, not ignored).
 */
export const commandArgs = {
  ping: z.object({}).strict(),
  /** An on-demand readiness test (kiểm thử theo yêu cầu), for the given upcoming session if any. */
  'run-readiness': z.object({ sessionId: localId.nullable().default(null) }).strict(),
  /** The province's whole view of this room's schedule (at most 100 sessions, 64 KiB). */
  'push-schedule': fleetSchedulePayload,
  /** The newest log lines, already redacted by the room. */
  'recent-logs': z.object({ lines: z.number().int().min(1).max(1000).default(200) }).strict(),
  /** Refused while a session is live. */
  reboot: z.object({ reason: label(200) }).strict(),
  /**
   * A software update (kiosk/update): the signed release at `url` (its signature at `url` + `.sig`).
   * Refused while a session is live or soon; the reply comes once the download has begun, the
   * progress and the outcome as `update` events.
   */
  update: z
    .object({
      url: z
        .string()
        .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
        .max(2000),
    })
    .strict(),
} as const satisfies Record<CommandName, z.ZodType>;

export const commandResults = {
  ping: z.object({ at: instant, uptimeS: count, version: label(40) }),
  'run-readiness': z.object({ runId: localId, overall: runOutcome, startedAt: instant, finishedAt: instant }),
  'push-schedule': z.object({ created: count, updated: count, cancelled: count, ignored: count }),
  'recent-logs': z.object({ lines: z.array(z.string().max(4000)).max(1000), truncated: z.boolean() }),
  reboot: z.object({ at: instant }),
  update: z.object({ updateId: label(40), state: label(40) }),
} as const satisfies Record<CommandName, z.ZodType>;

export type CommandArgs<C extends CommandName> = z.output<(typeof commandArgs)[C]>;
export type CommandArgsInput<C extends CommandName> = z.input<(typeof commandArgs)[C]>;
export type CommandResult<C extends CommandName> = z.output<(typeof commandResults)[C]>;
export type CommandRequest = { [C in CommandName]: { command: C; id: string; args: CommandArgs<C> } }[CommandName];

export const commandErrorCodes = [
  'malformed',
  'too-large',
  'unsupported-version',
  'unknown-command',
  'refused',
  'busy',
  'failed',
] as const;
export type CommandErrorCode = (typeof commandErrorCodes)[number];
export type CommandError = { code: CommandErrorCode; message: string };
export type CommandReply<C extends CommandName> =
  | { v: typeof SCHEMA_VERSION; id: string; ok: true; result: CommandResult<C> }
  | { v: typeof SCHEMA_VERSION; id: string | null; ok: false; error: CommandError };

const requestId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and ._:- only, at most 64');
const requestSchema = (command: CommandName) =>
  z.object({ v: version, id: requestId, args: commandArgs[command] }).strict();
const errorReply = z.object({
  v: version,
  id: requestId.nullable(),
  ok: z.literal(false),
  error: z.object({ code: z.enum(commandErrorCodes), message: label(500) }),
});
const replySchema = (command: CommandName) =>
  z.discriminatedUnion('ok', [
    z.object({ v: version, id: requestId, ok: z.literal(true), result: commandResults[command] }),
    errorReply,
  ]);

export function buildCommandRequest<C extends CommandName>(
  command: C,
  id: string,
  args: CommandArgsInput<C>,
): Uint8Array {
  return encode('commandRequest', requestSchema(command), { v: SCHEMA_VERSION, id, args });
}

export type ParsedCommandRequest =
  | { ok: true; value: CommandRequest }
  | { ok: false; code: CommandErrorCode; error: string; id: string | null };

/** What the room received on `subject`; never throws. A refusal carries the request id when one could be read, for the error reply. */
export function parseCommandRequest(subject: string, data: Uint8Array | string): ParsedCommandRequest {
  const where = parseSubject(subject);
  if (where?.kind !== 'command') {
    const name = subject.split('.').slice(4).join('.');
    return {
      ok: false,
      code: 'unknown-command',
      error: `command ${JSON.stringify(name)} is not one of ${commandNames.join(', ')}`,
      id: peekId(data),
    };
  }
  const parsed = decode('commandRequest', requestSchema(where.command), data);
  if (!parsed.ok) return { ...parsed, id: peekId(data) };
  const { id, args } = parsed.value as { id: string; args: CommandArgs<CommandName> };
  return { ok: true, value: { command: where.command, id, args } as CommandRequest };
}

export function buildCommandResult<C extends CommandName>(
  command: C,
  id: string,
  result: CommandResult<C>,
): Uint8Array {
  return encode('commandReply', replySchema(command), { v: SCHEMA_VERSION, id, ok: true, result });
}

export function buildCommandError(id: string | null, error: CommandError): Uint8Array {
  return encode('commandReply', errorReply, {
    v: SCHEMA_VERSION,
    id,
    ok: false,
    error: { code: error.code, message: error.message.slice(0, 500) || error.code },
  });
}

/** The reply central monitoring received for `command`; never throws. */
export function parseCommandReply<C extends CommandName>(
  command: C,
  data: Uint8Array | string,
): Decoded<CommandReply<C>> {
  return decode('commandReply', replySchema(command), data) as Decoded<CommandReply<C>>;
}

/** The newest lines that fit in a reply, and whether older ones were left out. */
export function boundLogLines(lines: readonly string[]): CommandResult<'recent-logs'> {
  // Room for the envelope and JSON escaping (a control character takes 6 bytes).
  let budget = maxBytes.commandReply - 1024;
  const kept: string[] = [];
  for (let i = lines.length - 1; i >= 0 && kept.length < 1000; i--) {
    const line = (lines[i] ?? '').slice(0, 4000);
    const cost = Buffer.byteLength(JSON.stringify(line), 'utf8') + 1;
    if (cost > budget) break;
    budget -= cost;
    kept.push(line);
  }
  return { lines: kept.reverse(), truncated: kept.length < lines.length };
}

function peekId(data: Uint8Array | string): string | null {
  if ((typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength) > maxBytes.commandRequest)
    return null;
  try {
    const json: unknown = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    const id = (json as { id?: unknown } | null)?.id;
    return typeof id === 'string' && requestId.safeParse(id).success ? id : null;
  } catch {
    return null;
  }
}
