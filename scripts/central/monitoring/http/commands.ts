import { TimeoutError, type NatsConnection } from '@nats-io/nats-core';
import { SchemaError } from '../../../../kiosk/fleet/nats/codec.js';
import type { CommandName } from '../../../../kiosk/fleet/nats/subjects.js';
import { RoomOffline, sendCommand } from '../../commands.js';
import type { MonitoringStore } from '../store/monitoring-db.js';
import type { MonitoringMetrics } from './metrics.js';

/**
 * The commands an operator may send from the dashboard, and how long each may take to answer
 * (a readiness test takes minutes). push-schedule comes from the province's scheduling tools, not here.
 */
export const dashboardCommands = {
  ping: 10_000,
  'run-readiness': 6 * 60_000,
  reboot: 15_000,
  'recent-logs': 15_000,
} as const satisfies Partial<Record<CommandName, number>>;
export type DashboardCommand = keyof typeof dashboardCommands;
export const isDashboardCommand = (name: string): name is DashboardCommand => Object.hasOwn(dashboardCommands, name);

export type CommandOutcome =
  | { outcome: 'ok'; result: unknown }
  /** The room answered with an error reply (refused, busy, failed…). */
  | { outcome: 'error'; code: string; message: string }
  /** Nobody listens for the room's commands: it was not delivered and did nothing. */
  | { outcome: 'offline' }
  /** No answer in time: it may still have acted, so it is not sent again on its own. */
  | { outcome: 'timeout' }
  | { outcome: 'invalid'; message: string };

/** Sends one command for an operator, with an audit row written before it leaves (a command may act even if this process dies) and completed after. */
export async function runOperatorCommand(
  deps: { nc: NatsConnection; store: MonitoringStore; metrics: MonitoringMetrics },
  request: { operator: string; roomId: string; command: DashboardCommand; args: unknown },
): Promise<CommandOutcome> {
  const { nc, store, metrics } = deps;
  const auditId = await store.auditStart(
    { operator: request.operator, room: request.roomId, command: request.command, args: request.args },
    Date.now(),
  );
  const outcome = await send();
  // Any reply, a refusal too, comes from the room itself: it counts as hearing from it.
  if (outcome.outcome === 'ok' || outcome.outcome === 'error') await store.roomAnswered(request.roomId, Date.now());
  const detail =
    outcome.outcome === 'error'
      ? `${outcome.code}: ${outcome.message}`
      : outcome.outcome === 'invalid'
        ? outcome.message
        : null;
  await store.auditFinish(auditId, outcome.outcome, detail);
  metrics.commandsSent.inc({ command: request.command, outcome: outcome.outcome });
  return outcome;

  async function send(): Promise<CommandOutcome> {
    try {
      const reply = await sendCommand(
        nc,
        request.roomId,
        request.command,
        request.args as never,
        dashboardCommands[request.command],
      );
      return reply.ok
        ? { outcome: 'ok', result: reply.result }
        : { outcome: 'error', code: reply.error.code, message: reply.error.message };
    } catch (error) {
      if (error instanceof RoomOffline) return { outcome: 'offline' };
      if (error instanceof SchemaError) return { outcome: 'invalid', message: error.message };
      if (error instanceof TimeoutError || (error as { cause?: unknown })?.cause instanceof TimeoutError)
        return { outcome: 'timeout' };
      throw error;
    }
  }
}
