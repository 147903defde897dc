import type { OutputName } from '../../hal/gpio/config.js';

/**
 * The room's lamps for a session state: the recording tally and the "in session" door sign light
 * while the session is live and while its recording is being finalized (ending).
 */
export function lampsFor(state: string): Record<OutputName, boolean> {
  const inSession = state === 'live' || state === 'ending';
  return { tally: inSession, doorSign: inSession };
}
