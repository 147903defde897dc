import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import { RtspTestServer } from '../../hal/camera/rtsp/test-server.js';
import type { CameraSource, MediaPlan, RemoteSource } from '../../kiosk/media/plan.js';
import { capturesFor } from '../../kiosk/media/pipelines/capture.js';
import { encoderFragment } from '../../kiosk/media/pipelines/encoder.js';
import { captionText, programLaunch } from '../../kiosk/media/pipelines/program.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import { ffmpegArgs } from './media-ffmpeg.js';
import { freePort } from '../../tests/support/free-port.js';
import { cameraInput, h264Input } from './media-input.js';
import { removableStages, withoutStage } from './media-stages.js';
import { cpuByName, queueStages, stageOfThread, threadCpu } from './media-threads.js';
import type { BenchFigure, BenchSuite } from './types.js';

const run = promisify(execFile);
const WARMUP_MS = 3000;
const WINDOW_MS = 10_000;
const ROUNDS = 2;
const TICKS_PER_SECOND = 100;
const SESSION_LABEL = 'bench';
/** Cached beside the build, so the camera's frames are made once per checkout. */
const CACHE_DIR = fileURLToPath(new URL('../../bench', import.meta.url));

/** The room's 1080p30 program with the test tone as microphone; the picture-in-picture bottom right when there is a remote feed. */
function benchPlan(camera: CameraSource, remote: RemoteSource, udpPort: number): MediaPlan {
  return {
    roomName: 'Bench room',
    camera,
    mic: { kind: 'test', toneHz: 440, channels: 1, sampleRate: 48000 },
    remote,
    encoder: 'x264',
    video: { width: 1920, height: 1080, fps: 30, bitrateKbps: 4000, keyframeSeconds: 0.5 },
    audioBitrateKbps: 128,
    layout: { pictureInPicture: remote.kind === 'none' ? 'off' : 'bottom-right', scale: 0.3 },
    recording: { segmentSeconds: 10, container: 'matroska', minFreeMegabytes: 0 },
    stream: { kind: 'udp', host: '127.0.0.1', port: udpPort },
    preview: { fps: 2, width: 640 },
    levelsPerSecond: 5,
  };
}

/** The worker's pipelines in the order it builds them: captures, then the program. */
function workerLaunches(plan: MediaPlan, location: string): string[] {
  let n = 0;
  // One gst-launch process holds them all (inter channels work only within a process): heartbeats need distinct names.
  const captures = capturesFor(plan).map((c) => c.launch.replace(/name=heartbeat/g, () => `name=heartbeat${n++}`));
  return [...captures, programLaunch(plan, { encoder: 'x264', location, sessionLabel: SESSION_LABEL })];
}

/** utime + stime of a process (all its threads, the ended ones too), in seconds. */
async function cpuSeconds(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What one contender spent over a measured window; windows of several rounds add up. */
interface Measured {
  cpuSeconds: number;
  recordedSeconds: number;
  wallSeconds: number;
  byThread: Map<string, number>;
}

/** CPU seconds per second of media actually recorded: a contender that falls behind is not flattered. */
const cpuPerRecorded = (m: Measured) => m.cpuSeconds / m.recordedSeconds;
/** Recorded seconds per wall second: below 1, the contender could not keep up on this machine. */
const pace = (m: Measured) => m.recordedSeconds / m.wallSeconds;

function combine(a: Measured, b: Measured): Measured {
  const byThread = new Map(a.byThread);
  for (const [name, seconds] of b.byThread) byThread.set(name, (byThread.get(name) ?? 0) + seconds);
  return {
    cpuSeconds: a.cpuSeconds + b.cpuSeconds,
    recordedSeconds: a.recordedSeconds + b.recordedSeconds,
    wallSeconds: a.wallSeconds + b.wallSeconds,
    byThread,
  };
}

/** CPU of `pid` over a window after warm-up, and how far its recording advanced meanwhile. */
async function measure(pid: number, recordedSeconds: () => Promise<number>): Promise<Measured> {
  await sleep(WARMUP_MS);
  const [threads0, cpu0, recorded0, wall0] = [
    await threadCpu(pid),
    await cpuSeconds(pid),
    await recordedSeconds(),
    Date.now(),
  ];
  await sleep(WINDOW_MS);
  const [threads1, cpu1, recorded1, wall1] = [
    await threadCpu(pid),
    await cpuSeconds(pid),
    await recordedSeconds(),
    Date.now(),
  ];
  const recorded = recorded1 - recorded0;
  if (!(recorded > 0)) throw new Error(`process ${pid} recorded nothing in ${WINDOW_MS} ms`);
  return {
    cpuSeconds: cpu1 - cpu0,
    recordedSeconds: recorded,
    wallSeconds: (wall1 - wall0) / 1000,
    byThread: cpuByName(threads0, threads1),
  };
}

async function videoSpan(path: string): Promise<{ first: number; end: number } | undefined> {
  // A segment whose header is not written yet (a loaded machine, just after the start) holds nothing recorded.
  const probed = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', path],
    { maxBuffer: 64 << 20 },
  ).catch(() => undefined);
  if (!probed) return undefined;
  const { stdout } = probed;
  // Segments keep the recording's timestamps, so spans of consecutive files join into one timeline.
  let first = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const line of stdout.split('\n')) {
    const [pts, duration] = line.split(',').map(Number);
    if (pts === undefined || !Number.isFinite(pts)) continue;
    first = Math.min(first, pts);
    end = Math.max(end, pts + (Number.isFinite(duration) ? duration! : 0));
  }
  return Number.isFinite(first) ? { first, end } : undefined;
}

