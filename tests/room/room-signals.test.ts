import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SimAudio } from '../../hal/audio/sim.js';
import { audioConfig } from '../../hal/audio/config.js';
import { SimGpio } from '../../hal/gpio/sim.js';
import type { ButtonName } from '../../hal/gpio/config.js';
import { createEventBus, type EventBus } from '../../kiosk/core/event-bus.js';
import { RoomSignalsService } from '../../kiosk/room/room-signals-service.js';
import { lampsFor } from '../../kiosk/room/signals.js';

const logger = pino({ level: 'silent' });

describe('lampsFor', () => {
  it.each([
    ['scheduled', false],
    ['preparing', false],
    ['ready', false],
    ['live', true],
    ['ending', true],
    ['closed', false],
    ['failed', false],
    ['aborted', false],
  ])('%s → lit %s', (state, lit) => {
    expect(lampsFor(state)).toEqual({ tally: lit, doorSign: lit });
  });

  it('a live session whose recorder stopped by itself keeps its door sign but not the recording tally', () => {
    expect(lampsFor('live', true)).toEqual({ tally: false, doorSign: true });
  });
});

describe('RoomSignalsService with simulated GPIO and microphone', () => {
  let gpio: SimGpio;
  let audio: SimAudio;
  let bus: EventBus;
  let service: RoomSignalsService;

  beforeEach(async () => {
    gpio = new SimGpio({ id: 'gpio' });
    const sim = audioConfig.parse({ driver: 'sim' });
    if (sim.driver !== 'sim') throw new Error('unreachable');
    audio = new SimAudio({ id: 'audio' }, sim);
    await gpio.start();
    await audio.start();
    bus = createEventBus(logger);
    service = new RoomSignalsService({ gpio: () => gpio, audio: () => audio, bus, logger });
    await service.start();
  });
  afterEach(async () => {
    await service.stop();
    await gpio.stop();
    await audio.stop();
  });

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('the mute button toggles the microphone and every press is published', async () => {
    const pressed: ButtonName[] = [];
    bus.on('roomButton', (name) => pressed.push(name));
    gpio.press('mute');
    await settle();
    expect(audio.muted).toBe(true);
    gpio.press('mute');
    await settle();
    expect(audio.muted).toBe(false);
    gpio.press('callTechnician');
    expect(pressed).toEqual(['mute', 'mute', 'callTechnician']);
    expect(audio.muted).toBe(false);
  });

  it('lamps follow the session state', async () => {
    const change = (from: string, to: string) =>
      bus.emit('sessionStateChanged', {
        sessionId: 's1',
        from: from as never,
        to: to as never,
        at: new Date().toISOString(),
        recordingId: null,
      });
    change('ready', 'live');
    await settle();
    expect([gpio.output('tally'), gpio.output('doorSign')]).toEqual([true, true]);
    change('live', 'ending');
    change('ending', 'closed');
    await settle();
    expect([gpio.output('tally'), gpio.output('doorSign')]).toEqual([false, false]);
  });

  it('stop unsubscribes', async () => {
    await service.stop();
    gpio.press('mute');
    await settle();
    expect(audio.muted).toBe(false);
  });
});
