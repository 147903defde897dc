import { describe, expect, it } from 'vitest';
import { cameraCapture, capturesFor, micCapture, remoteCapture } from '../../kiosk/media/pipelines/capture.js';
import {
  chooseEncoder,
  encoderFragment,
  ImpossiblePlanError,
  keyframeInterval,
} from '../../kiosk/media/pipelines/encoder.js';
import { escapeMarkup, fraction, quote } from '../../kiosk/media/pipelines/launch.js';
import { captionText, pipPosition, programLaunch } from '../../kiosk/media/pipelines/program.js';
import { streamLaunch } from '../../kiosk/media/pipelines/stream.js';
import { planFromConfig } from '../../kiosk/media/plan.js';
import { parseConfig } from '../../config/load.js';
import defaultConfig from '../../config/default.json' with { type: 'json' };
import { smallPlan } from './plan-fixture.js';

const NORMALISED =
  'videoconvert ! videoscale ! videorate ! video/x-raw,format=I420,width=320,height=240,framerate=15/1,pixel-aspect-ratio=1/1,interlace-mode=progressive ! progressreport name=heartbeat update-freq=1 silent=true';
const TO_MIX = 'audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000,channels=2,layout=interleaved';

describe('launch-string escaping', () => {
  it.each([
    ['plain', '"plain"'],
    ['Phòng "Tiếp dân" số 1', '"Phòng \\"Tiếp dân\\" số 1"'],
    ['a\\b', '"a\\\\b"'],
    ['x ! fakesink name=evil', '"x ! fakesink name=evil"'],
    ['line\nbreak\ttab', '"line break tab"'],
  ])('quote(%j) = %s', (input, expected) => {
    expect(quote(input)).toBe(expected);
  });

  it.each([
    ['Tom & Jerry <b>', 'Tom &amp; Jerry &lt;b&gt;'],
    ['Phòng tiếp dân', 'Phòng tiếp dân'],
  ])('escapeMarkup(%j)', (input, expected) => {
    expect(escapeMarkup(input)).toBe(expected);
  });

  it.each([
    [30, '30/1'],
    [2, '2/1'],
    [0.5, '1/2'],
    [7.5, '15/2'],
    [0.25, '1/4'],
  ])('fraction(%d) = %s', (rate, expected) => {
    expect(fraction(rate)).toBe(expected);
  });

  it('rejects a non-positive rate', () => {
    expect(() => fraction(0)).toThrow(RangeError);
  });

  it('caption: a Vietnamese room name with quotes and markup characters survives both markup and launch quoting', () => {
    const text = captionText('Phòng "Ban Tiếp công dân" <Tỉnh> & Huyện', 'S-42');
    expect(text).toBe('Phòng "Ban Tiếp công dân" &lt;Tỉnh&gt; &amp; Huyện · S-42');
    expect(quote(text)).toBe('"Phòng \\"Ban Tiếp công dân\\" &lt;Tỉnh&gt; &amp; Huyện · S-42"');
  });
});

