import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { createEventBus } from '../../kiosk/core/event-bus.js';
import type { MediaPlan } from '../../kiosk/media/plan.js';
import { capturesFor } from '../../kiosk/media/pipelines/capture.js';
import { programLaunch } from '../../kiosk/media/pipelines/program.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import type { BenchFigure, BenchSuite } from './types.js';

const run = promisify(execFile);
const WARMUP_MS = 3000;
const WINDOW_MS = 15_000;
const TICKS_PER_SECOND = 100;

/** The same synthetic 1080p30 program for all three contenders: test camera and tone, x264 ultrafast, 10 s segments, MPEG-TS to local UDP. */
function benchPlan(udpPort: number): MediaPlan {
  return {
    roomName: 'Bench room',
    camera: { kind: 'test', pattern: 'ball', width: 1920, height: 1080, fps: 30 },
    mic: { kind: 'test', toneHz: 440, channels: 1, sampleRate: 48000 },
    remote: { kind: 'none' },
    encoder: 'x264',
    video: { width: 1920, height: 1080, fps: 30, bitrateKbps: 4000, keyframeSeconds: 0.5 },
    audioBitrateKbps: 128,
    layout: { pictureInPicture: 'off', scale: 0.3 },
    recording: { segmentSeconds: 10, container: 'matroska', minFreeMegabytes: 0 },
    stream: { kind: 'udp', host: '127.0.0.1', port: udpPort },
    preview: { fps: 2, width: 640 },
    levelsPerSecond: 5,
  };
}

/** utime + stime of a process, in seconds, from /proc/<pid>/stat. */
async function cpuSeconds(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime 14, stime 15 (1-based) → indexes 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cpuPerSecond(pid: number): Promise<number> {
  await sleep(WARMUP_MS);
  const before = await cpuSeconds(pid);
  const started = Date.now();
  await sleep(WINDOW_MS);
  return (await cpuSeconds(pid) - before) / ((Date.now() - started) / 1000);
}

async function videoSpan(path: string): Promise<{ first: number; end: number } | undefined> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', path], { maxBuffer: 64 << 20 });
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

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await exited;
}

/** Our worker: CPU per recorded second, start → first segment byte, and what a SIGKILL loses. */
async function measureWorker(dir: string, plan: MediaPlan) {
  const logger = pino({ level: 'silent' });
  const media = new MediaService({ plan, bus: createEventBus(logger), logger, workerLogLevel: 'silent', restartBackoff: { initialMs: 60_000, maxMs: 60_000, factor: 1, jitter: 0 } });
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
    const { startedAt } = await media.startRecording({ recordingId: 'bench', dir, startIndex: 0 });
    await watch;
    const cpu = await cpuPerSecond(media.workerPid!);
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
    return { cpu, firstByteMs, lostSeconds };
  } finally {
    await media.stop();
  }
}

/** The identical pipelines in one gst-launch-1.0 process (inter channels only work within one process). */
async function measureGstLaunch(dir: string, plan: MediaPlan): Promise<number> {
  let n = 0;
  const launches = capturesFor(plan).map((c) => c.launch.replace(/name=heartbeat/g, () => `name=heartbeat${n++}`));
  launches.push(programLaunch(plan, { encoder: 'x264', location: join(dir, 'gst-%05d.mkv'), sessionLabel: 'bench' }));
  const child = spawn('sh', ['-c', `exec gst-launch-1.0 -q ${launches.join(' ').replace(/\n/g, ' ')}`], { stdio: 'ignore' });
  try {
    return await cpuPerSecond(child.pid!);
  } finally {
    await stopChild(child);
  }
}

/** ffmpeg doing the same job: live 1080p30 test picture and tone, clock burned in, one x264 encode, segmented Matroska + MPEG-TS over UDP. */
async function measureFfmpeg(dir: string, plan: MediaPlan, udpPort: number): Promise<number> {
  const { video } = plan;
  const args = [
    '-hide_banner', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', `testsrc2=size=${video.width}x${video.height}:rate=${video.fps}`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-vf', "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='%{localtime}':x=10:y=h-40:fontsize=24:fontcolor=white:box=1",
    '-ac', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-b:v', `${video.bitrateKbps}k`, '-g', String(video.fps * video.keyframeSeconds),
    '-c:a', 'aac', '-b:a', `${plan.audioBitrateKbps}k`, '-map', '0:v', '-map', '1:a',
    '-f', 'tee', `[f=segment:segment_time=${plan.recording.segmentSeconds}:segment_format=matroska]${join(dir, 'ff-%05d.mkv')}|[f=mpegts]udp://127.0.0.1:${udpPort}`,
  ];
  const child = spawn('ffmpeg', args, { stdio: 'ignore' });
  try {
    return await cpuPerSecond(child.pid!);
  } finally {
    await stopChild(child);
  }
}

export const mediaBench: BenchSuite = {
  name: 'media',
  async run(): Promise<BenchFigure[]> {
    const root = await mkdtemp(join(tmpdir(), 'diemcau-bench-media-'));
    const udpPort = 45_000 + Math.floor(Math.random() * 10_000);
    const plan = benchPlan(udpPort);
    try {
      const dirs = await Promise.all(['worker', 'gst', 'ffmpeg'].map(async (name) => {
        const dir = join(root, name);
        await run('mkdir', ['-p', dir]);
        return dir;
      }));
      const worker = await measureWorker(dirs[0]!, plan);
      const gst = await measureGstLaunch(dirs[1]!, plan);
      const ffmpeg = await measureFfmpeg(dirs[2]!, plan, udpPort);
      return [
        { name: 'worker CPU per recorded second (1080p30 x264 ultrafast, record + UDP stream + preview)', value: worker.cpu, unit: 'cpu-s/s', ratio: { peer: 'gst-launch-1.0, same pipelines', value: worker.cpu / gst }, target: '≤ 1.05× gst-launch' },
        { name: 'gst-launch-1.0 CPU per recorded second (same pipelines)', value: gst, unit: 'cpu-s/s' },
        { name: 'worker vs ffmpeg (one encode, segmented Matroska + MPEG-TS/UDP)', value: worker.cpu, unit: 'cpu-s/s', ratio: { peer: 'ffmpeg', value: worker.cpu / ffmpeg } },
        { name: 'ffmpeg CPU per recorded second', value: ffmpeg, unit: 'cpu-s/s' },
        { name: 'start → first segment byte', value: worker.firstByteMs, unit: 'ms', target: '< 1000 ms' },
        { name: 'seconds lost on SIGKILL of the worker', value: worker.lostSeconds, unit: 's', target: '≤ 1 s' },
      ];
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
