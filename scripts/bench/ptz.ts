import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViscaPtyEmulator } from '../../hal/ptz/visca/emulator.js';
import { ViscaSerialPtz } from '../../hal/ptz/visca-serial/driver.js';
import type { BenchFigure, BenchSuite } from './types.js';
import { summary } from './stats.js';

const BAUD = 9600;
/** 8N1: a start bit, 8 data bits, a stop bit per byte. */
const BITS_PER_BYTE = 10;
const COMMANDS = 400;
const INQUIRIES = 200;
const WARM_UP = 20;

/**
 * PTZ command round trip through the real visca-serial driver over a socat pty pair to the VISCA
 * emulator: call → bytes out → ACK → Completion → promise resolved. The peer is the time the same
 * bytes need on a real 9600-baud line (a pty moves bytes with no baud-rate pacing, so the measured
 * time is our software overhead and the ratio shows how it compares with the wire itself).
 */
export const ptzBench: BenchSuite = {
  name: `ptz: VISCA round trip over a pty (driver ${BAUD} baud, ${COMMANDS} commands, ${INQUIRIES} inquiries)`,
  async run(): Promise<BenchFigure[]> {
    const dir = await mkdtemp(join(tmpdir(), 'bench-ptz-'));
    const camera = new ViscaPtyEmulator({ driverSide: join(dir, 'ttyPTZ'), cameraSide: join(dir, 'camera') });
    const driver = new ViscaSerialPtz(
      { id: 'ptz' },
      { port: camera.devicePath, baudRate: BAUD, address: 1, timeoutMs: 2000 },
    );
    try {
      await camera.plugIn();
      await driver.start();
      if (driver.status !== 'ok') throw new Error(`driver did not connect: ${driver.snapshot().detail}`);

      // Pan-tiltDrive (9 bytes) answered by ACK (3) and Completion (3).
      const commandBytes = 9 + 3 + 3;
      const commands = await measure(COMMANDS, (i) =>
        i % 2 === 0 ? driver.move({ pan: 1, tilt: 0, speed: 0.5 }) : driver.stopMove(),
      );
      // Pan-tiltPosInq (5 bytes) answered by an 11-byte reply.
      const inquiryBytes = 5 + 11;
      const inquiries = await measure(INQUIRIES, async () => {
        await driver.position();
      });
      // position() is two inquiries (pan-tilt 5+11, zoom 5+7).
      const positionBytes = inquiryBytes + 5 + 7;

      const wire = (bytes: number) => (bytes * BITS_PER_BYTE * 1000) / BAUD;
      const peer = `wire time at ${BAUD} baud`;
      return [
        {
          name: 'command round trip, median (Pan-tiltDrive → ACK → Completion)',
          value: commands.median,
          unit: 'ms',
          ratio: { peer, value: commands.median / wire(commandBytes) },
        },
        {
          name: 'command round trip, p95',
          value: commands.p95,
          unit: 'ms',
          ratio: { peer, value: commands.p95 / wire(commandBytes) },
        },
        { name: `wire time of those ${commandBytes} bytes`, value: wire(commandBytes), unit: 'ms' },
        {
          name: 'position read, median (2 inquiries)',
          value: inquiries.median,
          unit: 'ms',
          ratio: { peer, value: inquiries.median / wire(positionBytes) },
        },
        {
          name: 'position read, p95',
          value: inquiries.p95,
          unit: 'ms',
          ratio: { peer, value: inquiries.p95 / wire(positionBytes) },
        },
        { name: `wire time of those ${positionBytes} bytes`, value: wire(positionBytes), unit: 'ms' },
      ];
    } finally {
      await driver.stop();
      await camera.unplug();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export async function measure(
  count: number,
  work: (i: number) => Promise<void>,
): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await work(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await work(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summary(samples);
}
