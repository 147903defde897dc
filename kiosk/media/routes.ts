import express, { type RequestHandler } from 'express';
import { DomainError } from '../core/domain-error.js';
import type { MediaService } from './media-service.js';

/**
 * The program picture and sound levels while a session is recorded: the kiosk shows them to the
 * officer, the console to the technician (behind `guard`, since the picture shows the citizens).
 */
export function mediaRouter(media: MediaService, guard?: RequestHandler): express.Router {
  const router = express.Router();
  if (guard) router.use('/media', guard);
  router.get('/media/preview.jpg', (_req, res) => {
    const preview = media.preview();
    if (!preview)
      throw new DomainError('not-found', 'no_preview', 'nothing is being recorded: there is no program picture');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Captured-At', preview.at);
    res.type('image/jpeg').send(Buffer.from(preview.jpeg));
  });
  router.get('/media/levels', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ levels: media.levels() ?? null });
  });
  return router;
}
