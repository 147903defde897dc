import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { canonicalBytes } from './canonical-json.js';

/**
 * Passphrase encryption of exported files. The format is written down in ENCRYPTION.md; keep the
 * two in step. Each file is self-contained: magic, header (KDF parameters and salt), then
 * AES-256-GCM chunks whose index and final flag are authenticated, so truncation, reordering and
 * splicing of chunks are all detected.
 */
export const ENCRYPTED_MAGIC = Buffer.from('DCAUENC1', 'ascii');
export const ENCRYPTED_FORMAT = 'diemcau-enc/1';
export const ENCRYPTED_SUFFIX = '.enc';
const TAG_BYTES = 16;
const NONCE_PREFIX_BYTES = 8;
const MAX_HEADER_BYTES = 64 * 1024;

export interface KdfParams {
  name: 'scrypt';
  /** CPU/memory cost (a power of two). */
  N: number;
  r: number;
  p: number;
  /** base64, 16 random bytes, one per export. */
  salt: string;
}

/** 2^17 × 8 × 128 B = 128 MiB and about half a second per derivation: once per export, not per file. */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Bounds on what a header may ask for, so a crafted file cannot make decrypt exhaust memory. */
const LIMITS = { N: 2 ** 20, r: 32, p: 16, chunkSize: 16 * 1024 * 1024 };

export interface EncryptedHeader {
  format: typeof ENCRYPTED_FORMAT;
  cipher: 'aes-256-gcm';
  kdf: KdfParams;
  chunkSize: number;
  /** base64, 8 random bytes per file: nonce = prefix ‖ uint32 BE chunk index. */
  noncePrefix: string;
  /** The clear file's name, so a decrypted folder gets its names back. */
  name: string;
}

export class DecryptError extends Error {
  override name = 'DecryptError';
}

/** An encryption key derived from a passphrase, with the parameters that derive it again. */
export interface DerivedKey {
  kdf: KdfParams;
  key: Buffer;
}

export async function deriveKey(passphrase: string, kdf: KdfParams): Promise<DerivedKey> {
  if (kdf.N > LIMITS.N || kdf.r > LIMITS.r || kdf.p > LIMITS.p || !Number.isInteger(Math.log2(kdf.N))) throw new DecryptError(`scrypt parameters N=${kdf.N} r=${kdf.r} p=${kdf.p} are outside what this software accepts`);
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 };
  const key = await new Promise<Buffer>((resolve, reject) => scryptCallback(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, options, (error, derived) => (error ? reject(error) : resolve(derived))));
  return { kdf, key };
}

export const newKdfParams = (cost: { N: number; r: number; p: number } = DEFAULT_KDF): KdfParams => ({ name: 'scrypt', ...cost, salt: randomBytes(16).toString('base64') });

/** The header block: magic ‖ uint32 BE length ‖ canonical JSON header. */
export function encodeHeader(header: EncryptedHeader): Buffer {
  const json = canonicalBytes(header);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([ENCRYPTED_MAGIC, length, json]);
}

export function chunkNonce(noncePrefix: Buffer, index: number): Buffer {
  const nonce = Buffer.alloc(12);
  noncePrefix.copy(nonce, 0, 0, NONCE_PREFIX_BYTES);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  return nonce;
}

/** AAD = SHA-256(header block) ‖ uint64 BE chunk index ‖ final flag (1 on the last chunk, else 0). */
export function chunkAad(headerDigest: Buffer, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(32 + 8 + 1);
  headerDigest.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), 32);
  aad[40] = final ? 1 : 0;
  return aad;
}

export interface EncryptedFile {
  size: number;
  sha256: string;
}

/** Encrypts `source` into `target` (created or truncated), fsyncs it, and returns the ciphertext's size and SHA-256. */
export async function encryptFile(source: string, target: string, name: string, key: DerivedKey, chunkSize = DEFAULT_CHUNK_BYTES): Promise<EncryptedFile> {
  const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
  const header = encodeHeader({ format: ENCRYPTED_FORMAT, cipher: 'aes-256-gcm', kdf: key.kdf, chunkSize, noncePrefix: noncePrefix.toString('base64'), name });
  const headerDigest = createHash('sha256').update(header).digest();
  const input = await open(source, 'r');
  const output = await open(target, 'w', 0o600);
  const digest = createHash('sha256');
  let size = 0;
  const write = async (bytes: Buffer) => {
    digest.update(bytes);
    size += bytes.length;
    await writeAll(output, bytes);
  };
  try {
    const plainSize = (await input.stat()).size;
    const chunks = Math.max(1, Math.ceil(plainSize / chunkSize));
    await write(header);
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (let index = 0; index < chunks; index++) {
      const length = Math.min(chunkSize, plainSize - index * chunkSize);
      const { bytesRead } = await input.read(buffer, 0, length, index * chunkSize);
      if (bytesRead !== length) throw new Error(`${source} changed while it was being encrypted`);
      const cipher = createCipheriv('aes-256-gcm', key.key, chunkNonce(noncePrefix, index));
      cipher.setAAD(chunkAad(headerDigest, index, index === chunks - 1));
      await write(Buffer.concat([cipher.update(buffer.subarray(0, length)), cipher.final(), cipher.getAuthTag()]));
    }
    await output.sync();
  } finally {
    await input.close();
    await output.close();
  }
  return { size, sha256: digest.digest('hex') };
}

