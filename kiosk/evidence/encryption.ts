import type { Recipient, Stanza } from 'age-encryption';
import { createCipheriv, createHash, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Encrypted exports in the age format (age-encryption.org/v1), through the reference TypeScript
 * implementation (`age-encryption`), so that Debian's `age` CLI opens them: see ENCRYPTION.md.
 *
 * The library streams: `Encrypter.encrypt(ReadableStream)` returns a ReadableStream and works in
 * age's 64 KiB STREAM chunks, so a segment of hundreds of MB is never held in memory (one file at a
 * time, a few MB of buffers). Its ChaCha20-Poly1305 is pure JavaScript (about 35–40 MB/s on this
 * class of machine): a USB 2 stick writes slower than that, so it is not the bottleneck. It runs
 * on the daemon's event loop in slices of one read (1 MiB, 16 age chunks): measured event-loop
 * delay while encrypting 100 MB, p50 about 20 ms, p99 under 40 ms.
 *
 * One exception to using the library as it is: its scrypt recipient derives the key with a
 * synchronous JavaScript scrypt (2.5 s per file at age's work factor, with the daemon's event loop
 * blocked all along, watchdog included). The passphrase stanza is made here instead, through the
 * library's Recipient interface, with Node's native scrypt on the thread pool; the stanza is age's
 * own (age-encryption.org/v1 "scrypt" recipient), so the library and the age CLI read it as theirs.
 */
export const AGE_SUFFIX = '.age';
export const AGE_FORMAT = 'age-encryption.org/v1';
/** age's own default: 2^18 (256 MiB for scrypt), once per file. */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
/** What age itself accepts at most when decrypting (a crafted header must not exhaust memory). */
export const MAX_SCRYPT_WORK_FACTOR = 20;
const READ_CHUNK_BYTES = 1024 * 1024;

/** An authority that may open confidential exports: a name for people, an age X25519 public key. */
export interface AgeRecipient {
  name: string;
  publicKey: string;
}

/** Who an export is encrypted to. age allows a passphrase (scrypt) only as a file's sole recipient. */
export type AgeTarget =
  | { kind: 'recipients'; recipients: AgeRecipient[] }
  | { kind: 'passphrase'; passphrase: string; scryptWorkFactor?: number };

/** What opens an age file: identities (`AGE-SECRET-KEY-1…`) or a passphrase. */
export type AgeKey = { kind: 'identities'; identities: string[] } | { kind: 'passphrase'; passphrase: string };

export class DecryptError extends Error {
  override name = 'DecryptError';
}

/** The passphrase as UTF-8 after NFC: Vietnamese typed on different keyboards gives the same bytes. */
const normalisePassphrase = (passphrase: string): string => passphrase.normalize('NFC');

const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';

/** Loaded at the first encryption or decryption: ~8 MiB the idle daemon does not carry (bench `daemon`). */
const age = () => import('age-encryption');

/** age's scrypt recipient (spec: "scrypt" stanza, salt 16 bytes, r = 8, p = 1, ChaCha20-Poly1305 of the file key under a zero nonce). */
class ScryptRecipient implements Recipient {
  constructor(
    private readonly passphrase: string,
    private readonly logN: number,
  ) {}

  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16);
    const N = 2 ** this.logN;
    const options: ScryptOptions = { N, r: 8, p: 1, maxmem: 256 * N * 8 + 1024 * 1024 };
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(
        Buffer.from(this.passphrase, 'utf8'),
        Buffer.concat([Buffer.from(SCRYPT_LABEL, 'latin1'), salt]),
        32,
        options,
        (error, derived) => (error ? reject(error) : resolve(derived)),
      ),
    );
    const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
    const { Stanza } = await age();
    return [new Stanza(['scrypt', salt.toString('base64').replace(/=+$/, ''), String(this.logN)], body)];
  }
}

export interface EncryptedFile {
  size: number;
  sha256: string;
}

/** Hashes and counts what passes through: the ciphertext's digest without reading the file again. */
class Digest extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }
}

