import { copyFile, readFile, rename, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { deviceConfig, type DeviceConfig } from '../../config/schema.js';
import { applyChanges, pendingRestart, type ConfigChange } from './changes.js';

/** One problem with a config, as the console words it (path and zod's code, bounds when it has them). */
export interface ConfigIssue {
  path: string;
  code: string;
  minimum?: number | string;
  maximum?: number | string;
  expected?: string;
  values?: unknown[];
}

export type SaveOutcome = { ok: true; pendingRestart: string[] } | { ok: false; issues: ConfigIssue[] };

/**
 * The config file the daemon was started with: read, and rewritten after a change that the same
 * schema accepts (the previous file kept beside it as .bak). Without a file of its own (the
 * embedded simulation defaults) the config is shown but not editable.
 */
export class ConfigFile {
  constructor(
    readonly running: DeviceConfig,
    readonly path: string | undefined,
  ) {}

  get editable(): boolean {
    return this.path !== undefined;
  }

  async saved(): Promise<unknown> {
    return this.path ? JSON.parse(await readFile(this.path, 'utf8')) : this.running;
  }

  /** What the file would give once parsed: defaults filled in, as the daemon would run it. */
  async effective(): Promise<{ config: unknown; pendingRestart: string[] }> {
    const parsed = deviceConfig.safeParse(await this.saved());
    const config = parsed.success ? parsed.data : this.running;
    return { config, pendingRestart: pendingRestart(this.running, config) };
  }

  async save(changes: readonly ConfigChange[]): Promise<SaveOutcome> {
    if (!this.path) throw new Error('no config file to edit');
    const next = applyChanges(await this.saved(), changes);
    const parsed = deviceConfig.safeParse(next, {
      error: (issue) => (issue.input === undefined ? 'required' : undefined),
    });
    if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(issueOf) };
    await copyFile(this.path, `${this.path}.bak`);
    const temporary = `${this.path}.new`;
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o640 });
    await rename(temporary, this.path);
    return { ok: true, pendingRestart: pendingRestart(this.running, parsed.data) };
  }
}

function issueOf(zodIssue: z.core.$ZodIssue): ConfigIssue {
  const issue = zodIssue as unknown as Record<string, unknown> & { path: PropertyKey[]; code: string };
  const bound = (value: unknown) =>
    typeof value === 'number' || typeof value === 'string'
      ? value
      : typeof value === 'bigint'
        ? String(value)
        : undefined;
  const minimum = bound(issue.minimum);
  const maximum = bound(issue.maximum);
  return {
    path: issue.path.map(String).join('.'),
    code: issue.code,
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
    ...(typeof issue.expected === 'string' ? { expected: issue.expected } : {}),
    ...(Array.isArray(issue.values) ? { values: issue.values.slice(0, 20) } : {}),
  };
}
