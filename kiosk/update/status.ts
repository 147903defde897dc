import { randomBytes } from 'node:crypto';
import { chmod, chown, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * One update's progress, in `updates/status.json`: written by the daemon until the request is handed
 * over, then by the updater; read by the console API and turned into fleet events by the daemon
 * (the one that asked, then the one that runs afterwards). No secret and no identity in it.
 */
export const updateSteps = [
  'downloading',
  'verifying',
  'requested',
  'unpacking',
  'stopping',
  'backing-up',
  'switching',
  'starting',
  'checking-health',
  'rolling-back',
] as const;
export const updateOutcomes = ['succeeded', 'rolled-back', 'refused', 'failed'] as const;
export type UpdateStep = (typeof updateSteps)[number];
export type UpdateOutcome = (typeof updateOutcomes)[number];
export type UpdateState = UpdateStep | UpdateOutcome;

/** Why an update was refused or failed, for the console's words (kiosk/messages/update.ts) and central's dashboard. */
export const updateProblems = [
  'unsigned',
  'bad-signature',
  'no-trusted-keys',
  'wrong-platform',
  'live-session',
  'session-soon',
  'busy',
  'same-version',
  'download-failed',
  'bad-artifact',
  'unhealthy',
  'internal',
] as const;
export type UpdateProblem = (typeof updateProblems)[number];

export const updateRequester = z
  .object({ via: z.enum(['console', 'fleet', 'cli']), actor: z.string().max(100) })
  .strict();

export const updateStatus = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{4,40}$/),
    state: z.enum([...updateSteps, ...updateOutcomes]),
    from: z.string().max(40),
    to: z.string().max(40).nullable(),
    requestedBy: updateRequester,
    startedAt: z.string(),
    updatedAt: z.string(),
    /** Each step as it began, in order. */
    steps: z.array(z.object({ state: z.enum([...updateSteps, ...updateOutcomes]), at: z.string() }).strict()).max(40),
    problem: z.enum(updateProblems).optional(),
    detail: z.string().max(500).optional(),
    /** Where the database was saved before the new release migrated it. */
    backup: z.string().max(500).optional(),
  })
  .strict();
export type UpdateStatus = z.infer<typeof updateStatus>;

/** What the daemon leaves for the updater: the artifact it downloaded and checked. */
export const updateRequest = z
  .object({ id: updateStatus.shape.id, artifact: z.string().min(1), requestedBy: updateRequester, at: z.string() })
  .strict();
export type UpdateRequest = z.infer<typeof updateRequest>;

export const isFinal = (state: UpdateState): state is UpdateOutcome =>
  (updateOutcomes as readonly string[]).includes(state);

export const newUpdateId = (now = new Date()): string =>
  `u-${now.toISOString().slice(0, 19).replace(/[-:T]/g, '').toLowerCase()}-${randomBytes(3).toString('hex')}`;

/** Pure: the status after moving to `state`. */
export function advance(
  status: UpdateStatus,
  state: UpdateState,
  at: string,
  extra: Partial<Pick<UpdateStatus, 'problem' | 'detail' | 'backup' | 'to'>> = {},
): UpdateStatus {
  return {
    ...status,
    ...extra,
    ...(extra.detail !== undefined ? { detail: extra.detail.slice(0, 500) } : {}),
    state,
    updatedAt: at,
    steps: [...status.steps, { state, at }].slice(-40),
  };
}

export async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  return schema.parse(JSON.parse(text));
}

/**
 * Written beside and renamed over, so a reader never sees half a file. The updater runs as root in
 * the daemon's folder: the file is given the folder's owner, so the daemon can read and replace it.
 */
export async function writeJson(path: string, value: unknown, mode = 0o640): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(3).toString('hex')}`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode });
  await chmod(temporary, mode);
  if (process.getuid?.() === 0) {
    const folder = await stat(dirname(path));
    await chown(temporary, folder.uid, folder.gid);
  }
  await rename(temporary, path);
}

/** What the update service publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A software update moved to another step, or ended: central monitoring shows it. */
    updateProgress: [status: UpdateStatus];
  }
}
