import { readdir, readFile, realpath, statfs } from 'node:fs/promises';
import { loadavg, totalmem, uptime } from 'node:os';
import { join } from 'node:path';
import si from 'systeminformation';
import type { DeviceStatus } from '../../../hal/core/driver.js';
import type { UpsReading } from '../../../hal/ups/types.js';
import type { TelemetryReading } from './delta.js';
import {
  clamp,
  devicesSection,
  isRoomLink,
  mediaSection,
  mountOf,
  mountPointsOf,
  tenth,
  upsSection,
  type EncodeReport,
  type StreamState,
} from './reading.js';

export interface TelemetrySources {
  version: string;
  /** Folders whose disks matter: the recordings folder, and `/`. */
  paths: readonly string[];
  /** What `/api/health` reports. */
  health(): {
    devices: readonly { id: string; status: DeviceStatus }[];
    media?: { stream: StreamState; encode?: EncodeReport };
  };
  /** The UPS driver, or undefined when the room has none. */
  ups(): { reading: UpsReading | null; communicating?: boolean } | undefined;
}

/**
 * Reads the machine for a telemetry sample. CPU load and memory come from systeminformation (it
 * reads /proc); disks, links and temperature are read here from statfs and /sys because
 * systeminformation's versions of those run shell commands synchronously (45–140 ms with the event
 * loop blocked, measured on the dev machine), every 30 seconds, in a daemon that records evidence.
 */
export function createSampler(sources: TelemetrySources): () => Promise<TelemetryReading> {
  return async () => {
    const health = sources.health();
    const [load, mem, cpuTempC, disks, network] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      cpuTemperature(),
      disksOf(sources.paths),
      links(),
    ]);
    const memTotal = mem.total || totalmem();
    return {
      version: sources.version.slice(0, 40),
      system: {
        uptimeS: Math.round(uptime()),
        load1: Math.round(loadavg()[0]! * 100) / 100,
        cpuPct: clamp(Math.round(load.currentLoad || 0), 0, 100),
        cpuTempC,
        memUsedPct: clamp(tenth(((memTotal - mem.available) / memTotal) * 100), 0, 100),
        memTotalMB: Math.round(memTotal / 2 ** 20),
      },
      disks,
      network,
      devices: devicesSection(health.devices),
      ups: upsSection(sources.ups()),
      media: mediaSection(health.media?.stream, health.media?.encode),
    };
  };
}

async function disksOf(paths: readonly string[]): Promise<TelemetryReading['disks']> {
  const mounts = mountPointsOf(await readFile('/proc/mounts', 'utf8').catch(() => ''));
  const seen = new Set<string>();
  const disks: TelemetryReading['disks'] = [];
  for (const path of paths) {
    const real = await realpath(path).catch(() => undefined);
    if (!real) continue;
    const mount = mountOf(real, mounts);
    if (seen.has(mount)) continue;
    seen.add(mount);
    const fs = await statfs(real).catch(() => undefined);
    if (!fs) continue;
    // As df counts it: the blocks reserved for root are neither used nor available to the daemon, so
    // the size is what is used plus what the daemon may still write (the console's figure agrees).
    const usedBytes = Math.max(0, (fs.blocks - fs.bfree) * fs.bsize);
    disks.push({ mount: mount.slice(0, 64), sizeBytes: usedBytes + fs.bavail * fs.bsize, usedBytes });
  }
  return disks.slice(0, 8);
}

async function links(): Promise<TelemetryReading['network']> {
  const names = (await readdir('/sys/class/net').catch(() => [] as string[])).filter(isRoomLink).sort();
  return Promise.all(
    names.slice(0, 8).map(async (iface) => {
      const state = (await readFile(join('/sys/class/net', iface, 'operstate'), 'utf8').catch(() => '')).trim();
      // `speed` cannot be read while the link is down, and is -1 where the driver does not know it (virtual NICs).
      const speed = Number((await readFile(join('/sys/class/net', iface, 'speed'), 'utf8').catch(() => '')).trim());
      return {
        iface: iface.slice(0, 32),
        up: state === 'up',
        speedMbps: Number.isFinite(speed) && speed > 0 ? speed : null,
      };
    }),
  );
}

/** The hottest CPU-ish thermal zone, in °C; null where the machine has none (VMs, containers). */
async function cpuTemperature(): Promise<number | null> {
  const zones = await readdir('/sys/class/thermal').catch(() => [] as string[]);
  let hottest: number | null = null;
  for (const zone of zones.filter((z) => z.startsWith('thermal_zone'))) {
    const type = (await readFile(join('/sys/class/thermal', zone, 'type'), 'utf8').catch(() => '')).trim();
    if (!/cpu|x86_pkg|soc|core|acpitz/i.test(type)) continue;
    const milli = Number((await readFile(join('/sys/class/thermal', zone, 'temp'), 'utf8').catch(() => '')).trim());
    if (!Number.isFinite(milli) || milli <= 0) continue;
    const celsius = clamp(tenth(milli / 1000), -50, 150);
    hottest = hottest === null ? celsius : Math.max(hottest, celsius);
  }
  return hottest;
}
