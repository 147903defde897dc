import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type Central } from '../support/central.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

/**
 * The touchscreen's call for the technician reaches central monitoring (a real nats-server 2.9 with
 * JetStream, scripts/central) as one alert: raised from the room, cleared by the console's acknowledgement.
 */
describe('technician call at central monitoring', () => {
  let dir: string;
  let central: Central;
  let daemon: DaemonHandle;

  beforeAll(async () => {
    dir = await makeTempDir('kiosk-call');
    central = await startCentral();
    const config = writeTestConfig(dir, (c) => (c.fleet = central.fleetConfig()));
    await addConsoleUser(config, 'kythuat', 'technician', 'mật khẩu kỹ thuật 1');
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop();
    await central?.close();
    await removeTempDir(dir);
  });

  it('raises the alert without a session, and clears it when the console acknowledges; no console user name leaves the room', async () => {
    const raised = await fetch(`${daemon.kioskUrl}/api/technician-call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(raised.status).toBe(201);
    const { call } = (await raised.json()) as any;
    expect(call).toMatchObject({ state: 'waiting', source: 'kiosk', sessionId: null });
    // Pressing again while waiting does not page twice.
    expect(
      (
        (await (
          await fetch(`${daemon.kioskUrl}/api/technician-call`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).json()) as any
      ).call.id,
    ).toBe(call.id);
    const [event] = await waitFor(
      'the raised call at central',
      async () => ((await central.events('technician-call')).length ? central.events('technician-call') : undefined),
      30_000,
    );
    expect(event).toMatchObject({
      topic: 'technician-call',
      severity: 'warning',
      alert: { key: `technician-call:${call.id}`, state: 'raised' },
      data: { id: call.id, state: 'waiting' },
    });

    const technician = await consoleClient(daemon.consoleUrl, 'kythuat', 'mật khẩu kỹ thuật 1');
    await technician.post(`/technician-calls/${call.id}/acknowledge`);
    const events = await waitFor(
      'the cleared call at central',
      async () => {
        const all = await central.events('technician-call');
        return all.length >= 2 ? all : undefined;
      },
      30_000,
    );
    expect(events.at(-1)).toMatchObject({
      severity: 'info',
      alert: { key: `technician-call:${call.id}`, state: 'cleared' },
      data: { state: 'acknowledged' },
    });
    expect(JSON.stringify(events)).not.toContain('kythuat');
    expect(((await (await fetch(`${daemon.kioskUrl}/api/technician-call`)).json()) as any).call).toMatchObject({
      id: call.id,
      state: 'acknowledged',
    });
  }, 90_000);
});