describe('capture pipelines', () => {
  const plan = smallPlan();
  it.each([
    [
      { kind: 'test', pattern: 'ball', width: 640, height: 480, fps: 30 } as const,
      `videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1 ! ${NORMALISED} ! intervideosink channel=dc-camera`,
    ],
    [
      { kind: 'v4l2', device: '/dev/video0', format: 'mjpeg', width: 1920, height: 1080, fps: 30 } as const,
      `v4l2src device="/dev/video0" ! image/jpeg,width=1920,height=1080,framerate=30/1 ! jpegdec ! ${NORMALISED} ! intervideosink channel=dc-camera`,
    ],
    [
      { kind: 'v4l2', device: '/dev/video2', format: 'raw', width: 640, height: 480, fps: 15 } as const,
      `v4l2src device="/dev/video2" ! video/x-raw,width=640,height=480,framerate=15/1 ! ${NORMALISED} ! intervideosink channel=dc-camera`,
    ],
    [
      { kind: 'rtsp', url: 'rtsp://10.0.0.5:554/stream1', latencyMs: 200 } as const,
      `rtspsrc name=camera-in location="rtsp://10.0.0.5:554/stream1" latency=200 ! application/x-rtp,media=video ! decodebin ! ${NORMALISED} ! intervideosink channel=dc-camera`,
    ],
    [
      { kind: 'jpeg-files', location: '/tmp/frames/f-%03d.jpg', width: 1920, height: 1080, fps: 30 } as const,
      `multifilesrc location="/tmp/frames/f-%03d.jpg" loop=true caps="image/jpeg,width=1920,height=1080,framerate=30/1" ! jpegdec ! ${NORMALISED} ! intervideosink channel=dc-camera`,
    ],
    [
      { kind: 'tcp-gdp', host: '127.0.0.1', port: 5000 } as const,
      `tcpclientsrc host="127.0.0.1" port=5000 ! gdpdepay ! ${NORMALISED} ! intervideosink channel=dc-camera`,
    ],
  ])('camera %o', (camera, expected) => {
    expect(cameraCapture(camera, plan)).toEqual({ role: 'camera', launch: expected });
  });

  it('an IP camera with a login: the user in the launch string, the password only as a file to read', () => {
    const spec = cameraCapture(
      {
        kind: 'rtsp',
        url: 'rtsp://10.0.0.5:554/main',
        latencyMs: 200,
        username: 'admin',
        passwordFile: '/var/lib/diemcau/secrets/cam.password',
      },
      plan,
    );
    expect(spec.launch).toContain(
      'rtspsrc name=camera-in location="rtsp://10.0.0.5:554/main" latency=200 user-id="admin" ! ',
    );
    expect(spec.secret).toEqual({
      element: 'camera-in',
      property: 'user-pw',
      file: '/var/lib/diemcau/secrets/cam.password',
    });
  });

  it.each([
    [
      { kind: 'test', toneHz: 440, channels: 1, sampleRate: 48000 } as const,
      'audiotestsrc is-live=true wave=sine freq=440 volume=0.3 ! audio/x-raw,rate=48000,channels=1',
    ],
    [
      { kind: 'alsa', device: 'hw:1,0', channels: 2, sampleRate: 44100 } as const,
      'alsasrc device="hw:1,0" ! audio/x-raw,rate=44100,channels=2',
    ],
    [{ kind: 'pulse', channels: 1, sampleRate: 16000 } as const, 'pulsesrc ! audio/x-raw,rate=16000,channels=1'],
    [
      { kind: 'pulse', device: 'alsa_input.usb-mic', channels: 1, sampleRate: 48000 } as const,
      'pulsesrc device="alsa_input.usb-mic" ! audio/x-raw,rate=48000,channels=1',
    ],
  ])('microphone %o', (mic, source) => {
    expect(micCapture(mic)).toEqual({
      role: 'mic',
      launch: `${source} ! ${TO_MIX} ! progressreport name=heartbeat update-freq=1 silent=true ! interaudiosink channel=dc-mic`,
    });
  });

  const pipVideo =
    'videoconvert ! videoscale ! videorate ! video/x-raw,format=I420,width=96,height=72,framerate=15/1,pixel-aspect-ratio=1/1,interlace-mode=progressive ! progressreport name=heartbeat update-freq=1 silent=true ! intervideosink channel=dc-remote-video';
  const pipAudio = `${TO_MIX} ! interaudiosink channel=dc-remote-audio`;

  it('remote test stream stands in for the chairing site', () => {
    expect(remoteCapture({ kind: 'test' }, plan)).toEqual({
      role: 'remote',
      launch: `videotestsrc is-live=true pattern=smpte ! video/x-raw,width=96,height=72,framerate=15/1 ! ${pipVideo}\naudiotestsrc is-live=true wave=sine freq=660 volume=0.2 ! ${pipAudio}`,
    });
  });

  it('remote SRT feed: decoded, passphrase from its file, never in the launch string', () => {
    const spec = remoteCapture(
      {
        kind: 'srt',
        url: 'srt://mcu.example:9000?mode=caller',
        passphraseFile: '/etc/diemcau/srt.key',
        latencyMs: 300,
      },
      plan,
    );
    expect(spec).toEqual({
      role: 'remote',
      launch: `srtsrc name=remote-in uri="srt://mcu.example:9000?mode=caller" latency=300 ! decodebin name=remote-decode\nremote-decode. ! video/x-raw ! queue ! ${pipVideo}\nremote-decode. ! audio/x-raw ! queue ! ${pipAudio}`,
      secret: { element: 'remote-in', property: 'passphrase', file: '/etc/diemcau/srt.key' },
    });
  });

  it.each([
    [{ kind: 'rtmp', url: 'rtmp://mcu/live/x' } as const, 'rtmp2src name=remote-in location="rtmp://mcu/live/x"'],
  ])('remote %o', (remote, source) => {
    expect(remoteCapture(remote, plan)?.launch).toBe(
      `${source} ! decodebin name=remote-decode\nremote-decode. ! video/x-raw ! queue ! ${pipVideo}\nremote-decode. ! audio/x-raw ! queue ! ${pipAudio}`,
    );
  });

  it('an RTSP remote feed: each RTP stream decoded on its own (one decodebin takes only the first pad)', () => {
    expect(remoteCapture({ kind: 'rtsp', url: 'rtsps://mcu/live', latencyMs: 100 }, plan)?.launch).toBe(
      'rtspsrc name=remote-in location="rtsps://mcu/live" latency=100\n' +
        `remote-in. ! application/x-rtp,media=video ! decodebin ! video/x-raw ! queue ! ${pipVideo}\n` +
        `remote-in. ! application/x-rtp,media=audio ! decodebin ! audio/x-raw ! queue ! ${pipAudio}`,
    );
  });

  it('no remote feed, no remote pipeline', () => {
    expect(remoteCapture({ kind: 'none' }, plan)).toBeUndefined();
    expect(capturesFor(smallPlan({ remote: { kind: 'none' } })).map((c) => c.role)).toEqual(['camera', 'mic']);
  });
});

