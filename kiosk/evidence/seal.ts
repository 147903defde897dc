import { join } from 'node:path';
import { encodeSignature, signBytes, type DeviceKey } from './device-key.js';
import { writeFileAtomic } from './files.js';
import {
  buildManifest,
  MANIFEST_FILE,
  manifestBytes,
  SIGNATURE_FILE,
  type Manifest,
  type ManifestInput,
} from './manifest.js';

/** Builds, signs and writes manifest.json and manifest.sig into a recording folder. */
export async function writeSignedManifest(
  dir: string,
  input: Omit<ManifestInput, 'publicKey'>,
  key: DeviceKey,
): Promise<Manifest> {
  const manifest = buildManifest({
    ...input,
    publicKey: { algorithm: 'ed25519', fingerprint: key.fingerprint, pem: key.publicKeyPem },
  });
  const bytes = manifestBytes(manifest);
  // The signature first: a crash between the two leaves a manifest that fails verification, never a stale one that passes.
  await writeFileAtomic(join(dir, SIGNATURE_FILE), encodeSignature(signBytes(key, bytes)));
  await writeFileAtomic(join(dir, MANIFEST_FILE), bytes);
  return manifest;
}
