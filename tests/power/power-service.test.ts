import { afterEach, describe, expect, it } from 'vitest';
import { SimUps } from '../../hal/ups/sim.js';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { createLogger } from '../../kiosk/core/logger.js';
import { PowerService } from '../../kiosk/power/power-service.js';
import type { PowerAlert } from '../../kiosk/power/types.js';

/** The service's wiring, on the in-process simulated UPS (the real-upsd path is in nut-power.test.ts). */
describe('PowerService lifecycle', () => {
  let ups: SimUps | undefined;
  afterEach(async () => {
    await ups?.stop();
    ups = undefined;
  });

  function build(device: SimUps | undefined, endGracefully: () => Promise<void> = async () => undefined) {
    const logger = createLogger('silent');
    const bus = createEventBus(logger);
    const alerts: PowerAlert[] = [];
    const commands: string[][] = [];
    bus.on('powerAlert', (alert) => alerts.push(alert));
    const service = new PowerService({
      ups: () => device,
      session: { activeSession: () => ({ id: 's' }), endGracefully },
      config: { marginSeconds: 10, finalizeSeconds: 1, shutdownCommand: ['true'] },
      bus,
      logger,
      runCommand: async (argv) => {
        commands.push([...argv]);
        return { ok: true, detail: 'exit 0' };
      },
    });
    return { service, alerts, commands };
  }

  it('is idle without a UPS', async () => {
    const { service, alerts } = build(undefined);
    await service.start();
    await service.stop();
    expect(alerts).toEqual([]);
  });

  it('stops listening on stop', async () => {
    ups = new SimUps({ id: 'ups' }, { driver: 'sim', runtimeSeconds: 1800 });
    await ups.start();
    const { service, alerts } = build(ups);
    await service.start();
    ups.simulate(['OB'], 90, 1200);
    await service.settled();
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery']);
    await service.stop();
    ups.simulate(['OL'], 90, 1200);
    ups.simulate(['OB', 'LB'], 10, 20);
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery']);
  });

  it('a session that does not end in time does not hold back the shutdown', async () => {
    ups = new SimUps({ id: 'ups' }, { driver: 'sim', runtimeSeconds: 1800 });
    await ups.start();
    // finalize 1 s + margin 10 s / 2: the wait is bounded at 6 s.
    const { service, alerts, commands } = build(ups, () => new Promise(() => undefined));
    await service.start();
    ups.simulate(['OB', 'LB'], 5, 5);
    await service.settled();
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery', 'critical', 'shutdown-requested']);
    expect(commands).toEqual([['true']]);
    await service.stop();
  }, 20_000);
});
