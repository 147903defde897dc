import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import express, { type Request } from 'express';
import { z } from 'zod';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import { can } from '../auth/roles.js';
import { DomainError } from '../core/domain-error.js';
import { parseBody } from '../core/http.js';
import type { Logger } from '../core/logger.js';
import type { Actor } from './audit-log.js';
import type { EvidenceService } from './evidence-service.js';
import { PARTIAL_SUFFIX } from './export.js';
import { MIN_PASSPHRASE_LENGTH } from './export-policy.js';
import { auditDetail } from './audit-detail.js';
import type { PlaybackCache } from './playback-cache.js';

/**
 * The technician console's evidence API (mounted under /api on the console server, behind the
 * console login, which sets `req.auth`); each route asks for the capability it needs.
 */
function loginOf(req: Request): NonNullable<AuthenticatedRequest['auth']> {
  const auth = (req as AuthenticatedRequest).auth;
  if (!auth) throw new DomainError('unauthenticated', 'login_required', 'đăng nhập để tiếp tục / log in to continue');
  return auth;
}

/** Who the audit log names for a request. */
function actorOf(req: Request): Actor {
  const auth = loginOf(req);
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
        throw new DomainError(
          'forbidden',
          'confidential',
          'a confidential recording leaves the device only as an encrypted export',
        );
      const segment = (await catalog.segments(recording.id)).find((s) => String(s.index) === String(req.params.index));
      if (!segment)
        throw new DomainError(
          'not-found',
          'not_found',
          `no segment ${String(req.params.index)} in recording ${recording.id}`,
        );
      await audit.append(actorOf(req), 'download', recording.id, basename(segment.path));
      res.download(catalog.absolutePath(segment.path), basename(segment.path));
    },
  );

  router.post('/evidence/recordings/:id/verify', requireCapability('recordings.read'), async (req, res) => {
    res.json(await evidence.store.verify(String(req.params.id), actorOf(req)));
  });

  router.post('/evidence/recordings/:id/export', requireCapability('recordings.export'), async (req, res) => {
    const body = parseBody(exportBody, req);
    res.json(
      await evidence.store.export(String(req.params.id), {
        targetRoot: body.to,
        actor: actorOf(req),
        encrypt: body.encrypt,
        ...(body.passphrase === undefined ? {} : { passphrase: body.passphrase }),
      }),
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

async function found<T>(value: Promise<T | undefined>): Promise<NonNullable<T>> {
  const result = await value;
  if (result === undefined || result === null) throw new DomainError('not-found', 'not_found', 'no such recording');
  return result as NonNullable<T>;
}

/** Remuxes are cheap (no re-encoding) but each holds an ffmpeg: a room has a technician or two. */
const MAX_PLAYBACKS = 3;

/**
 * A player's first request (no Range, or Range from byte 0) starts a playback; the ones after it
 * are the same playback seeking or buffering, and are not audited again.
 */
const startsPlayback = (range: string | undefined) => range === undefined || /^bytes=0-/.test(range);

/**
 * Playback of a recording in the console (an MP4 remuxed once and served with Range so the player
 * seeks, playback-cache.ts) and the progress of an export under way. A confidential recording (a
 * denunciation) is played only for a role that may read identities, checked on every request;
 * every playback is in the audit log.
 */
export function playbackRouter(evidence: EvidenceService, cache: PlaybackCache, logger: Logger): express.Router {
  const router = express.Router();

  router.get('/evidence/recordings/:id/playback.mp4', requireCapability('recordings.read'), async (req, res) => {
    const { catalog, audit } = evidence.store;
    const viewer = loginOf(req);
    const recording = await catalog.recording(String(req.params.id));
    if (!recording || recording.deletedAt) throw new DomainError('not-found', 'not_found', 'no such recording');
    if (recording.confidential && !can(viewer.role, 'identities.read'))
      throw new DomainError(
        'forbidden',
        'confidential',
        `a confidential recording plays only for a role that may read identities, not ${viewer.role}`,
      );
    const segments = (await catalog.segments(recording.id)).filter((s) => s.sizeBytes > 0);
    if (segments.length === 0)
      throw new DomainError('conflict', 'no_segments', 'nothing of this recording is sealed yet');
    if (cache.remuxing >= MAX_PLAYBACKS)
      throw new DomainError('too-many', 'playback_busy', `at most ${MAX_PLAYBACKS} playbacks at once`);
    if (startsPlayback(req.headers.range))
      await audit.append(actorOf(req), 'play', recording.id, auditDetail({ code: 'play', segments: segments.length }));
    const file = await cache
      .file(
        recording.id,
        segments.map((s) => ({ path: catalog.absolutePath(s.path), sha256: s.sha256 })),
      )
      .catch(() => {
        throw new DomainError('upstream-failed', 'playback_failed', 'the recording could not be prepared for playback');
      });
    res.sendFile(file, { headers: { 'Cache-Control': 'no-store' }, lastModified: false }, (error) => {
      // A player that seeks aborts the request it no longer needs: not a fault.
      if (error && !res.headersSent)
        logger.error({ recording: recording.id, err: error.message }, 'playback could not be sent');
    });
  });

  // How far an export under way has got: the bytes in its folder on the drive (partial or finished).
  router.get('/evidence/recordings/:id/export-progress', requireCapability('recordings.export'), async (req, res) => {
    const query = z
      .object({ to: z.string().min(1).max(4096).startsWith('/'), encrypt: z.enum(['0', '1']).default('0') })
      .safeParse(req.query);
    if (!query.success) throw new DomainError('invalid', 'bad_query', 'to must be an absolute folder');
    const recording = await evidence.store.catalog.recording(String(req.params.id));
    if (!recording) throw new DomainError('not-found', 'not_found', 'no such recording');
    // Only inside a drive an export may write to: this never measures arbitrary folders.
    const drives = await evidence.store.removableDrives();
    const target = query.data.to.replace(/\/+$/, '');
    if (!drives.some((d) => target === d.mountPoint || target.startsWith(`${d.mountPoint}/`)))
      throw new DomainError('invalid', 'export_refused_bad_target', 'not a folder on a removable drive');
    const name = basename(recording.dir) + (recording.confidential || query.data.encrypt === '1' ? '.encrypted' : '');
    const [partial, done] = await Promise.all([
      folderBytes(join(target, name + PARTIAL_SUFFIX)),
      folderBytes(join(target, name)),
    ]);
    const total = (await evidence.store.catalog.segments(recording.id)).reduce((sum, s) => sum + s.sizeBytes, 0);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ bytes: Math.max(partial, done), totalBytes: total });
  });
  return router;
}

async function folderBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names.map((name) =>
      stat(join(dir, name)).then(
        (s) => (s.isFile() ? s.size : 0),
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}
