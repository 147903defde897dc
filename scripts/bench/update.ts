import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../config/load.js';
import { writeTestConfig } from '../../tests/support/daemon.js';
import { freePort } from '../../tests/support/free-port.js';
import { makeTempDir, removeTempDir } from '../../tests/support/temp-dir.js';
import { waitFor } from '../../tests/support/wait.js';
import { addMigration, breakStart, buildRelease, releaseVariant } from '../../tests/deploy/support/releases.js';
import type { BenchFigure, BenchSuite } from './types.js';

const run = promisify(execFile);
const HEALTH_DEADLINE_SECONDS = 15;

/**
 * The release artifact's size and build time, the install from it into a throwaway root, an update
 * to a healthy release and one to a release that never gets healthy (rolled back), in simulation,
 * one run each. Peer: a plain restart of the same daemon to healthy (what an update costs beyond it).
 */
export const updateBench: BenchSuite = {
  name: `update: artifact, install, update, rollback (sim, one run, health deadline ${HEALTH_DEADLINE_SECONDS} s)`,
  async run(): Promise<BenchFigure[]> {
    const dir = await makeTempDir('bench-update');
    const root = join(dir, 'root');
    const service = join(projectRoot(), 'tests', 'deploy', 'support', 'room-service.sh');
    const config = join(root, 'etc/diemcau/config.json');
    try {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await writeFile(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
      await writeFile(join(dir, 'key.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
      const built = await buildRelease(join(dir, 'releases'), '1.0.0', join(dir, 'key.pem'));
      const healthy = await releaseVariant(built.artifact, join(dir, 'releases'), '1.1.0', keyPem, (d) =>
        addMigration(d, 'CREATE TABLE bench_b (x INTEGER) STRICT;'),
      );
      const broken = await releaseVariant(built.artifact, join(dir, 'releases'), '1.2.0-broken', keyPem, breakStart);
      const kioskPort = await freePort();
      const profile = writeTestConfig(dir, (c) => {
        c.storage.dataDir = join(root, 'var/lib/diemcau');
        c.web = { ...c.web, kiosk: { port: kioskPort }, console: { host: '127.0.0.1', port: 0 } };
        c.update = {
          installRoot: root,
          healthDeadlineSeconds: HEALTH_DEADLINE_SECONDS,
          daemonControl: { stop: ['sh', service, 'stop', root, config], start: ['sh', service, 'start', root, config] },
        };
      });
      const healthyAs = (version: string) =>
        waitFor(
          `${version} healthy`,
          async () => {
            try {
              const report = (await (await fetch(`http://127.0.0.1:${kioskPort}/api/health`)).json()) as {
                version?: string;
                services?: { state: string }[];
              };
              return report.version === version && report.services?.every((s) => s.state === 'running');
            } catch {
              return false;
            }
          },
          60_000,
          100,
        );
      const seconds = async (work: () => Promise<unknown>) => {
        const started = Date.now();
        await work();
        return (Date.now() - started) / 1000;
      };

      const install = await seconds(() =>
        run('bash', [
          join(projectRoot(), 'scripts', 'install-device.sh'),
          '--release',
          built.artifact,
          '--trust',
          join(dir, 'key.pub.pem'),
          '--root',
          root,
          '--profile',
          profile,
          '--no-enable',
        ]),
      );
      await run('sh', [service, 'start', root, config]);
      await healthyAs('1.0.0');
      const restart = await seconds(async () => {
        await run('sh', [service, 'stop', root, config]);
        await run('sh', [service, 'start', root, config]);
        await healthyAs('1.0.0');
      });
      const apply = (artifact: string) =>
        run(process.execPath, [
          join(root, 'opt/diemcau/current/dist/kiosk/cli.js'),
          'update',
          'apply',
          '--config',
          config,
          artifact,
        ]).then(
          (r) => JSON.parse(r.stdout),
          (e) => JSON.parse(e.stdout),
        );
      const applied = async (artifact: string, expected: string) => {
        const outcome = (await apply(artifact)) as { state: string; detail?: string };
        if (outcome.state !== expected)
          throw new Error(`the update ended ${outcome.state}, not ${expected}: ${outcome.detail}`);
      };
      const update = await seconds(() => applied(healthy, 'succeeded'));
      const rollback = await seconds(() => applied(broken, 'rolled-back'));
      return [
        {
          name: `release artifact (${process.platform}-${process.arch}, gzip tarball)`,
          value: built.bytes / 1024 / 1024,
          unit: 'MiB',
        },
        { name: 'release build (copy, prune, pack, sign)', value: built.seconds, unit: 's' },
        { name: 'install from the signed artifact (verify, unpack, units, TLS, self-test)', value: install, unit: 's' },
        {
          name: 'update to a healthy release (verify, unpack, stop, backup, switch, start, healthy)',
          value: update,
          unit: 's',
          ratio: { peer: 'plain restart to healthy', value: update / restart },
        },
        {
          name: 'rollback of a release never healthy (update + deadline + restore + old release healthy)',
          value: rollback,
          unit: 's',
          ratio: { peer: 'plain restart to healthy', value: rollback / restart },
        },
        { name: 'rollback beyond the health deadline', value: rollback - HEALTH_DEADLINE_SECONDS, unit: 's' },
        { name: 'peer: plain restart to healthy (stop, start, healthy)', value: restart, unit: 's' },
      ];
    } finally {
      await run('sh', [service, 'stop', root, config]).catch(() => undefined);
      await removeTempDir(dir);
    }
  },
};
