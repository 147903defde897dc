import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { InstallLayout } from './layout.js';
import { releaseInfo, releaseInfoFile, type ReleaseInfo } from './release-info.js';
import { readJson } from './status.js';

const run = promisify(execFile);

/**
 * Releases side by side, and the `current`/`previous` links. A release folder is made under a
 * temporary name and renamed into place once complete, so `releases/<version>` is never half
 * unpacked; a link is switched by renaming a new link over it (rename(2) is atomic), so systemd
 * always finds either the old release or the new one.
 */
export async function unpackArtifact(
  layout: InstallLayout,
  artifact: string,
): Promise<{ dir: string; info: ReleaseInfo }> {
  await mkdir(layout.releases, { recursive: true, mode: 0o755 });
  const staging = join(layout.releases, `.staging-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o755 });
  try {
    // --no-same-owner: as root, files belong to root whoever built the tarball; a release is read-only to the daemon.
    await run('tar', ['-xzf', artifact, '-C', staging, '--no-same-owner', '--no-same-permissions'], {
      maxBuffer: 1024 * 1024,
    });
    return { dir: staging, info: await readStagedInfo(staging) };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

export async function readStagedInfo(dir: string): Promise<ReleaseInfo> {
  const info = await readJson(join(dir, releaseInfoFile), releaseInfo);
  if (!info) throw new Error(`${dir} has no ${releaseInfoFile}`);
  return info;
}

/**
 * Moves a staged release to `releases/<version>`. A folder already there (a repair, or the same
 * release re-sent) is moved aside first and removed after: a re-install rewrites it from the artifact.
 */
export async function adoptRelease(layout: InstallLayout, staged: string, info: ReleaseInfo): Promise<string> {
  const target = join(layout.releases, info.version);
  const aside = join(layout.releases, `.replaced-${info.version}-${randomBytes(3).toString('hex')}`);
  const existed = await stat(target).then(
    () => true,
    () => false,
  );
  if (existed) await rename(target, aside);
  await rename(staged, target);
  if (existed) await rm(aside, { recursive: true, force: true });
  return target;
}

/** The version a link points at (`releases/<version>`), or undefined when there is no link. */
export async function linkedVersion(link: string): Promise<string | undefined> {
  const target = await readlink(link).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return target === undefined ? undefined : basename(target);
}

/** Points `link` at `releases/<version>` (relative, so the tree works under any root) by rename. */
export async function pointLink(link: string, version: string): Promise<void> {
  const fresh = `${link}.new-${randomBytes(3).toString('hex')}`;
  await symlink(join('releases', version), fresh);
  await rename(fresh, link);
}

/**
 * Keeps `current`, `previous` and the newest others, so a small disk does not fill with releases;
 * removes leftovers of interrupted unpacks.
 */
export async function pruneReleases(layout: InstallLayout, keep: number): Promise<string[]> {
  const names = await readdir(layout.releases);
  const pinned = new Set([await linkedVersion(layout.current), await linkedVersion(layout.previous)].filter(Boolean));
  const removed: string[] = [];
  const withTimes: { name: string; at: number }[] = [];
  for (const name of names) {
    if (name.startsWith('.staging-') || name.startsWith('.replaced-')) {
      await rm(join(layout.releases, name), { recursive: true, force: true });
      removed.push(name);
    } else if (!pinned.has(name)) withTimes.push({ name, at: (await stat(join(layout.releases, name))).mtimeMs });
  }
  for (const { name } of withTimes.sort((a, b) => b.at - a.at).slice(Math.max(0, keep - pinned.size))) {
    await rm(join(layout.releases, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
