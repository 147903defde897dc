import { z } from 'zod';

/** One step of a simulated talker: where the voice comes from, for how long. */
const doaStep = z
  .object({
    angle: z.number().min(0).max(360),
    voice: z.boolean().default(true),
    durationMs: z.number().int().min(50).max(600_000),
  })
  .strict();

/**
 * Direction of arrival, from microphone arrays that report it (ReSpeaker-class USB arrays).
 * `sim` replays a sequence of talker positions, looping, so speaker tracking runs in sim mode.
 */
export const doaConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('none') }).strict(),
  z
    .object({
      driver: z.literal('sim'),
      intervalMs: z.number().int().min(20).max(5000).default(200),
      sequence: z
        .array(doaStep)
        .min(1)
        .default([
          { angle: 60, voice: true, durationMs: 8000 },
          { angle: 60, voice: false, durationMs: 2000 },
          { angle: 200, voice: true, durationMs: 8000 },
          { angle: 200, voice: false, durationMs: 2000 },
        ]),
    })
    .strict(),
  /** A ReSpeaker USB Mic Array (XVF-3000 DSP): angle and voice activity read over USB control transfers. */
  z
    .object({
      driver: z.literal('respeaker'),
      vendorId: z.number().int().min(0).max(0xffff).default(0x2886),
      productId: z.number().int().min(0).max(0xffff).default(0x0018),
      intervalMs: z.number().int().min(50).max(5000).default(200),
      /** Degrees to add so 0° is the array's marked front as mounted in the room. */
      angleOffset: z.number().min(-360).max(360).default(0),
    })
    .strict(),
]);
export type DoaConfig = z.infer<typeof doaConfig>;

/** The room's loudspeaker output (the chairing site's voice): used by the speaker → microphone readiness test. */
export const speakerConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('alsa'), device: z.string().min(1) }).strict(),
  z.object({ driver: z.literal('pulse'), device: z.string().min(1).optional() }).strict(),
]);
export type SpeakerConfig = z.infer<typeof speakerConfig>;

const common = {
  channels: z.number().int().min(1).max(8).default(1),
  sampleRate: z.literal([16000, 44100, 48000]).default(48000),
  /** Absent: no direction of arrival. */
  doa: doaConfig.optional(),
  /** Absent: the loopback test cannot run (a warning, not a failure). */
  speaker: speakerConfig.optional(),
  /** How often the driver re-reads the device: notices an unplug and a mute set from elsewhere (default 2000). */
  pollMs: z.number().int().min(200).max(60_000).optional(),
};

/** Microphone (or microphone array) of the room. */
export const audioConfig = z.discriminatedUnion('driver', [
  z.object({ driver: z.literal('sim'), toneHz: z.number().min(20).max(20000).default(440), ...common }).strict(),
  z
    .object({
      driver: z.literal('alsa'),
      /** The capture PCM, e.g. `hw:CARD=ArrayUAC10,DEV=0`; its card's mixer is used for mute. */
      device: z.string().min(1),
      /** The simple mixer control with the capture switch (`amixer -D hw:CARD=… scontrols`). */
      control: z.string().min(1).default('Capture'),
      ...common,
    })
    .strict(),
  /** A PulseAudio/PipeWire source by name (`pactl list short sources`); the default source when absent. */
  z.object({ driver: z.literal('pulse'), device: z.string().min(1).optional(), ...common }).strict(),
]);
export type AudioConfig = z.infer<typeof audioConfig>;
