import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioConfig } from '../../hal/audio/config.js';
import { cameraConfig } from '../../hal/camera/config.js';
import { loopbackCheck } from '../../kiosk/readiness/checks/devices.js';
import { GstProbe } from '../../kiosk/readiness/gst-probe.js';
import { loopbackHeard, median, parseRmsSeries } from '../../kiosk/readiness/levels.js';
import { loopbackLaunch, speakerSink } from '../../kiosk/readiness/pipelines.js';
import { PulseServer } from '../support/pulse-server.js';

describe('loopback pieces', () => {
  it('builds the speaker sink and the tone-while-listening pipeline', () => {
    expect(speakerSink({ driver: 'alsa', device: 'hw:CARD=Device,DEV=0' })).toBe(
      'alsasink device="hw:CARD=Device,DEV=0"',
    );
    expect(speakerSink({ driver: 'pulse' })).toBe('pulsesink');
    expect(
      loopbackLaunch(
        { driver: 'pulse', device: 'room' },
        'pulsesrc device="room.monitor" latency-time=100000 num-buffers=15 ! audio/x-raw,rate=48000,channels=1',
        1.5,
      ),
    ).toBe(
      'audiotestsrc is-live=true freq=1000 volume=0.3 num-buffers=108 ! audioconvert ! audioresample ! pulsesink device="room" ' +
        'pulsesrc device="room.monitor" latency-time=100000 num-buffers=15 ! audio/x-raw,rate=48000,channels=1 ! audioconvert ! audiochebband mode=band-pass lower-frequency=900 upper-frequency=1100 poles=4 ! level interval=100000000 post-messages=true ! fakesink sync=false',
    );
  });

  it('reads the RMS of each level message and takes a robust middle', () => {
    const line = (rms: string) =>
      `Got message #5 from element "level0" (element): level, endtime=(guint64)1, rms=(GValueArray)< ${rms} >, peak=(GValueArray)< -3 >;`;
    expect(parseRmsSeries([line('-700'), line('-13.5'), line('-13.4, -20'), line('-nan'), 'other'].join('\n'))).toEqual(
      [-700, -13.5, -13.4],
    );
    expect(median([-700, -13.5, -13.4])).toBe(-13.5);
    expect(median([])).toBeUndefined();
  });

  it.each([
    [-13.5, -700, true],
    [-50, -70, true],
    [-50, -55, false],
    [-65, -700, false],
  ])('tone at %d dB over room noise at %d dB heard: %s', (tone, ambient, heard) => {
    expect(loopbackHeard(tone, ambient)).toBe(heard);
  });
});

/** The whole check on a real sound server: PulseAudio null sinks stand in for the room's speaker and air. */
describe('speaker → microphone check through PulseAudio', () => {
  let pulse: PulseServer;
  beforeAll(async () => {
    pulse = await PulseServer.start(['room', 'corridor']);
    process.env.PULSE_SERVER = pulse.address;
  });
  afterAll(async () => {
    delete process.env.PULSE_SERVER;
    await pulse?.stop();
  });

  const camera = cameraConfig.parse({ driver: 'sim' });
  const check = (speakerSinkName: string) =>
    loopbackCheck(
      new GstProbe(
        camera,
        audioConfig.parse({
          driver: 'pulse',
          device: 'room.monitor',
          speaker: { driver: 'pulse', device: speakerSinkName },
        }),
      ),
    );

  it('passes when the microphone hears the tone played on the speaker', async () => {
    const result = await check('room').run(
      { sessionId: null, durationSeconds: 60, endpoint: null } as never,
      new AbortController().signal,
    );
    expect(result.status).toBe('pass');
    expect(result.measured.value as number).toBeGreaterThan(-40);
  }, 30_000);

  it('fails when the tone goes somewhere the microphone cannot hear', async () => {
    const result = await check('corridor').run(
      { sessionId: null, durationSeconds: 60, endpoint: null } as never,
      new AbortController().signal,
    );
    expect(result.status).toBe('fail');
    expect(result.explanation.vi).toContain('Micrô không nghe thấy');
  }, 30_000);

  it('says why it cannot run in simulation or without a speaker', async () => {
    const result = await loopbackCheck(new GstProbe(camera, audioConfig.parse({ driver: 'sim' }))).run(
      {} as never,
      new AbortController().signal,
    );
    expect(result.status).toBe('unsupported');
    expect(result.explanation.en).toContain('hal.audio.speaker');
  });
});
