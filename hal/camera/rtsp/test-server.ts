import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { spawnTied } from '../../core/tied-spawn.js';

/** The script ships as source: from dist/hal/camera/rtsp/ and from hal/camera/rtsp/ alike it is found at the repository root. */
const script = fileURLToPath(
  new URL(
    import.meta.url.includes('/dist/')
      ? '../../../../hal/camera/rtsp/emulation/rtsp-test-server.py'
      : './emulation/rtsp-test-server.py',
    import.meta.url,
  ),
);

/** Debian's interpreter: python3-gi and the GStreamer typelibs are installed for it, not for a pyenv or venv python. */
const PYTHON = '/usr/bin/python3';

export interface RtspMount {
  path: string;
  width: number;
  height: number;
  fps: number;
  /** Numbered H.264 access-unit files (`au-%03d.h264` from 000, the first a keyframe) looped as the picture instead of the test ball. */
  h264Frames?: string;
}

export interface RtspTestServerOptions {
  port: number;
  mounts: RtspMount[];
  /** With both, clients must authenticate (digest); the password is read by the server from the file. */
  username?: string;
  passwordFile?: string;
  bitrateKbps?: number;
}

/**
 * GStreamer's RTSP server (`rtsp-test-server.py`) as a child process: H.264 test video and Opus sound on
 * 127.0.0.1, what an IP camera's RTSP side does. `stop()` is the camera losing power; `start()` again on the
 * same port is it coming back.
 */
export class RtspTestServer {
  #child: ChildProcess | undefined;
  #replies: ((message: Record<string, unknown>) => void)[] = [];

  constructor(readonly options: RtspTestServerOptions) {}

  get running(): boolean {
    return this.#child !== undefined;
  }

  url(path = this.options.mounts[0]?.path ?? '/main'): string {
    return `rtsp://127.0.0.1:${this.options.port}${path}`;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    const args = [
      script,
      '--port',
      String(this.options.port),
      ...this.options.mounts.flatMap((m) => [
        '--mount',
        `${m.path.replace(/^\//, '')}=${m.width}x${m.height}@${m.fps}`,
        ...(m.h264Frames ? ['--frames', `${m.path.replace(/^\//, '')}=${m.h264Frames}`] : []),
      ]),
    ];
    if (this.options.username && this.options.passwordFile)
      args.push('--user', this.options.username, '--password-file', this.options.passwordFile);
    if (this.options.bitrateKbps) args.push('--bitrate-kbps', String(this.options.bitrateKbps));
    const child = spawnTied(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const lines = createInterface({ input: child.stdout! });
    const ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(
          new Error(
            `RTSP test server exited (${code ?? 'signal'}) before listening: ${stderr.trim().split('\n').at(-1) ?? ''}`,
          ),
        );
      child.once('exit', onExit);
      lines.on('line', (line) => {
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (message.rtsp === 'ready') {
          child.off('exit', onExit);
          resolve();
        } else if (message.error) reject(new Error(String(message.error)));
        else this.#replies.shift()?.(message);
      });
    });
    child.once('exit', () => {
      if (this.#child === child) this.#child = undefined;
    });
    try {
      await ready;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Turns every mount's picture black or white; resolves with the server's wall clock at the change (ms). */
  luma(colour: 'black' | 'white'): Promise<number> {
    const child = this.#child;
    if (!child) return Promise.reject(new Error('RTSP test server is not running'));
    return new Promise((resolve) => {
      this.#replies.push((message) => resolve(Number(message.at) * 1000));
      child.stdin!.write(`luma ${colour}\n`);
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    this.#replies = [];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
