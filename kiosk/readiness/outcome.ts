import type { CheckResult, RunOutcome } from './types.js';

/** A run fails if any check fails, warns if any warns; unsupported checks neither pass nor fail it. */
export function overallOutcome(results: readonly Pick<CheckResult, 'status'>[]): RunOutcome {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'warn')) return 'warn';
  return 'pass';
}
