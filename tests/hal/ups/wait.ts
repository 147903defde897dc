import type { TypedEmitter, EventMap } from '../../../hal/core/typed-emitter.js';
import type { DeviceStatus, Driver } from '../../../hal/core/driver.js';
import { waitFor } from '../../support/wait.js';

/** Resolves with the next `event` whose arguments satisfy `match`; rejects after `timeoutMs`. */
export function nextEvent<E extends EventMap, K extends keyof E & string>(
  emitter: TypedEmitter<E>,
  event: K,
  timeoutMs = 15_000,
  match: (...args: E[K]) => boolean = () => true,
): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = emitter.on(event, (...args: E[K]) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}

export function untilStatus(driver: Driver, status: DeviceStatus, timeoutMs = 15_000): Promise<void> {
  return waitFor(
    `status ${status} (now ${driver.status}: ${driver.snapshot().detail ?? ''})`,
    () => driver.status === status,
    timeoutMs,
  ).then(() => undefined);
}

/** A DriverLogger that keeps every line, to assert what is (and is not) logged. */
export function recordingLogger() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  };
  return {
    lines,
    logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') },
    text: () => JSON.stringify(lines),
  };
}

export const fastBackoff = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 };
