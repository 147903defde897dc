import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied } from '../../hal/core/tied-spawn.js';

/**
 * A real PulseAudio server in a temp dir with null sinks: a sound path with no sound card, so the
 * speaker → microphone test can play into a sink and listen on its monitor. Clients reach it
 * through `PULSE_SERVER`, which the caller sets for the processes it starts.
 */
export class PulseServer {
  private constructor(
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  get address(): string {
    return `unix:${join(this.dir, 'native')}`;
  }

  static async start(sinks: string[]): Promise<PulseServer> {
    const dir = await mkdtemp(join(tmpdir(), 'diemcau-pulse-'));
    const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: dir };
    const args = [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--log-target=stderr',
      `--load=module-native-protocol-unix auth-anonymous=1 socket=${join(dir, 'native')}`,
      ...sinks.map((sink) => `--load=module-null-sink sink_name=${sink}`),
    ];
    const child = spawnTied('pulseaudio', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const server = new PulseServer(dir, child);
    const until = Date.now() + 15_000;
    while (!(await server.#answers())) {
      if (child.exitCode !== null || Date.now() > until) {
        await server.stop();
        throw new Error('pulseaudio did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server;
  }

  #answers(): Promise<boolean> {
    return new Promise((resolve) =>
      execFile('pactl', ['info'], { env: { ...process.env, PULSE_SERVER: this.address }, timeout: 2000 }, (error) =>
        resolve(!error),
      ),
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
