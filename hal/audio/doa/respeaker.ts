import { Driver, describeError, type DriverContext } from '../../core/driver.js';
import type { DoaConfig } from '../config.js';
import {
  DOA_ANGLE,
  PARAMETER_REPLY_LENGTH,
  VOICE_ACTIVITY,
  decodeParameter,
  mountedAngle,
  readParameterSetup,
  type ControlTransferInSetup,
  type DspParameter,
} from './respeaker-protocol.js';
import type { DoaEvents, DoaSource } from './types.js';

type RespeakerOptions = Extract<DoaConfig, { driver: 'respeaker' }>;

/** The slice of WebUSB the driver uses; the `usb` package provides it on Linux. */
export interface UsbDeviceLike {
  open(): Promise<void>;
  close(): Promise<void>;
  controlTransferIn(setup: ControlTransferInSetup, length: number): Promise<{ data?: DataView; status: string }>;
}

export interface UsbAccess {
  find(vendorId: number, productId: number): Promise<UsbDeviceLike | undefined>;
}

/** WebUSB from the `usb` package (libusb underneath), loaded only in rooms that have such an array. */
export const nodeUsb: UsbAccess = {
  async find(vendorId, productId) {
    const { WebUSB } = await import('usb');
    const devices = await new WebUSB({ allowAllDevices: true }).getDevices();
    return devices.find((d) => d.vendorId === vendorId && d.productId === productId) as UsbDeviceLike | undefined;
  },
};

/**
 * Direction of arrival from a ReSpeaker USB Mic Array: polls angle and voice activity every
 * `intervalMs`. The array unplugged (a failed transfer) is a lost connection; the base reopens it.
 */
export class RespeakerDoa extends Driver<DoaEvents> implements DoaSource {
  readonly kind = 'audio' as const;
  readonly driverName = 'respeaker';
  #device: UsbDeviceLike | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(
    context: DriverContext,
    private readonly options: RespeakerOptions,
    private readonly usb: UsbAccess = nodeUsb,
  ) {
    super(context);
  }

  protected async open(): Promise<void> {
    const { vendorId, productId } = this.options;
    const device = await this.usb.find(vendorId, productId);
    const id = `${hex4(vendorId)}:${hex4(productId)}`;
    if (!device) throw new Error(`no USB microphone array ${id}`);
    await device.open();
    this.#device = device;
    await this.#read(DOA_ANGLE); // fails here, not in the first poll, when the DSP does not answer
    this.#timer = setInterval(() => void this.#poll(), this.options.intervalMs);
    this.#timer.unref?.();
  }

  protected async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const device = this.#device;
    this.#device = undefined;
    await device?.close().catch(() => undefined);
  }

  async #poll(): Promise<void> {
    if (this.#polling || !this.#device) return;
    this.#polling = true;
    try {
      const angle = await this.#read(DOA_ANGLE);
      const voice = (await this.#read(VOICE_ACTIVITY)) === 1;
      this.events.emit('reading', { angle: mountedAngle(angle, this.options.angleOffset), voice });
    } catch (error) {
      this.connectionLost(`microphone array stopped answering: ${describeError(error)}`);
    } finally {
      this.#polling = false;
    }
  }

  async #read(parameter: DspParameter): Promise<number> {
    const result = await this.#device!.controlTransferIn(readParameterSetup(parameter), PARAMETER_REPLY_LENGTH);
    if (result.status !== 'ok' || !result.data) throw new Error(`control transfer ${result.status}`);
    return decodeParameter(parameter, result.data);
  }
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
