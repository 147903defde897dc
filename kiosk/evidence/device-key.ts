import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileModes, makeDir, tightenModes } from '../core/file-modes.js';
import { sha256Hex } from '../core/hashing.js';

/** Relative to the data dir. */
export const DEVICE_KEY_PATH = join('keys', 'device-ed25519.pem');

/** The device's signing key (khoá thiết bị): signs manifests; central monitoring and the province hold the public half. */
export interface DeviceKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** `sha256:` + hex SHA-256 of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  return `sha256:${sha256Hex(publicKey.export({ type: 'spki', format: 'der' }))}`;
}

export function deviceKeyFrom(privateKey: KeyObject): DeviceKey {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`device key must be Ed25519, found ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

export function generateDeviceKey(): DeviceKey {
  return deviceKeyFrom(generateKeyPairSync('ed25519').privateKey);
}

/**
 * Loads the key, generating it on first start. The private key is readable by the daemon's user
 * only (file 0600 in a 0700 directory); a looser mode found later is tightened, and said so.
 */
export async function loadOrCreateDeviceKey(
  dataDir: string,
  onWarning: (message: string) => void = () => undefined,
): Promise<{ key: DeviceKey; created: boolean }> {
  const path = join(dataDir, DEVICE_KEY_PATH);
  await makeDir(dirname(path), fileModes.privateDir);
  const { changed, failed } = await tightenModes([
    { path: dirname(path), max: fileModes.privateDir },
    { path, max: fileModes.privateFile },
  ]);
  for (const change of changed)
    onWarning(`${change.path} had mode ${change.from.toString(8)}; set to ${change.to.toString(8)}`);
  for (const failure of failed)
    onWarning(`${failure.path} has mode ${failure.mode.toString(8)} and could not be tightened (${failure.error})`);
  let pem: string | undefined;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (pem !== undefined) return { key: deviceKeyFrom(createPrivateKey(pem)), created: false };
  const key = generateDeviceKey();
  // 'wx': never overwrite a key another process wrote in the meantime; signatures depend on it.
  await writeFile(path, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: fileModes.privateFile,
    flag: 'wx',
  });
  await chmod(path, fileModes.privateFile);
  return { key, created: true };
}

export const signBytes = (key: DeviceKey, bytes: Buffer): Buffer => sign(null, bytes, key.privateKey);

/** The signature file's content: base64 and a newline, readable in any editor. */
export const encodeSignature = (signature: Buffer): string => `${signature.toString('base64')}\n`;

export function verifySignature(publicKeyPem: string, bytes: Buffer, signatureText: string): boolean {
  const signature = Buffer.from(signatureText.trim(), 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, bytes, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}

/** Loads an existing key only: tools run beside the daemon must never create one of their own. */
export async function loadDeviceKey(dataDir: string): Promise<DeviceKey> {
  return deviceKeyFrom(createPrivateKey(await readFile(join(dataDir, DEVICE_KEY_PATH), 'utf8')));
}
