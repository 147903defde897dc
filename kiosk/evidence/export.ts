import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ANCHOR_RECEIPT_FILE } from './anchor-receipt.js';
import { encodeSignature, signBytes, type DeviceKey } from './device-key.js';
import {
  encryptedManifestBytes,
  encryptedName,
  ENCRYPTED_MANIFEST_FILE,
  ENCRYPTED_MANIFEST_FORMAT,
  ENCRYPTED_SIGNATURE_FILE,
  parseEncryptedManifest,
  type EncryptedManifest,
  type EncryptedTo,
} from './encrypted-manifest.js';
import { AGE_FORMAT, DEFAULT_SCRYPT_WORK_FACTOR, encryptFile, type AgeTarget } from './encryption.js';
import { formatFinding, type Finding } from './findings.js';
import { fsyncPath, writeFileAtomic } from './files.js';
import { DomainError, type ErrorCategory } from '../core/domain-error.js';
import { sha256File, sha256Hex } from '../core/hashing.js';
import { MANIFEST_FILE, parseManifest, SIGNATURE_FILE, type Manifest } from './manifest.js';
import { verifyFolder } from './verify.js';

/**
 * Copies a sealed recording folder to a target (a folder on a removable drive: the caller checks
 * that, see removable-drives.ts): into `<name>.partial`, fsynced, re-hashed by the verifier, and
 * only then renamed to `<name>`. A folder without `.partial` is therefore always complete and
 * verified. A plain export interrupted by a crash resumes: files already copied whose hash matches
 * the signed manifest are kept. An encrypted one starts over: nothing the device signed tells
 * whether a leftover `.age` file is the one this device wrote (whoever held the drive in between
 * could have swapped it). An export stopped by its signal (deadline) removes its partial output.
 */
export const PARTIAL_SUFFIX = '.partial';