/** Reads the header of an encrypted file (no passphrase needed). */
export async function readHeader(handle: FileHandle): Promise<{ header: EncryptedHeader; headerBytes: number; digest: Buffer }> {
  const prefix = Buffer.alloc(12);
  const { bytesRead } = await handle.read(prefix, 0, 12, 0);
  if (bytesRead < 12 || !prefix.subarray(0, 8).equals(ENCRYPTED_MAGIC)) throw new DecryptError('not a Điểm Cầu encrypted file (bad magic)');
  const length = prefix.readUInt32BE(8);
  if (length > MAX_HEADER_BYTES) throw new DecryptError(`header of ${length} bytes is too large`);
  const json = Buffer.alloc(length);
  if ((await handle.read(json, 0, length, 12)).bytesRead !== length) throw new DecryptError('header is cut short');
  let header: EncryptedHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as EncryptedHeader;
  } catch {
    throw new DecryptError('header is not JSON');
  }
  if (header.format !== ENCRYPTED_FORMAT || header.cipher !== 'aes-256-gcm' || header.kdf?.name !== 'scrypt') throw new DecryptError(`unsupported format ${header.format}/${header.cipher}`);
  if (!Number.isInteger(header.chunkSize) || header.chunkSize < 1 || header.chunkSize > LIMITS.chunkSize) throw new DecryptError(`chunk size ${header.chunkSize} is out of range`);
  const block = Buffer.concat([prefix, json]);
  return { header, headerBytes: block.length, digest: createHash('sha256').update(block).digest() };
}

/**
 * Decrypts one file. `keys` caches derived keys by salt: every file of an export shares one, and
 * scrypt is deliberately slow. A wrong passphrase, a changed byte, a missing or reordered chunk, or
 * a truncated file all end in DecryptError; the partial output is the caller's to remove.
 */
export async function decryptFile(source: string, target: string, passphrase: string, keys: Map<string, DerivedKey> = new Map()): Promise<EncryptedHeader> {
  const input = await open(source, 'r');
  const output = await open(target, 'w', 0o600);
  try {
    const { header, headerBytes, digest } = await readHeader(input);
    const cacheKey = `${header.kdf.salt}/${header.kdf.N}/${header.kdf.r}/${header.kdf.p}`;
    let key = keys.get(cacheKey);
    if (!key) {
      key = await deriveKey(passphrase, header.kdf);
      keys.set(cacheKey, key);
    }
    const total = (await input.stat()).size;
    const body = total - headerBytes;
    const stride = header.chunkSize + TAG_BYTES;
    const chunks = Math.max(1, Math.ceil(body / stride));
    if (body < TAG_BYTES) throw new DecryptError('file is cut short');
    const noncePrefix = Buffer.from(header.noncePrefix, 'base64');
    const buffer = Buffer.allocUnsafe(stride);
    for (let index = 0; index < chunks; index++) {
      const length = Math.min(stride, body - index * stride);
      if (length < TAG_BYTES) throw new DecryptError(`chunk ${index} is cut short`);
      await input.read(buffer, 0, length, headerBytes + index * stride);
      const decipher = createDecipheriv('aes-256-gcm', key.key, chunkNonce(noncePrefix, index));
      decipher.setAAD(chunkAad(digest, index, index === chunks - 1));
      decipher.setAuthTag(buffer.subarray(length - TAG_BYTES, length));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buffer.subarray(0, length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new DecryptError(index === 0 ? 'authentication failed on the first chunk: wrong passphrase or changed file' : `authentication failed on chunk ${index}: the file was changed or cut short`);
      }
      await writeAll(output, plain);
    }
    await output.sync();
    return header;
  } finally {
    await input.close();
    await output.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
}
