import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';

/**
 * `release.json` at the top of every release artifact (scripts/release/build.ts writes it). The
 * native modules (sqlite3, serialport, gstreamer-superficial) are compiled for one CPU
 * architecture and one Node ABI: a device refuses a release built for another.
 */
export const releaseInfo = z
  .object({
    name: z.literal('diemcau'),
    version: z.string().regex(/^[0-9A-Za-z.+-]{1,40}$/, 'letters, digits and .+- only'),
    platform: z.string().min(1),
    arch: z.string().min(1),
    /** process.versions.modules of the Node that built the native modules. */
    nodeAbi: z.string().regex(/^\d+$/),
    nodeVersion: z.string().min(1),
    builtAt: z.string().datetime({ offset: true }),
    commit: z.string().max(64).optional(),
  })
  .strict();
export type ReleaseInfo = z.infer<typeof releaseInfo>;

export const releaseInfoFile = 'release.json';

export interface HostPlatform {
  platform: string;
  arch: string;
  nodeAbi: string;
}

export const thisHost = (): HostPlatform => ({
  platform: process.platform,
  arch: process.arch,
  nodeAbi: process.versions.modules,
});

/** Pure: why `info` cannot run on `host` (empty when it can). */
export function incompatibilities(info: ReleaseInfo, host: HostPlatform): string[] {
  const problems: string[] = [];
  if (info.platform !== host.platform) problems.push(`built for ${info.platform}, this device runs ${host.platform}`);
  if (info.arch !== host.arch) problems.push(`built for ${info.arch}, this device is ${host.arch}`);
  if (info.nodeAbi !== host.nodeAbi)
    problems.push(`native modules built for Node ABI ${info.nodeAbi}, this device's Node has ABI ${host.nodeAbi}`);
  return problems;
}

const run = promisify(execFile);

/** Reads release.json out of an artifact (a gzip tarball with the release at its top) without unpacking it. */
export async function readReleaseInfo(artifact: string): Promise<ReleaseInfo> {
  const { stdout } = await run('tar', ['-xOzf', artifact, `./${releaseInfoFile}`], { maxBuffer: 64 * 1024 });
  return releaseInfo.parse(JSON.parse(stdout));
}
