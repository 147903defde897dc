/** A refusal the API reports to its caller; `kind` maps to an HTTP status in the routers. */
export class SessionError extends Error {
  override name = 'SessionError';
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'forbidden' | 'unavailable' | 'invalid',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const httpStatusOf: Record<SessionError['kind'], number> = {
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
  invalid: 400,
};
