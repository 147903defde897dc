import { TypedEmitter, type EventMap } from './typed-emitter.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import { describeError } from './describe-error.js';

/** One status per connection, as the fleet and the health endpoint show it. */
export type DeviceStatus = 'ok' | 'connecting' | 'failed' | 'bad-config';

export type DeviceKind = 'camera' | 'ptz' | 'audio' | 'display' | 'ups' | 'gpio';

export interface DeviceSnapshot {
  id: string;
  kind: DeviceKind;
  driver: string;
  status: DeviceStatus;
  /** Why the device is not ok, in words a technician can act on. Never contains secrets. */
  detail?: string;
  since: string;
  /** A networked device's clock against the room's (ONVIF cameras): it matters for evidence timestamps. */
  clock?: { driftSeconds: number; checkedAt: string };
}

/** Events every driver emits; a kind adds its own on top. */
export type BaseDeviceEvents = {
  status: [snapshot: DeviceSnapshot];
};

/** Minimal logger contract so hal/ does not depend on the daemon's logger. */
export interface DriverLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: DriverLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface DriverContext {
  id: string;
  logger?: DriverLogger;
  backoff?: BackoffPolicy;
  /** Injectable for tests (fake timers work with the globals too). */
  random?: () => number;
}

/** Thrown by a driver's constructor or `open()` when its options cannot work; the driver then stops retrying. */
export class BadConfigError extends Error {
  override name = 'BadConfigError';
}

/**
 * The common driver contract. A subclass implements `open()` (connect to the device, throw on failure)
 * and `close()`; when the device goes away later it calls `connectionLost(reason)`.
 *
 * The base keeps retrying forever with backoff: a camera unplugged at boot or mid-session is picked
 * up again without a restart. Status before the first success is `failed` between attempts (the
 * technician must look), `connecting` while reconnecting after a loss.
 */
export abstract class Driver<E extends EventMap = EventMap> {
  abstract readonly kind: DeviceKind;
  abstract readonly driverName: string;
  readonly id: string;
  readonly events: TypedEmitter<E & BaseDeviceEvents>;
  protected readonly logger: DriverLogger;

  #status: DeviceStatus = 'connecting';
  #detail: string | undefined;
  #since = new Date();
  #running = false;
  #everConnected = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #connecting: Promise<void> | undefined;
  readonly #backoff: BackoffPolicy;
  readonly #random: () => number;

  constructor(context: DriverContext) {
    this.id = context.id;
    this.logger = context.logger ?? silentLogger;
    this.#backoff = context.backoff ?? defaultBackoff;
    this.#random = context.random ?? Math.random;
    this.events = new TypedEmitter<E & BaseDeviceEvents>((error, event) =>
      this.logger.error({ device: this.id, event, err: describeError(error) }, 'device event listener threw'),
    );
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  get isRunning(): boolean {
    return this.#running;
  }

  snapshot(): DeviceSnapshot {
    return {
      id: this.id,
      kind: this.kind,
      driver: this.driverName,
      status: this.#status,
      ...(this.#detail ? { detail: this.#detail } : {}),
      since: this.#since.toISOString(),
    };
  }

  /** Starts connecting; resolves after the first attempt, whatever its outcome (retries go on). */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    await this.#tryConnect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#connecting?.catch(() => undefined);
    try {
      await this.close();
    } catch (error) {
      this.logger.warn({ device: this.id, err: describeError(error) }, 'device close failed');
    }
  }

  /** Open the device. Throw to report failure; throw BadConfigError to stop retrying. */
  protected abstract open(): Promise<void>;

  /** Release the device. Must be safe to call when not open. */
  protected abstract close(): Promise<void>;

  /** A subclass calls this when an open device goes away (EOF, unplug, socket error). */
  protected connectionLost(reason: string): void {
    if (!this.#running || this.#status !== 'ok') return;
    this.logger.warn({ device: this.id, reason }, 'device connection lost');
    this.setStatus('connecting', reason);
    void this.close()
      .catch(() => undefined)
      .finally(() => this.#scheduleRetry());
  }

  /** A subclass may refine the status detail (e.g. UPS on battery) while staying connected. */
  protected setStatus(status: DeviceStatus, detail?: string): void {
    if (status === this.#status && detail === this.#detail) return;
    this.#status = status;
    this.#detail = detail;
    this.#since = new Date();
    (this.events as TypedEmitter<BaseDeviceEvents>).emit('status', this.snapshot());
  }

  #tryConnect(): Promise<void> {
    const attempt = (async () => {
      try {
        await this.open();
        if (!this.#running) {
          await this.close();
          return;
        }
        this.#attempt = 0;
        this.#everConnected = true;
        this.setStatus('ok');
      } catch (error) {
        const message = describeError(error);
        if (error instanceof BadConfigError) {
          this.logger.error({ device: this.id, err: message }, 'device configuration cannot work');
          this.setStatus('bad-config', message);
          return;
        }
        this.logger.warn({ device: this.id, err: message, attempt: this.#attempt }, 'device open failed');
        this.setStatus(this.#everConnected ? 'connecting' : 'failed', message);
        await this.close().catch(() => undefined);
        this.#scheduleRetry();
      }
    })();
    this.#connecting = attempt.finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #scheduleRetry(): void {
    if (!this.#running) return;
    const delay = backoffDelay(this.#attempt++, this.#backoff, this.#random);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#running) void this.#tryConnect();
    }, delay);
    this.#retryTimer.unref?.();
  }
}

export { describeError };
