import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DeviceAnchorRecord } from '../evidence/anchor-receipt.js';
import type { AuditRow } from '../evidence/audit-chain.js';
import type { VerifyReport } from '../evidence/verify.js';
import { UsageError, type Command } from './command.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `diemcau verify DIR`: needs only the folder (no database, no daemon, no key), so it runs on any
 * machine the copy is taken to. Exit 0 intact, 1 with one line per problem (file: reason: detail).
 * An encrypted copy is checked without decrypting it; with `--decrypt-to OUT` and the recipient's
 * age identity file (or the passphrase file of a passphrase export) it is also decrypted and the
 * clear folder verified again against the original hashes. The folder's anchor (ANCHORING.md) is
 * judged against central's notary keys (--notary-key, or the config's fleet.notaryKeys); with
 * --config, the device's audit log (read-only) is checked against the head anchored at the seal.
 */
export async function runVerify(args: string[], output: Output = processOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      pubkey: { type: 'string' },
      'notary-key': { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      'decrypt-to': { type: 'string' },
      'identity-file': { type: 'string' },
      'passphrase-file': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one folder');
  const keyFiles = [values['identity-file'], values['passphrase-file']].filter((f) => f !== undefined).length;
  if (values['decrypt-to'] !== undefined && keyFiles !== 1)
    throw new UsageError('--decrypt-to needs either --identity-file or --passphrase-file');
  if (values['decrypt-to'] === undefined && keyFiles !== 0)
    throw new UsageError('--identity-file and --passphrase-file go with --decrypt-to');
  const dir = positionals[0]!;
  const { verifyFolder } = await import('../evidence/verify.js');
  const { formatFinding } = await import('../evidence/findings.js');
  const pinnedPublicKeyPem = values.pubkey === undefined ? undefined : await readFile(values.pubkey, 'utf8');
  const device = await deviceContext(values.config, values['notary-key'] ?? [], dir);
  if (typeof device === 'string') {
    output.err(device);
    return 1;
  }
  const report = await verifyFolder(dir, {
    ...(pinnedPublicKeyPem === undefined ? {} : { pinnedPublicKeyPem }),
    trustedNotaryKeys: device.notaryKeys,
    ...(device.auditRows ? { auditRows: device.auditRows } : {}),
    ...(device.queued ? { deviceAnchor: device.queued } : {}),
  });
  if (!report.ok) {
    output.out(`FAIL ${dir}: ${report.findings.length} problem${report.findings.length === 1 ? '' : 's'}`);
    for (const finding of report.findings) output.out(`  ${formatFinding(finding)}`);
    for (const line of anchorLines(report, device)) output.out(line);
    return 1;
  }
  const megabytes = (report.bytesHashed / 1e6).toFixed(1);
  output.out(
    `OK ${dir}: recording ${report.recordingId}, ${report.segments} segment${report.segments === 1 ? '' : 's'}, ${megabytes} MB checked${report.encrypted ? ' (encrypted copy)' : ''}`,
  );
  output.out(
    `   signed by ${report.fingerprint}${pinnedPublicKeyPem === undefined ? ' (compare with the device key the province holds for this room, or pin it with --pubkey)' : ' (pinned)'}`,
  );
  output.out(`   chain head ${report.chainHead}`);
  for (const line of anchorLines(report, device)) output.out(line);
  const to = report.encryptedTo;
  if (to)
    output.out(
      `   age-encrypted ${to.kind === 'recipients' ? `to ${to.recipients.map((r) => `${r.name} (${r.publicKey})`).join(', ')}: decrypt with a recipient's identity, age -d -i key.txt` : 'with a passphrase (scrypt)'}`,
    );

  const decryptTo = values['decrypt-to'];
  if (decryptTo === undefined) return 0;
  if (!report.encrypted) throw new UsageError(`${dir} is not an encrypted export`);
  const { decryptFolder } = await import('../evidence/decrypt.js');
  const { parseIdentityFile } = await import('../evidence/encryption.js');
  try {
    const key =
      values['identity-file'] !== undefined
        ? {
            kind: 'identities' as const,
            identities: parseIdentityFile(await readFile(values['identity-file'], 'utf8')),
          }
        : {
            kind: 'passphrase' as const,
            passphrase: (await readFile(values['passphrase-file']!, 'utf8')).replace(/\r?\n$/, ''),
          };
    await decryptFolder(dir, decryptTo, key);
  } catch (error) {
    output.out(`FAIL ${dir}: cannot decrypt: ${describeError(error)}`);
    return 1;
  }
  return runVerify(
    [
      decryptTo,
      ...(values.pubkey ? ['--pubkey', values.pubkey] : []),
      ...(values['notary-key'] ?? []).flatMap((f) => ['--notary-key', f]),
    ],
    output,
  );
}

interface DeviceContext {
  notaryKeys: KeyObject[];
  /** Read from the device's database when --config is given. */
  auditRows?: AuditRow[];
  /** The anchor queue's row for this folder's recording. */
  queued?: DeviceAnchorRecord;
}

/**
 * What only the device knows: central's notary keys (--notary-key FILE, or the config's
 * fleet.notaryKeys) and, with --config, the audit log and the anchor queue from its database,
 * opened read-only. Without either, the folder alone is checked and the anchor reported unchecked.
 */
async function deviceContext(
  configPath: string | undefined,
  keyFiles: readonly string[],
  dir: string,
): Promise<DeviceContext | string> {
  const { parseNotaryPublicKey } = await import('../fleet/keys/notary-key.js');
  const notaryKeys: KeyObject[] = [];
  for (const file of keyFiles) {
    try {
      notaryKeys.push(parseNotaryPublicKey(await readFile(file, 'utf8')));
    } catch (error) {
      return `${file}: ${describeError(error)}`;
    }
  }
  if (configPath === undefined) return { notaryKeys };
  const { ConfigError, loadConfigFile, resolveDataPath } = await import('../../config/load.js');
  let config: ReturnType<typeof loadConfigFile>;
  try {
    config = loadConfigFile(configPath);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  notaryKeys.push(...config.fleet.notaryKeys.map(parseNotaryPublicKey));
  const { Database } = await import('../store/database.js');
  const { AuditLog } = await import('../evidence/audit-log.js');
  const { MANIFEST_FILE, parseManifest } = await import('../evidence/manifest.js');
  const { anchorPayload } = await import('../evidence/anchor-receipt.js');
  let db: Awaited<ReturnType<typeof Database.open>>;
  try {
    db = await Database.open(resolveDataPath(config, config.storage.database), 'readonly');
  } catch (error) {
    return `cannot open the device database read-only: ${describeError(error)}`;
  }
  try {
    const auditRows = await new AuditLog(db).rows();
    const manifest = parseManifest(await readFile(join(dir, MANIFEST_FILE)).catch(() => Buffer.from('')));
    // A database older than the anchor queue has no such table: nothing queued, then.
    const row = manifest.ok
      ? await db
          .get<{
            anchor: string;
            queued_at: string;
            receipt_at: string | null;
            attempts: number;
            last_error: string | null;
          }>('SELECT anchor, queued_at, receipt_at, attempts, last_error FROM fleet_anchors WHERE recording_id = ?', [
            manifest.manifest.recording.id,
          ])
          .catch(() => undefined)
      : undefined;
    const anchor = row ? anchorPayload.safeParse(JSON.parse(row.anchor)) : undefined;
    return {
      notaryKeys,
      auditRows,
      ...(row && anchor?.success
        ? {
            queued: {
              anchor: anchor.data,
              queuedAt: row.queued_at,
              receiptAt: row.receipt_at,
              attempts: row.attempts,
              lastError: row.last_error,
            },
          }
        : {}),
    };
  } finally {
    await db.close();
  }
}

/** The anchor and audit part of the report (Vietnamese first, English beside it). */
function anchorLines(report: VerifyReport, device: DeviceContext): string[] {
  const lines: string[] = [];
  const anchor = report.anchor;
  if (anchor) {
    switch (anchor.status) {
      case 'anchored':
        lines.push(
          `   neo: đã neo tại trung tâm giám sát / anchored: room ${anchor.receipt.room}, ${anchor.receipt.stream} #${anchor.receipt.streamSeq} at ${anchor.receipt.receivedAt}, notary ${anchor.receipt.notary.fingerprint}`,
        );
        break;
      case 'not-anchored':
        lines.push(
          device.queued?.receiptAt === null
            ? `   neo: chưa neo, đang chờ / not anchored yet: queued since ${device.queued.queuedAt}, ${device.queued.attempts} attempt(s)${device.queued.lastError ? ` (last: ${device.queued.lastError})` : ''}`
            : '   neo: chưa neo / not anchored yet (no anchor-receipt.json)',
        );
        break;
      case 'unchecked':
        lines.push(
          `   neo: có biên nhận, chưa kiểm chữ ký / receipt present, signature not checked: no trusted notary key (give --notary-key FILE, e.g. the central folder's notary-public.pem, or a --config whose fleet.notaryKeys lists it; notary ${anchor.receipt.notary.fingerprint})`,
        );
        break;
      case 'mismatch':
        lines.push(
          '   neo: KHÔNG KHỚP / anchor MISMATCH: the folder is not the one anchored at central monitoring (re-signed or rewritten)',
        );
        break;
      case 'untrusted-notary':
      case 'bad-receipt':
        lines.push('   neo: biên nhận không hợp lệ / anchor receipt not valid');
        break;
    }
  }
  const audit = report.audit;
  if (audit?.status === 'intact')
    lines.push(`   nhật ký truy cập khớp với neo / audit log matches its anchor (${audit.entries} entries)`);
  else if (audit?.status === 'chain-broken')
    lines.push('   nhật ký truy cập bị sửa / audit log changed: its hash chain is broken');
  else if (audit)
    lines.push('   nhật ký truy cập bị xoá hoặc sửa sau khi neo / audit log rows deleted or rewritten after anchoring');
  else if (anchor && 'receipt' in anchor)
    lines.push('   nhật ký truy cập: chưa kiểm / audit log not checked (needs the device database: --config)');
  return lines;
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a recording folder (as stored or copied) against its signed manifest; exit 0 intact, 1 otherwise',
  usage:
    'verify DIR [--pubkey FILE] [--notary-key FILE]... [--config FILE] [--decrypt-to OUT (--identity-file KEY.txt | --passphrase-file FILE)]',
  run: (args) => runVerify(args),
};
