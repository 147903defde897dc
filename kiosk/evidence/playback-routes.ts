import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import express, { type Request } from 'express';
import { z } from 'zod';
import { can } from '../auth/roles.js';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import type { Logger } from '../core/logger.js';
import { DomainError } from '../core/domain-error.js';
import type { EvidenceService } from './evidence-service.js';
import { PARTIAL_SUFFIX } from './export.js';
import { concatList, remuxArguments } from './playback.js';

/** Remuxes are cheap (no re-encoding) but each holds an ffmpeg: a room has a technician or two. */
const MAX_PLAYBACKS = 3;

const actorOf = (req: Request) => (req as AuthenticatedRequest).auth!;

/**
 * Playback of a recording in the console (a fragmented MP4 remuxed on request, playback.ts) and the
 * progress of an export under way. A confidential recording (a denunciation) is played only for a
 * role that may read identities; every playback is in the audit log.
 */
export function playbackRouter(evidence: EvidenceService, logger: Logger, ffmpeg = 'ffmpeg'): express.Router {
  const router = express.Router();
  let playing = 0;

  router.get('/evidence/recordings/:id/playback.mp4', requireCapability('recordings.read'), async (req, res) => {
    const { catalog, audit } = evidence.store;
    const actor = actorOf(req);
    const recording = await catalog.recording(String(req.params.id));
    if (!recording || recording.deletedAt) throw new DomainError('not-found', 'not_found', 'no such recording');
    if (recording.confidential && !can(actor.role, 'identities.read'))
      throw new DomainError(
        'forbidden',
        'confidential',
        `a confidential recording plays only for a role that may read identities, not ${actor.role}`,
      );
    const segments = (await catalog.segments(recording.id)).filter((s) => s.sizeBytes > 0);
    if (segments.length === 0)
      throw new DomainError('conflict', 'no_segments', 'nothing of this recording is sealed yet');
    if (playing >= MAX_PLAYBACKS)
      throw new DomainError('too-many', 'playback_busy', `at most ${MAX_PLAYBACKS} playbacks at once`);
    await audit.append({ id: actor.user, role: actor.role }, 'play', recording.id, `${segments.length} segments`);
    playing++;
    const child = spawn(ffmpeg, remuxArguments(), { stdio: ['pipe', 'pipe', 'pipe'] });
    let errors = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
    child.stdin.end(concatList(segments.map((s) => catalog.absolutePath(s.path))));
    child.stdout.once('data', () => {
      sent = true;
      res.status(200).type('video/mp4').setHeader('Cache-Control', 'no-store');
    });
    child.stdout.pipe(res, { end: false });
    // The browser went away (closed the player, seeked past the end): stop remuxing for it.
    res.once('close', () => child.kill('SIGKILL'));
    child.once('error', (error) =>
      logger.error({ recording: recording.id, err: error.message }, 'playback could not start ffmpeg'),
    );
    child.once('close', (code, signal) => {
      playing--;
      if (code !== 0 && signal === null)
        logger.error({ recording: recording.id, code, stderr: errors }, 'playback remux failed');
      if (sent) res.end();
      else if (!res.headersSent)
        res
          .status(500)
          .json({ error: { code: 'playback_failed', message: 'the recording could not be prepared for playback' } });
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
