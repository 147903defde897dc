import type { AudioDevice } from '../../hal/audio/types.js';
import type { GpioDevice } from '../../hal/gpio/types.js';
import { outputNames, type OutputName } from '../../hal/gpio/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { lampsFor } from './signals.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface RoomSignalsServiceOptions {
  gpio: () => GpioDevice | undefined;
  audio: () => AudioDevice | undefined;
  bus: EventBus;
  logger: Logger;
}

/**
 * Physical buttons and lamps: the mute button toggles the microphone, the call-technician button
 * is published on the bus (console, fleet); the tally lamp and the door sign follow the session.
 */
export class RoomSignalsService implements Service {
  readonly name = 'room-signals';
  #disposers: (() => void)[] = [];
  #lamps: Record<OutputName, boolean> = { tally: false, doorSign: false };

  constructor(private readonly options: RoomSignalsServiceOptions) {}

  async start(): Promise<void> {
    const { bus, logger } = this.options;
    const gpio = this.options.gpio();
    if (gpio) {
      this.#disposers.push(
        gpio.events.on('button', (name) => {
          logger.info({ button: name }, 'room button pressed');
          bus.emit('roomButton', name);
          if (name === 'mute') void this.#toggleMute();
        }),
      );
    }
    let state = 'scheduled';
    let recorderStopped = false;
    const update = () => {
      this.#lamps = lampsFor(state, recorderStopped);
      void this.#applyLamps();
    };
    this.#disposers.push(
      bus.on('sessionStateChanged', (change) => {
        if (change.to !== state) recorderStopped = false;
        state = change.to;
        update();
      }),
      bus.on('recordingStateChanged', (change) => {
        if (change.state === 'stopped' && change.cause && change.cause !== 'requested') recorderStopped = true;
        else if (change.state === 'recording' || change.state === 'resumed') recorderStopped = false;
        update();
      }),
    );
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
  }

  async #toggleMute(): Promise<void> {
    const audio = this.options.audio();
    if (!audio) return;
    try {
      await audio.setMuted(!audio.muted);
      this.options.logger.info({ muted: audio.muted }, 'microphone mute toggled by room button');
    } catch (error) {
      this.options.logger.warn({ err: describeError(error) }, 'mute button could not reach the microphone');
    }
  }

  async #applyLamps(): Promise<void> {
    const gpio = this.options.gpio();
    if (!gpio) return;
    for (const name of outputNames) {
      try {
        await gpio.setOutput(name, this.#lamps[name]);
      } catch (error) {
        // An output not wired in this room, or GPIO down: the driver restores wanted levels on reconnect.
        this.options.logger.debug({ output: name, err: describeError(error) }, 'lamp not set');
      }
    }
  }
}
