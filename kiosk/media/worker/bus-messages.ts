/** Pure readers of the bus messages the binding hands over (GstStructure fields, 64-bit values as strings). */

/** `"< -11.87, -6.1 >"` (a GValueArray rendered as text) → numbers; silence (-inf/nan) becomes -120 dB. */
export function parseDbArray(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(toDb);
  if (typeof value !== 'string') return [];
  const inner = value.trim().replace(/^</, '').replace(/>$/, '').trim();
  if (inner === '') return [];
  return inner.split(',').map((part) => toDb(Number.parseFloat(part.trim())));
}

const FLOOR_DB = -120;
function toDb(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.max(FLOOR_DB, Math.round(n * 10) / 10) : FLOOR_DB;
}

/** Nanoseconds as a string or number → seconds; GST_CLOCK_TIME_NONE → undefined. */
export function nsToSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  if (text === '18446744073709551615' || text === '-1' || !/^\d+$/.test(text)) return undefined;
  return Number(BigInt(text) / 1000n) / 1e6;
}
