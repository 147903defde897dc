import { describe, expect, it } from 'vitest';
import { decideTelemetry, type TelemetryBaseline, type TelemetryReading } from '../../kiosk/fleet/telemetry/delta.js';
import { buildTelemetry } from '../../kiosk/fleet/nats/telemetry.js';
import { deviceConfig } from '../../config/schema.js';
import {
  devicesSection,
  isRoomLink,
  mediaSection,
  mountOf,
  mountPointsOf,
  upsSection,
} from '../../kiosk/fleet/telemetry/reading.js';

const MIN = 60_000;
const FULL_EVERY = 15 * MIN;

const base: TelemetryReading = {
  version: '0.1.0',
  system: { uptimeS: 1000, load1: 0.5, cpuPct: 10, cpuTempC: 50, memUsedPct: 40, memTotalMB: 8000 },
  disks: [{ mount: '/', sizeBytes: 100_000, usedBytes: 50_000 }],
  network: [{ iface: 'eth0', up: true, speedMbps: 1000 }],
  devices: { camera: 'ok', ups: 'ok' },
  ups: { onBattery: false, chargePct: 100, runtimeS: 1800 },
  media: { stream: 'idle', fps: 0, bitrateKbps: 0, droppedFrames: 0 },
};
const sentAt0: TelemetryBaseline = { sent: base, fullAt: 0 };

type Change = (r: TelemetryReading) => TelemetryReading;
const system =
  (patch: Partial<TelemetryReading['system']>): Change =>
  (r) => ({ ...r, system: { ...r.system, ...patch } });

/** Each row: a reading 30 s after a full sample of `base`, and the sections that go out (none: nothing is sent). */
const rows: { case: string; change: Change; sent: string[] }[] = [
  { case: 'nothing moved', change: (r) => r, sent: [] },
  { case: 'only uptime moved', change: system({ uptimeS: 1030 }), sent: [] },
  { case: 'CPU +14 points', change: system({ cpuPct: 24 }), sent: [] },
  { case: 'CPU +15 points, one sample only (a spike)', change: system({ cpuPct: 25 }), sent: [] },
  { case: 'CPU −10 points', change: system({ cpuPct: 0 }), sent: [] },
  { case: 'temperature +2.9 °C', change: system({ cpuTempC: 52.9 }), sent: [] },
  { case: 'temperature +3 °C', change: system({ cpuTempC: 53 }), sent: ['system'] },
  { case: 'temperature −3 °C', change: system({ cpuTempC: 47 }), sent: ['system'] },
  { case: 'temperature no longer readable', change: system({ cpuTempC: null }), sent: ['system'] },
  { case: 'memory +4.9 points', change: system({ memUsedPct: 44.9 }), sent: [] },
  { case: 'memory +5 points', change: system({ memUsedPct: 45 }), sent: ['system'] },
  { case: 'load +1, one sample only', change: system({ load1: 1.5 }), sent: [] },
  {
    case: 'disk +0.9 % used',
    change: (r) => ({ ...r, disks: [{ mount: '/', sizeBytes: 100_000, usedBytes: 50_900 }] }),
    sent: [],
  },
  {
    case: 'disk +1 % used',
    change: (r) => ({ ...r, disks: [{ mount: '/', sizeBytes: 100_000, usedBytes: 51_000 }] }),
    sent: ['disks'],
  },
  {
    case: 'a disk appeared',
    change: (r) => ({ ...r, disks: [...r.disks, { mount: '/data', sizeBytes: 1, usedBytes: 0 }] }),
    sent: ['disks'],
  },
  {
    case: 'link down',
    change: (r) => ({ ...r, network: [{ iface: 'eth0', up: false, speedMbps: null }] }),
    sent: ['network'],
  },
  {
    case: 'link speed changed',
    change: (r) => ({ ...r, network: [{ iface: 'eth0', up: true, speedMbps: 100 }] }),
    sent: ['network'],
  },
  {
    case: 'a device connecting',
    change: (r) => ({ ...r, devices: { ...r.devices, camera: 'connecting' } }),
    sent: ['devices'],
  },
  { case: 'a device added', change: (r) => ({ ...r, devices: { ...r.devices, ptz: 'ok' } }), sent: ['devices'] },
  { case: 'on battery', change: (r) => ({ ...r, ups: { ...r.ups!, onBattery: true } }), sent: ['ups'] },
  { case: 'charge −4 points', change: (r) => ({ ...r, ups: { ...r.ups!, chargePct: 96 } }), sent: [] },
  { case: 'charge −5 points', change: (r) => ({ ...r, ups: { ...r.ups!, chargePct: 95 } }), sent: ['ups'] },
  {
    case: 'runtime −170 s (under 10 % of 1800)',
    change: (r) => ({ ...r, ups: { ...r.ups!, runtimeS: 1630 } }),
    sent: [],
  },
  { case: 'runtime −180 s', change: (r) => ({ ...r, ups: { ...r.ups!, runtimeS: 1620 } }), sent: ['ups'] },
  { case: 'UPS gone', change: (r) => ({ ...r, ups: null }), sent: ['ups'] },
  {
    case: 'stream connecting',
    change: (r) => ({ ...r, media: { ...r.media, stream: 'connecting' } }),
    sent: ['media'],
  },
  {
    case: 'several sections at once',
    change: (r) => ({ ...system({ memUsedPct: 90 })(r), devices: { ...r.devices, ups: 'failed' } }),
    sent: ['system', 'devices'],
  },
];

