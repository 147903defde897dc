import express, { type ErrorRequestHandler, type Request } from 'express';
import type { z } from 'zod';
import type { Logger } from './logger.js';

/** Error answered to an API client as JSON: `{ error: { code, message, details? } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

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

/** Must be added after every route. */
export function finishApiApp(app: express.Express, logger: Logger): void {
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({
        error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      });
      return;
    }
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (error?.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: { code: 'body_too_large', message: `request body larger than ${error.limit} bytes` } });
      return;
    }
    if (error?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'malformed_json', message: 'request body is not valid JSON' } });
      return;
    }
    if (status >= 500)
      logger.error({ err: String(error?.message ?? error), method: req.method, path: req.path }, 'request failed');
    res.status(status).json({
      error: {
        code: status >= 500 ? 'internal' : 'bad_request',
        message: status >= 500 ? 'internal error' : String(error?.message ?? 'bad request'),
      },
    });
  };
  app.use(onError);
}

/** Parses the body with a schema; a bad body is a 400 listing every problem with its path. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  // A JSON request without a body is an empty object (the servers require JSON even then).
  const result = schema.safeParse(req.body ?? {});
  if (!result.success) {
    throw new HttpError(
      400,
      'invalid_body',
      'request body does not match the expected shape',
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return result.data;
}
