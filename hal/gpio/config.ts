import { z } from 'zod';
import { gpioLine } from '../core/config-helpers.js';

const input = z.object({ line: gpioLine, activeLow: z.boolean().default(true) }).strict();
const output = z.object({ line: gpioLine, activeLow: z.boolean().default(false) }).strict();

export const buttonNames = ['callTechnician', 'mute'] as const;
export const outputNames = ['tally', 'doorSign'] as const;
export type ButtonName = (typeof buttonNames)[number];
export type OutputName = (typeof outputNames)[number];

export const gpioConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  z.object({ driver: z.literal('sim') }).strict(),
  z
    .object({
      driver: z.literal('onoff'),
      debounceMs: z.number().int().min(0).max(1000).default(50),
      buttons: z.object({ callTechnician: input.optional(), mute: input.optional() }).strict().default({}),
      outputs: z.object({ tally: output.optional(), doorSign: output.optional() }).strict().default({}),
    })
    .strict(),
]);
export type GpioConfig = z.infer<typeof gpioConfig>;
