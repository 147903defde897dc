import { upsFlags, type UpsFlag } from './types.js';

const known = new Set<string>(upsFlags);

/**
 * Splits a NUT `ups.status` value ("OB DISCHRG LB") into known flags and words this build does not
 * know (kept for the log, never dropped silently). Order follows the UPS; duplicates are removed.
 */
export function parseUpsStatus(value: string): { flags: UpsFlag[]; unknown: string[] } {
  const flags: UpsFlag[] = [];
  const unknown: string[] = [];
  for (const word of value.trim().split(/\s+/)) {
    if (word === '') continue;
    const upper = word.toUpperCase();
    if (known.has(upper)) {
      if (!flags.includes(upper as UpsFlag)) flags.push(upper as UpsFlag);
    } else if (!unknown.includes(word)) {
      unknown.push(word);
    }
  }
  return { flags, unknown };
}
