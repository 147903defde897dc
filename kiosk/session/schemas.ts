/** Shapes accepted from the console, the kiosk and central monitoring; every body is validated against one of these. */
import { z } from 'zod';
import { bridgeRoles } from '../../config/schema.js';

const isoInstant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

export const endpoint = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address'),
    port: z.number().int().min(1).max(65535),
  })
  .strict();

const scheduleFields = {
  /** định kỳ (periodic) or đột xuất (ad-hoc). */
  kind: z.enum(['periodic', 'ad-hoc']),
  title: text(300),
  /** The site where the chairing leader sits, and where readiness measures latency to. */
  chairSite: z.object({ name: text(200), endpoint: endpoint.optional() }).strict(),
  bridgePoints: z
    .array(z.object({ name: text(200), role: z.enum(bridgeRoles) }).strict())
    .max(64)
    .default([]),
  startsAt: isoInstant,
  endsAt: isoInstant,
};

const startBeforeEnd = (value: { startsAt: string; endsAt: string }) =>
  Date.parse(value.startsAt) < Date.parse(value.endsAt);
const startBeforeEndIssue = { message: 'endsAt must be after startsAt', path: ['endsAt'] };

export const scheduleInput = z.object(scheduleFields).strict().refine(startBeforeEnd, startBeforeEndIssue);
export type ScheduleInput = z.infer<typeof scheduleInput>;

/** Central monitoring sends its whole view of this room's schedule; `revision` orders edits. */
export const fleetSchedulePayload = z
  .object({
    sessions: z
      .array(
        z
          .object({
            fleetId: text(100),
            revision: z.number().int().min(0),
            cancelled: z.boolean().default(false),
            ...scheduleFields,
          })
          .strict()
          .refine(startBeforeEnd, startBeforeEndIssue),
        // A room holds a few sessions a month; a push is the schedule ahead, not an archive.
      )
      .max(100, 'at most 100 sessions in one schedule push'),
  })
  .strict();
export type FleetSchedulePayload = z.infer<typeof fleetSchedulePayload>;

export const caseTypes = ['KN', 'TC', 'KNPA'] as const;
export type CaseType = (typeof caseTypes)[number];

export const caseFlags = z
  .object({
    mass: z.boolean().default(false),
    complex: z.boolean().default(false),
    prolonged: z.boolean().default(false),
    escalated: z.boolean().default(false),
  })
  .strict();
export type CaseFlags = z.infer<typeof caseFlags>;

/** A denunciation (tố cáo) is always confidential: the law protects the denouncer, so it cannot be switched off. */
export const caseInput = z
  .object({
    type: z.enum(caseTypes),
    summary: text(4000),
    flags: caseFlags.default({ mass: false, complex: false, prolonged: false, escalated: false }),
    confidential: z.boolean().optional(),
  })
  .strict()
  .refine((value) => !(value.type === 'TC' && value.confidential === false), {
    message: 'a denunciation (TC) is always confidential',
    path: ['confidential'],
  });
export type CaseInput = z.infer<typeof caseInput>;

export const citizenRoles = ['complainant', 'denouncer', 'petitioner', 'representative'] as const;
export type CitizenRole = (typeof citizenRoles)[number];

export const attendanceValues = ['expected', 'present', 'absent'] as const;
export type Attendance = (typeof attendanceValues)[number];

/** Who a citizen is. Always stored sealed; kept under a field name the logger redacts. */
export const citizenIdentity = z
  .object({
    name: text(200),
    idNumber: z.string().trim().max(40).optional(),
    address: z.string().trim().max(400).optional(),
    phone: z.string().trim().max(40).optional(),
  })
  .strict();
export type CitizenIdentity = z.infer<typeof citizenIdentity>;

export const citizenInput = z
  .object({
    role: z.enum(citizenRoles),
    identity: citizenIdentity,
    attendance: z.enum(attendanceValues).default('expected'),
  })
  .strict();
export type CitizenInput = z.infer<typeof citizenInput>;

export const attendanceInput = z.object({ attendance: z.enum(attendanceValues) }).strict();

/**
 * Events the kiosk (officer) may add during a session. Lifecycle events come only from transitions;
 * preset recalls come from the bus (`ptzPreset`), whichever screen moved the camera.
 */
export const kioskEventInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('case-changed'), caseId: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('muted') }).strict(),
  z.object({ type: z.literal('unmuted') }).strict(),
  z.object({ type: z.literal('connection-lost'), detail: z.string().max(300).optional() }).strict(),
  z.object({ type: z.literal('connection-restored') }).strict(),
  z.object({ type: z.literal('technician-called'), note: z.string().max(300).optional() }).strict(),
]);
export type KioskEventInput = z.infer<typeof kioskEventInput>;

export const endInput = z
  .object({ reason: z.string().max(300).optional() })
  .strict()
  .default({});
