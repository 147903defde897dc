import { randomUUID } from 'node:crypto';
import { NoRespondersError, type NatsConnection } from '@nats-io/nats-core';
import {
  buildCommandRequest,
  parseCommandReply,
  type CommandArgsInput,
  type CommandReply,
} from '../../kiosk/fleet/nats/commands.js';
import { subjects, type CommandName } from '../../kiosk/fleet/nats/subjects.js';

/** The room is not connected (nobody subscribes to its commands): the command was not delivered, so it did not act. */
export class RoomOffline extends Error {
  override readonly name = 'RoomOffline';
}

/**
 * Sends one command to a room and waits for its reply. Never re-sent on a timeout: a command that
 * timed out may have acted (a reboot), so the caller decides, knowing that.
 */
export async function sendCommand<C extends CommandName>(
  nc: NatsConnection,
  roomId: string,
  command: C,
  args: CommandArgsInput<C>,
  timeoutMs = 10_000,
): Promise<CommandReply<C>> {
  const id = randomUUID();
  const reply = await nc
    .request(subjects.command(roomId, command), buildCommandRequest(command, id, args), { timeout: timeoutMs })
    .catch((error: unknown) => {
      if (error instanceof NoRespondersError || (error as { cause?: unknown })?.cause instanceof NoRespondersError)
        throw new RoomOffline(`room ${roomId} is not connected`);
      throw error;
    });
  const parsed = parseCommandReply(command, reply.data);
  if (!parsed.ok) throw new Error(`room ${roomId} answered ${command} with an invalid reply: ${parsed.error}`);
  if (parsed.value.id !== id && parsed.value.id !== null)
    throw new Error(`room ${roomId} answered request ${parsed.value.id}, not ${id}`);
  return parsed.value;
}
