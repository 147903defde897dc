import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileModes, makeDir } from '../core/file-modes.js';

/**
 * Encryption at rest of citizens' identities (the denouncer's above all: seed 000 I.2, seed 003 art. 2.3).
 *
 * Key: 32 random bytes, created at first start in `<dataDir>/keys/identity.key` (directory 0700,
 * file 0600, owned by the daemon's user), hex-encoded on one line. Losing the key makes the stored
 * identities unreadable (by design: a copied database alone reveals nobody); back the key up apart
 * from the database.
 *
 * Sealed record (bytes): `0x01` format version | 12-byte random IV | 16-byte GCM tag | ciphertext
 * of the identity's JSON, AES-256-GCM, with the citizen's id as additional authenticated data so a
 * sealed identity cannot be moved onto another citizen's row unnoticed.
 */
export class IdentityVault {
  static readonly FORMAT = 0x01;
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** Opens the key file, creating it (0600) when absent; refuses a key file others may read. */
  static async open(keyPath: string): Promise<IdentityVault> {
    await makeDir(dirname(keyPath), fileModes.privateDir);
    try {
      const handle = await open(keyPath, 'wx', fileModes.privateFile);
      try {
        await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // umask can narrow the mode given to open(); make it exact.
      await chmod(keyPath, fileModes.privateFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const mode = (await stat(keyPath)).mode & 0o777;
    if ((mode & 0o077) !== 0)
      throw new Error(`identity key ${keyPath} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
    const key = Buffer.from((await readFile(keyPath, 'utf8')).trim(), 'hex');
    if (key.length !== 32) throw new Error(`identity key ${keyPath} is not 32 bytes of hex`);
    return new IdentityVault(key);
  }

  /** For tests and tools that hold a key in memory. */
  static fromKey(key: Buffer): IdentityVault {
    if (key.length !== 32) throw new Error('identity key must be 32 bytes');
    return new IdentityVault(Buffer.from(key));
  }

  seal(value: unknown, boundTo: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(IdentityVault.FORMAT), iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the record was altered, moved to another row, or sealed with another key. */
  open<T>(sealed: Buffer, boundTo: string): T {
    if (sealed.length < 29 || sealed[0] !== IdentityVault.FORMAT) throw new Error('not a sealed identity record');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.subarray(1, 13));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(sealed.subarray(13, 29));
    const plain = Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
