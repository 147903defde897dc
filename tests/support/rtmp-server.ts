import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

const NGINX = ['/usr/sbin/nginx', '/sbin/nginx'].find((path) => existsSync(path)) ?? 'nginx';
const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/**
 * A real RTMP server: nginx with libnginx-mod-rtmp, run in the foreground as this user with its own
 * configuration, logs and pid file in a temp folder, on a free port of 127.0.0.1. Application `live`:
 * publish to rtmp://127.0.0.1:PORT/live/NAME, play the same address.
 */
export class RtmpServer {
  port = 0;
  #dir: string | undefined;
  #child: ChildProcess | undefined;

  url(name: string): string {
    return `rtmp://127.0.0.1:${this.port}/live/${name}`;
  }

  async start(): Promise<void> {
    this.#dir = await makeTempDir('rtmp');
    this.port = await freePort();
    await mkdir(join(this.#dir, 'logs'));
    const conf = join(this.#dir, 'nginx.conf');
    await writeFile(
      conf,
      [
        `load_module ${RTMP_MODULE};`,
        'daemon off;',
        'master_process off;',
        `pid ${join(this.#dir, 'nginx.pid')};`,
        `error_log ${join(this.#dir, 'logs', 'error.log')} warn;`,
        'events { worker_connections 64; }',
        `rtmp { server { listen 127.0.0.1:${this.port}; chunk_size 4096; application live { live on; record off; allow publish 127.0.0.1; deny publish all; allow play all; } } }`,
        '',
      ].join('\n'),
    );
    const child = spawn(NGINX, ['-p', this.#dir, '-c', conf, '-e', join(this.#dir, 'logs', 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const until = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr.trim()}`);
      if (Date.now() > until) throw new Error(`nginx did not listen on ${this.port}: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    await removeTempDir(this.#dir);
    this.#dir = undefined;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
