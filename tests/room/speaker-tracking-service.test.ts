import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { doaConfig } from '../../hal/audio/config.js';
import { SimPtz } from '../../hal/ptz/sim.js';
import { createEventBus, type EventBus } from '../../kiosk/core/event-bus.js';
import { speakerTrackingConfig } from '../../config/room-automation.js';
import { SpeakerTrackingService } from '../../kiosk/room/speaker-tracking-service.js';

const logger = pino({ level: 'silent' });

/**
 * The service's port to the room's presets, straight onto the simulated head: PtzService's own
 * recallSlot (named preset, timeline event, host-stored positions) is tested in tests/ptz.
 */
const presetsOf = (ptz: SimPtz) => ({
  get ready() {
    return ptz.status === 'ok';
  },
  recallSlot: (slot: number) => ptz.recallPreset(slot),
});

describe('SpeakerTrackingService (fake timers, simulated DOA and PTZ)', () => {
  let ptz: SimPtz;
  let bus: EventBus;
  let service: SpeakerTrackingService;
  let recalls: number[];

  // The simulated array: citizen at 40° for 5 s, silence 1 s, official at 160° for 5 s, silence 1 s, looping.
  const doa = doaConfig.parse({
    driver: 'sim',
    intervalMs: 100,
    sequence: [
      { angle: 40, durationMs: 5000 },
      { angle: 40, voice: false, durationMs: 1000 },
      { angle: 160, durationMs: 5000 },
      { angle: 160, voice: false, durationMs: 1000 },
    ],
  });
  const tracking = speakerTrackingConfig.parse({
    enabled: true,
    presets: [
      { slot: 1, angle: 30 },
      { slot: 2, angle: 150 },
    ],
    holdMs: 2000,
    manualPauseMs: 5000,
  });

  beforeEach(async () => {
    vi.useFakeTimers();
    ptz = new SimPtz({ id: 'ptz' });
    await ptz.start();
    for (const slot of [1, 2]) await ptz.storePreset(slot);
    recalls = [];
    const recall = ptz.recallPreset.bind(ptz);
    vi.spyOn(ptz, 'recallPreset').mockImplementation(async (slot) => {
      recalls.push(slot);
      await recall(slot);
    });
    bus = createEventBus(logger);
    service = new SpeakerTrackingService({
      config: tracking,
      doa,
      presets: presetsOf(ptz),
      hasPtz: () => true,
      bus,
      logger,
    });
  });
  afterEach(async () => {
    await service.stop();
    await ptz.stop();
    vi.useRealTimers();
  });

  it('follows the conversation with one recall per talker, after the hold time', async () => {
    await service.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(recalls).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(recalls).toEqual([1]);
    await vi.advanceTimersByTimeAsync(5800);
    expect(recalls).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(recalls).toEqual([1, 2, 1, 2]);
  });

  it('does nothing while a manual move is in progress, and waits manualPauseMs after it', async () => {
    await service.start();
    bus.emit('ptzManualMove', true);
    await vi.advanceTimersByTimeAsync(11_000);
    expect(recalls).toEqual([]);
    bus.emit('ptzManualMove', false);
    // The citizen talks again from 12 s (held long enough at 14 s), but the pause after the manual move runs to 16 s.
    await vi.advanceTimersByTimeAsync(4900);
    expect(recalls).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(recalls).toEqual([1]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(recalls).toEqual([1, 2]);
  });

  it('stays off when disabled', async () => {
    service = new SpeakerTrackingService({
      config: { ...tracking, enabled: false },
      doa,
      presets: presetsOf(ptz),
      hasPtz: () => true,
      bus,
      logger,
    });
    await service.start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(recalls).toEqual([]);
  });

  it('a PTZ head that is down gets no recall, and is used again once back', async () => {
    await service.start();
    ptz.breakDevice('unplugged');
    await vi.advanceTimersByTimeAsync(5000);
    expect(recalls).toEqual([]);
    ptz.mend();
    await vi.advanceTimersByTimeAsync(4000);
    expect(ptz.status).toBe('ok');
    await vi.advanceTimersByTimeAsync(4000);
    expect(recalls).toEqual([2]);
  });
});
