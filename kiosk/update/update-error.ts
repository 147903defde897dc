import { DomainError } from '../core/domain-error.js';
import { updateProblemLabels as problemLabels } from '../messages/update.js';
import type { UpdateProblem } from './status.js';

/** A refusal of an update request: `problem` is its code, with the words the console shows beside it. */
export class UpdateError extends DomainError {
  override name = 'UpdateError';
  constructor(
    readonly kind: 'conflict' | 'invalid' | 'unavailable',
    readonly problem: UpdateProblem,
    message: string,
  ) {
    super(kind, problem, message, { label: problemLabels[problem] });
  }
}
