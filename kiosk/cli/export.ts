import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, resolveDataPath } from '../../config/load.js';
import { UsageError, type Command } from './command.js';
import type { Output } from './verify.js';

const processOutput: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/**
 * `diemcau export --recording ID --to DIR`: the technician's copy to a USB disk, run beside the
 * daemon on the same database. The copy is verified in place before it gets its final name.
 */
export async function runExport(args: string[], output: Output = processOutput): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { recording: { type: 'string' }, to: { type: 'string' }, encrypt: { type: 'boolean', default: false }, 'passphrase-file': { type: 'string' }, config: { type: 'string', short: 'c' } },
  });
  if (!values.recording || !values.to) throw new UsageError('--recording and --to are required');
  if (values.encrypt !== (values['passphrase-file'] !== undefined)) throw new UsageError('--encrypt and --passphrase-file go together');
  let config;
  try {
    config = loadConfig(values.config).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(error.message);
    return 1;
  }
  const [{ openStore }, { loadDeviceKey }, { EvidenceStore, ExportRefusedError, EvidenceNotFoundError }, { ExportError }, { createLogger }] = await Promise.all([
    import('../store/open-store.js'), import('../evidence/device-key.js'), import('../evidence/evidence-store.js'), import('../evidence/export.js'), import('../core/logger.js'),
  ]);
  const passphrase = values['passphrase-file'] === undefined ? undefined : (await readFile(values['passphrase-file'], 'utf8')).replace(/\r?\n$/, '');
  if (passphrase !== undefined && passphrase.length < 12) {
    output.err('the passphrase must have at least 12 characters');
    return 1;
  }
  const key = await loadDeviceKey(resolve(config.storage.dataDir)).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the device key (${error.code ?? error.message}): run as the daemon's user on a device that has started once`);
  });
  const { db } = await openStore(resolveDataPath(config, config.storage.database));
  try {
    const store = new EvidenceStore({ db, recordingsDir: resolveDataPath(config, config.storage.recordingsDir), key, device: { id: 'cli', room: config.room.id }, logger: createLogger('warn', undefined) });
    const result = await store.export(values.recording, { targetRoot: resolve(values.to), actor: { id: `cli:${userInfo().username}`, role: 'technician' }, ...(passphrase ? { encrypt: { passphrase } } : {}) });
    output.out(result.alreadyExported
      ? `OK ${result.dir}: already exported and intact`
      : `OK ${result.dir}: ${result.bytes} bytes copied and verified${result.encrypted ? ' (encrypted)' : ''}${result.resumed ? `, ${result.resumed} file(s) kept from an interrupted export` : ''}`);
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
  summary: 'copy a recording with its signed manifest to a drive, verified; confidential ones only encrypted',
  usage: 'export --recording ID --to DIR [--encrypt --passphrase-file FILE] [--config FILE]',
  run: (args) => runExport(args),
};
