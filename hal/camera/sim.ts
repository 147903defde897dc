import { SimulatedDriver } from '../core/simulated.js';
import type { DriverContext } from '../core/driver.js';
import type { CameraConfig } from './config.js';
import type { CameraDevice } from './types.js';

/** A test-pattern camera: the media worker captures it with videotestsrc. */
export class SimCamera extends SimulatedDriver implements CameraDevice {
  readonly kind = 'camera' as const;
  constructor(
    context: DriverContext,
    readonly source: Extract<CameraConfig, { driver: 'sim' }>,
  ) {
    super(context);
  }
}
