import { readFile, readdir, readlink } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { addConsoleUser, consoleClient } from '../../tests/support/console-client.js';
import { startDaemon, writeTestConfig } from '../../tests/support/daemon.js';
import { makeTempDir, removeTempDir } from '../../tests/support/temp-dir.js';
import type { BenchFigure, BenchSuite } from './types.js';

const SAMPLE_EVERY_MS = 30_000;
/** Samples of the first minutes are left out of the slope: caches, pools and queues fill up then settle. */
const WARMUP_MS = 5 * 60_000;

/** Resident memory of a process in MiB, or undefined once it has gone. */
async function rssMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kib = status ? Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) : Number.NaN;
  return Number.isFinite(kib) ? kib / 1024 : undefined;
}

/** Open sockets of a process: GStreamer makes a socketpair per bus and buffer pool, so a leaked pipeline shows here. */
async function openSockets(pid: number): Promise<number> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith('socket:')).length;
}

/** The daemon's media worker processes (other children, e.g. helpers of simulated devices, are not counted). */
async function workersOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const children = await Promise.all(
    tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')),
  );
  const pids = children.flatMap((text) => text.split(/\s+/).filter(Boolean).map(Number));
  const commands = await Promise.all(pids.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => commands[i]!.includes('media/worker'));
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/**
 * A long session on the simulated room, as `npm start` runs it: the media worker's and the daemon's
 * resident memory sampled every 30 s; the slope (MiB per hour, after the warm-up) says whether
 * something grows with the length of a session. Not in the default bench run: it takes as long as
 * the session (`npm run bench -- --only soak`, `DIEMCAU_SOAK_MINUTES`, default 120).
 */
export const soakBench: BenchSuite = {
  name: 'soak: memory over one long recorded session (simulated room)',
  async run(): Promise<BenchFigure[]> {
    const minutes = Number(process.env.DIEMCAU_SOAK_MINUTES ?? 120);
    const dir = await makeTempDir('bench-soak');
    const config = writeTestConfig(dir);
    await addConsoleUser(config, 'canbo', 'officer', 'mật khẩu cán bộ 1');
    const daemon = await startDaemon(config, { readyTimeoutMs: 60_000 });
    try {
      const officer = await consoleClient(daemon.consoleUrl, 'canbo', 'mật khẩu cán bộ 1');
      const now = Date.now();
      const { session } = await officer.post('/schedule', {
        kind: 'ad-hoc',
        title: 'Phiên đo bộ nhớ',
        chairSite: { name: 'UBND tỉnh' },
        startsAt: new Date(now + 60_000).toISOString(),
        endsAt: new Date(now + (minutes + 60) * 60_000).toISOString(),
      });
      const kiosk = (path: string) =>
        fetch(`${daemon.kioskUrl}/api${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      const started = await kiosk(`/session/${session.id}/start`);
      if (started.status !== 200) throw new Error(`the session did not start: ${await started.text()}`);
      const startedAt = Date.now();
      const daemonPid = daemon.child.pid!;
      const worker: { x: number; y: number }[] = [];
      const host: { x: number; y: number }[] = [];
      const sockets: { x: number; y: number }[] = [];
      const loads: number[] = [];
      const workerPids = new Set<number>();
      while (Date.now() - startedAt < minutes * 60_000) {
        await sleep(SAMPLE_EVERY_MS);
        const hours = (Date.now() - startedAt) / 3_600_000;
        const workers = await workersOf(daemonPid);
        for (const pid of workers) workerPids.add(pid);
        const sizes = await Promise.all(workers.map(rssMiB));
        const workerMiB = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
        const workerSockets = (await Promise.all(workers.map(openSockets))).reduce((sum, n) => sum + n, 0);
        const daemonMiB = await rssMiB(daemonPid);
        if (daemonMiB === undefined) throw new Error('the daemon died during the soak');
        worker.push({ x: hours, y: workerMiB });
        host.push({ x: hours, y: daemonMiB });
        sockets.push({ x: hours, y: workerSockets });
        loads.push(loadavg()[0]!);
        process.stderr.write(
          `soak ${(hours * 60).toFixed(1)} min: worker ${workerMiB.toFixed(1)} MiB, ${workerSockets} sockets, daemon ${daemonMiB.toFixed(1)} MiB, load ${loadavg()[0]!.toFixed(1)}\n`,
        );
      }
      const ended = await kiosk(`/session/${session.id}/end`);
      if (ended.status !== 200) throw new Error(`the session did not end: ${await ended.text()}`);
      const settled = (points: { x: number; y: number }[]) => points.filter((p) => p.x * 3_600_000 >= WARMUP_MS);
      const last = (points: { x: number; y: number }[]) => points.at(-1)?.y ?? Number.NaN;
      const workerRestarts = workerPids.size - 1;
      return [
        { name: 'session length', value: minutes, unit: 'min' },
        {
          name: 'machine load average during the session (mean)',
          value: loads.reduce((a, b) => a + b, 0) / loads.length,
          unit: '',
        },
        { name: 'media worker RSS at the end', value: last(worker), unit: 'MiB' },
        { name: 'media worker RSS slope after warm-up', value: slope(settled(worker)), unit: 'MiB/h', target: '≈ 0' },
        { name: 'media worker open sockets after warm-up', value: settled(sockets)[0]?.y ?? Number.NaN, unit: '' },
        { name: 'media worker open sockets at the end', value: last(sockets), unit: '', target: 'as after warm-up' },
        { name: 'daemon RSS at the end', value: last(host), unit: 'MiB' },
        { name: 'daemon RSS slope after warm-up', value: slope(settled(host)), unit: 'MiB/h', target: '≈ 0' },
        { name: 'media worker restarts during the session', value: workerRestarts, unit: '', target: '0' },
      ];
    } finally {
      await daemon.stop();
      await removeTempDir(dir);
    }
  },
};
