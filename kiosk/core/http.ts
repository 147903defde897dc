import express, { type ErrorRequestHandler, type Request } from 'express';
import type { z } from 'zod';
import { DomainError, type ErrorCategory } from './domain-error.js';
import type { Logger } from './logger.js';

/** express app with JSON bodies (size-limited), JSON 404s and JSON errors: never an HTML stack trace. */
export function createApiApp(options: {
  bodyLimit: string;
  logger: Logger;
  first?: express.RequestHandler;
}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  if (options.first) app.use(options.first);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use(express.json({ limit: options.bodyLimit, strict: true }));
  return app;
}

/** The one mapping from an error's category to the HTTP status of its answer, for every router. */
export const statusOfCategory: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  unprocessable: 422,
  'too-many': 429,
  unsupported: 501,
  'upstream-failed': 502,
  unavailable: 503,
  timeout: 504,
};

export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string; details?: unknown } };
  /** Only an error nobody meant to answer with is logged: a refusal is the API working. */
  unexpected: boolean;
}

/**
 * The answer to any error thrown in a route (pure). A DomainError says what it is; express's body
 * parser marks its own (too large, not JSON); anything else is a 500 that never shows its message.
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof DomainError) {
    const details = error.details ? { details: error.details } : {};
    return {
      status: statusOfCategory[error.category],
      body: { error: { code: error.code, message: error.message, ...details } },
      unexpected: false,
    };
  }
  const parserError = error as { type?: unknown; status?: unknown; limit?: unknown; message?: unknown } | null;
  if (parserError?.type === 'entity.too.large')
    return refusal(413, 'body_too_large', `request body larger than ${parserError.limit} bytes`);
  if (parserError?.type === 'entity.parse.failed')
    return refusal(400, 'malformed_json', 'request body is not valid JSON');
  // Other errors of express's own middleware carry a 4xx status and a message meant for the client.
  const status = typeof parserError?.status === 'number' ? parserError.status : 500;
  if (status >= 400 && status < 500)
    return refusal(status, 'bad_request', String(parserError?.message ?? 'bad request'));
  return {
    status: Math.max(status, 500),
    body: { error: { code: 'internal', message: 'internal error' } },
    unexpected: true,
  };
}

const refusal = (status: number, code: string, message: string): ErrorAnswer => ({
  status,
  body: { error: { code, message } },
  unexpected: false,
});

/** Must be added after every route. */
export function finishApiApp(app: express.Express, logger: Logger): void {
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const answer = errorAnswer(error);
    if (answer.unexpected)
      logger.error({ err: String(error?.message ?? error), method: req.method, path: req.path }, 'request failed');
    res.status(answer.status).json(answer.body);
  };
  app.use(onError);
}

/** Parses the body with a schema; a bad body is a 400 listing every problem with its path. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  // A JSON request without a body is an empty object (the servers require JSON even then).
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    throw new DomainError(
      'invalid',
      'invalid_body',
      'request body does not match the expected shape',
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return result.data;
}
