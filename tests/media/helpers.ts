import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { createEventBus, type AppEvents, type EventBus } from '../../kiosk/core/event-bus.js';
import { defaultWorkerPath } from '../../kiosk/media/media-service.js';

const run = promisify(execFile);

/** The worker runs as compiled JS (Node 20 cannot fork a .ts file): `npm test` builds first. */
export function requireBuiltWorker(): string {
  const path = defaultWorkerPath();
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npx tsc -p .\` before these tests`);
  return path;
}

export const quietLogger = () => pino({ level: 'silent' });

export function testBus(): EventBus {
  return createEventBus(quietLogger());
}

/** Resolves with the first event matching `predicate`, or rejects after `timeoutMs`. */
export function nextEvent<K extends keyof AppEvents & string>(
  bus: EventBus,
  name: K,
  predicate: (...args: AppEvents[K]) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<AppEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(name)} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = bus.on(name, ((...args: AppEvents[K]) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    }) as never);
  });
}

export interface Probe {
  streams: string[];
  formatDuration?: number;
  /** Seconds of decodable video (first frame to end of last): what a truncated file really holds. */
  videoSeconds: number;
  /** Video packets (frames) in the file. */
  videoFrames: number;
}

export async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=codec_type:format=duration', '-of', 'json', path],
    { timeout: 30_000 },
  );
  const json = JSON.parse(stdout) as { streams?: Array<{ codec_type: string }>; format?: { duration?: string } };
  const packets = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', path],
    { timeout: 30_000, maxBuffer: 16 << 20 },
  );
  // Segments keep the recording's timestamps: a file holds its last frame's end minus its first frame.
  let first = Number.POSITIVE_INFINITY;
  let end = 0;
  let videoFrames = 0;
  for (const line of packets.stdout.split('\n')) {
    if (!line.trim()) continue;
    const [pts, duration] = line.split(',').map(Number);
    if (pts === undefined || !Number.isFinite(pts)) continue;
    videoFrames++;
    first = Math.min(first, pts);
    end = Math.max(end, pts + (Number.isFinite(duration) ? duration! : 0));
  }
  const videoSeconds = Number.isFinite(first) ? end - first : 0;
  const formatDuration = json.format?.duration ? Number(json.format.duration) : undefined;
  return {
    streams: (json.streams ?? []).map((s) => s.codec_type),
    ...(formatDuration !== undefined && Number.isFinite(formatDuration) ? { formatDuration } : {}),
    videoSeconds,
    videoFrames,
  };
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A camera the test can kill: raw video in GDP framing served over TCP by a separate gst-launch-1.0. */
export function startTcpCamera(port: number, width = 320, height = 240, fps = 15): ChildProcess {
  return spawn(
    'gst-launch-1.0',
    [
      '-q',
      'videotestsrc',
      'is-live=true',
      'pattern=ball',
      '!',
      `video/x-raw,format=I420,width=${width},height=${height},framerate=${fps}/1`,
      '!',
      'gdppay',
      '!',
      'tcpserversink',
      'host=127.0.0.1',
      `port=${port}`,
      'sync=false',
    ],
    { stdio: 'ignore' },
  );
}

export async function killAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
