import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/**
 * `diemcau verify DIR`: needs only the folder (no database, no daemon, no key), so it runs on any
 * machine the copy is taken to. Exit 0 intact, 1 with one line per problem (file: reason: detail).
 * An encrypted copy is checked without decrypting it; with `--decrypt-to OUT` and the recipient's
 * age identity file (or the passphrase file of a passphrase export) it is also decrypted and the
 * clear folder verified again against the original hashes.
 */
export async function runVerify(args: string[], output: Output = processOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { pubkey: { type: 'string' }, 'decrypt-to': { type: 'string' }, 'identity-file': { type: 'string' }, 'passphrase-file': { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one folder');
  const keyFiles = [values['identity-file'], values['passphrase-file']].filter((f) => f !== undefined).length;
  if (values['decrypt-to'] !== undefined && keyFiles !== 1) throw new UsageError('--decrypt-to needs either --identity-file or --passphrase-file');
  if (values['decrypt-to'] === undefined && keyFiles !== 0) throw new UsageError('--identity-file and --passphrase-file go with --decrypt-to');
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
  const to = report.encryptedTo;
  if (to) output.out(`   age-encrypted ${to.kind === 'recipients' ? `to ${to.recipients.map((r) => `${r.name} (${r.publicKey})`).join(', ')}: decrypt with a recipient's identity, age -d -i key.txt` : 'with a passphrase (scrypt)'}`);

  const decryptTo = values['decrypt-to'];
  if (decryptTo === undefined) return 0;
  if (!report.encrypted) throw new UsageError(`${dir} is not an encrypted export`);
  const { decryptFolder } = await import('../evidence/decrypt.js');
  const { parseIdentityFile } = await import('../evidence/encryption.js');
  try {
    const key = values['identity-file'] !== undefined
      ? { kind: 'identities' as const, identities: parseIdentityFile(await readFile(values['identity-file'], 'utf8')) }
      : { kind: 'passphrase' as const, passphrase: (await readFile(values['passphrase-file']!, 'utf8')).replace(/\r?\n$/, '') };
    await decryptFolder(dir, decryptTo, key);
  } catch (error) {
    output.out(`FAIL ${dir}: cannot decrypt: ${(error as Error).message}`);
    return 1;
  }
  return runVerify([decryptTo, ...(values.pubkey ? ['--pubkey', values.pubkey] : [])], output);
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a recording folder (as stored or copied) against its signed manifest; exit 0 intact, 1 otherwise',
  usage: 'verify DIR [--pubkey FILE] [--decrypt-to OUT (--identity-file KEY.txt | --passphrase-file FILE)]',
  run: (args) => runVerify(args),
};
