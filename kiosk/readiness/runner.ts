import { overallOutcome } from './outcome.js';
import type { CheckResult, ReadinessCheck, ReadinessTarget, RunOutcome } from './types.js';
import { describeError } from '../../hal/core/describe-error.js';
import { readinessText } from '../messages/readiness.js';

export interface RunnerResult {
  overall: RunOutcome;
  results: CheckResult[];
}

/**
 * Runs the checks at once, except that checks opening the same device wait for each other.
 * Each check is bounded by its own timeout (a hung device becomes a fail, not a hung run); the
 * results come back in the checks' order whatever order they finished in.
 */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  target: ReadinessTarget,
  options: { concurrent?: boolean; signal?: AbortSignal } = {},
): Promise<RunnerResult> {
  const locks = new Map<string, Promise<unknown>>();
  const runOne = (check: ReadinessCheck): Promise<CheckResult> => {
    const resources = [...(check.uses ?? [])].sort();
    const waitFor = Promise.all(resources.map((r) => locks.get(r)));
    const result = waitFor.then(() => runBounded(check, target, options.signal));
    for (const resource of resources) locks.set(resource, result);
    return result;
  };
  let results: CheckResult[];
  if (options.concurrent === false) {
    results = [];
    for (const check of checks) results.push(await runBounded(check, target, options.signal));
  } else {
    results = await Promise.all(checks.map(runOne));
  }
  return { overall: overallOutcome(results), results };
}

async function runBounded(check: ReadinessCheck, target: ReadinessTarget, outer?: AbortSignal): Promise<CheckResult> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), check.timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.run(target, controller.signal), timedOut]);
    const durationMs = Math.round(performance.now() - started);
    if (outcome === 'timeout') {
      controller.abort();
      const seconds = Math.round(check.timeoutMs / 1000);
      return {
        id: check.id,
        status: 'fail',
        measured: { value: null },
        explanation: readinessText('timedOut', { seconds }),
        durationMs,
      };
    }
    return { id: check.id, ...outcome, durationMs };
  } catch (error) {
    const message = describeError(error);
    return {
      id: check.id,
      status: 'fail',
      measured: { value: null },
      explanation: readinessText('crashed', { error: message }),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
