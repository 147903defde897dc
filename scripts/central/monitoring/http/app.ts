import { randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { projectRoot } from '../../../../config/load.js';
import { addressKey, LoginThrottle, userAtAddressThrottle } from '../../../../kiosk/auth/login-throttle.js';
import { readCookie } from '../../../../kiosk/auth/cookies.js';
import { originVerdict, type OriginPolicy } from '../../../../kiosk/web/request-origin.js';
import type { RoomDirectory } from '../room-directory.js';
import type { MonitoringStore } from '../store/monitoring-db.js';
import { isDashboardCommand, runOperatorCommand } from './commands.js';
import type { MonitoringMetrics } from './metrics.js';
import { checkOperator } from './operators.js';

export const SESSION_COOKIE = 'diemcau_monitoring_session';
const SESSION_TTL_S = 12 * 3600;

export interface AppDeps {
  nc: NatsConnection;
  store: MonitoringStore;
  rooms: RoomDirectory;
  metrics: MonitoringMetrics;
  metricsToken: string;
  origin: OriginPolicy;
  logger: Logger;
}

type Authed = Request & { operator?: string };

/**
 * The dashboard's HTTP side: its page and scripts, a JSON API behind an operator login (an HTTP-only,
 * SameSite=Strict cookie; state-changing requests only as same-origin JSON), and `/metrics` behind
 * a bearer token for Prometheus.
 */
export function monitoringApp(deps: AppDeps): express.Express {
  const { store, rooms, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  const throttle = new LoginThrottle(userAtAddressThrottle);

  app.use((req, res, next) => {
    const verdict = originVerdict(
      {
        method: req.method,
        host: req.headers.host,
        origin: req.headers.origin,
        fetchSite: req.headers['sec-fetch-site'] as string | undefined,
        contentType: req.headers['content-type'],
      },
      deps.origin,
    );
    if (!verdict.ok) return void res.status(verdict.status).json({ error: verdict.code, message: verdict.message });
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  app.use(express.json({ limit: '16kb' }));

  app.get('/metrics', async (req, res) => {
    if (!bearerMatches(req.headers.authorization, deps.metricsToken))
      return void res.status(401).set('WWW-Authenticate', 'Bearer').send('unauthorised\n');
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.post('/api/login', async (req, res) => {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string' || password.length > 256)
      return void res.status(400).json({ error: 'bad_request' });
    const key = `${addressKey(req.socket.remoteAddress)}|${username}`;
    const wait = throttle.attempt(key);
    if (wait > 0)
      return void res
        .status(429)
        .set('Retry-After', String(Math.ceil(wait / 1000)))
        .json({ error: 'throttled' });
    if (!(await checkOperator(store, username, password))) {
      logger.warn({ operator: username.slice(0, 32), address: req.socket.remoteAddress }, 'operator login refused');
      return void res.status(401).json({ error: 'bad_credentials' });
    }
    throttle.recordSuccess(key);
    const token = randomBytes(32).toString('base64url');
    await store.createSession(token, username, Date.now() + SESSION_TTL_S * 1000);
    logger.info({ operator: username }, 'operator logged in');
    res.setHeader('Set-Cookie', cookie(token, SESSION_TTL_S, req.secure));
    res.json({ operator: username });
  });

  app.post('/api/logout', async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await store.endSession(token);
    res.setHeader('Set-Cookie', cookie('', 0, req.secure));
    res.json({ ok: true });
  });

  const api = express.Router();
  api.use(async (req: Authed, res, next) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const operator = token ? await store.sessionUser(token, Date.now()) : undefined;
    if (!operator) return void res.status(401).json({ error: 'unauthenticated' });
    req.operator = operator;
    next();
  });
  api.get('/session', (req: Authed, res) => void res.json({ operator: req.operator }));
  api.get('/rooms', async (_req, res) => void res.json({ rooms: await rooms.all(), at: new Date().toISOString() }));
  api.get('/rooms/:id', async (req, res) => {
    const room = await rooms.one(req.params.id!);
    if (!room) return void res.status(404).json({ error: 'unknown_room' });
    const hours = Math.min(720, Math.max(1, Number(req.query.hours) || 24));
    const [events, alerts, telemetry, audit] = await Promise.all([
      store.events(room.id, 200),
      store.alerts(room.id, 100),
      store.telemetry(room.id, Date.now() - hours * 3_600_000),
      store.auditOf(room.id, 50),
    ]);
    res.json({ room, events, alerts, telemetry, audit, hours });
  });
  api.post('/rooms/:id/commands/:command', async (req: Authed, res) => {
    const { id, command } = req.params as { id: string; command: string };
    if (!isDashboardCommand(command)) return void res.status(404).json({ error: 'unknown_command' });
    if (!(await rooms.registered()).some((room) => room.id === id))
      return void res.status(404).json({ error: 'unknown_room' });
    const args = (req.body as { args?: unknown } | undefined)?.args ?? {};
    logger.info({ operator: req.operator, room: id, command }, 'command sent');
    const outcome = await runOperatorCommand(deps, { operator: req.operator!, roomId: id, command, args });
    logger.info({ operator: req.operator, room: id, command, outcome: outcome.outcome }, 'command finished');
    res.status(outcome.outcome === 'invalid' ? 400 : 200).json(outcome);
  });
  app.use('/api', api);

  const root = projectRoot();
  const page = join(root, 'scripts', 'central', 'monitoring', 'ui');
  const ui = express.Router();
  ui.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    );
    next();
  });
  ui.get('/', (_req, res) => res.sendFile(join(page, 'index.html')));
  ui.get('/ui/styles.css', (_req, res) => res.sendFile(join(page, 'styles.css')));
  ui.use(
    '/ui',
    express.static(join(root, 'dist', 'scripts', 'central', 'monitoring', 'ui'), {
      index: false,
      extensions: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  app.use(ui);

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) return void res.status(status).json({ error: 'bad_request' });
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'internal' });
  });
  return app;
}

function cookie(token: string, maxAgeS: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeS}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
