import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ENCRYPTED_MANIFEST_FILE, parseEncryptedManifest } from './encrypted-manifest.js';
import { decryptFile, DecryptError, type DerivedKey } from './encryption.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './manifest.js';

/**
 * Turns an encrypted export back into a plain recording folder (clear segments, manifest.json,
 * manifest.sig), which `verifyFolder` then checks against the original hashes. On any failure the
 * output folder is removed: a half-decrypted folder must not be mistaken for the recording.
 */
export async function decryptFolder(encryptedDir: string, outDir: string, passphrase: string): Promise<{ files: number }> {
  const parsed = parseEncryptedManifest(await readFile(join(encryptedDir, ENCRYPTED_MANIFEST_FILE)));
  if (!parsed.ok) throw new DecryptError(`${ENCRYPTED_MANIFEST_FILE}: ${parsed.problem}`);
  // The output folder must be new: on failure it is removed, and an existing folder is not ours to remove.
  await mkdir(outDir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new DecryptError(`${outDir} already exists: decrypt into a new folder`) : error;
  });
  const keys = new Map<string, DerivedKey>();
  try {
    for (const file of parsed.manifest.files) {
      const header = await decryptFile(join(encryptedDir, file.name), join(outDir, file.source), passphrase, keys).catch((error: unknown) => {
        throw error instanceof DecryptError ? new DecryptError(`${file.name}: ${error.message}`) : error;
      });
      if (header.name !== file.source) throw new DecryptError(`${file.name} holds ${header.name}, the list says ${file.source}`);
    }
    await copyFile(join(encryptedDir, MANIFEST_FILE), join(outDir, MANIFEST_FILE));
    await copyFile(join(encryptedDir, SIGNATURE_FILE), join(outDir, SIGNATURE_FILE));
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  return { files: parsed.manifest.files.length };
}
