import { z } from 'zod';
import { mediaPlanSchema } from './plan.js';

/**
 * The typed protocol between the daemon (supervisor) and the media worker, over the fork IPC
 * channel with `serialization: 'advanced'` (preview JPEGs travel as bytes). Both sides validate
 * every message with these schemas: a malformed message is dropped and logged, never acted on.
 */

const segmentInfo = z.object({
  recordingId: z.string(),
  index: z.number().int().min(0),
  path: z.string(),
  sizeBytes: z.number().int().min(0),
  durationSeconds: z.number().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  startedAt: z.string(),
  endedAt: z.string(),
});

export const recordingIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, dot, dash, underscore');

/** A segment that was open when a worker died: the next worker hashes and reports it. */
const orphanSegment = z.object({
  index: z.number().int().min(0),
  path: z.string(),
  openedAt: z.string(),
  lastSeenAt: z.string(),
});

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('configure'), id: z.number().int(), plan: mediaPlanSchema }),
  z.object({
    type: z.literal('startRecording'),
    id: z.number().int(),
    recordingId: recordingIdSchema,
    dir: z.string().min(1),
    sessionLabel: z.string().max(200),
    /** Index of the first new segment: above 0 when resuming after a worker restart. */
    startIndex: z.number().int().min(0),
    orphans: z.array(orphanSegment),
    /** Start the stream to the chairing site too (not for a test recording). */
    stream: z.boolean(),
  }),
  z.object({ type: z.literal('stopRecording'), id: z.number().int(), deadlineMs: z.number().int().min(100) }),
  z.object({ type: z.literal('status'), id: z.number().int() }),
]);
export type WorkerCommand = z.infer<typeof commandSchema>;
/** A command as the supervisor writes it; the id is added by the request layer. */
export type WorkerRequest = WorkerCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export const sourceRoleSchema = z.enum(['camera', 'mic', 'remote']);

export const workerStatusSchema = z.object({
  encoder: z.string().optional(),
  recording: z
    .object({
      recordingId: z.string(),
      startedAt: z.string(),
      segmentsClosed: z.number().int(),
      openSegment: z.number().int().optional(),
    })
    .optional(),
  sources: z.record(z.string(), z.enum(['ok', 'lost', 'stopped'])),
  stream: z.enum(['off', 'connecting', 'live', 'retrying']),
});
export type WorkerStatus = z.infer<typeof workerStatusSchema>;

export const stopResultSchema = z.object({ clean: z.boolean(), timedOut: z.boolean(), segments: z.number().int() });
export type StopResult = z.infer<typeof stopResultSchema>;

export const workerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({
    type: z.literal('recordingStarted'),
    recordingId: z.string(),
    startedAt: z.string(),
    startIndex: z.number().int(),
  }),
  z.object({
    type: z.literal('segmentOpened'),
    recordingId: z.string(),
    index: z.number().int(),
    path: z.string(),
    openedAt: z.string(),
  }),
  z.object({ type: z.literal('segmentClosed'), segment: segmentInfo, recovered: z.boolean() }),
  z.object({
    type: z.literal('recordingStopped'),
    recordingId: z.string(),
    result: stopResultSchema,
    cause: z.enum(['requested', 'disk-full', 'failure']),
    detail: z.string().optional(),
  }),
  z.object({ type: z.literal('sourceLost'), source: sourceRoleSchema, reason: z.string() }),
  z.object({ type: z.literal('sourceRestored'), source: sourceRoleSchema, downSeconds: z.number() }),
  z.object({
    type: z.literal('streamState'),
    state: z.enum(['off', 'connecting', 'live', 'retrying']),
    detail: z.string().optional(),
  }),
  z.object({ type: z.literal('levels'), peakDb: z.array(z.number()), rmsDb: z.array(z.number()) }),
  z.object({ type: z.literal('preview'), jpeg: z.instanceof(Uint8Array) }),
  z.object({
    type: z.literal('encodeStats'),
    fps: z.number().min(0),
    bitrateKbps: z.number().min(0),
    frames: z.number().int().min(0),
    droppedFrames: z.number().int().min(0),
  }),
  z.object({ type: z.literal('diskSpace'), level: z.enum(['low', 'critical']), freeBytes: z.number() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type WorkerEvent = z.infer<typeof workerEventSchema>;

export const workerMessageSchema = z.union([
  z.object({
    type: z.literal('reply'),
    id: z.number().int(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.string().optional(),
  }),
  z.object({ type: z.literal('event'), event: workerEventSchema }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;