describe('encoders', () => {
  const plan = smallPlan({ video: { width: 1920, height: 1080, fps: 30, bitrateKbps: 4000, keyframeSeconds: 1 } });
  it.each([
    [
      'x264',
      'videoconvert ! x264enc name=video-encoder speed-preset=ultrafast tune=zerolatency bitrate=4000 key-int-max=30',
    ],
    [
      'v4l2h264',
      'videoconvert ! v4l2h264enc name=video-encoder extra-controls="controls,video_bitrate=4000000,h264_i_frame_period=30" ! video/x-h264,level=(string)4',
    ],
    ['vaapih264', 'vaapipostproc ! vaapih264enc name=video-encoder bitrate=4000 keyframe-period=30'],
    [
      'nvv4l2h264',
      'nvvidconv ! nvv4l2h264enc name=video-encoder bitrate=4000000 iframeinterval=30 insert-sps-pps=true',
    ],
  ] as const)('%s', (encoder, expected) => {
    expect(encoderFragment(encoder, plan)).toBe(expected);
  });

  it('keyframe interval follows fps × keyframeSeconds', () => {
    expect(
      keyframeInterval(
        smallPlan({ video: { width: 320, height: 240, fps: 25, bitrateKbps: 300, keyframeSeconds: 0.5 } }),
      ),
    ).toBe(13);
  });

  it.each([
    ['auto', ['x264enc', 'vaapih264enc'], 'vaapih264'],
    ['auto', ['x264enc', 'v4l2h264enc', 'nvv4l2h264enc'], 'v4l2h264'],
    ['auto', ['x264enc'], 'x264'],
    ['x264', ['x264enc', 'v4l2h264enc'], 'x264'],
  ] as const)('chooseEncoder(%s, %o) = %s', (wanted, present, expected) => {
    expect(chooseEncoder(wanted, new Set(present))).toBe(expected);
  });

  it('a named encoder that is missing is an error naming the element', () => {
    expect(() => chooseEncoder('vaapih264', new Set(['x264enc']))).toThrow(
      /media.encoder is vaapih264 but GStreamer element vaapih264enc is not installed/,
    );
    expect(() => chooseEncoder('auto', new Set())).toThrow(ImpossiblePlanError);
  });
});

