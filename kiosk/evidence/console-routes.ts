import express, { type Request } from 'express';
import { basename } from 'node:path';
import { z } from 'zod';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import { HttpError, parseBody } from '../core/http.js';
import type { Actor } from './audit-log.js';
import { EvidenceNotFoundError, ExportRefusedError } from './evidence-store.js';
import type { EvidenceService } from './evidence-service.js';
import { ExportError } from './export.js';
import { MIN_PASSPHRASE_LENGTH } from './export-policy.js';

/**
 * The technician console's evidence API (mounted under /api on the console server, behind the
 * console login, which sets `req.auth`); each route asks for the capability it needs.
 */
function actorOf(req: Request): Actor {
  const auth = (req as AuthenticatedRequest).auth;
  if (!auth) throw new HttpError(401, 'login_required', 'đăng nhập để tiếp tục / log in to continue');
  return { id: auth.user, role: auth.role };
}

const exportBody = z
  .object({
    /** A folder on a mounted removable drive (GET /evidence/drives lists them). */
    to: z.string().min(1).max(4096).startsWith('/', 'an absolute path'),
    /** Encrypt a recording that is not confidential too (confidential ones always are). */
    encrypt: z.boolean().default(false),
    /** Instead of the configured recipients: only for a role with identities.read (checked by the store). */
    passphrase: z
      .string()
      .min(MIN_PASSPHRASE_LENGTH, `at least ${MIN_PASSPHRASE_LENGTH} characters`)
      .max(1024)
      .optional(),
  })
  .strict();

export function evidenceConsoleRouter(evidence: EvidenceService): express.Router {
  const router = express.Router();

  router.get('/evidence/recordings', requireCapability('recordings.read'), async (_req, res) => {
    const { catalog } = evidence.store;
    const facts = new Map((await catalog.retentionFacts()).map((f) => [f.id, f]));
    const [recordings, seconds] = await Promise.all([catalog.recordings(), catalog.mediaSeconds()]);
    res.json({
      recordings: recordings.map(({ events: _events, ...r }) => ({
        ...r,
        mediaSeconds: seconds.get(r.id) ?? null,
        bytes: facts.get(r.id)?.bytes ?? 0,
        verifiedExport: facts.get(r.id)?.verifiedExport ?? false,
      })),
    });
  });

  router.get('/evidence/recordings/:id', requireCapability('recordings.read'), async (req, res) => {
    const { catalog, audit } = evidence.store;
    const recording = await found(catalog.recording(String(req.params.id)));
    const [segments, exports] = await Promise.all([catalog.segments(recording.id), catalog.exports(recording.id)]);
    await audit.append(actorOf(req), 'view', recording.id, null);
    res.json({ recording, segments: segments.map((s) => ({ ...s, name: basename(s.path) })), exports });
  });

  router.get(
    '/evidence/recordings/:id/segments/:index/file',
    requireCapability('recordings.read'),
    async (req, res) => {
      const { catalog, audit } = evidence.store;
      const recording = await found(catalog.recording(String(req.params.id)));
      if (recording.confidential)
        throw new HttpError(
          403,
          'confidential',
          'a confidential recording leaves the device only as an encrypted export',
        );
      const segment = (await catalog.segments(recording.id)).find((s) => String(s.index) === String(req.params.index));
      if (!segment)
        throw new HttpError(404, 'not_found', `no segment ${String(req.params.index)} in recording ${recording.id}`);
      await audit.append(actorOf(req), 'download', recording.id, basename(segment.path));
      res.download(catalog.absolutePath(segment.path), basename(segment.path));
    },
  );

  router.post('/evidence/recordings/:id/verify', requireCapability('recordings.read'), async (req, res) => {
    res.json(await mapErrors(evidence.store.verify(String(req.params.id), actorOf(req))));
  });

  router.post('/evidence/recordings/:id/export', requireCapability('recordings.export'), async (req, res) => {
    const body = parseBody(exportBody, req);
    res.json(
      await mapErrors(
        evidence.store.export(String(req.params.id), {
          targetRoot: body.to,
          actor: actorOf(req),
          encrypt: body.encrypt,
          ...(body.passphrase === undefined ? {} : { passphrase: body.passphrase }),
        }),
      ),
    );
  });

  router.get('/evidence/drives', requireCapability('recordings.export'), async (_req, res) => {
    const drives = await evidence.store.removableDrives();
    res.json({
      drives: drives.map((d) => ({
        name: d.name,
        device: d.path,
        label: d.label,
        mountPoint: d.mountPoint,
        fstype: d.fstype,
        sizeBytes: d.sizeBytes,
        freeBytes: d.freeBytes,
      })),
    });
  });

  router.get('/evidence/audit', requireCapability('audit.read'), async (req, res) => {
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100));
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    res.json({ entries: await evidence.store.audit.list(limit, before) });
  });

  router.get('/evidence/audit/verify', requireCapability('audit.read'), async (_req, res) => {
    res.json(await evidence.store.audit.verify());
  });

  router.get('/evidence/disk', requireCapability('health.read'), async (_req, res) => {
    res.json(await evidence.checkDisk());
  });

  router.get('/evidence/public-key', requireCapability('health.read'), (_req, res) => {
    res.json(evidence.publicKey());
  });

  return router;
}

const refusalStatus: Record<ExportRefusedError['kind'], number> = {
  'passphrase-forbidden': 403,
  'passphrase-too-short': 400,
  'bad-target': 400,
  'no-recipients': 409,
  'not-finished': 409,
  'no-export': 409,
  empty: 409,
};

const failureStatus: Record<ExportError['kind'], number> = {
  'not-verified': 422,
  'source-changed': 422,
  exists: 409,
  stopped: 504,
};

async function found<T>(value: Promise<T | undefined>): Promise<NonNullable<T>> {
  const result = await value;
  if (result === undefined || result === null) throw new HttpError(404, 'not_found', 'no such recording');
  return result as NonNullable<T>;
}

async function mapErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof EvidenceNotFoundError) throw new HttpError(404, 'not_found', error.message);
    if (error instanceof ExportRefusedError)
      throw new HttpError(
        refusalStatus[error.kind],
        `export_refused_${error.kind.replaceAll('-', '_')}`,
        error.message,
      );
    if (error instanceof ExportError)
      throw new HttpError(
        failureStatus[error.kind],
        `export_${error.kind.replaceAll('-', '_')}`,
        error.message,
        error.findings.length ? error.findings : undefined,
      );
    throw error;
  }
}
