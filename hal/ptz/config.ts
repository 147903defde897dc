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
  z
    .object({ driver: z.literal('visca-emulated'), transport: z.enum(['pty', 'udp']).default('pty'), timeoutMs })
    .strict(),
  z
    .object({
      driver: z.literal('visca-serial'),
      port: serialPath,
      baudRate: z.literal([9600, 19200, 38400]).default(9600),
      /** VISCA camera address 1–7 on the daisy chain. */
      address: z.number().int().min(1).max(7).default(1),
      timeoutMs,
    })
    .strict(),
  z
    .object({
      driver: z.literal('visca-ip'),
      host: hostName,
      port: tcpPort.default(52381),
      timeoutMs,
    })
    .strict(),
  z
    .object({
      driver: z.literal('pelco-d'),
      port: serialPath,
      baudRate: z.literal([2400, 4800, 9600]).default(9600),
      address: z.number().int().min(1).max(255).default(1),
    })
    .strict(),
  z.object({ driver: z.literal('uvc'), device: z.string().regex(/^\/dev\//, 'must be a /dev path') }).strict(),
  /** A network PTZ camera over ONVIF Profile S (WS-Security digest); the password lives in a file, never in the config. */
  z
    .object({
      driver: z.literal('onvif'),
      host: hostName,
      port: tcpPort.default(80),
      path: z.string().regex(/^\//, 'must start with /').default('/onvif/device_service'),
      username: z.string().min(1).max(64),
      passwordFile: z.string().min(1),
      /** The media profile whose PTZ configuration is driven; the first one with PTZ when absent. */
      profileToken: z.string().min(1).max(64).optional(),
      timeoutMs: z.number().int().min(200).max(30_000).default(3000),
      /** How often the camera's clock is read while ok: it doubles as the "still answering" check. */
      checkMs: z.number().int().min(200).max(300_000).default(10_000),
    })
    .strict(),
  /**
   * Sim mode with an IP camera: the ONVIF camera emulator on 127.0.0.1 and, beside it, GStreamer's RTSP
   * server streaming test video with the same credentials; the real `onvif` driver talks to the emulator.
   */
  z
    .object({
      driver: z.literal('onvif-emulated'),
      username: z.string().min(1).max(64).default('admin'),
      /** Created with a random password when missing; point the RTSP camera's `passwordFile` at it too. */
      passwordFile: z.string().min(1),
      onvifPort: z.number().int().min(0).max(65535).default(0),
      rtspPort: tcpPort.default(8554),
      /** The emulated camera's clock minus the room's, to see drift reported. */
      clockOffsetMs: z.number().int().default(0),
      timeoutMs: z.number().int().min(200).max(30_000).default(3000),
      checkMs: z.number().int().min(200).max(300_000).default(10_000),
    })
    .strict(),
]);
export type PtzConfig = z.infer<typeof ptzConfig>;