describe('program', () => {
  it('the whole program of a small plan, exactly', () => {
    const launch = programLaunch(smallPlan({ roomName: 'Phòng "A" & B' }), {
      encoder: 'x264',
      location: '/rec/r1-%05d.mkv',
      sessionLabel: 'S-1',
    });
    const raw =
      'video/x-raw,format=I420,width=320,height=240,framerate=15/1,pixel-aspect-ratio=1/1,interlace-mode=progressive';
    const pip =
      'video/x-raw,format=I420,width=96,height=72,framerate=15/1,pixel-aspect-ratio=1/1,interlace-mode=progressive';
    const mix = 'audio/x-raw,format=S16LE,rate=48000,channels=2,layout=interleaved';
    expect(launch.split('\n')).toEqual([
      `intervideosrc channel=dc-camera timeout=500000000 ! ${raw} ! textoverlay name=camera-slate text="MẤT TÍN HIỆU / NO SIGNAL" silent=true valignment=center halignment=center font-desc="Sans Bold 24" auto-resize=false shaded-background=true ! queue max-size-buffers=3 ! mix-video.sink_0`,
      `intervideosrc channel=dc-remote-video timeout=500000000 ! ${pip} ! textoverlay name=remote-slate text="MẤT TÍN HIỆU / NO SIGNAL" silent=true valignment=center halignment=center font-desc="Sans Bold 8" auto-resize=false shaded-background=true ! queue max-size-buffers=3 ! mix-video.sink_1`,
      `compositor name=mix-video background=black min-upstream-latency=66666667 sink_0::zorder=0 sink_1::zorder=1 sink_1::xpos=208 sink_1::ypos=16 ! ${raw} ! clockoverlay time-format="%d/%m/%Y %H:%M:%S" halignment=left valignment=top font-desc="Sans 8" auto-resize=false shaded-background=true ! textoverlay name=caption text="Phòng \\"A\\" &amp; B · S-1" halignment=left valignment=bottom font-desc="Sans 8" auto-resize=false shaded-background=true ! tee name=program-video`,
      `interaudiosrc channel=dc-mic ! ${mix} ! queue ! mix-audio.`,
      `interaudiosrc channel=dc-remote-audio ! ${mix} ! queue ! mix-audio.`,
      `audiomixer name=mix-audio ! ${mix} ! level name=levels interval=200000000 post-messages=true ! audioconvert ! avenc_aac bitrate=64000 ! aacparse ! tee name=program-audio`,
      'program-video. ! queue max-size-buffers=3 ! videoconvert ! x264enc name=video-encoder speed-preset=ultrafast tune=zerolatency bitrate=300 key-int-max=15 ! identity name=encode-meter silent=true ! h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream,alignment=au ! tee name=program-h264',
      'splitmuxsink name=recorder async-finalize=true muxer-factory=matroskamux sink-factory=filesink sink-properties="properties,buffer-size=(uint)4096" max-size-time=2000000000 send-keyframe-requests=true location="/rec/r1-%05d.mkv"',
      'program-h264. ! queue ! h264parse ! recorder.video',
      'program-audio. ! queue ! recorder.audio_0',
      'program-video. ! queue leaky=downstream max-size-buffers=1 ! videorate drop-only=true ! videoscale ! video/x-raw,width=160,height=120,framerate=2/1 ! jpegenc quality=70 ! appsink name=preview max-buffers=1 drop=true sync=false',
    ]);
  });

  it('every text is drawn at the size asked, never scaled with the frame (auto-resize blends 3× larger text at 1080p)', () => {
    const launch = programLaunch(smallPlan({ video: { ...smallPlan().video, width: 1920, height: 1080 } }), {
      encoder: 'x264',
      location: '/rec/r1-%05d.mkv',
      sessionLabel: 'S-1',
    });
    const texts = launch.split(' ! ').filter((part) => /^(text|clock)overlay /.test(part));
    expect(texts).toHaveLength(4);
    for (const text of texts) expect(text).toContain('auto-resize=false');
    expect(launch).toContain(
      'clockoverlay time-format="%d/%m/%Y %H:%M:%S" halignment=left valignment=top font-desc="Sans 27"',
    );
  });

  it('no remote: no compositor and no remote audio; MPEG-TS recorder; UDP stream straight out', () => {
    const launch = programLaunch(
      smallPlan({
        remote: { kind: 'none' },
        recording: { segmentSeconds: 60, container: 'mpegts', minFreeMegabytes: 0 },
        stream: { kind: 'udp', host: '127.0.0.1', port: 5004 },
      }),
      { encoder: 'x264', location: '/rec/r-%05d.ts', sessionLabel: '' },
    );
    expect(launch).not.toContain('compositor');
    expect(launch).not.toContain('dc-remote');
    expect(launch).toContain('textoverlay name=caption text="Phòng tiếp công dân" ');
    expect(launch).toContain('muxer-factory=mpegtsmux');
    expect(launch).toContain('max-size-time=60000000000');
    expect(launch.split('\n').slice(-3)).toEqual([
      'mpegtsmux name=stream-mux alignment=7 ! udpsink host="127.0.0.1" port=5004 sync=false async=false',
      'program-h264. ! queue leaky=downstream max-size-time=1000000000 max-size-buffers=0 max-size-bytes=0 ! h264parse ! stream-mux.',
      'program-audio. ! queue leaky=downstream max-size-time=1000000000 max-size-buffers=0 max-size-bytes=0 ! stream-mux.',
    ]);
  });

  it('SRT/RTMP streams leave through the local hop port', () => {
    const launch = programLaunch(smallPlan({ stream: { kind: 'rtmp', url: 'rtmp://x/y' } }), {
      encoder: 'x264',
      location: '/r/%05d.mkv',
      sessionLabel: 's',
      streamHopPort: 41000,
    });
    expect(launch).toContain('udpsink host="127.0.0.1" port=41000 sync=false async=false');
  });

  it.each([
    ['top-left', { x: 16, y: 16 }],
    ['top-right', { x: 208, y: 16 }],
    ['bottom-left', { x: 16, y: 152 }],
    ['bottom-right', { x: 208, y: 152 }],
    ['off', undefined],
  ] as const)('picture-in-picture %s', (corner, expected) => {
    expect(pipPosition(smallPlan({ layout: { pictureInPicture: corner, scale: 0.3 } }))).toEqual(expected);
  });

  it.each([
    [
      smallPlan({ video: { width: 321, height: 240, fps: 15, bitrateKbps: 300, keyframeSeconds: 1 } }),
      {},
      /must have even width and height/,
    ],
    [
      smallPlan({ video: { width: 320, height: 240, fps: 5, bitrateKbps: 300, keyframeSeconds: 0.1 } }),
      {},
      /shorter than one frame/,
    ],
    [smallPlan({ preview: { fps: 2, width: 640 } }), {}, /preview.width 640 is wider than the program/],
    [smallPlan(), { location: '/rec/no-index.mkv' }, /needs a %05d index/],
    [
      smallPlan({ stream: { kind: 'srt', url: 'srt://x:1', passphraseFile: '/k', latencyMs: 200 } }),
      {},
      /needs a local hop port/,
    ],
  ])('impossible plan %#', (plan, options, message) => {
    expect(() =>
      programLaunch(plan, { encoder: 'x264', location: '/rec/r-%05d.mkv', sessionLabel: '', ...options }),
    ).toThrow(message);
  });
});

