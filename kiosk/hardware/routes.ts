import express from 'express';
import { z } from 'zod';
import type { AudioDevice } from '../../hal/audio/types.js';
import { DomainError } from '../core/domain-error.js';
import { parseBody } from '../core/http.js';

const muteBody = z.object({ muted: z.boolean() }).strict();

/** The room microphone's mute, for the touchscreen (kiosk server) and the console. */
export function audioRouter(device: () => AudioDevice | undefined): express.Router {
  const router = express.Router();
  const present = (): AudioDevice => {
    const audio = device();
    if (!audio) throw new DomainError('not-found', 'no_microphone', 'this room has no microphone configured');
    return audio;
  };
  router.get('/audio', (_req, res) => {
    const audio = present();
    res.json({ muted: audio.muted, status: audio.status });
  });
  router.post('/audio/mute', async (req, res) => {
    const { muted } = parseBody(muteBody, req);
    const audio = present();
    if (audio.status !== 'ok')
      throw new DomainError('unavailable', 'microphone_unavailable', `microphone is ${audio.status}`);
    await audio.setMuted(muted);
    res.json({ muted: audio.muted });
  });
  return router;
}
