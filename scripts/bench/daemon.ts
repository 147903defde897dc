import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/load.js';
import { makeTempDir, removeTempDir } from '../../tests/support/temp-dir.js';
import { writeTestConfig } from '../../tests/support/daemon.js';
import type { BenchFigure, BenchSuite } from './types.js';
import { median } from './stats.js';

const RUNS = 5;
const IDLE_SETTLE_MS = 3000;

/** Node's flags and the environment the device's unit starts the daemon with (systemd/diemcau.service). */
function asTheUnitStartsIt(): { nodeFlags: string[]; env: NodeJS.ProcessEnv } {
  const unit = readFileSync(join(projectRoot(), 'systemd', 'diemcau.service'), 'utf8');
  const execStart = /^ExecStart=(\S+) (.*)$/m.exec(unit)?.[2]?.split(/\s+/) ?? [];
  const nodeFlags = execStart.slice(
    0,
    Math.max(
      0,
      execStart.findIndex((word) => word.endsWith('cli.js')),
    ),
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [, name, value] of unit.matchAll(/^Environment=(\w+)=(.*)$/gm))
    if (name !== 'DIEMCAU_CONFIG') env[name!] = value;
  return { nodeFlags, env };
}

/**
 * Start-to-ready time and idle RSS of the daemon in simulation, started with the unit's flags and
 * environment, median of 5, against a peer started the same way: a bare Node HTTP server on
 * 127.0.0.1 (what Node alone costs on this machine).
 */
export const daemonBench: BenchSuite = {
  name: 'daemon: start-to-ready and idle RSS (sim, median of 5)',
  async run(): Promise<BenchFigure[]> {
    const dir = await makeTempDir('bench-daemon');
    try {
      const config = writeTestConfig(dir);
      const cli = join(projectRoot(), 'dist', 'kiosk', 'cli.js');
      const peerScript =
        "require('http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'ready' })))";
      const unit = asTheUnitStartsIt();
      const ours: Sample[] = [];
      const peer: Sample[] = [];
      for (let i = 0; i < RUNS; i++) {
        ours.push(await sample([...unit.nodeFlags, cli, 'start', '--config', config], unit.env));
        peer.push(await sample(['-e', peerScript]));
      }
      const readyMs = median(ours.map((s) => s.readyMs));
      const peerReadyMs = median(peer.map((s) => s.readyMs));
      const rssMiB = median(ours.map((s) => s.idleRssKiB)) / 1024;
      const peerRssMiB = median(peer.map((s) => s.idleRssKiB)) / 1024;
      return [
        {
          name: 'start-to-ready (spawn → "ready" log line)',
          value: readyMs,
          unit: 'ms',
          ratio: { peer: 'bare node http server', value: readyMs / peerReadyMs },
          target: '< 10000 ms',
        },
        {
          name: `idle RSS ${IDLE_SETTLE_MS / 1000} s after ready (node ${unit.nodeFlags.join(' ') || 'without flags'})`,
          value: rssMiB,
          unit: 'MiB',
          ratio: { peer: 'bare node http server', value: rssMiB / peerRssMiB },
          target: '≤ 100 MiB',
        },
      ];
    } finally {
      await removeTempDir(dir);
    }
  },
};

interface Sample {
  readyMs: number;
  idleRssKiB: number;
}

function sample(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let buffered = '';
    let readyMs: number | undefined;
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('not ready within 30 s'));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (readyMs === undefined && buffered.split('\n').some((line) => line.includes('"msg":"ready"'))) {
        readyMs = Number(process.hrtime.bigint() - started) / 1e6;
        setTimeout(() => {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const idleRssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
          child.kill('SIGTERM');
          child.once('exit', () => {
            clearTimeout(timeout);
            resolve({ readyMs: readyMs!, idleRssKiB });
          });
        }, IDLE_SETTLE_MS);
      }
    });
  });
}
