import { z } from 'zod';

const capture = {
  width: z.number().int().min(160).max(3840).default(1920),
  height: z.number().int().min(120).max(2160).default(1080),
  fps: z.number().int().min(1).max(60).default(30),
};

/** The room camera that records the whole proceedings (seed 003 art. 8.2). */
export const cameraConfig = z.discriminatedUnion('driver', [
  z
    .object({
      driver: z.literal('sim'),
      pattern: z.enum(['smpte', 'ball', 'snow']).default('smpte'),
      /** JPEG frames (a path with a %03d index, from 000) played in a loop instead of the pattern: a USB MJPEG camera's input. */
      frames: z
        .string()
        .regex(/%0?\d*d/, 'needs a %03d frame index')
        .optional(),
      ...capture,
    })
    .strict(),
  z
    .object({
      driver: z.literal('v4l2'),
      device: z.string().regex(/^\/dev\//, 'must be a /dev path'),
      format: z.enum(['mjpeg', 'raw']).default('mjpeg'),
      ...capture,
    })
    .strict(),
  z
    .object({
      driver: z.literal('rtsp'),
      url: z.url({ protocol: /^rtsps?$/ }),
      latencyMs: z.number().int().min(0).max(5000).default(200),
      /** The camera must answer RTSP OPTIONS within this time to count as present (default 3000). */
      probeTimeoutMs: z.number().int().min(200).max(30_000).optional(),
      /** How often the camera is probed while ok, since a network camera gives no unplug event (default 10000). */
      checkMs: z.number().int().min(500).max(300_000).optional(),
      /** RTSP login: the user here, the password in a file (under the data folder's `secrets/`), never in the URL. */
      username: z.string().min(1).max(64).optional(),
      passwordFile: z.string().min(1).optional(),
      ...capture,
    })
    .strict()
    .refine((c) => (c.username === undefined) === (c.passwordFile === undefined), {
      message: 'username and passwordFile go together',
      path: ['passwordFile'],
    }),
]);
export type CameraConfig = z.infer<typeof cameraConfig>;