export interface ExportOptions {
  sourceDir: string;
  targetRoot: string;
  /** Final folder name inside targetRoot. */
  name: string;
  key: DeviceKey;
  /** age encryption (ENCRYPTION.md); absent: a clear copy. */
  encrypt?: AgeTarget;
  /** Stops the export (a deadline): its partial output is removed and ExportError('stopped') thrown. */
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ExportResult {
  dir: string;
  encrypted: boolean;
  /** Bytes of segment files in the copy (ciphertext when encrypted). */
  bytes: number;
  copied: number;
  /** Files kept from an interrupted earlier attempt because their hash matched. */
  resumed: number;
  alreadyExported: boolean;
}

export type ExportFailure = 'not-verified' | 'exists' | 'stopped' | 'source-changed';

const failureCategory: Record<ExportFailure, ErrorCategory> = {
  // The recording did not verify (or changed while copied): copying it would hand over broken evidence.
  'not-verified': 'unprocessable',
  'source-changed': 'unprocessable',
  exists: 'conflict',
  stopped: 'timeout',
};

/** An export that stopped; the code is `export_<kind>`, the findings (if any) its details. */
export class ExportError extends DomainError {
  override name = 'ExportError';
  constructor(
    message: string,
    readonly findings: Finding[] = [],
    readonly kind: ExportFailure = 'not-verified',
  ) {
    super(
      failureCategory[kind],
      `export_${kind.replaceAll('-', '_')}`,
      findings.length ? `${message}: ${findings.map(formatFinding).join('; ')}` : message,
      findings.length ? findings : undefined,
    );
  }
}

export async function exportFolder(options: ExportOptions): Promise<ExportResult> {
  const { signal } = options;
  const partial = join(options.targetRoot, `${options.name}${PARTIAL_SUFFIX}`);
  try {
    signal?.throwIfAborted();
    return await exportOnce(options, partial);
  } catch (error) {
    if (!signal?.aborted) throw error;
    // Every step checks the signal or streams with it, so by now nothing writes into the folder.
    await rm(partial, { recursive: true, force: true });
    const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
    throw new ExportError(
      `export stopped before it finished (${reason}); its partial copy ${partial} was removed`,
      [],
      'stopped',
    );
  }
}

async function exportOnce(options: ExportOptions, partial: string): Promise<ExportResult> {
  const { sourceDir, targetRoot, name, key, signal } = options;
  const manifestRaw = await readFile(join(sourceDir, MANIFEST_FILE));
  const parsed = parseManifest(manifestRaw);
  if (!parsed.ok) throw new ExportError(`source manifest is not valid: ${parsed.problem}`);
  const manifest = parsed.manifest;
  const finalDir = join(targetRoot, name);
  const encrypted = options.encrypt !== undefined;

  if (await exists(finalDir)) {
    const report = await verifyFolder(finalDir, {
      pinnedPublicKeyPem: key.publicKeyPem,
      ...(signal ? { signal } : {}),
    });
    if (
      report.ok &&
      report.chainHead === manifest.chainHead &&
      report.encrypted === encrypted &&
      (await sameEncryption(finalDir, options.encrypt))
    ) {
      return { dir: finalDir, encrypted, bytes: report.bytesHashed, copied: 0, resumed: 0, alreadyExported: true };
    }
    throw new ExportError(
      `${finalDir} already exists and is not an intact copy of this recording made the same way; move it aside first`,
      [],
      'exists',
    );
  }

  if (encrypted) await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const counts = options.encrypt
    ? await copyEncrypted(options, options.encrypt, manifest, manifestRaw, partial)
    : await copyPlain(options, manifest, partial);

  // The anchor receipt (hashes and ids only) travels too, so the copy can be checked against its anchor.
  await rm(join(partial, ANCHOR_RECEIPT_FILE), { force: true });
  await copyFile(join(sourceDir, ANCHOR_RECEIPT_FILE), join(partial, ANCHOR_RECEIPT_FILE)).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    },
  );
  // Manifest last: until it is there, even the .partial folder fails verification.
  await copyFile(join(sourceDir, SIGNATURE_FILE), join(partial, SIGNATURE_FILE));
  await writeFileAtomic(join(partial, MANIFEST_FILE), manifestRaw);
  await fsyncPath(join(partial, SIGNATURE_FILE));
  await removeUnexpected(partial, manifest, encrypted);
  await readableByRecipient(partial);
  await fsyncPath(partial);

  // Re-read every byte of the copy from the target and check it against the signed manifest.
  const report = await verifyFolder(partial, { pinnedPublicKeyPem: key.publicKeyPem, ...(signal ? { signal } : {}) });
  if (!report.ok) throw new ExportError(`the copy in ${partial} does not verify`, report.findings);
  signal?.throwIfAborted();
  await rename(partial, finalDir);
  await fsyncPath(targetRoot);
  return { dir: finalDir, encrypted, bytes: report.bytesHashed, ...counts, alreadyExported: false };
}

/**
 * The drive leaves the device for the authority's machine, where another user reads it: the
 * device's own modes (0640/0440 under its umask, owned by its service user) would lock them out.
 */
async function readableByRecipient(dir: string): Promise<void> {
  for (const name of await readdir(dir)) await chmod(join(dir, name), 0o644);
  await chmod(dir, 0o755);
}

