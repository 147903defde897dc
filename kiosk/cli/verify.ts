import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/**
 * `diemcau verify DIR`: needs only the folder (no database, no daemon), so it runs on any machine
 * the copy is taken to. Exit 0 intact, 1 with one line per problem (file: reason: detail).
 */
export async function runVerify(args: string[], output: Output = processOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { pubkey: { type: 'string' }, 'decrypt-to': { type: 'string' }, 'passphrase-file': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one folder');
  if (values['decrypt-to'] !== undefined && values['passphrase-file'] === undefined) throw new UsageError('--decrypt-to needs --passphrase-file');
  const dir = positionals[0]!;
  const { verifyFolder } = await import('../evidence/verify.js');
  const { formatFinding } = await import('../evidence/findings.js');
  const pinnedPublicKeyPem = values.pubkey === undefined ? undefined : await readFile(values.pubkey, 'utf8');
  const report = await verifyFolder(dir, pinnedPublicKeyPem === undefined ? {} : { pinnedPublicKeyPem });
  if (!report.ok) {
    output.out(`FAIL ${dir}: ${report.findings.length} problem${report.findings.length === 1 ? '' : 's'}`);
    for (const finding of report.findings) output.out(`  ${formatFinding(finding)}`);
    return 1;
  }
  const megabytes = (report.bytesHashed / 1e6).toFixed(1);
  output.out(`OK ${dir}: recording ${report.recordingId}, ${report.segments} segment${report.segments === 1 ? '' : 's'}, ${megabytes} MB checked${report.encrypted ? ' (encrypted copy)' : ''}`);
  output.out(`   signed by ${report.fingerprint}${pinnedPublicKeyPem === undefined ? ' (compare with the device key registered at the fleet hub, or pin it with --pubkey)' : ' (pinned)'}`);
  output.out(`   chain head ${report.chainHead}`);

  const decryptTo = values['decrypt-to'];
  if (decryptTo === undefined) return 0;
  if (!report.encrypted) throw new UsageError(`${dir} is not an encrypted export`);
  const { decryptFolder } = await import('../evidence/decrypt.js');
  const passphrase = (await readFile(values['passphrase-file']!, 'utf8')).replace(/\r?\n$/, '');
  try {
    await decryptFolder(dir, decryptTo, passphrase);
  } catch (error) {
    output.out(`FAIL ${dir}: cannot decrypt: ${(error as Error).message}`);
    return 1;
  }
  return runVerify([decryptTo, ...(values.pubkey ? ['--pubkey', values.pubkey] : [])], output);
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a recording folder (as stored or copied) against its signed manifest; exit 0 intact, 1 otherwise',
  usage: 'verify DIR [--pubkey FILE] [--decrypt-to OUT --passphrase-file FILE]',
  run: (args) => runVerify(args),
};
