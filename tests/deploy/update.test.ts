import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFile, readFile, readlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { migrations } from '../../kiosk/database-schema.js';
import { Database } from '../../kiosk/store/database.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { writeTestConfig } from '../support/daemon.js';
import { freePort } from '../support/free-port.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';
import { addMigration, breakStart, buildRelease, releaseVariant } from './support/releases.js';

const run = promisify(execFile);
const service = join(projectRoot(), 'tests', 'deploy', 'support', 'room-service.sh');

/**
 * A room in a throwaway root standing for /: release A installed from its signed artifact with
 * scripts/install-device.sh, its daemon run from /opt/diemcau/current (in simulation) by a stand-in
 * for systemctl; updates asked for through the console API, then applied by the updater exactly as
 * diemcau-update.service runs it when the daemon leaves its request.
 */
describe('install from a release, signed updates with automatic rollback', () => {
  let dir: string;
  let root: string;
  let config: string;
  let kioskUrl: string;
  let consoleUrl: string;
  let releases: string;
  let server: Server;
  let serverUrl: string;
  let keyPem: string;
  let console_: Awaited<ReturnType<typeof consoleClient>>;
  let dataSessionId: string;
  const artifacts = {} as Record<'a' | 'broken' | 'b' | 'unsigned' | 'tampered' | 'stranger', string>;
  const figures: Record<string, number> = {};

  const cli = (...args: string[]) =>
    run(process.execPath, [join(root, 'opt/diemcau/current/dist/kiosk/cli.js'), ...args], {
      env: { ...process.env, DIEMCAU_CONFIG: config },
      maxBuffer: 4 * 1024 * 1024,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e) => ({ code: Number(e.code), stdout: String(e.stdout), stderr: String(e.stderr) }),
    );
  const health = async () => {
    const response = await fetch(`${kioskUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).catch(
      () => undefined,
    );
    return response?.ok ? ((await response.json()) as { version: string; services: { state: string }[] }) : undefined;
  };
  const healthyAs = (version: string) =>
    waitFor(
      `release ${version} healthy`,
      async () => {
        const report = await health();
        return report?.version === version && report.services.every((s) => s.state === 'running') ? report : undefined;
      },
      30_000,
      200,
    );
  const requestUpdate = (url: string) =>
    fetch(`${consoleUrl}/api/update`, {
      method: 'POST',
      headers: { cookie: console_.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    });
  const updateStatus = async () =>
    (await console_.get('/update')).status as { id: string; state: string; problem?: string; to: string | null };
  /** Asks the daemon, waits until it has handed the request over (or refused it), then runs the updater as its unit would. */
  const update = async (url: string) => {
    const asked = await requestUpdate(url);
    expect(asked.status).toBe(202);
    const { status } = (await asked.json()) as { status: { id: string } };
    const handed = await waitFor(
      'the daemon to check the release',
      async () => {
        const current = await updateStatus();
        return current.id === status.id && ['requested', 'refused', 'failed'].includes(current.state)
          ? current
          : undefined;
      },
      30_000,
      100,
    );
    return { id: status.id, handed };
  };
  const database = async <T>(read: (db: Database) => Promise<T>) => {
    const db = await Database.open(join(root, 'var/lib/diemcau/diemcau.sqlite'), 'readonly');
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  };
  const tableExists = (name: string) =>
    database(async (db) =>
      Boolean(await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name])),
    );

  beforeAll(async () => {
    dir = await makeTempDir('update');
    root = join(dir, 'root');
    releases = join(dir, 'releases');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(join(dir, 'release.key.pem'), keyPem, { mode: 0o600 });
    await writeFile(join(dir, 'release.pem'), publicKey.export({ type: 'spki', format: 'pem' }));

    const built = await buildRelease(releases, '1.0.0', join(dir, 'release.key.pem'));
    figures.artifactBytes = built.bytes;
    figures.buildSeconds = built.seconds;
    artifacts.a = built.artifact;
    artifacts.broken = await releaseVariant(artifacts.a, releases, '1.1.0-broken', keyPem, async (release) => {
      await addMigration(release, 'CREATE TABLE test_added_by_broken (x INTEGER) STRICT;');
      await breakStart(release);
    });
    artifacts.b = await releaseVariant(artifacts.a, releases, '1.1.0', keyPem, (release) =>
      addMigration(release, 'CREATE TABLE test_added_by_b (x INTEGER) STRICT;'),
    );
    artifacts.unsigned = await releaseVariant(artifacts.a, releases, '1.2.0-unsigned', undefined);
    // A signed release changed afterwards: one byte of the tarball, the signature kept.
    artifacts.tampered = join(releases, 'diemcau-1.2.0-tampered-linux.tar.gz');
    const bytes = await readFile(artifacts.b);
    const at = bytes.length - 100;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    await writeFile(artifacts.tampered, bytes);
    await copyFile(`${artifacts.b}.sig`, `${artifacts.tampered}.sig`);
    // Signed, but by a key the device does not trust.
    const stranger = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    artifacts.stranger = await releaseVariant(artifacts.a, releases, '1.2.0-stranger', stranger);

    server = createServer((req, res) => {
      const file = join(releases, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      if (!file.startsWith(releases) || !existsSync(file)) return void res.writeHead(404).end();
      void readFile(file).then((body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const [kioskPort, consolePort] = [await freePort(), await freePort()];
    kioskUrl = `http://127.0.0.1:${kioskPort}`;
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    const profile = writeTestConfig(dir, (c) => {
      c.storage.dataDir = join(root, 'var/lib/diemcau');
      c.web = { ...c.web, kiosk: { port: kioskPort }, console: { host: '127.0.0.1', port: consolePort } };
      c.update = {
        installRoot: root,
        healthDeadlineSeconds: 20,
        quietMinutesBeforeSession: 60,
        daemonControl: {
          stop: ['sh', service, 'stop', root, join(root, 'etc/diemcau/config.json')],
          start: ['sh', service, 'start', root, join(root, 'etc/diemcau/config.json')],
        },
      };
    });
    config = join(root, 'etc/diemcau/config.json');

    const started = Date.now();
    await run(
      'bash',
      [
        join(projectRoot(), 'scripts', 'install-device.sh'),
        '--release',
        artifacts.a,
        '--trust',
        join(dir, 'release.pem'),
        '--root',
        root,
        '--profile',
        profile,
        '--no-enable',
      ],
      { maxBuffer: 4 * 1024 * 1024 },
    );
    figures.installSeconds = (Date.now() - started) / 1000;
    await addConsoleUser(config, 'quantri', 'admin', 'mat-khau-quan-tri-1');
    await run('sh', [service, 'start', root, config]);
    await healthyAs('1.0.0');
    console_ = await consoleClient(consoleUrl, 'quantri', 'mat-khau-quan-tri-1');
    // Data written before any update: a session three days ahead.
    const startsAt = new Date(Date.now() + 3 * 86_400_000);
    dataSessionId = (
      await console_.post('/schedule', {
        kind: 'periodic',
        title: 'Tiếp công dân định kỳ tháng 12',
        chairSite: { name: 'UBND tỉnh' },
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      })
    ).session.id;
  }, 240_000);

  afterAll(async () => {
    if (root) await run('sh', [service, 'stop', root, config]).catch(() => undefined);
    await new Promise((resolve) => server?.close(resolve));
    process.stdout.write(`update figures: ${JSON.stringify(figures)}\n`);
    await removeTempDir(dir);
  }, 90_000);

  it('installed release A side by side under /opt/diemcau, current linked to it, with the update units', async () => {
    expect(await readlink(join(root, 'opt/diemcau/current'))).toBe('releases/1.0.0');
    expect(JSON.parse(await readFile(join(root, 'opt/diemcau/releases/1.0.0/release.json'), 'utf8'))).toMatchObject({
      version: '1.0.0',
      arch: process.arch,
      platform: process.platform,
    });
    for (const unit of ['diemcau.service', 'diemcau-update.service', 'diemcau-update.path'])
      expect(existsSync(join(root, 'etc/systemd/system', unit)), unit).toBe(true);
    expect(existsSync(join(root, 'etc/diemcau/release-keys/release.pem'))).toBe(true);
    expect((await console_.get('/update')).version).toBe('1.0.0');
  });

  it('re-running the install repairs a damaged release and keeps the config', async () => {
    const damaged = join(root, 'opt/diemcau/releases/1.0.0/dist/kiosk/update/gate.js');
    await writeFile(damaged, 'garbage');
    const before = await readFile(config, 'utf8');
    await run(
      'bash',
      [join(projectRoot(), 'scripts', 'install-device.sh'), '--release', artifacts.a, '--root', root, '--no-enable'],
      { maxBuffer: 4 * 1024 * 1024 },
    );
    expect(await readFile(damaged, 'utf8')).toContain('updateGate');
    expect(await readFile(config, 'utf8')).toBe(before);
  }, 120_000);

  it('refuses a tampered release, at the daemon and at the updater', async () => {
    const { handed } = await update(`${serverUrl}/${artifacts.tampered.split('/').at(-1)}`);
    expect(handed).toMatchObject({ state: 'refused', problem: 'bad-signature' });
    const direct = await cli('update', 'apply', artifacts.tampered);
    expect(direct.code).toBe(1);
    expect(JSON.parse(direct.stdout)).toMatchObject({ state: 'refused', problem: 'bad-signature' });
    expect(await readlink(join(root, 'opt/diemcau/current'))).toBe('releases/1.0.0');
    expect((await health())?.version).toBe('1.0.0');
  }, 60_000);

  it('refuses an unsigned release and one signed by a key the device does not trust', async () => {
    expect((await update(`${serverUrl}/${artifacts.unsigned.split('/').at(-1)}`)).handed).toMatchObject({
      state: 'refused',
      problem: 'unsigned',
    });
    expect((await update(`${serverUrl}/${artifacts.stranger.split('/').at(-1)}`)).handed).toMatchObject({
      state: 'refused',
      problem: 'bad-signature',
    });
    const failure = await run('bash', [
      join(projectRoot(), 'scripts', 'install-device.sh'),
      '--release',
      artifacts.unsigned,
      '--root',
      join(dir, 'other-root'),
      '--no-enable',
    ]).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('has no signature');
    expect(existsSync(join(dir, 'other-root', 'opt'))).toBe(false);
  }, 60_000);

  it('an update to a release that is not healthy in time is rolled back: release A and its database as they were', async () => {
    const { handed } = await update(`${serverUrl}/${artifacts.broken.split('/').at(-1)}`);
    expect(handed).toMatchObject({ state: 'requested', to: '1.1.0-broken' });
    const started = Date.now();
    const applied = await cli('update', 'apply');
    figures.rollbackSeconds = (Date.now() - started) / 1000;
    expect(applied.code).toBe(1);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      state: 'rolled-back',
      problem: 'unhealthy',
      from: '1.0.0',
      to: '1.1.0-broken',
    });
    expect(await readlink(join(root, 'opt/diemcau/current'))).toBe('releases/1.0.0');
    await healthyAs('1.0.0');
    // The broken release's migration ran (its daemon got as far as the store), and was undone with the database.
    expect(await tableExists('test_added_by_broken')).toBe(false);
    expect(await database((db) => db.get<{ user_version: number }>('PRAGMA user_version'))).toEqual({
      user_version: migrations.length,
    });
    console_ = await consoleClient(consoleUrl, 'quantri', 'mat-khau-quan-tri-1');
    expect((await console_.get(`/schedule/${dataSessionId}`)).session).toMatchObject({
      id: dataSessionId,
      title: 'Tiếp công dân định kỳ tháng 12',
    });
    // The daemon that came back reports the outcome the updater wrote while it was stopped.
    expect(await updateStatus()).toMatchObject({ state: 'rolled-back', problem: 'unhealthy' });
  }, 120_000);

  it('an update cut short after the switch (the updater killed) is finished by the next run of the updater: rolled back', async () => {
    const { handed } = await update(`${serverUrl}/${artifacts.broken.split('/').at(-1)}`);
    expect(handed).toMatchObject({ state: 'requested' });
    const updater = spawn(process.execPath, [join(root, 'opt/diemcau/current/dist/kiosk/cli.js'), 'update', 'apply'], {
      env: { ...process.env, DIEMCAU_CONFIG: config },
      stdio: 'ignore',
    });
    // The daemon is stopped meanwhile: the status file is what there is to read.
    const statusFile = join(root, 'var/lib/diemcau/updates/status.json');
    await waitFor(
      'the updater to wait for health',
      async () => JSON.parse(await readFile(statusFile, 'utf8')).state === 'checking-health',
      60_000,
      100,
    ).catch(async (error) => {
      updater.kill('SIGKILL');
      throw error;
    });
    updater.kill('SIGKILL');
    expect(await readlink(join(root, 'opt/diemcau/current'))).toBe('releases/1.1.0-broken');
    // What diemcau-update.service does at the next boot, or at the next request.
    const resumed = await cli('update', 'apply');
    expect(resumed.code).toBe(1);
    expect(JSON.parse(resumed.stdout.trim().split('\n')[0]!)).toMatchObject({
      state: 'rolled-back',
      problem: 'unhealthy',
      detail: expect.stringContaining('interrupted while checking-health'),
    });
    expect(await readlink(join(root, 'opt/diemcau/current'))).toBe('releases/1.0.0');
    await healthyAs('1.0.0');
    expect(await tableExists('test_added_by_broken')).toBe(false);
  }, 150_000);

  it('an update to a healthy release B is kept: B current, its migration applied, the data still there', async () => {
    const { handed } = await update(`${serverUrl}/${artifacts.b.split('/').at(-1)}`);
    expect(handed).toMatchObject({ state: 'requested', to: '1.1.0' });
    const started = Date.now();
    const applied = await cli('update', 'apply');
    figures.updateSeconds = (Date.now() - started) / 1000;
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ state: 'succeeded', from: '1.0.0', to: '1.1.0' });
    expect(await readlink(join(root, 'opt/diemcau/current'))).toBe('releases/1.1.0');
    expect(await readlink(join(root, 'opt/diemcau/previous'))).toBe('releases/1.0.0');
    await healthyAs('1.1.0');
    expect(await tableExists('test_added_by_b')).toBe(true);
    console_ = await consoleClient(consoleUrl, 'quantri', 'mat-khau-quan-tri-1');
    expect((await console_.get(`/schedule/${dataSessionId}`)).session).toMatchObject({ id: dataSessionId });
    expect(await console_.get('/update')).toMatchObject({
      version: '1.1.0',
      status: { state: 'succeeded', label: { vi: 'Cập nhật thành công' } },
    });
    // Who asked is in the audit log (the status and central's events name only the channel).
    expect(JSON.stringify(await console_.get('/evidence/audit'))).toContain('software-update-requested');
    // Its backup was taken with SQLite's own snapshot before B touched the database.
    const backups = JSON.parse(applied.stdout).backup as string;
    const db = await Database.open(backups, 'readonly');
    expect(await db.get<{ user_version: number }>('PRAGMA user_version')).toEqual({ user_version: migrations.length });
    await db.close();
  }, 120_000);

  it('refuses an update while a session is live, and shortly before a scheduled one', async () => {
    const soon = new Date(Date.now() + 10 * 60_000);
    const { session } = await console_.post('/schedule', {
      kind: 'ad-hoc',
      title: 'Tiếp đột xuất',
      chairSite: { name: 'UBND tỉnh' },
      startsAt: soon.toISOString(),
      endsAt: new Date(soon.getTime() + 3_600_000).toISOString(),
    });
    const beforeIt = await requestUpdate(`${serverUrl}/${artifacts.a.split('/').at(-1)}`);
    expect(beforeIt.status).toBe(409);
    expect(((await beforeIt.json()) as { error: unknown }).error).toMatchObject({ code: 'session-soon' });

    const start = await fetch(`${kioskUrl}/api/session/${session.id}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(start.status).toBe(200);
    const during = await requestUpdate(`${serverUrl}/${artifacts.a.split('/').at(-1)}`);
    expect(during.status).toBe(409);
    expect(((await during.json()) as { error: unknown }).error).toMatchObject({
      code: 'live-session',
      details: { label: { vi: expect.stringContaining('buổi tiếp') } },
    });
    // Nothing was handed to the updater; and the updater itself, given a release by hand, asks the daemon first.
    expect(existsSync(join(root, 'var/lib/diemcau/updates/request.json'))).toBe(false);
    const direct = await cli('update', 'apply', artifacts.a);
    expect(JSON.parse(direct.stdout)).toMatchObject({ state: 'refused', problem: 'live-session' });
    expect((await health())?.version).toBe('1.1.0');
    await fetch(`${kioskUrl}/api/session/${session.id}/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  }, 60_000);
});