const webReadable = (path: string): ReadableStream<Uint8Array> =>
  Readable.toWeb(createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) as unknown as ReadableStream<Uint8Array>;
const nodeReadable = (stream: ReadableStream<Uint8Array>): Readable =>
  Readable.fromWeb(stream as unknown as NodeWebReadableStream<Uint8Array>);

/** Encrypts `source` into `target` (created or truncated, mode 0600), fsyncs it, returns the ciphertext's size and SHA-256. */
export async function encryptFile(
  source: string,
  target: string,
  to: AgeTarget,
  signal?: AbortSignal,
): Promise<EncryptedFile> {
  const { Encrypter } = await age();
  const encrypter = new Encrypter();
  if (to.kind === 'passphrase') {
    // Alone in the header, as age requires of a passphrase.
    encrypter.addRecipient(
      new ScryptRecipient(normalisePassphrase(to.passphrase), to.scryptWorkFactor ?? DEFAULT_SCRYPT_WORK_FACTOR),
    );
  } else {
    if (to.recipients.length === 0) throw new Error('no recipient to encrypt to');
    for (const recipient of to.recipients) encrypter.addRecipient(recipient.publicKey);
  }
  const digest = new Digest();
  const ciphertext = nodeReadable(await encrypter.encrypt(webReadable(source)));
  await pipeline(ciphertext, digest, createWriteStream(target, { mode: 0o600 }), ...(signal ? [{ signal }] : []));
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { size: digest.size, sha256: digest.hash.digest('hex') };
}

/**
 * Decrypts one age file into `target` and returns the clear bytes' size and SHA-256. A wrong key,
 * a changed byte or a file cut short end in DecryptError; the partial output is the caller's to remove.
 */
export async function decryptFile(
  source: string,
  target: string,
  key: AgeKey,
  signal?: AbortSignal,
): Promise<EncryptedFile> {
  const { Decrypter } = await age();
  const decrypter = new Decrypter();
  if (key.kind === 'passphrase') decrypter.addPassphrase(normalisePassphrase(key.passphrase));
  else {
    for (const identity of key.identities) {
      try {
        decrypter.addIdentity(identity);
      } catch {
        throw new DecryptError('an identity in the identity file is not a valid age identity (bad checksum or length)');
      }
    }
  }
  let clear: ReadableStream<Uint8Array>;
  try {
    clear = await decrypter.decrypt(webReadable(source));
  } catch (error) {
    throw new DecryptError(headerProblem(describeError(error), key));
  }
  const digest = new Digest();
  try {
    await pipeline(
      nodeReadable(clear),
      digest,
      createWriteStream(target, { mode: 0o600 }),
      ...(signal ? [{ signal }] : []),
    );
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new DecryptError(
      `the encrypted content does not authenticate (${describeError(error)}): the file was changed or cut short`,
    );
  }
  return { size: digest.size, sha256: digest.hash.digest('hex') };
}

function headerProblem(message: string, key: AgeKey): string {
  if (/invalid header HMAC/i.test(message)) return 'the age header was changed (its MAC does not match)';
  if (/no identity matched/i.test(message))
    return key.kind === 'passphrase'
      ? "wrong passphrase, or the file was encrypted to recipients' keys, not to a passphrase"
      : 'none of the given identities is a recipient of this file';
  if (/scrypt recipient is not the only one/i.test(message))
    return 'malformed age header: a passphrase stanza beside other recipients';
  if (/work factor/i.test(message)) return `scrypt work factor above 2^${MAX_SCRYPT_WORK_FACTOR}: refused`;
  return `not a valid age file (${message})`;
}

/** Reads identities from an age key file (`age-keygen -o key.txt`): every line but comments and blanks. */
export function parseIdentityFile(text: string): string[] {
  const identities = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const identity of identities) {
    if (!identity.startsWith('AGE-SECRET-KEY-1'))
      throw new DecryptError('the identity file holds a line that is not an age identity (AGE-SECRET-KEY-1…)');
  }
  if (identities.length === 0) throw new DecryptError('the identity file holds no age identity (AGE-SECRET-KEY-1…)');
  return identities;
}
