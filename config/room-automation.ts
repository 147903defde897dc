import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 07:30');
const period = z
  .object({ from: clock, to: clock })
  .strict()
  .refine((p) => p.from < p.to, { message: 'from must be before to', path: ['to'] });

/** Reception hours of the district plan: 07:30–12:00 and 13:00–16:30 (seed 001 III.3). */
export const defaultReceptionPeriods = [
  { from: '07:30', to: '12:00' },
  { from: '13:00', to: '16:30' },
];

export const displayScheduleConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** ISO weekdays, 1 = Monday … 7 = Sunday. Special periods with weekend reception add 6 and 7. */
    days: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
    periods: z.array(period).default(defaultReceptionPeriods),
    /** A date with its own hours (a Saturday of reception, a holiday with none: `periods: []`). */
    exceptions: z
      .array(
        z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'), periods: z.array(period) }).strict(),
      )
      .default([]),
    /** Wake the display this long before a scheduled session (the 2-hour test is a session window too). */
    wakeBeforeSessionMinutes: z.number().int().min(0).max(240).default(30),
    /** Re-check interval; transitions are applied within this delay. */
    checkSeconds: z.number().int().min(5).max(600).default(30),
  })
  .strict();
export type DisplayScheduleConfig = z.infer<typeof displayScheduleConfig>;

export const speakerTrackingConfig = z
  .object({
    enabled: z.boolean().default(false),
    /** Preset slots and the direction (degrees, as the microphone array reports it) each one frames. */
    presets: z
      .array(
        z
          .object({
            slot: z.number().int().min(0).max(255),
            angle: z.number().min(0).max(360),
            name: z.string().max(60).optional(),
          })
          .strict(),
      )
      .default([]),
    /** A talker must hold the floor this long before the camera moves; also the least time between two moves. */
    holdMs: z.number().int().min(200).max(60_000).default(2500),
    /** The nearest preset must be this much nearer than the current one to move away from it. */
    hysteresisDegrees: z.number().min(0).max(90).default(10),
    /** Voice further than this from every preset (a door, a window) is ignored. */
    maxDistanceDegrees: z.number().min(1).max(180).default(60),
    /** After a manual move, tracking waits this long before taking the camera back. */
    manualPauseMs: z.number().int().min(0).max(600_000).default(30_000),
  })
  .strict();
export type SpeakerTrackingConfig = z.infer<typeof speakerTrackingConfig>;

export const discoveryConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** Full re-scan period; plug events in /dev are seen sooner through fs.watch. */
    intervalSeconds: z.number().int().min(2).max(3600).default(10),
  })
  .strict();
export type DiscoveryConfig = z.infer<typeof discoveryConfig>;

/** Room automation: display schedule, speaker tracking, device discovery. */
export const roomAutomationConfig = z
  .object({
    display: displayScheduleConfig.default(() => displayScheduleConfig.parse({})),
    speakerTracking: speakerTrackingConfig.default(() => speakerTrackingConfig.parse({})),
    discovery: discoveryConfig.default(() => discoveryConfig.parse({})),
  })
  .strict();
export type RoomAutomationConfig = z.infer<typeof roomAutomationConfig>;
