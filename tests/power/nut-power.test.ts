import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NutUps } from '../../hal/ups/nut/driver.js';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { createLogger } from '../../kiosk/core/logger.js';
import { PowerService } from '../../kiosk/power/power-service.js';
import type { PowerAlert } from '../../kiosk/power/types.js';
import { NutHarness } from '../../hal/ups/nut/nut-harness.js';
import { fastBackoff, nextEvent } from '../hal/ups/wait.js';
import { waitFor } from '../support/wait.js';

/**
 * The power policy end to end: a real upsd + dummy-ups, the real nut driver and PowerService, a
 * test double of the session port (the session service's real endGracefully is tested there) and a
 * real shutdown command (a shell script appending to a marker file). Both the double and the
 * script append to the same file, so its lines prove the order.
 */
describe('power policy against a real upsd: OL → OB → OB LB', () => {
  let nut: NutHarness | undefined;
  let driver: NutUps | undefined;
  let power: PowerService | undefined;

  afterEach(async () => {
    await power?.stop();
    await driver?.stop();
    await nut?.stop();
    power = undefined;
    driver = undefined;
    nut = undefined;
  });

  it('alerts on battery, then ends the live session (awaited) before the shutdown command runs, once', async () => {
    nut = await NutHarness.start({ users: [{ name: 'monitor', password: 's3cret' }] });
    const marker = join(nut.dir, 'marker');
    await writeFile(marker, '');
    await writeFile(join(nut.dir, 'password'), 's3cret\n');
    const lines = async () => (await readFile(marker, 'utf8')).split('\n').filter(Boolean);

    driver = new NutUps(
      { id: 'ups', backoff: fastBackoff },
      {
        driver: 'nut',
        host: '127.0.0.1',
        port: nut.port,
        upsName: nut.upsName,
        username: 'monitor',
        passwordFile: join(nut.dir, 'password'),
        starttls: false,
        pollMs: 200,
      },
    );
    await driver.start();
    expect(driver.status).toBe('ok');

    const calls: string[] = [];
    let live: { id: string } | null = { id: 'session-42' };
    const session = {
      activeSession: () => live,
      async endGracefully(reason: string) {
        calls.push(reason);
        // Finalizing takes a while; the shutdown must wait for it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await writeFile(marker, 'session-ended\n', { flag: 'a' });
        live = null;
      },
    };
    const logger = createLogger('silent');
    const bus = createEventBus(logger);
    const alerts: PowerAlert[] = [];
    bus.on('powerAlert', (alert) => alerts.push(alert));
    power = new PowerService({
      ups: () => driver,
      session,
      config: {
        marginSeconds: 120,
        finalizeSeconds: 30,
        shutdownCommand: ['/bin/sh', '-c', 'echo shutdown >> "$0"', marker],
      },
      bus,
      logger,
    });
    await power.start();

    // OB with plenty of runtime: an alert, nothing else.
    const onBattery = nextEvent(driver.events, 'onBattery');
    await nut.setVariables({
      'ups.status': 'OB DISCHRG',
      'battery.charge': '70',
      'battery.runtime': '1200',
      'input.voltage': '0.0',
    });
    await onBattery;
    await power.settled();
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery']);
    expect(alerts[0]!.reason).toBe('running on battery, 70% charge, 1200 s left');
    expect(calls).toEqual([]);
    expect(await lines()).toEqual([]);

    // OB LB: critical → the session ends, then shutdown.
    await nut.setVariables({ 'ups.status': 'OB DISCHRG LB', 'battery.charge': '9', 'battery.runtime': '400' });
    await waitFor('shutdown requested', () => alerts.some((a) => a.kind === 'shutdown-requested'), 20_000);
    await power.settled();
    expect(calls).toEqual(['UPS on battery with low battery (LB)']);
    expect(await lines()).toEqual(['session-ended', 'shutdown']);
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery', 'critical', 'session-ended', 'shutdown-requested']);
    expect(alerts.at(-1)!.reading).toMatchObject({ flags: ['OB', 'DISCHRG', 'LB'], batteryCharge: 9 });

    // Worse news later never runs the command a second time.
    await nut.setVariables({ 'ups.status': 'FSD OB DISCHRG LB', 'battery.runtime': '30' });
    await nextEvent(driver.events, 'forcedShutdown');
    await power.settled();
    expect(await lines()).toEqual(['session-ended', 'shutdown']);
    expect(calls).toHaveLength(1);
  }, 60_000);

  it('runtime under finalize + margin is critical even without LB; a failing command is reported, not retried', async () => {
    nut = await NutHarness.start();
    driver = new NutUps(
      { id: 'ups', backoff: fastBackoff },
      { driver: 'nut', host: '127.0.0.1', port: nut.port, upsName: nut.upsName, starttls: false, pollMs: 200 },
    );
    await driver.start();
    const logger = createLogger('silent');
    const bus = createEventBus(logger);
    const alerts: PowerAlert[] = [];
    bus.on('powerAlert', (alert) => alerts.push(alert));
    power = new PowerService({
      ups: () => driver,
      session: { activeSession: () => null, endGracefully: async () => undefined },
      config: { marginSeconds: 60, finalizeSeconds: 30, shutdownCommand: ['/bin/false'] },
      bus,
      logger,
    });
    await power.start();

    await nut.setVariables({ 'ups.status': 'OB DISCHRG', 'battery.runtime': '91' });
    await nextEvent(driver.events, 'onBattery');
    await power.settled();
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery']);

    await nut.setVariables({ 'battery.runtime': '89' });
    await waitFor('shutdown-failed alert', () => alerts.some((a) => a.kind === 'shutdown-failed'), 20_000);
    await power.settled();
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery', 'critical', 'shutdown-requested', 'shutdown-failed']);
    expect(alerts[1]!.reason).toBe('battery runtime 89 s is under 90 s (finalize 30 s + margin 60 s)');
    expect(alerts[3]!.reason).toBe('exit 1');
  }, 60_000);

  it('a UPS that falls silent while on battery becomes critical after the silence limit: session ended, then shutdown', async () => {
    nut = await NutHarness.start();
    const marker = join(nut.dir, 'marker');
    await writeFile(marker, '');
    driver = new NutUps(
      { id: 'ups', backoff: fastBackoff },
      { driver: 'nut', host: '127.0.0.1', port: nut.port, upsName: nut.upsName, starttls: false, pollMs: 200 },
    );
    await driver.start();
    let live: { id: string } | null = { id: 'session-7' };
    const logger = createLogger('silent');
    const bus = createEventBus(logger);
    const alerts: PowerAlert[] = [];
    bus.on('powerAlert', (alert) => alerts.push(alert));
    power = new PowerService({
      ups: () => driver,
      session: {
        activeSession: () => live,
        async endGracefully() {
          await writeFile(marker, 'session-ended\n', { flag: 'a' });
          live = null;
        },
      },
      config: {
        marginSeconds: 120,
        finalizeSeconds: 30,
        shutdownCommand: ['/bin/sh', '-c', 'echo shutdown >> "$0"', marker],
      },
      bus,
      logger,
      silentLimitSeconds: 2,
    });
    await power.start();

    await nut.setVariables({ 'ups.status': 'OB DISCHRG', 'battery.runtime': '1500' });
    await nextEvent(driver.events, 'onBattery');
    const lost = nextEvent(driver.events, 'communicationLost');
    await nut.stopDriver();
    await lost;
    await power.settled();
    // Silent, but not for long yet: only the on-battery alert so far.
    expect(alerts.map((a) => a.kind)).toEqual(['on-battery']);

    await waitFor(
      'shutdown after the silence limit',
      () => alerts.some((a) => a.kind === 'shutdown-requested'),
      20_000,
    );
    await power.settled();
    expect(alerts.find((a) => a.kind === 'critical')!.reason).toMatch(/^UPS silent for [2-9] s while on battery$/);
    expect((await readFile(marker, 'utf8')).split('\n').filter(Boolean)).toEqual(['session-ended', 'shutdown']);
  }, 60_000);
});
