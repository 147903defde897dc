import { createHmac } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSignature, signBytes, type DeviceKey } from './device-key.js';
import { encryptedManifestBytes, encryptedName, ENCRYPTED_MANIFEST_FILE, ENCRYPTED_MANIFEST_FORMAT, ENCRYPTED_SIGNATURE_FILE, type EncryptedManifest } from './encrypted-manifest.js';
import { deriveKey, encryptFile, newKdfParams, DEFAULT_KDF, type DerivedKey, type KdfParams } from './encryption.js';
import { formatFinding, type Finding } from './findings.js';
import { fsyncPath, writeFileAtomic } from './files.js';
import { sha256File, sha256Hex } from './hashing.js';
import { MANIFEST_FILE, parseManifest, SIGNATURE_FILE, type Manifest } from './manifest.js';
import { verifyFolder } from './verify.js';

/**
 * Copies a sealed recording folder to a target (a USB disk the technician mounted, or any folder):
 * into `<name>.partial`, fsynced, re-hashed by the verifier, and only then renamed to `<name>`.
 * A folder without `.partial` is therefore always complete and verified. An interrupted export
 * resumes: files already copied whose hash matches are kept, anything else is copied again.
 */
export const PARTIAL_SUFFIX = '.partial';
const JOURNAL_FILE = '.export-journal.json';

