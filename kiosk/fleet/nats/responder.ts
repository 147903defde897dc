import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import {
  buildCommandError,
  buildCommandResult,
  parseCommandRequest,
  type CommandArgs,
  type CommandErrorCode,
  type CommandRequest,
  type CommandResult,
} from './commands.js';
import { SchemaError } from './codec.js';
import { subjects, type CommandName } from './subjects.js';
import { describeError } from '../../../hal/core/describe-error.js';

/** A handler's way to say no with a reason the operator can act on (a reboot while live, a readiness test already running). */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
  constructor(
    readonly code: Extract<CommandErrorCode, 'refused' | 'busy'>,
    message: string,
  ) {
    super(message);
  }
}

export type CommandHandlers = { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };

export interface ResponderOptions {
  /** Told about every refused or failed command, for the log; must not throw. */
  onError?: (detail: { command: string; id: string | null; code: CommandErrorCode; message: string }) => void;
}

/**
 * Answers the commands addressed to this room, each exactly once: a result, or an error reply for a
 * malformed, unknown, refused or failed command. Never throws out of the subscription.
 */
export function serveCommands(
  nc: NatsConnection,
  roomId: string,
  handlers: CommandHandlers,
  options: ResponderOptions = {},
): Subscription {
  const reply = (msg: Msg, data: Uint8Array) => {
    // A request without a reply subject cannot be answered; the server's allow_responses grants only the one reply.
    if (msg.reply) nc.publish(msg.reply, data);
  };
  const refuse = (msg: Msg, id: string | null, code: CommandErrorCode, message: string) => {
    options.onError?.({ command: msg.subject, id, code, message });
    reply(msg, buildCommandError(id, { code, message }));
  };
  const handle = async (msg: Msg) => {
    const parsed = parseCommandRequest(msg.subject, msg.data);
    if (!parsed.ok) return refuse(msg, parsed.id, parsed.code, parsed.error);
    const request: CommandRequest = parsed.value;
    try {
      const result = await (handlers[request.command] as (args: unknown) => Promise<unknown>)(request.args);
      reply(msg, buildCommandResult(request.command, request.id, result as CommandResult<typeof request.command>));
    } catch (error) {
      if (error instanceof CommandRefused) return refuse(msg, request.id, error.code, error.message);
      const code: CommandErrorCode =
        error instanceof SchemaError && error.code === 'too-large' ? 'too-large' : 'failed';
      refuse(msg, request.id, code, describeError(error));
    }
  };
  return nc.subscribe(subjects.commands(roomId), {
    callback: (error, msg) => {
      if (error) return;
      handle(msg).catch((failure: unknown) =>
        options.onError?.({ command: msg.subject, id: null, code: 'failed', message: String(failure) }),
      );
    },
  });
}
