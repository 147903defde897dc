import { DomainError, type ErrorCategory } from '../core/domain-error.js';

type SessionRefusal = 'not_found' | 'conflict' | 'forbidden' | 'unavailable' | 'invalid';

const categoryOf: Record<SessionRefusal, ErrorCategory> = {
  not_found: 'not-found',
  conflict: 'conflict',
  forbidden: 'forbidden',
  unavailable: 'unavailable',
  invalid: 'invalid',
};

/** A refusal of the session services; `kind` is also the code the API answers with. */
export class SessionError extends DomainError {
  override name = 'SessionError';
  constructor(
    readonly kind: SessionRefusal,
    message: string,
    details?: unknown,
  ) {
    super(categoryOf[kind], kind, message, details);
  }
}
