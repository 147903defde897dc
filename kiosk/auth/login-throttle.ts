/**
 * Slows password guessing: after `maxFailures` failed logins for one user name (from any address)
 * within `windowMs`, that name is locked for `lockMs`. Pure and clock-injected for tests.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const defaultThrottle: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 5 * 60_000 };

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();

  constructor(private readonly policy: ThrottlePolicy = defaultThrottle, private readonly now: () => number = Date.now) {}

  /** Milliseconds until `key` may try again, 0 when it may try now. */
  retryAfter(key: string): number {
    const until = this.#lockedUntil.get(key) ?? 0;
    return Math.max(0, until - this.now());
  }

  recordFailure(key: string): void {
    const now = this.now();
    const recent = (this.#failures.get(key) ?? []).filter((at) => now - at < this.policy.windowMs);
    recent.push(now);
    if (recent.length >= this.policy.maxFailures) {
      this.#lockedUntil.set(key, now + this.policy.lockMs);
      this.#failures.delete(key);
    } else {
      this.#failures.set(key, recent);
    }
  }

  recordSuccess(key: string): void {
    this.#failures.delete(key);
    this.#lockedUntil.delete(key);
  }
}
