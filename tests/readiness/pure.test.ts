import { describe, expect, it } from 'vitest';
import { parseNtpSynchronized } from '../../kiosk/readiness/clock.js';
import { analyseFrames, splitFrames } from '../../kiosk/readiness/frames.js';
import { latencyStats } from '../../kiosk/readiness/latency.js';
import { parseLevelMessages } from '../../kiosk/readiness/levels.js';
import { overallOutcome } from '../../kiosk/readiness/outcome.js';
import {
  audioSource,
  cameraSource,
  frameCaptureLaunch,
  launchArgs,
  levelLaunch,
} from '../../kiosk/readiness/pipelines.js';
import { assessRecording } from '../../kiosk/readiness/recording-probe.js';
import { dueRuns, type PastRun, type SessionSlot } from '../../kiosk/readiness/scheduler.js';
import { audioConfig } from '../../hal/audio/config.js';
import { cameraConfig } from '../../hal/camera/config.js';

const H = 3_600_000;
const start = Date.parse('2025-06-10T08:00:00+07:00');
const at = (offsetMs: number) => new Date(start + offsetMs).toISOString();
const session = (state: SessionSlot['state'] = 'scheduled', id = 's1'): SessionSlot => ({ id, startsAt: at(0), state });
const run = (kind: PastRun['kind'], offsetMs: number, sessionId: string | null = 's1'): PastRun => ({
  sessionId,
  kind,
  startedAt: at(offsetMs),
});

describe('readiness scheduler (fake clock)', () => {
  type Case = [
    name: string,
    sessions: SessionSlot[],
    runs: PastRun[],
    nowOffset: number,
    expected: { sessionId: string; kind: string }[],
  ];
  const cases: Case[] = [
    ['nothing due 25 h before', [session()], [], -25 * H, []],
    ['day-before due when its window opens', [session()], [], -24 * H, [{ sessionId: 's1', kind: 'day-before' }]],
    ['day-before due 3 h before if missed', [session()], [], -3 * H, [{ sessionId: 's1', kind: 'day-before' }]],
    ['day-before done', [session()], [run('day-before', -23 * H)], -20 * H, []],
    [
      'a day-before run from before the window does not count',
      [session()],
      [run('day-before', -30 * H)],
      -20 * H,
      [{ sessionId: 's1', kind: 'day-before' }],
    ],
    [
      'an on-demand run does not count',
      [session()],
      [run('on-demand', -23 * H)],
      -20 * H,
      [{ sessionId: 's1', kind: 'day-before' }],
    ],
    [
      'a run for another session does not count',
      [session()],
      [run('day-before', -23 * H, 's2')],
      -20 * H,
      [{ sessionId: 's1', kind: 'day-before' }],
    ],
    [
      'two-hours due at 2 h, even after a day-before run',
      [session()],
      [run('day-before', -23 * H)],
      -2 * H,
      [{ sessionId: 's1', kind: 'two-hours' }],
    ],
    [
      'only the latest window when the day-before was missed',
      [session()],
      [],
      -1 * H,
      [{ sessionId: 's1', kind: 'two-hours' }],
    ],
    ['two-hours done', [session()], [run('two-hours', -2 * H + 60_000)], -1 * H, []],
    ['nothing once the session has started', [session()], [], 0, []],
    ['nothing for a live session', [session('live')], [], -1 * H, []],
    ['nothing for a cancelled session', [session('aborted')], [], -1 * H, []],
    ['due for a preparing session', [session('preparing')], [], -1 * H, [{ sessionId: 's1', kind: 'two-hours' }]],
    [
      'several sessions, the one starting soonest first',
      [{ id: 'late', startsAt: at(20 * H), state: 'scheduled' }, session()],
      [],
      -1 * H,
      [
        { sessionId: 's1', kind: 'two-hours' },
        { sessionId: 'late', kind: 'day-before' },
      ],
    ],
  ];
  it.each(cases)('%s', (_name, sessions, runs, nowOffset, expected) => {
    expect(dueRuns(sessions, runs, start + nowOffset).map(({ sessionId, kind }) => ({ sessionId, kind }))).toEqual(
      expected,
    );
  });

  it('reports when the window opened', () => {
    expect(dueRuns([session()], [], start - H)).toEqual([
      { sessionId: 's1', kind: 'two-hours', opensAt: new Date(start - 2 * H).toISOString() },
    ]);
  });
});

describe('latency statistics', () => {
  it.each([
    [[10, 12, 11, 13, 10], { sent: 5, received: 5, lossPercent: 0, medianMs: 11, jitterMs: 2 }],
    [[10, null, 20, 30], { sent: 4, received: 3, lossPercent: 25, medianMs: 20, jitterMs: 10 }],
    [[10, 20], { sent: 2, received: 2, lossPercent: 0, medianMs: 15, jitterMs: 10 }],
    [[7], { sent: 1, received: 1, lossPercent: 0, medianMs: 7, jitterMs: null }],
    [[null, null], { sent: 2, received: 0, lossPercent: 100, medianMs: null, jitterMs: null }],
  ] as const)('%j', (samples, expected) => {
    expect(latencyStats(samples)).toEqual(expected);
  });
});

