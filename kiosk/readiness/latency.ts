/** Latency figures from TCP connect samples to the chairing site. */

export interface LatencyStats {
  sent: number;
  received: number;
  lossPercent: number;
  /** Median connect time, ms (null when nothing answered). */
  medianMs: number | null;
  /** Mean absolute difference of consecutive answered samples (as RFC 3550 does for packets), ms. */
  jitterMs: number | null;
}

/** Above these, video calls stutter: warn the technician. */
export const LATENCY_WARN_MS = 150;
export const JITTER_WARN_MS = 30;

/** `null` in `samples` is a connect that failed or timed out. */
export function latencyStats(samples: readonly (number | null)[]): LatencyStats {
  const answered = samples.filter((s): s is number => s !== null);
  const sorted = [...answered].sort((a, b) => a - b);
  let median: number | null = null;
  if (sorted.length > 0) {
    const middle = Math.floor(sorted.length / 2);
    median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
  let jitter: number | null = null;
  if (answered.length >= 2) {
    let sum = 0;
    for (let i = 1; i < answered.length; i++) sum += Math.abs(answered[i]! - answered[i - 1]!);
    jitter = sum / (answered.length - 1);
  }
  return {
    sent: samples.length,
    received: answered.length,
    lossPercent: samples.length === 0 ? 100 : (100 * (samples.length - answered.length)) / samples.length,
    medianMs: median,
    jitterMs: jitter,
  };
}
