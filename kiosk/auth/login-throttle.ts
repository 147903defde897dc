/**
 * Slows password guessing. Every attempt is counted *before* its password is checked, so a burst
 * of parallel attempts cannot all be checked while the first ones are still being hashed: after
 * `maxAttempts` attempts for one key within `windowMs` without a success, the key is locked for
 * `lockMs`. Pure and clock-injected for tests.
 */
export interface ThrottlePolicy {
  maxAttempts: number;
  windowMs: number;
  lockMs: number;
}

/** One account from one address: the hard limit a guesser meets first. */
export const userAtAddressThrottle: ThrottlePolicy = { maxAttempts: 5, windowMs: 15 * 60_000, lockMs: 5 * 60_000 };
/**
 * One account from everywhere: against guessing spread over many addresses. Higher than the one
 * above, so that one machine on the LAN cannot lock the leader out of every other machine.
 */
export const userThrottle: ThrottlePolicy = { maxAttempts: 30, windowMs: 15 * 60_000, lockMs: 5 * 60_000 };
/** Per address: guessing across many user names from one machine is slowed as well. */
export const addressThrottle: ThrottlePolicy = { maxAttempts: 20, windowMs: 15 * 60_000, lockMs: 5 * 60_000 };

/**
 * The key of a client address: IPv4-mapped IPv6 as IPv4, and IPv6 by its /64 (one machine can
 * take any address of its /64; a whole /64 is one network).
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Keys kept at most (addresses; user names are counted only for existing accounts, so they cannot flood it). */
const MAX_KEYS = 10_000;

export class LoginThrottle {
  readonly #attempts = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();

  constructor(
    private readonly policy: ThrottlePolicy = userThrottle,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again, 0 when it may try now. */
  retryAfter(key: string): number {
    return Math.max(0, (this.#lockedUntil.get(key) ?? 0) - this.now());
  }

  /**
   * Takes one attempt for `key`: 0 when it may go on to the password check (and is counted now),
   * otherwise the milliseconds until it may try again.
   */
  attempt(key: string): number {
    const locked = this.retryAfter(key);
    if (locked > 0) return locked;
    const now = this.now();
    const recent = (this.#attempts.get(key) ?? []).filter((at) => now - at < this.policy.windowMs);
    if (recent.length >= this.policy.maxAttempts) {
      this.#lockedUntil.set(key, now + this.policy.lockMs);
      this.#attempts.delete(key);
      return this.policy.lockMs;
    }
    recent.push(now);
    this.#attempts.delete(key);
    this.#attempts.set(key, recent);
    this.#bound();
    return 0;
  }

  /** The password was right: the key's count starts again. */
  recordSuccess(key: string): void {
    this.#attempts.delete(key);
    this.#lockedUntil.delete(key);
  }

  /** Gives back the attempt just taken (a right password from a shared address is not a guess). */
  refund(key: string): void {
    this.#attempts.get(key)?.pop();
  }

  #bound(): void {
    // Maps iterate in insertion order and attempt() re-inserts: the first keys are the stalest.
    for (const key of this.#attempts.keys()) {
      if (this.#attempts.size <= MAX_KEYS) break;
      this.#attempts.delete(key);
    }
    if (this.#lockedUntil.size <= MAX_KEYS) return;
    const now = this.now();
    for (const [key, until] of this.#lockedUntil) if (until <= now) this.#lockedUntil.delete(key);
  }
}
