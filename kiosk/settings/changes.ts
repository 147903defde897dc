import { DomainError } from '../core/domain-error.js';

/**
 * Edits to the device's config file, as the console sends them (pure: JSON in, JSON out).
 * A change names one leaf by its dotted path ("session.startWindow.beforeMinutes") and its new value;
 * the whole file is then validated by config/schema.ts before anything is written.
 */
export interface ConfigChange {
  path: string;
  value: unknown;
}

/** A change the file cannot take (a bad or blocked path), before the schema is even asked. */
export class ChangeError extends DomainError {
  override name = 'ChangeError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('invalid', 'invalid_config', message, [{ path, code: 'invalid_path' }]);
  }
}

const segmentsOf = (path: string): string[] => {
  const segments = path.split('.');
  if (segments.some((s) => s.length === 0 || s === '__proto__' || s === 'constructor' || s === 'prototype'))
    throw new ChangeError(path, `bad path ${path}`);
  return segments;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The file's JSON with each change applied; missing parent objects are created. */
export function applyChanges(file: unknown, changes: readonly ConfigChange[]): Record<string, unknown> {
  const out = structuredClone(isRecord(file) ? file : {});
  for (const change of changes) {
    const segments = segmentsOf(change.path);
    let node: Record<string, unknown> = out;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      if (next === undefined) node[segment] = {};
      else if (!isRecord(next)) throw new ChangeError(change.path, `${change.path}: ${segment} is not a section`);
      node = node[segment] as Record<string, unknown>;
    }
    node[segments.at(-1)!] = change.value;
  }
  return out;
}

/** Every leaf of a config as dotted path → value (arrays are one leaf). */
export function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isRecord(value)) {
    out.set(prefix, value);
    return out;
  }
  for (const [key, child] of Object.entries(value))
    for (const [path, leaf] of leaves(child, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
  return out;
}

/**
 * Fields saved in the file that the running daemon does not use yet: the daemon reads its config
 * once, at start, so these take effect after a restart.
 */
export function pendingRestart(running: unknown, saved: unknown): string[] {
  const now = leaves(running);
  const next = leaves(saved);
  const paths = new Set([...now.keys(), ...next.keys()]);
  return [...paths].filter((path) => JSON.stringify(now.get(path)) !== JSON.stringify(next.get(path))).sort();
}
