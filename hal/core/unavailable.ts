import { BadConfigError, Driver, type DeviceKind, type DriverContext } from './driver.js';

/** Stands where config names a driver family this build does not have: status `bad-config`, with why. */
export class UnavailableDriver extends Driver {
  constructor(
    context: DriverContext,
    readonly kind: DeviceKind,
    readonly driverName: string,
  ) {
    super(context);
  }

  protected async open(): Promise<void> {
    throw new BadConfigError(`driver "${this.driverName}" for ${this.kind} is not available in this build`);
  }

  protected async close(): Promise<void> {}
}
