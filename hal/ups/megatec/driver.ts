import type { SerialPort } from 'serialport';
import type { DriverContext } from '../../core/driver.js';
import { closeSerialLine, openSerialLine, writeAll } from '../../core/serial/serial-line.js';
import type { UpsConfig } from '../config.js';
import { UpsDriver } from '../ups-driver.js';
import { megatecRequest, parseQ1, parseRating, type MegatecRating } from './codec.js';
import { cellsFromNominal, readingFromQ1, type BatteryModel } from './estimate.js';
import { CrLineReader } from './line-reader.js';
import { describeError } from '../../core/describe-error.js';

export type MegatecUpsOptions = Extract<UpsConfig, { driver: 'megatec' }>;

/** A Q1 reply is 47 bytes: about 200 ms at 2400 baud; a second is generous for slow firmware. */
const replyTimeoutMs = 1000;
/** One missed reply can be noise on the line; two in a row mean the UPS stopped answering. */
const missesBeforeLost = 2;

interface PendingReply {
  line(line: string): void;
  fail(error: Error): void;
}

/**
 * A Megatec/Q1 UPS on a serial line (the cheap line-interactive units common in offices).
 * At open: `F` for the battery rating (optional: many units do not answer it), then `Q1` must answer,
 * or the open fails and the base retries. Then `Q1` every `pollMs`, one request on the line at a time.
 * Runtime is estimated (see estimate.ts) and marked as such in the reading.
 */
export class MegatecUps extends UpsDriver {
  readonly driverName = 'megatec';
  #port: SerialPort | undefined;
  readonly #reader = new CrLineReader();
  #pending: PendingReply | undefined;
  #misses = 0;
  #model: BatteryModel;

  constructor(
    context: DriverContext,
    private readonly options: MegatecUpsOptions,
  ) {
    super(context);
    this.#model = {
      cells: options.batteryNominalVoltage ? cellsFromNominal(options.batteryNominalVoltage) : undefined,
      fullLoadRuntimeSeconds: options.fullLoadRuntimeSeconds,
    };
  }

  protected async open(): Promise<void> {
    const path = this.options.port;
    this.#reader.reset();
    this.#misses = 0;
    const port = await openSerialLine(path, this.options.baudRate, {
      data: (chunk) => this.#onData(chunk),
      closed: () => {
        if (this.#port !== port) return;
        this.stopPolling();
        this.#failPending(new Error(`serial port ${path} closed`));
        this.connectionLost(`serial port ${path} closed`);
      },
      error: (error) => this.logger.warn({ device: this.id, err: error.message }, 'serial port error'),
    });
    this.#port = port;

    if (!this.options.batteryNominalVoltage) {
      const rating = await this.#ask(megatecRequest.rating, parseRating).catch(() => undefined);
      if (rating) this.#useRating(rating);
      else
        this.logger.info(
          { device: this.id },
          'UPS does not answer F (rating): runtime cannot be estimated without hal.ups.batteryNominalVoltage',
        );
    }
    const status = await this.#ask(megatecRequest.status, parseQ1);
    this.publish(readingFromQ1(status, this.#model, new Date()));
    this.startPolling(this.options.pollMs, () => this.#poll());
  }

  protected async close(): Promise<void> {
    this.stopPolling();
    this.#failPending(new Error('driver closing'));
    const port = this.#port;
    this.#port = undefined;
    await closeSerialLine(port);
  }

  #useRating(rating: MegatecRating): void {
    this.#model = { ...this.#model, cells: cellsFromNominal(rating.batteryVoltage) };
    this.logger.info(
      {
        device: this.id,
        ratedVoltage: rating.voltage,
        batteryVoltage: rating.batteryVoltage,
        cells: this.#model.cells,
      },
      'UPS rating',
    );
  }

  async #poll(): Promise<void> {
    if (!this.#port?.isOpen) return;
    try {
      const status = await this.#ask(megatecRequest.status, parseQ1);
      this.#misses = 0;
      this.publish(readingFromQ1(status, this.#model, new Date()));
    } catch (error) {
      if (!this.#port?.isOpen) return;
      this.#misses++;
      if (this.#misses >= missesBeforeLost) this.lostCommunication(describeError(error));
    }
  }

  /**
   * Sends one request and resolves with the first line `parse` accepts. Lines it rejects are noise:
   * they are skipped, and quoted in the timeout error.
   */
  #ask<T>(request: string, parse: (line: string) => T): Promise<T> {
    if (this.#pending) return Promise.reject(new Error('a request is already on the line'));
    this.#reader.reset();
    return new Promise<T>((resolve, reject) => {
      let lastNoise: string | undefined;
      const finish = () => {
        clearTimeout(timer);
        if (this.#pending === pending) this.#pending = undefined;
      };
      const pending: PendingReply = {
        line: (line) => {
          let value: T;
          try {
            value = parse(line);
          } catch {
            lastNoise = line;
            return;
          }
          finish();
          resolve(value);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        const noise = lastNoise === undefined ? '' : ` (line noise: ${JSON.stringify(lastNoise.slice(0, 40))})`;
        pending.fail(
          new Error(`no valid reply to ${JSON.stringify(request.trim())} within ${replyTimeoutMs} ms${noise}`),
        );
      }, replyTimeoutMs);
      this.#pending = pending;
      writeAll(this.#port, Buffer.from(request, 'latin1')).catch((error: Error) => pending.fail(error));
    });
  }

  #failPending(error: Error): void {
    this.#pending?.fail(error);
  }

  #onData(chunk: Buffer): void {
    for (const line of this.#reader.push(chunk)) {
      if (this.#pending) this.#pending.line(line);
      else if (line.trim())
        this.logger.debug({ device: this.id, line: line.slice(0, 60) }, 'unsolicited bytes from the UPS ignored');
    }
  }
}
