import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../hal/core/backoff.js';

const policy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

describe('backoffDelay', () => {
  it.each([
    [0, 0, 500],
    [1, 0, 1000],
    [4, 0, 8000],
    [6, 0, 30_000],
    [50, 0, 30_000],
    [0, 1, 600],
    [10, 0.5, 33_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy, () => random)).toBe(expected);
  });
});
