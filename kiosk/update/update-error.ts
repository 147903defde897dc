import type { UpdateProblem } from './status.js';

/** A refusal of an update request; `web/` and the fleet responder map `kind` once. */
export class UpdateError extends Error {
  override name = 'UpdateError';
  constructor(
    readonly kind: 'conflict' | 'invalid' | 'unavailable',
    readonly problem: UpdateProblem,
    message: string,
  ) {
    super(message);
  }
}