describe('level messages (gst-launch -m)', () => {
  const line = (rms: string, peak: string) =>
    `Got message #40 from element "level0" (element): level, endtime=(guint64)100794577, timestamp=(guint64)794577, duration=(guint64)100000000, rms=${rms}, peak=${peak}, decay=${peak};`;
  it.each([
    [
      'GStreamer 1.22 arrays',
      [
        line('(GValueArray)< -9.5 >', '(GValueArray)< -6.5 >'),
        line('(GValueArray)< -10.5 >', '(GValueArray)< -5.5 >'),
      ].join('\n'),
      { peakDb: -5.5, rmsDb: -10, messages: 2 },
    ],
    [
      'older double lists, loudest channel',
      line('(double){ -20, -12 }', '(double){ -3, -1 }'),
      { peakDb: -1, rmsDb: -12, messages: 1 },
    ],
    [
      'silence',
      line('(GValueArray)< -inf >', '(GValueArray)< -inf >'),
      { peakDb: -Infinity, rmsDb: -Infinity, messages: 1 },
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseLevelMessages(`Setting pipeline to PAUSED ...\n${text}\nGot EOS from element "pipeline0".`)).toEqual(
      expected,
    );
  });
  it('is undefined without level messages', () => {
    expect(
      parseLevelMessages('Got message #12 from element "level0" (state-changed): GstMessageStateChanged'),
    ).toBeUndefined();
  });
});

