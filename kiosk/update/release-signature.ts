import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A release is signed as a whole: the `.sig` beside the artifact is the raw 64-byte Ed25519
 * signature of the artifact's bytes, base64 on one line. Raw on purpose: `openssl pkeyutl -verify
 * -rawin` checks it too, so the first install can verify a release before running any of its code
 * (scripts/install-device.sh), and the device's updater checks it with node:crypto.
 */
export const signatureSuffix = '.sig';

export type SignatureCheck =
  | { ok: true; keyId: string }
  | { ok: false; reason: 'unsigned' | 'bad-signature' | 'no-trusted-keys'; detail: string };

/** A short, stable name for a public key: the first 16 hex digits of the SHA-256 of its DER (SPKI). */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signBytes(bytes: Buffer, privateKeyPem: string): string {
  return `${sign(null, bytes, privateKeyPem).toString('base64')}\n`;
}

/** Pure: does one of `keys` vouch for `bytes` with `signatureText` (the `.sig` file's content)? */
export function checkSignature(
  bytes: Buffer,
  signatureText: string | undefined,
  keys: readonly KeyObject[],
): SignatureCheck {
  if (keys.length === 0) return { ok: false, reason: 'no-trusted-keys', detail: 'the device trusts no release key' };
  if (signatureText === undefined || signatureText.trim() === '')
    return { ok: false, reason: 'unsigned', detail: 'the release has no signature' };
  const signature = Buffer.from(signatureText.trim(), 'base64');
  if (signature.length !== 64)
    return { ok: false, reason: 'bad-signature', detail: 'the signature is not an Ed25519 signature' };
  for (const key of keys) if (verify(null, bytes, key, signature)) return { ok: true, keyId: keyIdOf(key) };
  return {
    ok: false,
    reason: 'bad-signature',
    detail: 'no trusted key made this signature (tampered, or signed by another key)',
  };
}

/** Checks `artifact` against `artifact.sig` with the trusted keys. */
export async function verifyArtifact(artifact: string, keys: readonly KeyObject[]): Promise<SignatureCheck> {
  const signature = await readFile(`${artifact}${signatureSuffix}`, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return checkSignature(await readFile(artifact), signature, keys);
}

/** The Ed25519 public keys (`*.pem`) in the device's release-keys folder; another kind of key is an error, not skipped. */
export async function loadTrustedKeys(dir: string): Promise<KeyObject[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const keys: KeyObject[] = [];
  for (const name of names.filter((n) => n.endsWith('.pem')).sort()) {
    const key = createPublicKey(await readFile(join(dir, name), 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(`${join(dir, name)}: not an Ed25519 public key (${key.asymmetricKeyType})`);
    keys.push(key);
  }
  return keys;
}
