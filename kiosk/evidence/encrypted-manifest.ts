import { z } from 'zod';
import { canonicalBytes } from './canonical-json.js';
import { AGE_FORMAT, AGE_SUFFIX, MAX_SCRYPT_WORK_FACTOR } from './encryption.js';
import type { Finding } from './findings.js';
import { segmentName, type Manifest } from './manifest.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Companion of manifest.json in an encrypted export: who the age files are encrypted to, and each
 * `.age` file's own size and SHA-256, signed by the device key, so the copy's integrity is checked
 * without any key. Layout and fields: ENCRYPTION.md.
 */
export const ENCRYPTED_MANIFEST_FORMAT = 'diemcau-encrypted-export/2';
export const ENCRYPTED_MANIFEST_FILE = 'encrypted-manifest.json';
export const ENCRYPTED_SIGNATURE_FILE = 'encrypted-manifest.sig';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const encryptedTo = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('recipients'),
      recipients: z
        .array(
          z.object({ name: z.string().min(1), publicKey: z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/) }).strict(),
        )
        .min(1),
    })
    .strict(),
  z
    .object({ kind: z.literal('passphrase'), scryptWorkFactor: z.number().int().min(1).max(MAX_SCRYPT_WORK_FACTOR) })
    .strict(),
]);

export const encryptedManifestSchema = z
  .object({
    format: z.literal(ENCRYPTED_MANIFEST_FORMAT),
    recordingId: z.string().min(1),
    /** SHA-256 of manifest.json's bytes: ties this file to exactly one manifest. */
    manifestSha256: hex64,
    encryption: z.literal(AGE_FORMAT),
    to: encryptedTo,
    files: z.array(
      z.object({ source: segmentName, name: segmentName, size: z.number().int().min(0), sha256: hex64 }).strict(),
    ),
    createdAt: z.string().min(1),
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  })
  .strict();

export type EncryptedManifest = z.infer<typeof encryptedManifestSchema>;
export type EncryptedTo = z.infer<typeof encryptedTo>;

export const encryptedName = (source: string): string => `${source}${AGE_SUFFIX}`;

export const encryptedManifestBytes = (manifest: EncryptedManifest): Buffer => canonicalBytes(manifest);

export function parseEncryptedManifest(
  bytes: Buffer,
): { ok: true; manifest: EncryptedManifest } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON (${describeError(error)})` };
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== ENCRYPTED_MANIFEST_FORMAT)
    return {
      ok: false,
      problem: `format ${format} is not ${ENCRYPTED_MANIFEST_FORMAT} (an export made by an older version)`,
    };
  const parsed = encryptedManifestSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  return { ok: true, manifest: parsed.data };
}

/** The encrypted list must name exactly the manifest's segments, in the same order, as `<name>.age`. */
export function checkEncryptedAgainstManifest(
  encrypted: EncryptedManifest,
  manifest: Manifest,
  manifestSha256: string,
): Finding[] {
  const findings: Finding[] = [];
  const file = ENCRYPTED_MANIFEST_FILE;
  if (encrypted.manifestSha256 !== manifestSha256)
    findings.push({ file, reason: 'bad-manifest', detail: 'it describes a different manifest.json' });
  if (encrypted.recordingId !== manifest.recording.id)
    findings.push({
      file,
      reason: 'bad-manifest',
      detail: `recording ${encrypted.recordingId} is not the manifest's ${manifest.recording.id}`,
    });
  if (encrypted.fingerprint !== manifest.publicKey.fingerprint)
    findings.push({ file, reason: 'key-mismatch', detail: 'signed for another device key than manifest.json' });
  const listed = new Map(encrypted.files.map((f, position) => [f.source, { ...f, position }]));
  manifest.segments.forEach((segment, position) => {
    const entry = listed.get(segment.name);
    if (!entry)
      findings.push({
        file: encryptedName(segment.name),
        reason: 'missing',
        detail: `segment ${segment.name} has no encrypted copy listed in ${file}`,
      });
    else if (entry.position !== position)
      findings.push({
        file: entry.name,
        reason: 'reordered',
        detail: `listed at position ${entry.position} in ${file}, the manifest has it at ${position}`,
      });
    else if (entry.name !== encryptedName(segment.name))
      findings.push({
        file,
        reason: 'bad-manifest',
        detail: `${segment.name} is encrypted as ${entry.name}, expected ${encryptedName(segment.name)}`,
      });
  });
  const segmentNames = new Set(manifest.segments.map((s) => s.name));
  for (const entry of encrypted.files) {
    if (!segmentNames.has(entry.source))
      findings.push({
        file: entry.name,
        reason: 'extra',
        detail: `${file} lists ${entry.source}, which the manifest does not`,
      });
  }
  return findings;
}
