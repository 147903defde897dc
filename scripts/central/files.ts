import { access, rename, writeFile } from 'node:fs/promises';

/** Writes a file readable by its owner only, whole or not at all (a crash leaves the old one). */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
