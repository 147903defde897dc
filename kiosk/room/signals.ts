import type { OutputName } from '../../hal/gpio/config.js';

/**
 * The room's lamps for a session state: the "in session" door sign lights while the session is
 * live and while its recording is being finalized (ending); the recording tally too, unless the
 * recorder has stopped by itself (a tally must never say "recorded" when nothing is).
 */
export function lampsFor(state: string, recorderStopped = false): Record<OutputName, boolean> {
  const inSession = state === 'live' || state === 'ending';
  return { tally: inSession && !recorderStopped, doorSign: inSession };
}
