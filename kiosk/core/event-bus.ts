import { TypedEmitter } from '../../hal/core/typed-emitter.js';
import type { Logger } from './logger.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Events services publish to each other instead of calling each other's internals. Each feature
 * declares its own events next to their types, by merging into this interface:
 *
 *     declare module '../core/event-bus.js' {
 *       interface AppEvents { sessionGap: [gap: SessionGap] }
 *     }
 *
 * so the bus depends on no feature (see media/events.ts, session/bus-events.ts, ptz/events.ts).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging; a type alias could not be.
export interface AppEvents {}

export type EventBus = TypedEmitter<AppEvents>;

export function createEventBus(logger: Logger): EventBus {
  return new TypedEmitter<AppEvents>((error, event) =>
    logger.error({ event, err: describeError(error) }, 'event listener threw'),
  );
}
