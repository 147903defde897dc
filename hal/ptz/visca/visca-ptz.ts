import { Driver, type DriverContext } from '../../core/driver.js';
import { PtzNotConnectedError } from '../errors.js';
import type { Direction, FocusMode, PtzCapabilities, PtzDevice, PtzMove, PtzPosition } from '../types.js';
import * as visca from './protocol.js';
import { ViscaSession, type SessionExchange, type SessionReply } from './session.js';

export interface ViscaTimeouts {
  /** ACK / inquiry answer. */
  timeoutMs: number;
  /** Completion of a move that runs to its end (preset recall, home, absolute position). */
  slowCompletionTimeoutMs?: number;
}

const SLOW_COMPLETION_MS = 15_000;

/**
 * A VISCA camera as a `PtzDevice`, whatever the line. A family (serial, IP) opens its transport,
 * calls `handshake()` and feeds every reply to `received()`; this class turns PTZ calls into
 * VISCA packets through one `ViscaSession`.
 */
export abstract class ViscaPtz extends Driver implements PtzDevice {
  readonly kind = 'ptz' as const;
  readonly capabilities: PtzCapabilities = {
    presets: 'camera',
    position: true,
    absolute: true,
    focus: true,
    power: true,
  };
  protected readonly session: ViscaSession;

  constructor(
    context: DriverContext,
    protected readonly address: number,
    timeouts: ViscaTimeouts,
  ) {
    super(context);
    this.session = new ViscaSession({
      send: (exchange) => this.sendPacket(exchange),
      recovery: () => this.recoveryExchange(),
      ackTimeoutMs: timeouts.timeoutMs,
      slowCompletionTimeoutMs: Math.max(timeouts.timeoutMs, timeouts.slowCompletionTimeoutMs ?? SLOW_COMPLETION_MS),
      onUnresponsive: (reason) => this.connectionLost(reason),
      logger: this.logger,
      device: this.id,
    });
  }

  /** Puts one packet on the line. */
  protected abstract sendPacket(exchange: SessionExchange): Promise<void>;

  /** The packet that brings a confused camera back to a known state. */
  protected abstract recoveryExchange(): SessionExchange;

  protected received(reply: SessionReply): void {
    if ('address' in reply && reply.address !== this.address) return;
    this.session.receive(reply);
  }

  async move(move: PtzMove): Promise<void> {
    if (move.pan === 0 && move.tilt === 0) return this.stopMove();
    const pan = move.pan === 1 ? 'right' : move.pan === -1 ? 'left' : 'stop';
    const tilt = move.tilt === 1 ? 'up' : move.tilt === -1 ? 'down' : 'stop';
    await this.#send(
      visca.panTiltDrive(
        this.address,
        pan,
        tilt,
        visca.scaleSpeed(move.speed, visca.PAN_SPEED_MAX),
        visca.scaleSpeed(move.speed, visca.TILT_SPEED_MAX),
      ),
    );
  }

  async stopMove(): Promise<void> {
    await this.#send(visca.panTiltStop(this.address));
  }

  async zoom(direction: Direction, speed?: number): Promise<void> {
    const action: visca.ZoomAction =
      direction === 0
        ? { kind: 'stop' }
        : {
            kind: direction === 1 ? 'tele' : 'wide',
            speed: Math.round(Math.min(1, Math.max(0, speed ?? 0.5)) * visca.ZOOM_SPEED_MAX),
          };
    await this.#send(visca.zoom(this.address, action));
  }

  async home(): Promise<void> {
    await this.#send(visca.panTiltHome(this.address));
  }

  async recallPreset(slot: number): Promise<void> {
    await this.#send(visca.preset(this.address, 'recall', slot));
  }

  async storePreset(slot: number): Promise<void> {
    await this.#send(visca.preset(this.address, 'set', slot));
  }

  async position(): Promise<PtzPosition> {
    const panTilt = visca.decodePanTiltPosition(await this.#send(visca.panTiltPositionInquiry(this.address)));
    const zoom = visca.decodeZoomPosition(await this.#send(visca.zoomPositionInquiry(this.address)));
    return { ...panTilt, zoom };
  }

  async goTo(position: PtzPosition): Promise<void> {
    await this.#send(
      visca.panTiltAbsolute(this.address, position.pan, position.tilt, visca.PAN_SPEED_MAX, visca.TILT_SPEED_MAX),
    );
    await this.#send(visca.zoomDirect(this.address, position.zoom));
  }

  async focus(mode: FocusMode): Promise<void> {
    await this.#send(visca.focusMode(this.address, mode));
  }

  async power(on: boolean): Promise<void> {
    await this.#send(visca.power(this.address, on));
  }

  /** AddressSet then IF_Clear, as a controller must at start; throws if the camera does not answer. */
  protected async handshake(): Promise<void> {
    this.session.open();
    const next = (await this.session.request(visca.addressSet()))[0] ?? 0;
    const cameras = next - 1;
    if (cameras < this.address)
      throw new Error(
        `VISCA AddressSet found ${cameras} camera(s) on the line; none answers at address ${this.address}`,
      );
    await this.session.request(visca.ifClearBroadcast());
  }

  #send(request: visca.ViscaRequest): Promise<Buffer> {
    if (this.status !== 'ok')
      return Promise.reject(
        new PtzNotConnectedError(
          `PTZ camera is ${this.status}${this.snapshot().detail ? `: ${this.snapshot().detail}` : ''}`,
        ),
      );
    return this.session.request(request);
  }
}