describe('frame analysis', () => {
  const frame = (fill: (i: number) => number, size = 16) => Uint8Array.from({ length: size }, (_, i) => fill(i));
  it.each([
    [
      'moving picture',
      [frame((i) => 100 + i), frame((i) => 110 + i), frame((i) => 90 + i)],
      { black: false, frozen: false },
    ],
    ['black', [frame(() => 16), frame(() => 17), frame(() => 16)], { black: true, frozen: false }],
    [
      'noise on black is still black',
      [frame((i) => 16 + (i % 3) * 5), frame((i) => 16 + ((i + 1) % 3) * 5)],
      { black: true, frozen: false },
    ],
    [
      'a small bright object on black is not black',
      [frame((i) => (i === 3 ? 235 : 16), 100), frame((i) => (i === 4 ? 235 : 16), 100)],
      { black: false, frozen: false },
    ],
    ['frozen', [frame((i) => 128 + i), frame((i) => 128 + i), frame((i) => 128 + i)], { black: false, frozen: true }],
    ['black and frozen', [frame(() => 16), frame(() => 16)], { black: true, frozen: true }],
    ['a single frame cannot show motion', [frame((i) => 100 + i)], { black: false, frozen: true }],
    ['no frame at all', [], { black: true, frozen: true }],
  ])('%s', (_name, frames, expected) => {
    expect(analyseFrames(frames)).toMatchObject(expected);
  });
  it('measures luma and change', () => {
    expect(analyseFrames([frame(() => 100, 4), frame(() => 104, 4)])).toEqual({
      frames: 2,
      meanLuma: 102,
      maxChange: 4,
      brightShare: 1,
      black: false,
      frozen: false,
    });
  });
  it('cuts whole frames and drops a partial one', () => {
    expect(splitFrames(Buffer.from([1, 2, 3, 4, 5, 6, 7]), 3).map((f) => [...f])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});

describe('test recording assessment (ffprobe JSON)', () => {
  const probe = (video: number, audio: number, duration: string) =>
    JSON.stringify({
      streams: [
        { codec_type: 'video', nb_read_frames: String(video) },
        { codec_type: 'audio', nb_read_frames: String(audio) },
      ],
      format: { duration },
    });
  it.each([
    ['healthy', probe(150, 251, '5.000000'), { decodes: true, durationSeconds: 5, videoFrames: 150, audioFrames: 251 }],
    ['a frame or two lost at start-up', probe(140, 240, '4.9'), { decodes: true }],
    ['too few frames', probe(60, 251, '5.0'), { decodes: false, problem: 'only 60 of 150 video frames decode' }],
    ['no audio', probe(150, 0, '5.0'), { decodes: false, problem: 'no audio frame decodes' }],
    [
      'too short',
      JSON.stringify({
        streams: [
          { codec_type: 'video', nb_read_frames: '150' },
          { codec_type: 'audio', nb_read_frames: '50' },
        ],
        format: { duration: '2.0' },
      }),
      { decodes: false, problem: 'duration 2 s, expected 5 s' },
    ],
    ['no streams', JSON.stringify({ streams: [], format: {} }), { decodes: false, problem: 'no video frame decodes' }],
    ['not JSON', 'Invalid data found when processing input', { decodes: false, problem: 'ffprobe output is not JSON' }],
  ])('%s', (_name, json, expected) => {
    expect(assessRecording([json], { seconds: 5, fps: 30 })).toMatchObject(expected);
  });
  it('adds up the segments of a recording that split', () => {
    expect(assessRecording([probe(90, 150, '3.0'), probe(60, 101, '2.0')], { seconds: 5, fps: 30 })).toMatchObject({
      decodes: true,
      durationSeconds: 5,
      videoFrames: 150,
      audioFrames: 251,
    });
    expect(
      assessRecording([probe(90, 150, '3.0'), JSON.stringify({ streams: [], format: {} })], { seconds: 5, fps: 30 }),
    ).toMatchObject({ decodes: false, durationSeconds: null });
  });
  it('fails a recording that wrote no segment', () => {
    expect(assessRecording([], { seconds: 5, fps: 30 })).toMatchObject({
      decodes: false,
      problem: 'no segment was written',
    });
  });
});

describe('clock and outcome', () => {
  it.each([
    ['NTPSynchronized=yes\n', true],
    ['NTPSynchronized=no\n', false],
    ['', undefined],
    ['NTPSynchronized=maybe\n', undefined],
  ])('%j -> %s', (output, expected) => {
    expect(parseNtpSynchronized(output)).toBe(expected);
  });
  it.each([
    [['pass', 'pass'], 'pass'],
    [['pass', 'unsupported'], 'pass'],
    [['pass', 'warn', 'unsupported'], 'warn'],
    [['warn', 'fail', 'pass'], 'fail'],
    [[], 'pass'],
  ] as const)('%j -> %s', (statuses, expected) => {
    expect(overallOutcome(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe('probe pipelines', () => {
  it.each([
    [
      { driver: 'sim', pattern: 'ball', width: 1280, height: 720, fps: 30 },
      'videotestsrc is-live=true num-buffers=15 pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1',
    ],
    [
      { driver: 'v4l2', device: '/dev/video0', format: 'mjpeg', width: 1920, height: 1080, fps: 30 },
      'v4l2src device="/dev/video0" num-buffers=15 ! image/jpeg,width=1920,height=1080,framerate=30/1 ! jpegdec',
    ],
    [
      { driver: 'v4l2', device: '/dev/video2', format: 'raw', width: 640, height: 480, fps: 15 },
      'v4l2src device="/dev/video2" num-buffers=15 ! video/x-raw,width=640,height=480,framerate=15/1',
    ],
    [{ driver: 'rtsp', url: 'rtsp://cam/1', width: 1920, height: 1080, fps: 30 }, undefined],
  ])('camera %j', (source, expected) => {
    expect(cameraSource(cameraConfig.parse(source), 15)).toBe(expected);
  });
  it.each([
    [
      { driver: 'sim', toneHz: 440, channels: 1, sampleRate: 48000 },
      'audiotestsrc is-live=true num-buffers=10 samplesperbuffer=4800 freq=440 volume=0.5 ! audio/x-raw,rate=48000,channels=1',
    ],
    [
      { driver: 'alsa', device: 'hw:1,0', channels: 2, sampleRate: 48000 },
      'alsasrc device="hw:1,0" latency-time=100000 num-buffers=10 ! audio/x-raw,rate=48000,channels=2',
    ],
    [
      { driver: 'pulse', channels: 1, sampleRate: 16000 },
      'pulsesrc latency-time=100000 num-buffers=10 ! audio/x-raw,rate=16000,channels=1',
    ],
  ])('microphone %j', (source, expected) => {
    expect(audioSource(audioConfig.parse(source), 10)).toBe(expected);
  });
  it('builds the frame and level launches', () => {
    expect(frameCaptureLaunch('SRC')).toBe(
      'SRC ! videoconvert ! videoscale ! video/x-raw,format=GRAY8,width=64,height=36 ! fdsink fd=1',
    );
    expect(levelLaunch('MIC')).toBe(
      'MIC ! audioconvert ! level interval=100000000 post-messages=true ! fakesink sync=false',
    );
  });
  it.each([
    ['a ! b', ['a', '!', 'b']],
    ['  a   b ', ['a', 'b']],
    ['filesink location="/tmp/a b/x.mkv" sync=false', ['filesink', 'location="/tmp/a b/x.mkv"', 'sync=false']],
    ['x location="say \\"hi\\" there"', ['x', 'location="say \\"hi\\" there"']],
    ['', []],
  ])('splits %j into gst-launch arguments', (description, expected) => {
    expect(launchArgs(description)).toEqual(expected);
  });
});
