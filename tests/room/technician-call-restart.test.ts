import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type Central } from '../support/central.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

const PASSWORD = 'mật khẩu kỹ thuật 1';

async function kioskCall(daemon: DaemonHandle, method: 'GET' | 'POST' = 'GET'): Promise<any> {
  const response = await fetch(`${daemon.kioskUrl}/api/technician-call`, {
    method,
    ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
  });
  return ((await response.json()) as { call: unknown }).call;
}

/**
 * A call for the technician outlives the daemon: raised, the daemon killed (as by a power cut) and
 * started again, the call is still waiting on the touchscreen and in the console, and the
 * acknowledgement made after the restart is audited and clears the alert at central monitoring.
 */
describe('technician call across a daemon restart', () => {
  let dir: string;
  let central: Central;
  let config: string;
  let daemon: DaemonHandle | undefined;

  beforeAll(async () => {
    dir = await makeTempDir('call-restart');
    central = await startCentral();
    config = writeTestConfig(dir, (c) => (c.fleet = central.fleetConfig()));
    await addConsoleUser(config, 'kythuat', 'technician', PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop('SIGKILL');
    await central?.close();
    await removeTempDir(dir);
  });

  it('keeps the waiting call, which the console acknowledges after the restart', async () => {
    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    const call = await kioskCall(daemon, 'POST');
    expect(call).toMatchObject({ state: 'waiting', source: 'kiosk' });
    await daemon.stop('SIGKILL');

    daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    expect(await kioskCall(daemon)).toEqual(call);
    // Pressing again after the restart still pages once: it is the same call.
    expect((await kioskCall(daemon, 'POST')).id).toBe(call.id);
    const technician = await consoleClient(daemon.consoleUrl, 'kythuat', PASSWORD);
    const { calls } = await technician.get('/technician-calls');
    expect(calls).toEqual([expect.objectContaining({ id: call.id, state: 'waiting' })]);

    const { call: acknowledged } = await technician.post(`/technician-calls/${call.id}/acknowledge`);
    expect(acknowledged).toMatchObject({ id: call.id, state: 'acknowledged', acknowledgedBy: 'kythuat' });
    expect(await kioskCall(daemon)).toMatchObject({ id: call.id, state: 'acknowledged' });
    const { entries } = await technician.get('/evidence/audit');
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'technician-call-acknowledged', target: `technician-call:${call.id}` }),
    );
    const events = await waitFor(
      'the raised and the cleared call at central',
      async () => {
        const all = await central.events('technician-call');
        return all.some((e: any) => e.alert?.state === 'cleared') ? all : undefined;
      },
      30_000,
    );
    expect(events.map((e: any) => [e.alert.key, e.alert.state])).toEqual([
      [`technician-call:${call.id}`, 'raised'],
      [`technician-call:${call.id}`, 'cleared'],
    ]);
  }, 150_000);
});
