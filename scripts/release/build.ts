import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { projectRoot } from '../../config/load.js';
import { releaseInfo, releaseInfoFile, type ReleaseInfo } from '../../kiosk/update/release-info.js';
import { signatureSuffix, signBytes } from '../../kiosk/update/release-signature.js';

const run = promisify(execFile);

/**
 * `npm run release -- [--key release-key.pem] [--out release] [--version V]`: the release artifact
 * for THIS machine's architecture — a gzip tarball of the built software, its production
 * node_modules (native modules compiled here: build an arm64 release on an arm64 machine), the
 * units, the board files with compiled overlays, and release.json — plus its detached Ed25519
 * signature `<artifact>.sig` when a key is given (or later: `node dist/scripts/release/sign.js`).
 * Why a tarball and not a .deb: README "Install on a board".
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { key: { type: 'string' }, out: { type: 'string', default: 'release' }, version: { type: 'string' } },
    strict: true,
  });
  const root = projectRoot();
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string } & Record<
    string,
    unknown
  >;
  const info: ReleaseInfo = releaseInfo.parse({
    name: 'diemcau',
    version: values.version ?? pkg.version,
    platform: process.platform,
    arch: process.arch,
    nodeAbi: process.versions.modules,
    nodeVersion: process.versions.node,
    builtAt: new Date().toISOString(),
    ...(await gitCommit(root)),
  });
  const out = resolve(values.out!);
  const stage = join(out, `.stage-${info.version}-${info.arch}`);
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  const started = Date.now();

  // The built code without the compiled tests; the sources of what runs as shell or is read at run time.
  await cp(join(root, 'dist'), join(stage, 'dist'), {
    recursive: true,
    filter: (path) => !path.startsWith(join(root, 'dist', 'tests')) && !path.endsWith('.tsbuildinfo'),
  });
  for (const part of ['config', 'systemd', 'firmware', 'README.md', 'package-lock.json'])
    await cp(join(root, part), join(stage, part), { recursive: true });
  await mkdir(join(stage, 'scripts', 'lib'), { recursive: true });
  for (const script of ['install-device.sh', 'wait-for-url.sh', 'lib/apt-packages.sh'])
    await cp(join(root, 'scripts', script), join(stage, 'scripts', script));
  await writeFile(join(stage, 'package.json'), `${JSON.stringify({ ...pkg, version: info.version }, null, 2)}\n`);
  await compileOverlays(stage);
  // node_modules as installed here (native modules built for this arch and Node), less the dev tools.
  // (Build tools' caches such as node_modules/.vite are not part of it.)
  const caches = ['.vite', '.vite-temp', '.cache'].map((name) => join(root, 'node_modules', name));
  await cp(join(root, 'node_modules'), join(stage, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: (path) => !caches.some((cache) => path === cache || path.startsWith(`${cache}/`)),
  });
  await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], {
    cwd: stage,
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(join(stage, releaseInfoFile), `${JSON.stringify(info, null, 2)}\n`);

  const artifact = join(out, `diemcau-${info.version}-${info.platform}-${info.arch}.tar.gz`);
  // Sorted, owned by root, dated at the build: the same tree gives the same listing.
  const mtime = `@${Math.floor(Date.parse(info.builtAt) / 1000)}`;
  await run(
    'tar',
    [
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      `--mtime=${mtime}`,
      '-czf',
      artifact,
      '-C',
      stage,
      '.',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  await rm(stage, { recursive: true, force: true });
  if (values.key)
    await writeFile(
      `${artifact}${signatureSuffix}`,
      signBytes(await readFile(artifact), await readFile(values.key, 'utf8')),
    );
  const size = (await stat(artifact)).size;
  process.stdout.write(
    `${JSON.stringify({ artifact, signature: values.key ? `${artifact}${signatureSuffix}` : null, version: info.version, arch: info.arch, bytes: size, seconds: (Date.now() - started) / 1000 })}\n`,
  );
  if (!values.key)
    process.stderr.write(
      `release: ${artifact} is NOT signed; devices refuse it until it is (node dist/scripts/release/sign.js --key KEY ${artifact})\n`,
    );
}

/** Every board's overlay sources (firmware/<board>/overlays/*.dts) compiled to the .dtbo the boot firmware loads. */
async function compileOverlays(stage: string): Promise<void> {
  for (const board of await readdir(join(stage, 'firmware'), { withFileTypes: true })) {
    if (!board.isDirectory()) continue;
    const dir = join(stage, 'firmware', board.name, 'overlays');
    for (const source of await readdir(dir).catch(() => [] as string[])) {
      if (!source.endsWith('.dts')) continue;
      await run('dtc', [
        '-@',
        '-q',
        '-I',
        'dts',
        '-O',
        'dtb',
        '-o',
        join(dir, source.replace(/\.dts$/, '.dtbo')),
        join(dir, source),
      ]);
    }
  }
}

async function gitCommit(root: string): Promise<{ commit?: string }> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
    return { commit: stdout.trim() };
  } catch {
    return {};
  }
}

await main();
