import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import express, { type Request } from 'express';
import { z } from 'zod';
import { can } from '../auth/roles.js';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import type { Logger } from '../core/logger.js';
import { HttpError } from '../core/http.js';
import type { EvidenceService } from './evidence-service.js';
import { PARTIAL_SUFFIX } from './export.js';
import { auditDetail } from './audit-detail.js';
import type { PlaybackCache } from './playback-cache.js';

/** Remuxes are cheap (no re-encoding) but each holds an ffmpeg: a room has a technician or two. */
const MAX_PLAYBACKS = 3;

const actorOf = (req: Request) => (req as AuthenticatedRequest).auth!;

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
    const actor = actorOf(req);
    const recording = await catalog.recording(String(req.params.id));
    if (!recording || recording.deletedAt) throw new HttpError(404, 'not_found', 'no such recording');
    if (recording.confidential && !can(actor.role, 'identities.read'))
      throw new HttpError(
        403,
        'confidential',
        `a confidential recording plays only for a role that may read identities, not ${actor.role}`,
      );
    const segments = (await catalog.segments(recording.id)).filter((s) => s.sizeBytes > 0);
    if (segments.length === 0) throw new HttpError(409, 'no_segments', 'nothing of this recording is sealed yet');
    if (cache.remuxing >= MAX_PLAYBACKS)
      throw new HttpError(429, 'playback_busy', `at most ${MAX_PLAYBACKS} playbacks at once`);
    if (startsPlayback(req.headers.range))
      await audit.append(
        { id: actor.user, role: actor.role },
        'play',
        recording.id,
        auditDetail({ code: 'play', segments: segments.length }),
      );
    const file = await cache
      .file(
        recording.id,
        segments.map((s) => ({ path: catalog.absolutePath(s.path), sha256: s.sha256 })),
      )
      .catch(() => {
        throw new HttpError(500, 'playback_failed', 'the recording could not be prepared for playback');
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
    if (!query.success) throw new HttpError(400, 'bad_query', 'to must be an absolute folder');
    const recording = await evidence.store.catalog.recording(String(req.params.id));
    if (!recording) throw new HttpError(404, 'not_found', 'no such recording');
    // Only inside a drive an export may write to: this never measures arbitrary folders.
    const drives = await evidence.store.removableDrives();
    const target = query.data.to.replace(/\/+$/, '');
    if (!drives.some((d) => target === d.mountPoint || target.startsWith(`${d.mountPoint}/`)))
      throw new HttpError(400, 'export_refused_bad_target', 'not a folder on a removable drive');
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
