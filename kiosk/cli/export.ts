import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, resolveDataPath } from '../../config/load.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import type { Output } from './verify.js';

const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `diemcau export --recording ID --to DIR`: the technician's copy to a mounted removable drive, run
 * beside the daemon on the same database. The copy is verified in place before it gets its final
 * name. Confidential recordings (and any with --encrypt) are encrypted to the room's configured
 * recipients; choosing a passphrase is for a role that may read identities, in the console.
 */
export async function runExport(
  args: string[],
  context: CommandContext,
  output: Output = processOutput,
): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      recording: { type: 'string' },
      to: { type: 'string' },
      encrypt: { type: 'boolean', default: false },
      config: { type: 'string', short: 'c' },
    },
  });
  if (!values.recording || !values.to) throw new UsageError('--recording and --to are required');
  let config: ReturnType<typeof loadConfig>['config'];
  try {
    config = loadConfig(values.config).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(error.message);
    return 1;
  }
  const [
    { loadDeviceKey },
    { EvidenceStore, ExportRefusedError, EvidenceNotFoundError },
    { ExportError },
    { createLogger },
  ] = await Promise.all([
    import('../evidence/device-key.js'),
    import('../evidence/evidence-store.js'),
    import('../evidence/export.js'),
    import('../core/logger.js'),
  ]);
  const key = await loadDeviceKey(resolve(config.storage.dataDir)).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot read the device key (${error.code ?? error.message}): run as the daemon's user on a device that has started once`,
    );
  });
  const { db } = await context.openDatabase(resolveDataPath(config, config.storage.database));
  try {
    const store = new EvidenceStore({
      db,
      recordingsDir: resolveDataPath(config, config.storage.recordingsDir),
      key,
      device: { id: 'cli', room: config.room.id },
      logger: createLogger('warn', undefined),
      exportConfig: config.evidence.export,
    });
    const result = await store.export(values.recording, {
      targetRoot: resolve(values.to),
      actor: { id: `cli:${userInfo().username}`, role: 'technician' },
      encrypt: values.encrypt,
    });
    output.out(
      result.alreadyExported
        ? `OK ${result.dir}: already exported and intact`
        : `OK ${result.dir}: ${result.bytes} bytes copied and verified${result.encrypted ? ' (age-encrypted)' : ''}${result.resumed ? `, ${result.resumed} file(s) kept from an interrupted export` : ''}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportRefusedError || error instanceof EvidenceNotFoundError || error instanceof ExportError) {
      output.err(`export failed: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

export const exportCommand: Command = {
  name: 'export',
  summary:
    'copy a recording with its signed manifest to a removable drive, verified; confidential ones only as age files to the configured recipients',
  usage: 'export --recording ID --to DIR [--encrypt] [--config FILE]',
  run: (args, context) => runExport(args, context),
};
