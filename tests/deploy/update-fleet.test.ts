import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signBytes } from '../../kiosk/update/release-signature.js';
import { updateRequest, type UpdateStatus } from '../../kiosk/update/status.js';
import { startCentral, type Central } from '../support/central.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);

/**
 * Updates started from central monitoring: the `update` command against the built daemon over a
 * real nats-server, its progress and outcome as `update` events in the stream. The artifact here is
 * a small signed tarball with only a release.json: what the daemon checks before it hands over
 * (the whole install-and-switch path is tests/deploy/update.test.ts). A test starts up to three
 * daemons: its time budget is for a loaded 2-core machine, not a measure.
 */
describe('update from central monitoring', () => {
  let dir: string;
  let central: Central;
  let daemon: DaemonHandle | undefined;
  let config: string;
  let server: Server;
  let baseUrl: string;

  beforeEach(async () => {
    dir = await makeTempDir('update-fleet');
    central = await startCentral();
    const installRoot = join(dir, 'root');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    await mkdir(join(installRoot, 'etc/diemcau/release-keys'), { recursive: true });
    await writeFile(
      join(installRoot, 'etc/diemcau/release-keys/province.pem'),
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const files = join(dir, 'files');
    await mkdir(join(files, 'tree'), { recursive: true });
    await writeFile(
      join(files, 'tree', 'release.json'),
      JSON.stringify({
        name: 'diemcau',
        version: '9.9.9',
        platform: process.platform,
        arch: process.arch,
        nodeAbi: process.versions.modules,
        nodeVersion: process.versions.node,
        builtAt: new Date().toISOString(),
      }),
    );
    await run('tar', ['-czf', join(files, 'signed.tar.gz'), '-C', join(files, 'tree'), '.']);
    await writeFile(
      join(files, 'signed.tar.gz.sig'),
      signBytes(
        await readFile(join(files, 'signed.tar.gz')),
        privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ),
    );
    await run('cp', [join(files, 'signed.tar.gz'), join(files, 'unsigned.tar.gz')]);
    server = createServer((req, res) => {
      const file = join(files, new URL(req.url!, 'http://x').pathname);
      if (!existsSync(file)) return void res.writeHead(404).end();
      void readFile(file).then((body) => res.writeHead(200).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    config = writeTestConfig(dir, (c) => {
      c.fleet = central.fleetConfig();
      c.update = { installRoot };
    });
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await new Promise((resolve) => server.close(resolve));
    await central.close();
    await removeTempDir(dir);
  });

  /** The daemon, once its link is up (its state in KV): commands reach it from then on. */
  const startLinked = async () => {
    const started = await startDaemon(config);
    await waitFor(
      'the room link',
      async () =>
        (await central.state())?.at && started.logs.some((l) => l.msg === 'fleet link' && l.state === 'connected'),
    );
    return started;
  };
  const states = async () =>
    (await central.events('update')).map((e) => `${e.data.state}${e.data.problem ? `:${e.data.problem}` : ''}`);

  it('a signed release is checked and handed to the updater; each step is an event; a second request is busy', async () => {
    daemon = await startLinked();
    const reply = await central.command('update', { url: `${baseUrl}/signed.tar.gz` });
    expect(reply).toMatchObject({ ok: true, result: { updateId: expect.stringMatching(/^u-/), state: 'downloading' } });
    await waitFor('the requested event', async () => (await states()).includes('requested'));
    expect(await states()).toEqual(['downloading', 'verifying', 'requested']);
    const event = (await central.events('update')).at(-1)!;
    expect(event).toMatchObject({ severity: 'info', data: { from: '0.1.0', to: '9.9.9', via: 'fleet' } });
    // What the path unit starts the updater for.
    const request = updateRequest.parse(JSON.parse(await readFile(join(dir, 'data/updates/request.json'), 'utf8')));
    expect(request).toMatchObject({ requestedBy: { via: 'fleet' } });
    expect(await central.command('update', { url: `${baseUrl}/signed.tar.gz` })).toMatchObject({
      ok: false,
      error: { code: 'busy' },
    });
  }, 90_000);

  it('an unsigned release is refused with an event; the outcome the updater wrote is reported once, after the restart', async () => {
    daemon = await startLinked();
    expect(await central.command('update', { url: `${baseUrl}/unsigned.tar.gz` })).toMatchObject({ ok: true });
    await waitFor('the refusal', async () => (await states()).includes('refused:unsigned'));
    expect((await central.events('update')).at(-1)).toMatchObject({
      severity: 'warning',
      data: { state: 'refused', problem: 'unsigned' },
    });
    expect(existsSync(join(dir, 'data/updates/request.json'))).toBe(false);

    // The updater ran while the daemon was stopped and rolled back: the next daemon tells central, once.
    await daemon.stop();
    const status = JSON.parse(await readFile(join(dir, 'data/updates/status.json'), 'utf8')) as UpdateStatus;
    const outcome: UpdateStatus = {
      ...status,
      id: 'u-rolled-back-1',
      state: 'rolled-back',
      problem: 'unhealthy',
      detail: 'services not running: store: failed',
      to: '9.9.9',
      updatedAt: new Date().toISOString(),
    };
    await writeFile(join(dir, 'data/updates/status.json'), JSON.stringify(outcome));
    daemon = await startLinked();
    await waitFor('the rollback event', async () => (await states()).includes('rolled-back:unhealthy'));
    expect((await central.events('update')).at(-1)).toMatchObject({
      severity: 'critical',
      alert: { key: 'update', state: 'raised' },
    });
    await daemon.stop();
    daemon = await startLinked();
    // Events leave in order: once a later one has arrived, a repeated outcome would have arrived before it.
    expect(await central.command('update', { url: `${baseUrl}/unsigned.tar.gz` })).toMatchObject({ ok: true });
    await waitFor(
      'the second refusal',
      async () => (await states()).filter((s) => s === 'refused:unsigned').length === 2,
    );
    expect((await states()).filter((s) => s.startsWith('rolled-back'))).toHaveLength(1);
  }, 90_000);

  it('is refused while a session is live', async () => {
    daemon = await startLinked();
    const startsAt = new Date(Date.now() + 60_000);
    const pushed = await central.command('push-schedule', {
      sessions: [
        {
          fleetId: 'tinh-1',
          revision: 1,
          kind: 'ad-hoc',
          title: 'Tiếp đột xuất',
          chairSite: { name: 'UBND tỉnh' },
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        },
      ],
    });
    expect(pushed).toMatchObject({ ok: true, result: { created: 1 } });
    const current = (await (await fetch(`${daemon.kioskUrl}/api/session/current`)).json()) as {
      session: { id: string };
    };
    expect(
      (
        await fetch(`${daemon.kioskUrl}/api/session/${current.session.id}/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(200);
    const reply = await central.command('update', { url: `${baseUrl}/signed.tar.gz` });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('live-session') },
    });
    expect(await states()).toEqual([]);
  }, 90_000);
});