export interface ExportOptions {
  sourceDir: string;
  targetRoot: string;
  /** Final folder name inside targetRoot. */
  name: string;
  key: DeviceKey;
  encrypt?: { passphrase: string; cost?: { N: number; r: number; p: number } };
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

export class ExportError extends Error {
  override name = 'ExportError';
  constructor(message: string, readonly findings: Finding[] = []) {
    super(findings.length ? `${message}: ${findings.map(formatFinding).join('; ')}` : message);
  }
}

interface Journal {
  kdf: KdfParams;
  keyCheck: string;
  done: Record<string, { size: number; sha256: string }>;
}

export async function exportFolder(options: ExportOptions): Promise<ExportResult> {
  const { sourceDir, targetRoot, name, key } = options;
  const manifestRaw = await readFile(join(sourceDir, MANIFEST_FILE));
  const parsed = parseManifest(manifestRaw);
  if (!parsed.ok) throw new ExportError(`source manifest is not valid: ${parsed.problem}`);
  const manifest = parsed.manifest;
  const finalDir = join(targetRoot, name);
  const encrypted = options.encrypt !== undefined;

  if (await exists(finalDir)) {
    const report = await verifyFolder(finalDir, { pinnedPublicKeyPem: key.publicKeyPem });
    if (report.ok && report.chainHead === manifest.chainHead && report.encrypted === encrypted) {
      return { dir: finalDir, encrypted, bytes: report.bytesHashed, copied: 0, resumed: 0, alreadyExported: true };
    }
    throw new ExportError(`${finalDir} already exists and is not an intact copy of this recording; move it aside first`);
  }

  const partial = join(targetRoot, `${name}${PARTIAL_SUFFIX}`);
  await mkdir(partial, { recursive: true });
  const counts = encrypted
    ? await copyEncrypted(options, manifest, manifestRaw, partial)
    : await copyPlain(options, manifest, partial);

  // Manifest last: until it is there, even the .partial folder fails verification.
  await copyFile(join(sourceDir, SIGNATURE_FILE), join(partial, SIGNATURE_FILE));
  await writeFileAtomic(join(partial, MANIFEST_FILE), manifestRaw);
  await fsyncPath(join(partial, SIGNATURE_FILE));
  await rm(join(partial, JOURNAL_FILE), { force: true });
  await removeUnexpected(partial, manifest, encrypted);
  await fsyncPath(partial);

  // Re-read every byte of the copy from the target and check it against the signed manifest.
  const report = await verifyFolder(partial, { pinnedPublicKeyPem: key.publicKeyPem });
  if (!report.ok) throw new ExportError(`the copy in ${partial} does not verify`, report.findings);
  await rename(partial, finalDir);
  await fsyncPath(targetRoot);
  return { dir: finalDir, encrypted, bytes: report.bytesHashed, ...counts, alreadyExported: false };
}

async function copyPlain(options: ExportOptions, manifest: Manifest, partial: string): Promise<{ copied: number; resumed: number }> {
  let copied = 0;
  let resumed = 0;
  for (const segment of manifest.segments) {
    options.signal?.throwIfAborted();
    const target = join(partial, segment.name);
    if (await matches(target, segment)) {
      resumed++;
      continue;
    }
    await copyFile(join(options.sourceDir, segment.name), target);
    await fsyncPath(target);
    copied++;
  }
  return { copied, resumed };
}

async function copyEncrypted(options: ExportOptions, manifest: Manifest, manifestRaw: Buffer, partial: string): Promise<{ copied: number; resumed: number }> {
  const { passphrase, cost } = options.encrypt!;
  const journalPath = join(partial, JOURNAL_FILE);
  let journal = await readJournal(journalPath);
  let derived: DerivedKey | undefined;
  if (journal) {
    derived = await deriveKey(passphrase, journal.kdf);
    // Another passphrase than the interrupted attempt's: its files are useless, start over.
    if (keyCheck(derived) !== journal.keyCheck) {
      await rm(partial, { recursive: true, force: true });
      await mkdir(partial, { recursive: true });
      journal = undefined;
      derived = undefined;
    }
  }
  if (!derived || !journal) {
    derived = await deriveKey(passphrase, newKdfParams(cost ?? DEFAULT_KDF));
    journal = { kdf: derived.kdf, keyCheck: keyCheck(derived), done: {} };
    await writeFileAtomic(journalPath, JSON.stringify(journal));
  }
  let copied = 0;
  let resumed = 0;
  const files: EncryptedManifest['files'] = [];
  for (const segment of manifest.segments) {
    options.signal?.throwIfAborted();
    const name = encryptedName(segment.name);
    const target = join(partial, name);
    const done = journal.done[name];
    if (done && (await matches(target, done))) {
      resumed++;
    } else {
      const source = join(options.sourceDir, segment.name);
      const sourceDigest = await sha256File(source);
      if (sourceDigest.sha256 !== segment.sha256) throw new ExportError(`${segment.name} in the recording folder no longer matches its manifest; run verify`);
      journal.done[name] = await encryptFile(source, target, segment.name, derived);
      await writeFileAtomic(journalPath, JSON.stringify(journal));
      copied++;
    }
    files.push({ source: segment.name, name, size: journal.done[name]!.size, sha256: journal.done[name]!.sha256 });
  }
  const encryptedManifest: EncryptedManifest = {
    format: ENCRYPTED_MANIFEST_FORMAT,
    recordingId: manifest.recording.id,
    manifestSha256: sha256Hex(manifestRaw),
    kdf: derived.kdf,
    cipher: 'aes-256-gcm',
    files,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    fingerprint: options.key.fingerprint,
  };
  const bytes = encryptedManifestBytes(encryptedManifest);
  await writeFileAtomic(join(partial, ENCRYPTED_SIGNATURE_FILE), encodeSignature(signBytes(options.key, bytes)));
  await writeFileAtomic(join(partial, ENCRYPTED_MANIFEST_FILE), bytes);
  return { copied, resumed };
}

/** Proves the passphrase is the same as an interrupted attempt's without storing anything that helps guess it. */
const keyCheck = (derived: DerivedKey): string => createHmac('sha256', derived.key).update('diemcau export key check').digest('hex');

async function readJournal(path: string): Promise<Journal | undefined> {
  try {
    const journal = JSON.parse(await readFile(path, 'utf8')) as Journal;
    return journal.kdf && journal.keyCheck && journal.done ? journal : undefined;
  } catch {
    return undefined;
  }
}

/** Leftovers of an earlier attempt (another mode, temporary files) would make the copy fail verification. */
async function removeUnexpected(partial: string, manifest: Manifest, encrypted: boolean): Promise<void> {
  const expected = new Set([MANIFEST_FILE, SIGNATURE_FILE, ...(encrypted ? [ENCRYPTED_MANIFEST_FILE, ENCRYPTED_SIGNATURE_FILE, ...manifest.segments.map((s) => encryptedName(s.name))] : manifest.segments.map((s) => s.name))]);
  for (const entry of await readdir(partial)) {
    if (!expected.has(entry)) await rm(join(partial, entry), { recursive: true, force: true });
  }
}

async function matches(path: string, expected: { size: number; sha256: string }): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size !== expected.size) return false;
  return (await sha256File(path)).sha256 === expected.sha256;
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);