describe('telemetry: delta, dead-band and full samples (pure)', () => {
  it.each(rows)('$case → $sent', ({ change, sent }) => {
    const reading = change(base);
    const decision = decideTelemetry({ reading, baseline: sentAt0, now: 30_000, fullEveryMs: FULL_EVERY });
    expect(decision.sample ? Object.keys(decision.sample.sections).sort() : []).toEqual([...sent].sort());
    if (decision.sample) {
      expect(decision.sample.full).toBe(false);
      for (const name of sent)
        expect(decision.sample.sections[name as keyof TelemetryReading]).toEqual(
          reading[name as keyof TelemetryReading],
        );
      // What went out becomes the baseline; the full sample's time does not move.
      expect(decision.baseline).toEqual({
        sent: { ...base, ...decision.sample.sections },
        fullAt: 0,
        previous: reading,
      });
    } else {
      expect(decision.baseline).toEqual({ ...sentAt0, previous: reading });
    }
  });

  it('sends everything first, after a (re)connection and every fullEveryMs, and nothing in between when idle', () => {
    const first = decideTelemetry({ reading: base, baseline: undefined, now: 0, fullEveryMs: FULL_EVERY });
    expect(first.sample).toEqual({ full: true, sections: base });
    let baseline = first.baseline;
    const sent: string[] = [];
    for (let t = 30_000; t <= 31 * MIN; t += 30_000) {
      const d = decideTelemetry({
        reading: system({ uptimeS: 1000 + t / 1000 })(base),
        baseline,
        now: t,
        fullEveryMs: FULL_EVERY,
      });
      if (d.sample) sent.push(`${t / MIN}:${d.sample.full ? 'full' : 'delta'}`);
      baseline = d.baseline;
    }
    expect(sent).toEqual(['15:full', '30:full']);
    const reconnected = decideTelemetry({
      reading: base,
      baseline,
      now: 31 * MIN,
      fullEveryMs: FULL_EVERY,
      forceFull: true,
    });
    expect(reconnected.sample?.full).toBe(true);
    expect(reconnected.baseline?.fullAt).toBe(31 * MIN);
  });

  it('sends CPU and load once they stay past the band for two samples in a row', () => {
    const cpu = (values: number[]) => {
      let baseline: TelemetryBaseline | undefined = sentAt0;
      return values.map((cpuPct, i) => {
        const d = decideTelemetry({
          reading: system({ cpuPct })(base),
          baseline,
          now: (i + 1) * 30_000,
          fullEveryMs: FULL_EVERY,
        });
        baseline = d.baseline;
        return d.sample ? d.sample.sections.system?.cpuPct : '-';
      });
    };
    expect(cpu([90, 10, 90, 10, 90])).toEqual(['-', '-', '-', '-', '-']);
    expect(cpu([90, 85, 80, 20, 15])).toEqual(['-', 85, '-', '-', 15]);
    expect(cpu([60, 95])).toEqual(['-', 95]);
  });

  it('compares with what was last sent, so a slow drift goes out once it adds up', () => {
    let baseline: TelemetryBaseline | undefined = sentAt0;
    const sentAt: number[] = [];
    for (let step = 1; step <= 10; step++) {
      const d = decideTelemetry({
        reading: system({ cpuPct: 10 + 4 * step })(base),
        baseline,
        now: step * 30_000,
        fullEveryMs: FULL_EVERY,
      });
      if (d.sample) sentAt.push(step);
      baseline = d.baseline;
    }
    // 10 → 30 at step 5 (+20; +16 the step before), then 30 → 50 at step 10 (+20; +16 before).
    expect(sentAt).toEqual([5, 10]);
  });

  it('makes samples that fit the schema, a full one well inside 8 KiB', () => {
    const full = buildTelemetry({ v: 1, at: new Date().toISOString(), seq: 1, full: true, ...base });
    expect(full.length).toBeLessThan(1024);
    expect(() =>
      buildTelemetry({ v: 1, at: new Date().toISOString(), seq: 2, full: false, devices: { camera: 'failed' } }),
    ).not.toThrow();
  });
});

