import { z } from 'zod';

/** A serial device path: /dev/ttyUSB0, /dev/serial/by-id/…, or a pty made by socat in simulation. */
export const serialPath = z.string().min(1).regex(/^\//, 'must be an absolute device path such as /dev/ttyUSB0');

export const hostName = z.string().min(1).max(253);
export const tcpPort = z.number().int().min(1).max(65535);
export const gpioLine = z.number().int().min(0).max(1023);
