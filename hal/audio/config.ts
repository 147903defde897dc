import { z } from 'zod';

const common = {
  channels: z.number().int().min(1).max(8).default(1),
  sampleRate: z.literal([16000, 44100, 48000]).default(48000),
};

/** Microphone (or microphone array) of the room. */
export const audioConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('sim'), toneHz: z.number().min(20).max(20000).default(440), ...common }).strict(),
  z.object({ driver: z.literal('alsa'), device: z.string().min(1), ...common }).strict(),
  z.object({ driver: z.literal('pulse'), device: z.string().min(1).optional(), ...common }).strict(),
]);
export type AudioConfig = z.infer<typeof audioConfig>;
