import { TypedEmitter } from '../../hal/core/typed-emitter.js';
import type { DeviceSnapshot } from '../../hal/core/driver.js';
import type { Logger } from './logger.js';

/**
 * Events services publish to each other instead of calling each other's internals.
 * A feature adds its events here.
 */
export type AppEvents = {
  deviceStatus: [snapshot: DeviceSnapshot];
  /** Someone is moving the camera by hand (kiosk or console PTZ controls): true at the start, false at the end. */
  ptzManualMove: [active: boolean];
  /** A named camera preset was recalled or stored (kiosk/ptz). */
  ptzPreset: [event: { action: 'recalled' | 'stored'; name: string; slot: number; source: 'kiosk' | 'console' }];
};

export type EventBus = TypedEmitter<AppEvents>;

export function createEventBus(logger: Logger): EventBus {
  return new TypedEmitter<AppEvents>((error, event) => logger.error({ event, err: String((error as Error)?.message ?? error) }, 'event listener threw'));
}
