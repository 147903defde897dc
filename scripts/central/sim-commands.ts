import type { CommandHandlers } from '../../kiosk/fleet/nats/responder.js';

/** A simulated room's answers to every fleet command (load generator and measurements): valid, and at once. */
export function simulatedCommandHandlers(onPing: () => void = () => undefined): CommandHandlers {
  return {
    ping: async () => {
      onPing();
      return { at: new Date().toISOString(), uptimeS: Math.round(process.uptime()), version: '0.1.0' };
    },
    'run-readiness': async () => ({
      runId: 'r-sim',
      overall: 'pass',
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    }),
    'push-schedule': async () => ({ created: 0, updated: 0, cancelled: 0, ignored: 0 }),
    'recent-logs': async () => ({ lines: [], truncated: false }),
    reboot: async () => ({ at: new Date().toISOString() }),
    update: async () => ({ updateId: 'u-sim', state: 'downloading' }),
  };
}