async function copyPlain(
  options: ExportOptions,
  manifest: Manifest,
  partial: string,
): Promise<{ copied: number; resumed: number }> {
  let copied = 0;
  let resumed = 0;
  for (const segment of manifest.segments) {
    options.signal?.throwIfAborted();
    const target = join(partial, segment.name);
    if (await matches(target, segment)) {
      resumed++;
      continue;
    }
    // A stream rather than copyFile: a deadline must be able to stop a big file half-way.
    await pipeline(
      createReadStream(join(options.sourceDir, segment.name), { highWaterMark: 1024 * 1024 }),
      createWriteStream(target),
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
    await fsyncPath(target);
    copied++;
  }
  return { copied, resumed };
}

async function copyEncrypted(
  options: ExportOptions,
  to: AgeTarget,
  manifest: Manifest,
  manifestRaw: Buffer,
  partial: string,
): Promise<{ copied: number; resumed: number }> {
  const files: EncryptedManifest['files'] = [];
  for (const segment of manifest.segments) {
    options.signal?.throwIfAborted();
    const source = join(options.sourceDir, segment.name);
    // The clear copy is never re-read on the target, so check what is encrypted before encrypting it.
    const sourceDigest = await sha256File(source);
    if (sourceDigest.sha256 !== segment.sha256 || sourceDigest.size !== segment.size)
      throw new ExportError(
        `${segment.name} in the recording folder no longer matches its manifest; run verify`,
        [],
        'source-changed',
      );
    const name = encryptedName(segment.name);
    const written = await encryptFile(source, join(partial, name), to, options.signal);
    files.push({ source: segment.name, name, size: written.size, sha256: written.sha256 });
  }
  const encryptedManifest: EncryptedManifest = {
    format: ENCRYPTED_MANIFEST_FORMAT,
    recordingId: manifest.recording.id,
    manifestSha256: sha256Hex(manifestRaw),
    encryption: AGE_FORMAT,
    to: describeTarget(to),
    files,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    fingerprint: options.key.fingerprint,
  };
  const bytes = encryptedManifestBytes(encryptedManifest);
  await writeFileAtomic(join(partial, ENCRYPTED_SIGNATURE_FILE), encodeSignature(signBytes(options.key, bytes)));
  await writeFileAtomic(join(partial, ENCRYPTED_MANIFEST_FILE), bytes);
  return { copied: files.length, resumed: 0 };
}

/** What the signed list says about the encryption: the recipients' public keys, or only that a passphrase was used. */
const describeTarget = (to: AgeTarget): EncryptedTo =>
  to.kind === 'recipients'
    ? { kind: 'recipients', recipients: to.recipients.map(({ name, publicKey }) => ({ name, publicKey })) }
    : { kind: 'passphrase', scryptWorkFactor: to.scryptWorkFactor ?? DEFAULT_SCRYPT_WORK_FACTOR };

/**
 * An existing encrypted copy counts as this export only if it is encrypted to the same recipients;
 * a passphrase cannot be compared without decrypting, so a passphrase export never reuses a copy.
 */
async function sameEncryption(dir: string, to: AgeTarget | undefined): Promise<boolean> {
  if (!to) return true;
  if (to.kind === 'passphrase') return false;
  const parsed = parseEncryptedManifest(await readFile(join(dir, ENCRYPTED_MANIFEST_FILE)));
  if (!parsed.ok || parsed.manifest.to.kind !== 'recipients') return false;
  const keys = (list: { publicKey: string }[]) => [...new Set(list.map((r) => r.publicKey))].sort().join(' ');
  return keys(parsed.manifest.to.recipients) === keys(to.recipients);
}

/** Leftovers of an earlier attempt (another mode, temporary files) would make the copy fail verification. */
async function removeUnexpected(partial: string, manifest: Manifest, encrypted: boolean): Promise<void> {
  const expected = new Set([
    MANIFEST_FILE,
    SIGNATURE_FILE,
    ANCHOR_RECEIPT_FILE,
    ...(encrypted
      ? [ENCRYPTED_MANIFEST_FILE, ENCRYPTED_SIGNATURE_FILE, ...manifest.segments.map((s) => encryptedName(s.name))]
      : manifest.segments.map((s) => s.name)),
  ]);
  for (const entry of await readdir(partial)) {
    if (!expected.has(entry)) await rm(join(partial, entry), { recursive: true, force: true });
  }
}

async function matches(path: string, expected: { size: number; sha256: string }): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size !== expected.size) return false;
  return (await sha256File(path)).sha256 === expected.sha256;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );
