import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import { fleetFromCentral } from './central.js';
import { deviceConfig, type DeviceConfig } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
}

/** The repository (or installed package) root: the nearest folder up from here holding package.json. */
export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const defaultConfigPath = (): string => join(projectRoot(), 'config', 'default.json');

/** Validates parsed JSON; every problem is reported with its path, not just the first. */
export function parseConfig(input: unknown, source = 'config'): DeviceConfig {
  const result = deviceConfig.safeParse(input, {
    error: (issue) => (issue.input === undefined ? 'required' : undefined),
  });
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues, input));
  return result.data;
}

export function loadConfigFile(path: string, options: { central?: string } = {}): DeviceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  if (options.central !== undefined) json = withCentralFleet(json, options.central, path);
  return parseConfig(json, path);
}

/** The config with its `fleet` section pointed at a central folder on this machine (see central.ts). */
function withCentralFleet(json: unknown, dir: string, source: string): unknown {
  const config = (json ?? {}) as { room?: { id?: unknown }; fleet?: Record<string, unknown> };
  const roomId = typeof config.room?.id === 'string' ? config.room.id : '';
  const { problems, fleet } = fleetFromCentral(dir, roomId);
  if (!fleet) throw new ConfigError(source, problems);
  return { ...config, fleet: { ...config.fleet, ...fleet } };
}

/**
 * `path` when given, else $DIEMCAU_CONFIG, else the embedded simulation defaults; with
 * $DIEMCAU_CENTRAL (`start --central DIR`), reporting to that central monitoring folder.
 */
export function loadConfig(path?: string): { config: DeviceConfig; source: string } {
  const source = path ?? process.env.DIEMCAU_CONFIG ?? defaultConfigPath();
  const central = process.env.DIEMCAU_CENTRAL || undefined;
  return {
    config: loadConfigFile(source, central === undefined ? {} : { central }),
    source: central === undefined ? source : `${source} + central ${central}`,
  };
}

export function resolveDataPath(config: DeviceConfig, relative: string): string {
  const dataDir = resolve(config.storage.dataDir);
  return isAbsolute(relative) ? relative : join(dataDir, relative);
}

/**
 * `hal.ptz.port: required when driver is visca-serial` — a path, then what is wrong, with the
 * discriminating driver named so the technician knows why the field matters.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '(root)';
    let message = issue.message;
    if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
      const options = unionOptions(issue);
      lines.push(`${path}: must be one of ${options}`);
      continue;
    }
    if (message === 'required') {
      const driver = driverAt(input, issue.path.slice(0, -1));
      if (driver) message = `required when driver is ${driver}`;
    }
    if (issue.code === 'unrecognized_keys')
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    lines.push(`${path}: ${message}`);
  }
  return lines;
}

function unionOptions(issue: z.core.$ZodIssue): string {
  const options = (issue as { options?: unknown[] }).options;
  return Array.isArray(options) && options.length > 0 ? options.map(String).join(', ') : 'a known driver';
}

function driverAt(input: unknown, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (node && typeof node === 'object' && typeof (node as { driver?: unknown }).driver === 'string')
    return (node as { driver: string }).driver;
  return undefined;
}
