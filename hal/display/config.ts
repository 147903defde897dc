import { z } from 'zod';

export const displayConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  z.object({ driver: z.literal('sim') }).strict(),
  /** DDC/CI over the monitor's I2C bus, through ddcutil. */
  z.object({ driver: z.literal('ddcutil'), display: z.number().int().min(1).max(8).default(1) }).strict(),
  /** sysfs backlight of a DSI panel, e.g. /sys/class/backlight/10-0045. */
  z.object({ driver: z.literal('backlight'), device: z.string().min(1) }).strict(),
  /** HDMI-CEC to a TV, through cec-ctl. */
  z
    .object({
      driver: z.literal('cec'),
      device: z
        .string()
        .regex(/^\/dev\/cec\d+$/, 'must be /dev/cecN')
        .default('/dev/cec0'),
    })
    .strict(),
]);
export type DisplayConfig = z.infer<typeof displayConfig>;
