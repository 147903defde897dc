/** Reads the `level` element's messages as `gst-launch-1.0 -m` prints them. */

export interface AudioLevels {
  /** Loudest peak seen over all messages and channels, dBFS. */
  peakDb: number;
  /** Mean of the messages' RMS (loudest channel), dBFS. */
  rmsDb: number;
  messages: number;
}

/** Quieter than this, the microphone gives no usable signal. */
export const SILENCE_RMS_DB = -60;
/** At or above this peak, the input is clipping (gain too high). */
export const CLIPPING_PEAK_DB = -0.5;

// GStreamer 1.22 prints `rms=(GValueArray)< -9.03, -9.1 >`; older releases `rms=(double){ -9.03 }`.
const field = (name: string) => new RegExp(`\\b${name}=\\((?:GValueArray|double)\\)[<{]([^>}]*)[>}]`);

export function parseLevelMessages(text: string): AudioLevels | undefined {
  let peakDb = -Infinity;
  let rmsSum = 0;
  let messages = 0;
  for (const line of text.split('\n')) {
    if (!line.includes('(element): level,')) continue;
    const rms = field('rms').exec(line)?.[1];
    const peak = field('peak').exec(line)?.[1];
    if (rms === undefined || peak === undefined) continue;
    const rmsValues = numbers(rms);
    const peakValues = numbers(peak);
    if (rmsValues.length === 0 || peakValues.length === 0) continue;
    rmsSum += Math.max(...rmsValues);
    peakDb = Math.max(peakDb, ...peakValues);
    messages++;
  }
  if (messages === 0) return undefined;
  return { peakDb, rmsDb: rmsSum / messages, messages };
}

function numbers(list: string): number[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => (item === '-inf' ? -Infinity : Number(item)))
    .filter((value) => !Number.isNaN(value));
}

/** The RMS (loudest channel, dBFS) of each level message, in order: for tests that look at a span. */
export function parseRmsSeries(text: string): number[] {
  const series: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('(element): level,')) continue;
    const values = numbers(field('rms').exec(line)?.[1] ?? '');
    if (values.length > 0) series.push(Math.max(...values));
  }
  return series;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The tone must stand this far above the room's own noise in its band to count as heard. */
export const LOOPBACK_MARGIN_DB = 12;
/** …and be at least this loud: a dead microphone reads -700 dB both times. */
export const LOOPBACK_FLOOR_DB = -60;

export function loopbackHeard(toneBandDb: number, ambientBandDb: number): boolean {
  return toneBandDb >= LOOPBACK_FLOOR_DB && toneBandDb - ambientBandDb >= LOOPBACK_MARGIN_DB;
}
