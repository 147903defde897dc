import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { checkIds } from '../../kiosk/readiness/types.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { addConsoleUser, call, login } from '../session/helpers.js';
import { waitFor } from '../support/wait.js';

// The real daemon (dist/) in simulation: the kiosk runs a readiness test, the console reads it back.
describe('readiness over HTTP', () => {
  let dir: string | undefined;
  let daemon: DaemonHandle | undefined;

  beforeAll(() => {
    expect(existsSync(join(projectRoot(), 'dist', 'kiosk', 'cli.js')), 'build first: npx tsc -p .').toBe(true);
  });

  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
    await removeTempDir(dir);
    dir = undefined;
  });

  it('runs every check from the kiosk, stores the run, and lets only device managers run it from the console', async () => {
    dir = await makeTempDir('readiness-http');
    const configPath = writeTestConfig(dir);
    await addConsoleUser(configPath, 'kythuat', 'technician', 'mat-khau-thu-nghiem');
    await addConsoleUser(configPath, 'xem', 'viewer', 'mat-khau-thu-nghiem');
    daemon = await startDaemon(configPath, { readyTimeoutMs: 40_000 });
    const completed = () => daemon!.logs.filter((entry) => entry.msg === 'readiness run finished');

    const kiosk = await call('POST', `${daemon.kioskUrl}/api/readiness/run`, {});
    expect(kiosk.status, kiosk.text).toBe(200);
    const run = kiosk.json.run;
    expect(run).toMatchObject({ kind: 'on-demand', trigger: 'kiosk', sessionId: null });
    expect(run.results.map((r: { id: string }) => r.id)).toEqual([...checkIds]);
    // The log line travels through the daemon's asynchronous stdout: wait for it rather than race it.
    await waitFor('the run to be logged', async () => (completed().length > 0 ? true : undefined), 10_000, 100);
    expect(completed().map((entry) => entry.runId)).toEqual([run.id]);

    const viewer = await login(daemon.consoleUrl, 'xem', 'mat-khau-thu-nghiem');
    const listed = await call('GET', `${daemon.consoleUrl}/api/readiness`, undefined, viewer);
    expect(listed.json.runs).toEqual([run]);
    expect((await call('GET', `${daemon.consoleUrl}/api/readiness/${run.id}`, undefined, viewer)).json.run).toEqual(
      run,
    );
    expect((await call('POST', `${daemon.consoleUrl}/api/readiness/run`, {}, viewer)).status).toBe(403);
    expect((await call('GET', `${daemon.consoleUrl}/api/readiness`)).status).toBe(401);

    const technician = await login(daemon.consoleUrl, 'kythuat', 'mat-khau-thu-nghiem');
    const fromConsole = await call('POST', `${daemon.consoleUrl}/api/readiness/run`, {}, technician);
    expect(fromConsole.status, fromConsole.text).toBe(200);
    expect(fromConsole.json.run.trigger).toBe('console');
    expect(
      (await call('POST', `${daemon.consoleUrl}/api/readiness/run`, { sessionId: 'no-such-session' }, technician))
        .status,
    ).toBe(404);
  }, 120_000);
});
