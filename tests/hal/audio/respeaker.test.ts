import { afterEach, describe, expect, it, vi } from 'vitest';
import { doaConfig } from '../../../hal/audio/config.js';
import {
  DOA_ANGLE,
  VOICE_ACTIVITY,
  decodeParameter,
  mountedAngle,
  readParameterSetup,
} from '../../../hal/audio/doa/respeaker-protocol.js';
import { RespeakerDoa, type UsbAccess, type UsbDeviceLike } from '../../../hal/audio/doa/respeaker.js';
import type { DoaReading } from '../../../hal/audio/doa/types.js';
import type { ControlTransferInSetup } from '../../../hal/audio/doa/respeaker-protocol.js';

const reply = (...int32s: number[]) => {
  const view = new DataView(new ArrayBuffer(4 * int32s.length));
  for (const [i, value] of int32s.entries()) view.setInt32(4 * i, value, true);
  return view;
};

describe('XVF-3000 parameter protocol', () => {
  it.each([
    ['DOA angle', DOA_ANGLE, { requestType: 'vendor', recipient: 'device', request: 0, value: 0xc0, index: 21 }],
    [
      'voice activity',
      VOICE_ACTIVITY,
      { requestType: 'vendor', recipient: 'device', request: 0, value: 0xe0, index: 19 },
    ],
    [
      'a float parameter',
      { resource: 19, offset: 39, type: 'float' as const },
      { requestType: 'vendor', recipient: 'device', request: 0, value: 0xa7, index: 19 },
    ],
  ])('reads %s with wValue/wIndex as the DSP expects', (_name, parameter, setup) => {
    expect(readParameterSetup(parameter)).toEqual(setup);
  });

  it('decodes little-endian integers and mantissa × 2^exponent floats', () => {
    expect(decodeParameter(DOA_ANGLE, reply(275, 0))).toBe(275);
    expect(decodeParameter(VOICE_ACTIVITY, reply(1, 0))).toBe(1);
    expect(decodeParameter({ resource: 19, offset: 39, type: 'float' }, reply(3, -1))).toBe(1.5);
    expect(() => decodeParameter(DOA_ANGLE, reply(1))).toThrow(/4 bytes, expected 8/);
  });

  it.each([
    [10, 0, 10],
    [350, 30, 20],
    [10, -30, 340],
    [0, 360, 0],
  ])('turns device angle %i by the mounting offset %i into %i', (angle, offset, expected) => {
    expect(mountedAngle(angle, offset)).toBe(expected);
  });
});

/**
 * No microphone array is plugged into this machine: the driver is tested against a fake USB device
 * that answers control transfers as the XVF-3000 does (the protocol itself is checked above).
 */
class FakeArray implements UsbDeviceLike {
  angle = 90;
  voice = 1;
  unplugged = false;
  opened = 0;
  readonly setups: ControlTransferInSetup[] = [];
  async open() {
    if (this.unplugged) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    this.opened++;
  }
  async close() {}
  async controlTransferIn(setup: ControlTransferInSetup, length: number) {
    this.setups.push(setup);
    if (this.unplugged) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    expect(length).toBe(8);
    return { status: 'ok', data: reply(setup.index === 21 ? this.angle : this.voice, 0) };
  }
}

describe('ReSpeaker DOA driver', () => {
  let driver: RespeakerDoa | undefined;
  afterEach(async () => {
    await driver?.stop();
    vi.useRealTimers();
  });

  const options = doaConfig.parse({ driver: 'respeaker', intervalMs: 100, angleOffset: 30 }) as Extract<
    ReturnType<typeof doaConfig.parse>,
    { driver: 'respeaker' }
  >;

  it('polls angle and voice activity and reports them in the room frame', async () => {
    vi.useFakeTimers();
    const array = new FakeArray();
    const access: UsbAccess = {
      find: async (vendor, product) => (vendor === 0x2886 && product === 0x0018 ? array : undefined),
    };
    driver = new RespeakerDoa({ id: 'doa' }, options, access);
    const readings: DoaReading[] = [];
    driver.events.on('reading', (r) => readings.push(r));
    await driver.start();
    expect(driver.status).toBe('ok');
    await vi.advanceTimersByTimeAsync(100);
    array.angle = 340;
    array.voice = 0;
    await vi.advanceTimersByTimeAsync(100);
    expect(readings).toEqual([
      { angle: 120, voice: true },
      { angle: 10, voice: false },
    ]);
    expect(array.setups.slice(1, 3).map((s) => [s.value, s.index])).toEqual([
      [0xc0, 21],
      [0xe0, 19],
    ]);
  });

  it('reports an absent array as failed and picks it up when it is plugged in', async () => {
    vi.useFakeTimers();
    let array: FakeArray | undefined;
    driver = new RespeakerDoa({ id: 'doa', backoff: { initialMs: 1000, maxMs: 1000, factor: 1, jitter: 0 } }, options, {
      find: async () => array,
    });
    await driver.start();
    expect(driver.snapshot()).toMatchObject({ status: 'failed', detail: 'no USB microphone array 2886:0018' });
    array = new FakeArray();
    await vi.advanceTimersByTimeAsync(1000);
    expect(driver.status).toBe('ok');
  });

  it('with the real usb library and no such array on this machine, reports failed with the reason', async () => {
    driver = new RespeakerDoa({ id: 'doa' }, options);
    await driver.start();
    expect(driver.snapshot()).toMatchObject({ status: 'failed', detail: expect.any(String) });
  });

  it('treats a transfer failing mid-session as an unplug and reconnects', async () => {
    vi.useFakeTimers();
    const array = new FakeArray();
    driver = new RespeakerDoa({ id: 'doa', backoff: { initialMs: 1000, maxMs: 1000, factor: 1, jitter: 0 } }, options, {
      find: async () => array,
    });
    await driver.start();
    array.unplugged = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(driver.snapshot()).toMatchObject({
      status: 'connecting',
      detail: expect.stringContaining('LIBUSB_ERROR_NO_DEVICE'),
    });
    array.unplugged = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(driver.status).toBe('ok');
    expect(array.opened).toBe(2);
  });
});