describe('stream pipeline', () => {
  const hop =
    'udpsrc address=127.0.0.1 port=41000 caps="video/mpegts,systemstream=(boolean)true,packetsize=(int)188" ! queue leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=2000000000';
  it('SRT with encryption; the passphrase is set from its file', () => {
    expect(
      streamLaunch({ kind: 'srt', url: 'srt://hub:9000', passphraseFile: '/etc/k', latencyMs: 250 }, 41000),
    ).toEqual({
      launch: `${hop} ! srtsink name=stream-out uri="srt://hub:9000" latency=250 pbkeylen=32 wait-for-connection=false sync=false`,
      secret: { element: 'stream-out', property: 'passphrase', file: '/etc/k' },
    });
  });
  it('RTMP through flvmux', () => {
    expect(streamLaunch({ kind: 'rtmp', url: 'rtmp://hub/live/a' }, 41000)?.launch.split('\n')).toEqual([
      `${hop} ! tsdemux name=stream-demux`,
      'stream-demux. ! video/x-h264 ! queue ! h264parse ! stream-flv.',
      'stream-demux. ! audio/mpeg ! queue ! aacparse ! stream-flv.',
      'flvmux name=stream-flv streamable=true ! rtmpsink name=stream-out location="rtmp://hub/live/a" sync=false',
    ]);
  });
  it('none and udp need no stream pipeline', () => {
    expect(streamLaunch({ kind: 'none' }, 1)).toBeUndefined();
    expect(streamLaunch({ kind: 'udp', host: '127.0.0.1', port: 5 }, 1)).toBeUndefined();
  });
});

describe('plan from config', () => {
  it('maps the embedded simulation defaults', () => {
    const plan = planFromConfig(parseConfig(defaultConfig));
    expect(plan.camera).toEqual({ kind: 'test', pattern: 'ball', width: 1280, height: 720, fps: 30 });
    expect(plan.mic).toEqual({ kind: 'test', toneHz: 440, channels: 1, sampleRate: 48000 });
    expect(plan.remote).toEqual({ kind: 'test' });
    expect(plan.stream).toEqual({ kind: 'none' });
    expect(plan.recording).toEqual({ segmentSeconds: 60, container: 'matroska', minFreeMegabytes: 1024 });
  });

  it('a simulated camera with JPEG frames plays them as an MJPEG camera', () => {
    const config = parseConfig({
      ...defaultConfig,
      hal: {
        ...defaultConfig.hal,
        camera: { driver: 'sim', frames: '/data/sim/f-%03d.jpg', width: 1920, height: 1080, fps: 30 },
      },
    });
    expect(planFromConfig(config).camera).toEqual({
      kind: 'jpeg-files',
      location: '/data/sim/f-%03d.jpg',
      width: 1920,
      height: 1080,
      fps: 30,
    });
  });

  it('refuses frames without an index, which would loop one picture', () => {
    expect(() =>
      parseConfig({
        ...defaultConfig,
        hal: { ...defaultConfig.hal, camera: { driver: 'sim', frames: '/data/sim/still.jpg' } },
      }),
    ).toThrow(/frame index/);
  });
});
