import { parseNtpSynchronized } from '../clock.js';
import { runTool } from '../child.js';
import { JITTER_WARN_MS, LATENCY_WARN_MS, latencyStats } from '../latency.js';
import type { ReadinessCheck } from '../types.js';
import type { Admission } from '../../media/storage-policy.js';
import { none, outcome } from './common.js';
import { describeError } from '../../../hal/core/describe-error.js';
import { gigabytes, gigabytesLabel } from '../../core/units.js';
import { readinessText as say } from '../../messages/readiness.js';

/** The recording service's storage admission (the one policy). */
export type StorageAdmit = (expectedBytes: number) => Promise<Admission>;

/**
 * Room for the session's recording, decided by the same storage policy as the session's start
 * (kiosk/recording/storage-policy.ts): a readiness test cannot pass while the start would be refused.
 */
export function diskCheck(admit: StorageAdmit, expectedBytes: (seconds: number) => number): ReadinessCheck {
  return {
    id: 'disk',
    timeoutMs: 5_000,
    async run(target) {
      const need = expectedBytes(target.durationSeconds);
      let decision: Awaited<ReturnType<StorageAdmit>>;
      try {
        decision = await admit(need);
      } catch (error) {
        return outcome('fail', none, say('diskUnreadable', { error: describeError(error) }));
      }
      const measured = { value: gigabytes(decision.freeBytes), unit: 'GB' };
      const figures = {
        free: gigabytesLabel(decision.freeBytes),
        needed: gigabytesLabel(decision.neededBytes),
        recording: gigabytesLabel(need),
      };
      if (decision.verdict === 'fits') return outcome('pass', measured, say('diskFits', figures));
      if (decision.verdict === 'tight') return outcome('warn', measured, say('diskTight', figures));
      return outcome('fail', measured, say('diskFull', figures));
    },
  };
}

/** Connect time to the chairing site's endpoint, N times in a row: median, jitter, loss. */
export function networkCheck(
  connect: (host: string, port: number, timeoutMs: number) => Promise<number>,
  samples = 5,
  connectTimeoutMs = 2_000,
): ReadinessCheck {
  return {
    id: 'network',
    timeoutMs: samples * connectTimeoutMs + 2_000,
    async run(target, signal) {
      const endpoint = target.endpoint;
      if (!endpoint) return outcome('warn', none, say('networkNoEndpoint'));
      const results: (number | null)[] = [];
      for (let i = 0; i < samples && !signal.aborted; i++) {
        results.push(await connect(endpoint.host, endpoint.port, connectTimeoutMs).catch(() => null));
      }
      const stats = latencyStats(results);
      if (stats.medianMs === null)
        return outcome(
          'fail',
          { value: null, unit: 'ms' },
          say('networkUnreachable', { host: endpoint.host, port: endpoint.port }),
        );
      const median = Math.round(stats.medianMs * 10) / 10;
      const jitter = Math.round((stats.jitterMs ?? 0) * 10) / 10;
      const measured = { value: median, unit: 'ms' };
      const figures = { median, jitter, loss: stats.lossPercent };
      if (stats.lossPercent > 0 || median > LATENCY_WARN_MS || jitter > JITTER_WARN_MS) {
        return outcome('warn', measured, say('networkUnsteady', figures));
      }
      return outcome('pass', measured, say('networkGood', figures));
    },
  };
}

/** Whether the clock is NTP-synchronised: `timedatectl show -p NTPSynchronized` output, or undefined when it cannot say. */
export async function readNtpSynchronized(signal?: AbortSignal): Promise<boolean | undefined> {
  try {
    const result = await runTool('timedatectl', ['show', '-p', 'NTPSynchronized'], {
      timeoutMs: 3_000,
      ...(signal ? { signal } : {}),
    });
    return result.code === 0 ? parseNtpSynchronized(result.stdout.toString()) : undefined;
  } catch {
    return undefined;
  }
}

/** Evidence timestamps are only as good as the clock. */
export function clockCheck(
  synchronised: (signal: AbortSignal) => Promise<boolean | undefined> = readNtpSynchronized,
): ReadinessCheck {
  return {
    id: 'clock',
    timeoutMs: 5_000,
    async run(_target, signal) {
      const synced = await synchronised(signal);
      if (synced === true) return outcome('pass', { value: true }, say('clockSynchronised'));
      if (synced === false) return outcome('fail', { value: false }, say('clockNotSynchronised'));
      return outcome('warn', { value: null }, say('clockUnknown'));
    },
  };
}
