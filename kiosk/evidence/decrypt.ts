import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ENCRYPTED_MANIFEST_FILE, parseEncryptedManifest } from './encrypted-manifest.js';
import { decryptFile, DecryptError, type AgeKey } from './encryption.js';
import { MANIFEST_FILE, parseManifest, SIGNATURE_FILE } from './manifest.js';

/**
 * Turns an encrypted export back into a plain recording folder (clear segments, manifest.json,
 * manifest.sig), which `verifyFolder` then checks against the original hashes. Each clear file's
 * size and SHA-256 are also compared with manifest.json as it is decrypted, so a wrong file names
 * itself. On any failure the output folder is removed: a half-decrypted folder must not be mistaken
 * for the recording.
 */
export async function decryptFolder(encryptedDir: string, outDir: string, key: AgeKey): Promise<{ files: number }> {
  const parsed = parseEncryptedManifest(await readFile(join(encryptedDir, ENCRYPTED_MANIFEST_FILE)));
  if (!parsed.ok) throw new DecryptError(`${ENCRYPTED_MANIFEST_FILE}: ${parsed.problem}`);
  const clear = parseManifest(await readFile(join(encryptedDir, MANIFEST_FILE)));
  if (!clear.ok) throw new DecryptError(`${MANIFEST_FILE}: ${clear.problem}`);
  const expected = new Map(clear.manifest.segments.map((s) => [s.name, s]));
  const { to } = parsed.manifest;
  if ((to.kind === 'passphrase') !== (key.kind === 'passphrase')) {
    throw new DecryptError(
      to.kind === 'recipients'
        ? `this export is encrypted to the recipients ${to.recipients.map((r) => r.name).join(', ')}: decrypt it with one of their identity files, not a passphrase`
        : 'this export is encrypted with a passphrase: give the passphrase file, not an identity',
    );
  }
  // The output folder must be new: on failure it is removed, and an existing folder is not ours to remove.
  await mkdir(outDir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new DecryptError(`${outDir} already exists: decrypt into a new folder`) : error;
  });
  try {
    for (const file of parsed.manifest.files) {
      const segment = expected.get(file.source);
      if (!segment) throw new DecryptError(`${file.name}: ${file.source} is not a segment of ${MANIFEST_FILE}`);
      const digest = await decryptFile(join(encryptedDir, file.name), join(outDir, file.source), key).catch(
        (error: unknown) => {
          throw error instanceof DecryptError ? new DecryptError(`${file.name}: ${error.message}`) : error;
        },
      );
      if (digest.size !== segment.size || digest.sha256 !== segment.sha256)
        throw new DecryptError(
          `${file.name} decrypts to content that is not ${file.source} of ${MANIFEST_FILE} (sha256 ${digest.sha256})`,
        );
    }
    await copyFile(join(encryptedDir, MANIFEST_FILE), join(outDir, MANIFEST_FILE));
    await copyFile(join(encryptedDir, SIGNATURE_FILE), join(outDir, SIGNATURE_FILE));
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  return { files: parsed.manifest.files.length };
}
