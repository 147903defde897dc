/**
 * The one way to turn a caught value into words for a log line or an error reply: its message when
 * it has one (an Error, or an error-shaped object from a library), otherwise the value as text.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
