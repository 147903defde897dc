import { BadConfigError, Driver, describeError, type DriverContext } from '../../core/driver.js';
import type { CameraConfig } from '../config.js';
import type { CameraDevice } from '../types.js';
import { probeRtsp } from './probe.js';
import { rtspTarget, type RtspTarget } from './protocol.js';

type RtspOptions = Extract<CameraConfig, { driver: 'rtsp' }>;

const DEFAULT_PROBE_TIMEOUT_MS = 3000;
const DEFAULT_CHECK_MS = 10_000;

/**
 * A network camera reached over RTSP. Open = TCP (or TLS) connect plus an answered OPTIONS within
 * `probeTimeoutMs`; while ok it is probed every `checkMs`, since a network camera sends no unplug.
 */
export class RtspCamera extends Driver implements CameraDevice {
  readonly kind = 'camera' as const;
  readonly driverName = 'rtsp';
  readonly #target: RtspTarget;
  #timer: NodeJS.Timeout | undefined;
  #cseq = 0;
  #checking = false;

  constructor(
    context: DriverContext,
    readonly source: RtspOptions,
  ) {
    super(context);
    try {
      this.#target = rtspTarget(source.url);
    } catch (error) {
      throw new BadConfigError(describeError(error));
    }
  }

  protected async open(): Promise<void> {
    await probeRtsp(this.#target, this.source.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, ++this.#cseq);
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.#check(), this.source.checkMs ?? DEFAULT_CHECK_MS);
    this.#timer.unref?.();
  }

  protected async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #check(): Promise<void> {
    if (this.#checking || this.status !== 'ok') return;
    this.#checking = true;
    try {
      await probeRtsp(this.#target, this.source.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, ++this.#cseq);
    } catch (error) {
      this.connectionLost(describeError(error));
    } finally {
      this.#checking = false;
    }
  }
}
