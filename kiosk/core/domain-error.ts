/**
 * What kind of refusal or failure an error is, in words that do not know HTTP. The web layer maps each
 * category to a status once (`core/http.ts`); a feature never chooses a status.
 */
export type ErrorCategory =
  /** The request breaks a rule of its own: a bad field, a name out of range. */
  | 'invalid'
  /** Nobody is logged in. */
  | 'unauthenticated'
  /** Logged in, but the role (or separation of duties) does not allow it. */
  | 'forbidden'
  | 'not-found'
  /** Not now: the state of the room, the session or another request forbids it. */
  | 'conflict'
  | 'too-large'
  /** Well formed, but its content cannot be used: a camera refused the login, a recording did not verify. */
  | 'unprocessable'
  /** Too many at once: try again later. */
  | 'too-many'
  /** This device cannot do it at all. */
  | 'unsupported'
  /** A device or server we rely on answered with a failure, or could not be reached. */
  | 'upstream-failed'
  /** Not available now (not configured, not started, offline). */
  | 'unavailable'
  /** A deadline passed, or a device did not answer in time (what was asked may still have happened). */
  | 'timeout';

/**
 * The one error the API answers with `{ error: { code, message, details? } }`.
 *
 * Rule: services throw a DomainError (or a feature's subclass of it) with a category and a stable machine
 * `code`; routes and middleware throw it too for their own refusals (login required, a bad body or query).
 * No feature names an HTTP status: `core/http.ts` maps the category once for every router, and any other
 * error is a 500 whose message stays in the log (only the web server's own transport checks, such as
 * `web/request-origin.ts`, answer 415/421 directly). Routers live in their folder's `routes.ts`. `details` goes to the client as is: never a secret or a
 * denouncer's identity.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly category: ErrorCategory,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
