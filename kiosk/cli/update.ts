import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../core/logger.js';
import { installLayout, updateFiles } from '../update/layout.js';
import { incompatibilities, thisHost } from '../update/release-info.js';
import { loadTrustedKeys, verifyArtifact } from '../update/release-signature.js';
import { adoptRelease, linkedVersion, pointLink, unpackArtifact } from '../update/release-store.js';
import { readJson, updateStatus } from '../update/status.js';
import { Updater } from '../update/updater.js';
import { resolveDataPath } from '../../config/load.js';
import { UsageError, type Command } from './command.js';

/**
 * `diemcau update …`: the updater (run as root by diemcau-update.service when the daemon leaves a
 * request; or by a technician at the device with an artifact, e.g. from a USB drive), the first
 * install's adoption of a release (scripts/install-device.sh), and the last update's status.
 */
export const updateCommand: Command = {
  name: 'update',
  summary: 'apply a signed release with automatic rollback; install a release; show the last update',
  usage: 'update apply [--config FILE] [ARTIFACT] | update install --root DIR ARTIFACT | update status [--config FILE]',
  async run([sub, ...rest]) {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { config: { type: 'string', short: 'c' }, root: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    switch (sub) {
      case 'apply': {
        const { config } = loadConfig(values.config);
        // The log to stderr (the journal under systemd): stdout carries the outcome, one JSON line.
        const updater = new Updater({ config, logger: createLogger(config.log.level, pino.destination(2)) });
        const resumed = await updater.resumeInterrupted();
        if (resumed) process.stdout.write(`${JSON.stringify(resumed)}\n`);
        const artifact = positionals[0];
        const request = artifact
          ? {
              artifact: resolve(artifact),
              requestedBy: { via: 'cli' as const, actor: process.env.SUDO_USER ?? process.env.USER ?? 'root' },
            }
          : await updater.pendingRequest();
        if (!request) {
          if (!resumed) process.stderr.write('update: no update requested\n');
          return !resumed || resumed.state === 'succeeded' ? 0 : 1;
        }
        const status = await updater.apply(request);
        process.stdout.write(`${JSON.stringify(status)}\n`);
        return status.state === 'succeeded' ? 0 : 1;
      }
      case 'install':
        return install(values.root ?? '/', positionals[0]);
      case 'status': {
        const { config } = loadConfig(values.config);
        const status = await readJson(
          updateFiles(resolveDataPath(config, config.storage.dataDir)).status,
          updateStatus,
        );
        process.stdout.write(`${JSON.stringify(status ?? null, null, 2)}\n`);
        return 0;
      }
      default:
        throw new UsageError(`expected: ${updateCommand.usage}`);
    }
  },
};

/**
 * First install or repair: the artifact checked against the device's keys, unpacked beside the
 * other releases (a release folder already there is rewritten) and made current. The daemon is
 * not touched: the install script enables and starts it, then runs the self-test.
 */
async function install(root: string, artifact: string | undefined): Promise<number> {
  if (!artifact) throw new UsageError('expected: update install --root DIR ARTIFACT');
  const layout = installLayout(resolve(root));
  const signature = await verifyArtifact(resolve(artifact), await loadTrustedKeys(layout.keysDir));
  if (!signature.ok) {
    process.stderr.write(`update: ${artifact} refused: ${signature.detail}\n`);
    return 1;
  }
  const staged = await unpackArtifact(layout, resolve(artifact));
  const problems = incompatibilities(staged.info, thisHost());
  if (problems.length > 0) {
    await rm(staged.dir, { recursive: true, force: true });
    process.stderr.write(`update: ${artifact} refused: ${problems.join('; ')}\n`);
    return 1;
  }
  const before = await linkedVersion(layout.current);
  await adoptRelease(layout, staged.dir, staged.info);
  if (before && before !== staged.info.version) await pointLink(layout.previous, before);
  await pointLink(layout.current, staged.info.version);
  process.stdout.write(`${staged.info.version}\n`);
  return 0;
}
