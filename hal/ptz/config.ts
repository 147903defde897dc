import { z } from 'zod';
import { hostName, serialPath, tcpPort } from '../core/config-helpers.js';

const timeoutMs = z.number().int().min(50).max(10_000).default(1000);

export const ptzConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  z.object({ driver: z.literal('sim') }).strict(),
  /**
   * Sim mode that runs the real VISCA driver against the VISCA camera emulator, over a socat pty
   * pair (`pty`, the visca-serial driver) or UDP on 127.0.0.1 (`udp`, the visca-ip driver): the
   * kiosk and console exercise the same code paths as with a real camera.
   */
  z.object({ driver: z.literal('visca-emulated'), transport: z.enum(['pty', 'udp']).default('pty'), timeoutMs }).strict(),
  z.object({
    driver: z.literal('visca-serial'),
    port: serialPath,
    baudRate: z.literal([9600, 19200, 38400]).default(9600),
    /** VISCA camera address 1–7 on the daisy chain. */
    address: z.number().int().min(1).max(7).default(1),
    timeoutMs,
  }).strict(),
  z.object({
    driver: z.literal('visca-ip'),
    host: hostName,
    port: tcpPort.default(52381),
    timeoutMs,
  }).strict(),
  z.object({
    driver: z.literal('pelco-d'),
    port: serialPath,
    baudRate: z.literal([2400, 4800, 9600]).default(9600),
    address: z.number().int().min(1).max(255).default(1),
  }).strict(),
  z.object({ driver: z.literal('uvc'), device: z.string().regex(/^\/dev\//, 'must be a /dev path') }).strict(),
]);
export type PtzConfig = z.infer<typeof ptzConfig>;
