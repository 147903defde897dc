import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../config/load.js';
import { signatureSuffix, signBytes } from '../../../kiosk/update/release-signature.js';

const run = promisify(execFile);

/** `npm run release`'s builder, from this checkout's build: the artifact path. */
export async function buildRelease(
  out: string,
  version: string,
  keyFile: string,
): Promise<{ artifact: string; bytes: number; seconds: number }> {
  const { stdout } = await run(
    process.execPath,
    [
      join(projectRoot(), 'dist', 'scripts', 'release', 'build.js'),
      '--out',
      out,
      '--version',
      version,
      '--key',
      keyFile,
    ],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/**
 * Another release made from a built one, as a release manager would from other sources: unpacked,
 * given its own version, changed by `patch` (the release's files under `dir`), packed and signed again.
 */
export async function releaseVariant(
  base: string,
  out: string,
  version: string,
  keyPem: string | undefined,
  patch: (dir: string) => Promise<void> = async () => undefined,
): Promise<string> {
  const dir = join(out, `.variant-${version}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await run('tar', ['-xzf', base, '-C', dir]);
  for (const file of ['package.json', 'release.json']) {
    const json = JSON.parse(await readFile(join(dir, file), 'utf8'));
    await writeFile(join(dir, file), JSON.stringify({ ...json, version }, null, 2));
  }
  await patch(dir);
  const artifact = join(out, `diemcau-${version}-${process.platform}-${process.arch}.tar.gz`);
  await run('tar', ['-czf', artifact, '-C', dir, '.']);
  await rm(dir, { recursive: true, force: true });
  if (keyPem) await writeFile(`${artifact}${signatureSuffix}`, signBytes(await readFile(artifact), keyPem));
  return artifact;
}

/** Adds a schema migration to a release's built code (its number one above the last), where the root composes them. */
export async function addMigration(dir: string, sql: string): Promise<void> {
  const path = join(dir, 'dist', 'kiosk', 'database-schema.js');
  const { migrations } = (await import(pathToFileURL(path).href)) as { migrations: readonly { version: number }[] };
  const text = await readFile(path, 'utf8');
  const call = /orderMigrations\(([^)]*)\)/;
  if (!call.test(text)) throw new Error('database-schema.js no longer composes the migrations with orderMigrations');
  const added = `[{ version: ${migrations.length + 1}, name: 'added by the update test', sql: ${JSON.stringify(sql)} }]`;
  await writeFile(
    path,
    text.replace(call, (_all, lists: string) => `orderMigrations(${lists}, ${added})`),
  );
}

/** Makes a release whose daemon cannot start: a service that fails after the store has opened (and migrated) the database. */
export async function breakStart(dir: string): Promise<void> {
  const path = join(dir, 'dist', 'kiosk', 'app.js');
  const text = await readFile(path, 'utf8');
  // Layout-independent: the formatter may put `.add(store)` on its own line.
  const addStore = /host\s*\.add\(store\)/;
  if (!addStore.test(text)) throw new Error('app.js no longer adds the store as expected');
  await writeFile(
    path,
    text.replace(
      addStore,
      "host.add(store).add({ name: 'broken-by-test', start: async () => { throw new Error('this release is broken'); }, stop: async () => undefined })",
    ),
  );
}