/** Where the recording in `dir` has got to: the end of the last video packet written in any of its segments. */
function recordedEnd(dir: string, prefix: string): () => Promise<number> {
  return async () => {
    let end = 0;
    for (const f of (await readdir(dir)).filter((name) => name.startsWith(prefix) && name.endsWith('.mkv'))) {
      end = Math.max(end, (await videoSpan(join(dir, f)))?.end ?? 0);
    }
    return end;
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

/** Our worker: CPU per recorded second by thread, start → first segment byte, and what a SIGKILL loses. */
async function measureWorker(dir: string, plan: MediaPlan) {
  const logger = pino({ level: 'silent' });
  const media = new MediaService({
    plan,
    bus: createEventBus(logger),
    logger,
    workerLogLevel: 'silent',
    restartBackoff: { initialMs: 60_000, maxMs: 60_000, factor: 1, jitter: 0 },
  });
  await media.start();
  try {
    const requested = Date.now();
    let firstByteMs = Number.NaN;
    const watch = (async () => {
      while (Number.isNaN(firstByteMs) && Date.now() - requested < 10_000) {
        const files = (await readdir(dir)).filter((f) => f.startsWith('bench-') && f.endsWith('.mkv'));
        for (const f of files) if ((await stat(join(dir, f))).size > 0) firstByteMs = Date.now() - requested;
        await sleep(5);
      }
    })();
    const { startedAt } = await media.startRecording({
      recordingId: 'bench',
      dir,
      startIndex: 0,
      sessionLabel: SESSION_LABEL,
    });
    await watch;
    const measured = await measure(media.workerPid!, recordedEnd(dir, 'bench-'));
    const killedAt = Date.now();
    process.kill(media.workerPid!, 'SIGKILL');
    await sleep(500);
    // What survives is the recording's timeline from its first frame to the last frame written anywhere.
    let first = Number.POSITIVE_INFINITY;
    let end = 0;
    for (const f of (await readdir(dir)).filter((name) => name.startsWith('bench-') && name.endsWith('.mkv'))) {
      const span = await videoSpan(join(dir, f));
      if (!span) continue;
      first = Math.min(first, span.first);
      end = Math.max(end, span.end);
    }
    const kept = Number.isFinite(first) ? end - first : 0;
    const lostSeconds = (killedAt - Date.parse(startedAt)) / 1000 - kept;
    return { ...measured, firstByteMs, lostSeconds };
  } finally {
    await media.stop();
  }
}

/** Pipelines in one gst-launch-1.0 process, given where they record (their files start `gst-`). */
async function measureGstLaunch(dir: string, launchesFor: (location: string) => readonly string[]): Promise<Measured> {
  await mkdir(dir, { recursive: true });
  const launches = launchesFor(join(dir, 'gst-%05d.mkv'));
  const child = spawn('sh', ['-c', `exec gst-launch-1.0 -q ${launches.join(' ').replace(/\n/g, ' ')}`], {
    stdio: 'ignore',
  });
  try {
    return await measure(child.pid!, recordedEnd(dir, 'gst-'));
  } finally {
    await stopChild(child);
  }
}

/**
 * The floor: the camera decoded and encoded with the worker's x264 settings, nothing else (a Matroska
 * file, paced by the clock as the camera is, only to count what was recorded).
 */
function floorLaunch(plan: MediaPlan, location: string): string {
  const { camera } = plan;
  const encode = `${encoderFragment('x264', plan)} ! h264parse ! matroskamux ! filesink location="${location}" sync=true`;
  switch (camera.kind) {
    case 'jpeg-files':
      return `multifilesrc location="${camera.location}" loop=true caps="image/jpeg,width=${camera.width},height=${camera.height},framerate=${camera.fps}/1" ! jpegdec ! ${encode}`;
    case 'rtsp':
      return `rtspsrc location="${camera.url}" latency=${camera.latencyMs} ! application/x-rtp,media=video ! decodebin ! ${encode}`;
    default:
      throw new Error(`the floor has no launch for a ${camera.kind} camera`);
  }
}

async function measureFfmpeg(dir: string, plan: MediaPlan, udpPort: number): Promise<Measured> {
  await mkdir(dir, { recursive: true });
  const args = ffmpegArgs(plan, {
    location: join(dir, 'ff-%05d.mkv'),
    udpPort,
    previewPath: join(dir, 'preview.jpg'),
    caption: captionText(plan.roomName, SESSION_LABEL),
  });
  // ffmpeg reports how far its output has got; a Matroska cluster it holds back would make the files lag.
  const child = spawn('ffmpeg', ['-progress', 'pipe:1', '-stats_period', '0.1', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let outSeconds = 0;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const match = /^out_time_us=(\d+)/.exec(line);
    if (match) outSeconds = Number(match[1]) / 1e6;
  });
  try {
    return await measure(child.pid!, async () => outSeconds);
  } finally {
    await stopChild(child);
  }
}

/** The worker's CPU per recorded second summed by stage, from its threads' names. */
function stagesOf(measured: Measured, launches: readonly string[]): Map<string, number> {
  const queues = queueStages(launches);
  const stages = new Map<string, number>();
  for (const [name, seconds] of measured.byThread) {
    const stage = stageOfThread(name, queues);
    stages.set(stage, (stages.get(stage) ?? 0) + seconds / measured.recordedSeconds);
  }
  return new Map([...stages].sort((a, b) => b[1] - a[1]));
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

/** One input, every contender on it: rounds of worker, gst-launch, ffmpeg and the floor, then (optionally) the stages by removal. */
async function benchInput(
  root: string,
  label: string,
  plan: MediaPlan,
  options: { removals: boolean },
): Promise<BenchFigure[]> {
  const udpPort = plan.stream.kind === 'udp' ? plan.stream.port : 0;
  const dir = (name: string) => join(root, name);
  const launchesFor = (location: string) => workerLaunches(plan, location);
  // Rounds interleave the contenders, so a change in the machine's load falls on all of them.
  let worker: (Measured & { firstByteMs: number; lostSeconds: number }) | undefined;
  let gst: Measured | undefined;
  let ffmpeg: Measured | undefined;
  let floor: Measured | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const workerDir = dir(`worker-${round}`);
    await mkdir(workerDir, { recursive: true });
    const w = await measureWorker(workerDir, plan);
    worker = worker ? { ...combine(worker, w), firstByteMs: worker.firstByteMs, lostSeconds: worker.lostSeconds } : w;
    const g = await measureGstLaunch(dir(`gst-${round}`), launchesFor);
    gst = gst ? combine(gst, g) : g;
    const f = await measureFfmpeg(dir(`ffmpeg-${round}`), plan, udpPort);
    ffmpeg = ffmpeg ? combine(ffmpeg, f) : f;
    const b = await measureGstLaunch(dir(`floor-${round}`), (location) => [
      floorLaunch(plan, location.replace('%05d', 'floor')),
    ]);
    floor = floor ? combine(floor, b) : b;
  }
  // Each stage: the full pipelines and the pipelines without it, run side by side so they share the same load.
  const removed: Array<[string, number]> = [];
  for (const stage of options.removals ? removableStages : []) {
    const [full, without] = await Promise.all([
      measureGstLaunch(dir(`with-${stage}`), launchesFor),
      measureGstLaunch(dir(`without-${stage}`), (location) => withoutStage(launchesFor(location), stage)),
    ]);
    removed.push([stage, 1 - cpuPerRecorded(without) / cpuPerRecorded(full)]);
  }
  const launches = launchesFor(join(dir('worker-0'), 'bench-%05d.mkv'));
  const [w, g, f, b] = [worker!, gst!, ffmpeg!, floor!].map(cpuPerRecorded) as [number, number, number, number];
  const gstStages = stagesOf(gst!, launches);
  const on = (name: string) => `${label}: ${name}`;
  return [
    {
      name: on('worker CPU per recorded second (x264 ultrafast, record + UDP stream + preview)'),
      value: w,
      unit: 'cpu-s/s',
      ratio: { peer: 'gst-launch-1.0, same pipelines', value: w / g },
      target: '≤ 1.05× gst-launch',
    },
    {
      name: on('worker vs ffmpeg doing the same job'),
      value: w,
      unit: 'cpu-s/s',
      ratio: { peer: 'ffmpeg', value: w / f },
      target: '≤ 1.0× ffmpeg',
    },
    {
      name: on('worker vs the floor (bare decode + x264enc of the camera)'),
      value: w,
      unit: 'cpu-s/s',
      ratio: { peer: 'floor', value: w / b },
      target: '≤ 1.2× floor',
    },
    { name: on('gst-launch-1.0 CPU per recorded second (same pipelines)'), value: g, unit: 'cpu-s/s' },
    { name: on('ffmpeg CPU per recorded second'), value: f, unit: 'cpu-s/s' },
    { name: on('floor CPU per recorded second (decode + x264enc in gst-launch)'), value: b, unit: 'cpu-s/s' },
    ...(
      [
        ['worker', worker!],
        ['gst-launch', gst!],
        ['ffmpeg', ffmpeg!],
        ['floor', floor!],
      ] as const
    ).map(([who, m]) => ({
      name: on(`${who} pace (recorded s per wall s; < 1 = fell behind)`),
      value: pace(m),
      unit: 'x',
    })),
    ...[...stagesOf(worker!, launches)].map(([stage, cpu]): BenchFigure => {
      const peer = gstStages.get(stage);
      return {
        name: on(`worker stage by thread: ${stage} (${percent(cpu, w)})`),
        value: cpu,
        unit: 'cpu-s/s',
        ...(peer ? { ratio: { peer: 'same stage in gst-launch', value: cpu / peer } } : {}),
      };
    }),
    ...removed.map(
      ([stage, share]): BenchFigure => ({
        name: on(`share of gst-launch's CPU by removal, side by side: ${stage}`),
        value: Math.round(share * 100),
        unit: '%',
      }),
    ),
    {
      name: on('start → first segment byte (first round)'),
      value: worker!.firstByteMs,
      unit: 'ms',
      target: '< 1000 ms',
    },
    {
      name: on('seconds lost on SIGKILL of the worker (first round)'),
      value: worker!.lostSeconds,
      unit: 's',
      target: '≤ 1 s',
    },
  ];
}

/**
 * Two inputs, each fed identically to every contender: a USB camera's 1080p30 MJPEG (cached frames
 * played live) alone, and an IP camera's 1080p30 H.264 over RTSP (the same frames, encoded once and
 * looped by GStreamer's RTSP server) with the chairing site's RTSP feed (H.264 + Opus) in
 * picture-in-picture and in the mix.
 */
export const mediaBench: BenchSuite = {
  name: 'media',
  async run(): Promise<BenchFigure[]> {
    const mjpeg = await cameraInput(CACHE_DIR);
    const camera = await h264Input(mjpeg, { width: mjpeg.width, height: mjpeg.height, bitrateKbps: 6000 });
    const remote = await h264Input(mjpeg, { width: 640, height: 360, bitrateKbps: 1000 });
    const root = await mkdtemp(join(tmpdir(), 'diemcau-bench-media-'));
    const udpPort = await freePort();
    const load = loadavg()[0]!;
    const server = new RtspTestServer({
      port: await freePort(),
      mounts: [
        { path: '/camera', width: camera.width, height: camera.height, fps: camera.fps, h264Frames: camera.location },
        { path: '/remote', width: remote.width, height: remote.height, fps: remote.fps, h264Frames: remote.location },
      ],
    });
    try {
      const usbLabel = `${mjpeg.width}x${mjpeg.height}p${mjpeg.fps} MJPEG USB camera`;
      const usb = await benchInput(
        join(root, 'usb'),
        usbLabel,
        benchPlan(
          { kind: 'jpeg-files', location: mjpeg.location, width: mjpeg.width, height: mjpeg.height, fps: mjpeg.fps },
          { kind: 'none' },
          udpPort,
        ),
        { removals: true },
      );
      await server.start();
      const ip = await benchInput(
        join(root, 'ip'),
        `${camera.width}x${camera.height}p${camera.fps} H.264 RTSP camera + RTSP remote ${remote.width}x${remote.height} in PiP`,
        benchPlan(
          { kind: 'rtsp', url: server.url('/camera'), latencyMs: 200 },
          { kind: 'rtsp', url: server.url('/remote'), latencyMs: 200 },
          udpPort,
        ),
        { removals: false },
      );
      return [
        {
          name: `load average (1 min) when the run began, ${ROUNDS} rounds of ${WINDOW_MS / 1000} s a contender and input`,
          value: load,
          unit: '',
        },
        ...usb,
        ...ip,
      ];
    } finally {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};
