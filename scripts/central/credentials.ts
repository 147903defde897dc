import { readFile, writeFile } from 'node:fs/promises';
import { generateUser, userFromSeed } from '../../kiosk/fleet/keys/nkey.js';
import { describeError } from '../../hal/core/describe-error.js';

/** A new nkey user: the seed (secret, `SU…`) for the one who connects, the public key (`U…`) for the server's config. */
export const newUserKey = generateUser;

/** The public key of the seed in `file`, or undefined when there is no such file. */
export async function publicKeyOfSeedFile(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  try {
    return userFromSeed(text).publicKey;
  } catch (error) {
    throw new Error(`${file}: ${describeError(error)}`);
  }
}

/** Written once, 0600, never over an existing file (a seed already handed to a room must stay valid). */
export async function writeSeedFile(file: string, seed: string): Promise<void> {
  await writeFile(file, `${seed}\n`, { mode: 0o600, flag: 'wx' });
}
