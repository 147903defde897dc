import { describe, expect, it } from 'vitest';
import { EncodeMeter, parseIdentityStats } from '../../kiosk/media/encode-meter.js';

describe('parseIdentityStats', () => {
  it('reads the counters from the string form the binding gives of the GstStructure', () => {
    expect(
      parseIdentityStats('application/x-identity-stats, num-bytes=(guint64)123456, num-buffers=(guint64)42;'),
    ).toEqual({ bytes: 123456, buffers: 42 });
  });
  it('gives undefined for anything else', () => {
    expect(parseIdentityStats(undefined)).toBeUndefined();
    expect(parseIdentityStats(7)).toBeUndefined();
    expect(parseIdentityStats('application/x-identity-stats, num-bytes=(guint64)1;')).toBeUndefined();
  });
});

describe('EncodeMeter', () => {
  it('works out frame rate and bitrate over each window', () => {
    const meter = new EncodeMeter(30);
    expect(meter.sample(0, { buffers: 1, bytes: 10_000 })).toEqual({
      fps: 0,
      bitrateKbps: 0,
      frames: 1,
      droppedFrames: 0,
    });
    expect(meter.sample(2000, { buffers: 61, bytes: 510_000 })).toEqual({
      fps: 30,
      bitrateKbps: 2000,
      frames: 61,
      droppedFrames: 0,
    });
  });

  it('counts the frames the encoder fell short of real time, and keeps the worst', () => {
    const meter = new EncodeMeter(30);
    meter.sample(0, { buffers: 1, bytes: 0 });
    // 10 s at 30 fps should have made 301 frames; 201 were encoded: 100 short (less 2 in flight).
    expect(meter.sample(10_000, { buffers: 201, bytes: 1 }).droppedFrames).toBe(98);
    expect(meter.sample(10_000 + 1000, { buffers: 231, bytes: 2 })).toMatchObject({ fps: 30, droppedFrames: 98 });
  });

  it('does not call the in-flight frames of a healthy encoder dropped', () => {
    const meter = new EncodeMeter(30);
    meter.sample(0, { buffers: 1, bytes: 0 });
    expect(meter.sample(2000, { buffers: 60, bytes: 1 }).droppedFrames).toBe(0);
  });

  it('starts over when the counters go back (a new pipeline)', () => {
    const meter = new EncodeMeter(30);
    meter.sample(0, { buffers: 1, bytes: 0 });
    meter.sample(10_000, { buffers: 100, bytes: 100 });
    expect(meter.sample(11_000, { buffers: 5, bytes: 10 })).toEqual({
      fps: 0,
      bitrateKbps: 0,
      frames: 5,
      droppedFrames: 0,
    });
  });

  it('waits for the first frame before it expects any', () => {
    const meter = new EncodeMeter(30);
    meter.sample(0, { buffers: 0, bytes: 0 });
    meter.sample(5000, { buffers: 1, bytes: 100 });
    expect(meter.sample(6000, { buffers: 31, bytes: 200 }).droppedFrames).toBe(0);
  });
});
