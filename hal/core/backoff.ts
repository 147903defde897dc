/** Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with up to `jitter` × delay of spread. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0 … 1: fraction of the delay added at random so a fleet of rooms does not retry in step. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Delay before retry number `attempt` (0 = first retry). `random` is injectable for tests. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = defaultBackoff,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const base = Math.min(policy.initialMs * policy.factor ** exponent, policy.maxMs);
  return Math.round(base + base * policy.jitter * random());
}
