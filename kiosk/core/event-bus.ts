import { TypedEmitter } from '../../hal/core/typed-emitter.js';
import type { DeviceSnapshot } from '../../hal/core/driver.js';
import type { Logger } from './logger.js';

/**
 * Events services publish to each other instead of calling each other's internals.
 * A feature adds its events here.
 */
export type AppEvents = {
  deviceStatus: [snapshot: DeviceSnapshot];
};

export type EventBus = TypedEmitter<AppEvents>;

export function createEventBus(logger: Logger): EventBus {
  return new TypedEmitter<AppEvents>((error, event) => logger.error({ event, err: String((error as Error)?.message ?? error) }, 'event listener threw'));
}
