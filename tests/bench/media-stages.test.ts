import { describe, expect, it } from 'vitest';
import { capturesFor } from '../../kiosk/media/pipelines/capture.js';
import { programLaunch } from '../../kiosk/media/pipelines/program.js';
import { removableStages, withoutStage } from '../../scripts/bench/media-stages.js';
import { cpuByName, queueStages, stageOfThread } from '../../scripts/bench/media-threads.js';
import { smallPlan } from '../media/plan-fixture.js';

const plan = smallPlan({
  camera: { kind: 'jpeg-files', location: '/tmp/f-%03d.jpg', width: 320, height: 240, fps: 15 },
  remote: { kind: 'none' },
  layout: { pictureInPicture: 'off', scale: 0.3 },
  stream: { kind: 'udp', host: '127.0.0.1', port: 5000 },
});
const launches = [
  ...capturesFor(plan).map((c) => c.launch),
  programLaunch(plan, { encoder: 'x264', location: '/tmp/r-%05d.mkv', sessionLabel: 'S-1' }),
];
const all = (l: readonly string[]) => l.join('\n');

describe('bench: pipelines without one stage', () => {
  it.each([
    ['overlays', /clockoverlay|name=caption/],
    ['preview', /jpegenc|appsink/],
    ['levels', /\blevel name=/],
    ['stream', /mpegtsmux|udpsink/],
    ['audio', /audiotestsrc|interaudio|audiomixer|avenc_aac|recorder\.audio/],
    ['camera hop', /intervideo/],
  ] as const)('%s: removed, and nothing else', (stage, gone) => {
    expect(all(launches)).toMatch(gone);
    const edited = withoutStage(launches, stage);
    expect(all(edited)).not.toMatch(gone);
    // The encode and the recorder always remain.
    expect(all(edited)).toContain('x264enc name=video-encoder');
    expect(all(edited)).toContain('splitmuxsink name=recorder');
  });

  it('the camera, linked straight in, still passes the slate and the overlays', () => {
    const program = withoutStage(launches, 'camera hop').at(-1)!;
    expect(program).toMatch(
      /^multifilesrc location="\/tmp\/f-%03d.jpg" .* ! jpegdec ! videoconvert .* ! queue max-size-buffers=1 ! video\/x-raw.* ! textoverlay name=camera-slate .* ! clockoverlay /m,
    );
  });

  it('refuses a stage it cannot find instead of measuring the whole pipeline twice', () => {
    const noStream = withoutStage(launches, 'stream');
    expect(() => withoutStage(noStream, 'stream')).toThrow(/stream/);
    expect(() => withoutStage(withoutStage(launches, 'overlays'), 'overlays')).toThrow(/overlays/);
  });

  it('every stage has an edit', () => {
    for (const stage of removableStages) expect(() => withoutStage(launches, stage)).not.toThrow();
  });
});

describe('bench: CPU by thread and stage', () => {
  it('numbers unnamed queues in creation order and tells each by what follows it', () => {
    expect(queueStages(launches)).toEqual([
      'audio',
      'encode',
      'recorder mux + file',
      'recorder mux + file',
      'preview',
      'stream mux + UDP',
      'stream mux + UDP',
    ]);
  });

  it.each([
    ['queue1:src', 'encode'],
    ['queue4:src', 'preview'],
    ['multifilesrc0:s', 'camera decode + normalise'],
    ['intervideosrc0:', 'program video (hop, slate, clock, caption)'],
    ['mix-audio:src', 'audio'],
    ['queue_video:src', 'recorder mux + file'],
    ['libuv-worker', 'host (node/gst-launch, IPC, GLib)'],
    ['queue99:src', 'other'],
    ['multiqueue0:src', 'RTSP receive + decode (camera and remote)'],
    ['udpsrc3:src', 'RTSP receive + decode (camera and remote)'],
  ])('%s → %s', (name, stage) => {
    expect(stageOfThread(name, queueStages(launches))).toBe(stage);
  });

  it('sums threads of one name and counts threads born in the window in full', () => {
    const before = new Map([
      [1, { seconds: 1 }],
      [2, { seconds: 2 }],
    ]);
    const after = new Map([
      [1, { name: 'queue1:src', seconds: 3 }],
      [2, { name: 'queue1:src', seconds: 2.5 }],
      [3, { name: 'gmain', seconds: 0.25 }],
    ]);
    expect(cpuByName(before, after)).toEqual(
      new Map([
        ['queue1:src', 2.5],
        ['gmain', 0.25],
      ]),
    );
  });
});