describe('telemetry: a reading in the schema’s terms (pure)', () => {
  it('maps the UPS: none, not read yet, on battery, silent', () => {
    expect(upsSection(undefined)).toBeNull();
    expect(upsSection({ reading: null })).toEqual({ onBattery: false, chargePct: null, runtimeS: null });
    const reading = {
      flags: ['OB', 'DISCHRG'] as const,
      batteryCharge: 87.4,
      batteryRuntime: 1234.6,
      load: 20,
      inputVoltage: 0,
      at: '2026-12-01T00:00:00Z',
    };
    expect(upsSection({ reading: { ...reading, flags: [...reading.flags] } })).toEqual({
      onBattery: true,
      chargePct: 87,
      runtimeS: 1235,
    });
    expect(upsSection({ reading: { ...reading, flags: [...reading.flags] }, communicating: false })).toEqual({
      onBattery: false,
      chargePct: null,
      runtimeS: null,
    });
  });

  it('maps the stream state and sends 0 for figures the worker does not measure', () => {
    expect(mediaSection(undefined)).toEqual({ stream: 'idle', fps: 0, bitrateKbps: 0, droppedFrames: 0 });
    expect([
      mediaSection('off').stream,
      mediaSection('connecting').stream,
      mediaSection('live').stream,
      mediaSection('retrying').stream,
    ]).toEqual(['idle', 'connecting', 'live', 'failed']);
    // The encoder's figures while current; stale ones (a worker that stopped reporting) are not passed on.
    const at = '2026-12-01T10:00:00.000Z';
    const encode = { fps: 29.8, bitrateKbps: 2480.4, droppedFrames: 3, at };
    expect(mediaSection('live', encode, Date.parse(at) + 2000)).toEqual({
      stream: 'live',
      fps: 29.8,
      bitrateKbps: 2480,
      droppedFrames: 3,
    });
    expect(mediaSection('live', encode, Date.parse(at) + 30_000)).toEqual({
      stream: 'live',
      fps: 0,
      bitrateKbps: 0,
      droppedFrames: 0,
    });
  });

  it('bounds devices to 32 and their ids to 40 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `device-${i}-${'x'.repeat(50)}`, status: 'ok' as const }));
    const section = devicesSection(many);
    expect(Object.keys(section)).toHaveLength(32);
    expect(Object.keys(section).every((id) => id.length <= 40)).toBe(true);
  });

  it('keeps the room’s links, not loopback or virtual plumbing', () => {
    expect(
      ['lo', 'eth0', 'enp3s0', 'wlan0', 'ifb0', 'veth12ab', 'docker0', 'br-1234', 'wg0'].filter(isRoomLink),
    ).toEqual(['eth0', 'enp3s0', 'wlan0', 'wg0']);
  });

  it('finds the mount holding a path, with /proc/mounts’ octal escapes', () => {
    const mounts = mountPointsOf(
      '/dev/vda / ext4 rw 0 0\n/dev/sdb1 /srv/ghi\\040am ext4 rw 0 0\n/dev/sdc1 /srv ext4 rw 0 0\n',
    );
    expect(mounts).toEqual(['/', '/srv/ghi am', '/srv']);
    expect(mountOf('/srv/ghi am/recordings', mounts)).toBe('/srv/ghi am');
    expect(mountOf('/srv/ghi', mounts)).toBe('/srv');
    expect(mountOf('/srvx/a', mounts)).toBe('/');
    expect(mountOf('/srv', mounts)).toBe('/srv');
  });
});

describe('telemetry and keepalive config', () => {
  const fleetOf = (fleet?: unknown) => deviceConfig.shape.fleet.parse(fleet);

  it('defaults to the intervals the budget in schema.md is worked out for', () => {
    expect(fleetOf(undefined)).toMatchObject({
      telemetry: { intervalSeconds: 30, fullEveryMinutes: 15 },
      keepalive: { pingSeconds: 235, stateEveryMinutes: 60 },
    });
    expect(fleetOf({ telemetry: { intervalSeconds: 10 } }).telemetry).toEqual({
      intervalSeconds: 10,
      fullEveryMinutes: 15,
    });
  });

  it('refuses a full sample more often than the sampling itself, and unknown keys', () => {
    expect(
      deviceConfig.shape.fleet.safeParse({ telemetry: { intervalSeconds: 120, fullEveryMinutes: 1 } }).success,
    ).toBe(false);
    expect(deviceConfig.shape.fleet.safeParse({ keepalive: { pingEverySeconds: 60 } }).success).toBe(false);
  });
});
