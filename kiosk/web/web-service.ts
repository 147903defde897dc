import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DeviceConfig } from '../../config/schema.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { EventBus } from '../core/event-bus.js';
import { createApiApp, finishApiApp } from '../core/http.js';
import { hostname } from 'node:os';
import { originVerdict, type OriginPolicy } from './request-origin.js';
import { routeTable, type RouteEntry } from './route-table.js';
import type { HealthReport } from './health.js';
import { parseClientMessage, type ServerMessage } from './ws-messages.js';
import { uiRouter } from './static-ui.js';

export interface WebRoutes {
  /** Mounted on the kiosk server (127.0.0.1), under /api. */
  kiosk: express.Router[];
  /** Mounted on the console server (LAN), under /api. */
  console: express.Router[];
}

/** The console's login gate; the kiosk server has none (it listens on 127.0.0.1 only). */
export interface ConsoleAuth {
  /** Runs before every console route: sets `req.auth`, refuses what needs a login. */
  gate: express.RequestHandler;
  /** /auth/* and /users/* routes. */
  router: express.Router;
  /** Who opens a console websocket (express middleware does not see upgrades). */
  actorOf(req: IncomingMessage): Promise<unknown>;
  /** Whether an open websocket's login still holds; the check is not activity (idle logins still expire). */
  stillValid(req: IncomingMessage): Promise<boolean>;
}

export interface WebServiceOptions {
  config: DeviceConfig['web'];
  /** The health report, built in one place for the web servers and the fleet link. */
  health: () => HealthReport;
  bus: EventBus;
  logger: Logger;
  routes?: WebRoutes;
  consoleAuth: ConsoleAuth;
  /** GET /metrics on the console server (Prometheus; kiosk/web/metrics.ts checks who asks). */
  metrics?: express.RequestHandler;
}

interface Listener {
  name: 'kiosk' | 'console';
  server: Server;
  sockets: WebSocketServer;
  routes: RouteEntry[];
}

/** A console websocket and the upgrade request that opened it (its cookie is checked again later). */
const upgradeRequests = new WeakMap<WebSocket, IncomingMessage>();
/** Whether a websocket answered the last heartbeat ping. */
const alive = new WeakMap<WebSocket, boolean>();
/**
 * A room has a touchscreen and a few technicians: more sockets than this is an attack or a leak.
 * Above what a burst of guesses opens (tests/auth/login-burst.test.ts sends 401 at once): the login
 * throttle, not a dropped connection, is the answer to those.
 */
const MAX_CONNECTIONS = 1024;

const WS_MAX_PAYLOAD = 64 * 1024;

/** The kiosk API (localhost only) and the technician console API (LAN), each with a websocket at /ws. */
export class WebService implements Service {
  readonly name = 'web';
  #listeners: Listener[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(private readonly options: WebServiceOptions) {}

  /** Every route of each server, once started (the authorization matrix test walks it). */
  routes(): { kiosk: RouteEntry[]; console: RouteEntry[] } {
    const of = (name: Listener['name']) => this.#listeners.find((l) => l.name === name)?.routes ?? [];
    return { kiosk: of('kiosk'), console: of('console') };
  }

  /** Where each server listens once started (port 0 in config picks a free port, for tests). */
  addresses(): { kiosk?: AddressInfo; console?: AddressInfo } {
    return Object.fromEntries(this.#listeners.map((l) => [l.name, l.server.address() as AddressInfo]));
  }

  async start(): Promise<void> {
    const { config } = this.options;
    const tls = config.console.tls
      ? { cert: await readFile(config.console.tls.certFile), key: await readFile(config.console.tls.keyFile) }
      : undefined;
    const { routes, consoleAuth } = this.options;
    this.#listeners.push(await this.#listen('kiosk', config.kiosk.host, config.kiosk.port, routes?.kiosk ?? []));
    this.#listeners.push(
      await this.#listen(
        'console',
        config.console.host,
        config.console.port,
        [consoleAuth.router, ...(routes?.console ?? [])],
        { tls, auth: consoleAuth },
      ),
    );
    const pushHealth = () => this.#broadcast({ type: 'health', data: this.#health() });
    // Devices, the session and its recording change what the screens must show at once.
    const unsubscribers = [
      this.options.bus.on('deviceStatus', pushHealth),
      this.options.bus.on('sessionStateChanged', pushHealth),
      this.options.bus.on('recordingStateChanged', pushHealth),
      // Logout, a password change or a disabled account: its open websockets go at once.
      this.options.bus.on('consoleAccessRevoked', () => void this.#recheckConsoleSockets()),
    ];
    // Sessions also end by themselves (idle and absolute timeouts).
    const sweep = setInterval(() => {
      void this.#recheckConsoleSockets();
      this.#heartbeat();
    }, 30_000);
    sweep.unref();
    unsubscribers.push(() => clearInterval(sweep));
    this.#unsubscribe = () => {
      for (const off of unsubscribers) off();
    };
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await Promise.all(
      this.#listeners.map(async ({ server, sockets }) => {
        for (const client of sockets.clients) client.close(1001, 'daemon stopping');
        sockets.close();
        server.closeIdleConnections();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        setTimeout(() => server.closeAllConnections(), 1000).unref();
        await closed;
      }),
    );
    this.#listeners = [];
  }

  /** A websocket that did not answer the last ping (a vanished tablet, a half-open TCP link) is dropped. */
  #heartbeat(): void {
    for (const { sockets } of this.#listeners) {
      for (const client of sockets.clients) {
        if (!alive.get(client)) {
          client.terminate();
          continue;
        }
        alive.set(client, false);
        client.ping();
      }
    }
  }

  /** Closes every console websocket whose login no longer holds. */
  async #recheckConsoleSockets(): Promise<void> {
    const auth = this.options.consoleAuth;
    const console = this.#listeners.find((l) => l.name === 'console');
    for (const client of console?.sockets.clients ?? []) {
      const request = upgradeRequests.get(client);
      const valid = request ? await auth.stillValid(request).catch(() => false) : false;
      if (!valid && client.readyState === client.OPEN) client.close(4401, 'logged out');
    }
  }

  #originPolicy(name: Listener['name'], tls: boolean): OriginPolicy {
    if (name === 'kiosk') return { scheme: 'http', hostNames: ['127.0.0.1', 'localhost', '::1'], anyIp: false };
    const machine = hostname().toLowerCase();
    return {
      scheme: tls ? 'https' : 'http',
      hostNames: ['localhost', machine, `${machine}.local`, ...this.options.config.console.allowedHosts],
      anyIp: true,
    };
  }

  #health(): HealthReport {
    return this.options.health();
  }

  async #listen(
    name: Listener['name'],
    host: string,
    port: number,
    routers: express.Router[],
    secure: { tls?: { cert: Buffer; key: Buffer }; auth?: ConsoleAuth } = {},
  ): Promise<Listener> {
    const { logger, config } = this.options;
    const { tls, auth } = secure;
    const policy = this.#originPolicy(name, Boolean(tls));
    const verdictFor = (req: IncomingMessage, upgrade: boolean) =>
      originVerdict(
        {
          method: req.method ?? 'GET',
          host: req.headers.host,
          origin: req.headers.origin,
          fetchSite: header(req, 'sec-fetch-site'),
          contentType: req.headers['content-type'],
          upgrade,
        },
        policy,
      );
    // Before everything else, body parsing and the login included: Host on every request, Origin and JSON on every change.
    const app = createApiApp({
      bodyLimit: config.bodyLimit,
      logger,
      first: (req, res, next) => {
        const verdict = verdictFor(req, false);
        if (verdict.ok) return next();
        logger.warn(
          { server: name, method: req.method, path: req.path, code: verdict.code, origin: req.headers.origin },
          'request refused by the origin check',
        );
        res.status(verdict.status).json({ error: { code: verdict.code, message: verdict.message } });
      },
    });
    if (auth) app.use(auth.gate);
    if (auth && this.options.metrics) app.get('/metrics', this.options.metrics);
    app.use(uiRouter(auth ? 'console' : 'kiosk'));
    app.get('/api/health', (_req, res) => {
      res.json(this.#health());
    });
    for (const router of routers) app.use('/api', router);
    finishApiApp(app, logger);

    // Slow clients (slow-loris) are cut: headers within 10 s, a whole request within 30 s, checked every second;
    // a TLS handshake within 10 s; an idle keep-alive connection after 5 s. No socket inactivity timeout:
    // an export or a verification answers only when it is done, which can take minutes.
    const limits = {
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: 5000,
    };
    const server = tls
      ? createHttpsServer({ cert: tls.cert, key: tls.key, handshakeTimeout: 10_000, ...limits }, app)
      : createHttpServer(limits, app);
    const sockets = new WebSocketServer({
      server,
      path: '/ws',
      maxPayload: WS_MAX_PAYLOAD,
      verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
        const verdict = verdictFor(info.req, true);
        if (!verdict.ok) {
          logger.warn(
            { server: name, code: verdict.code, origin: info.req.headers.origin },
            'websocket refused by the origin check',
          );
          return done(false, verdict.status, verdict.message);
        }
        if (!auth) return done(true);
        auth.actorOf(info.req).then(
          (actor) => done(Boolean(actor), 401),
          () => done(false, 500),
        );
      },
    });
    server.maxConnections = MAX_CONNECTIONS;
    sockets.on('connection', (socket, req) => {
      alive.set(socket, true);
      socket.on('pong', () => alive.set(socket, true));
      if (auth) upgradeRequests.set(socket, req);
      this.#onSocket(socket, auth ? () => auth.stillValid(req).catch(() => false) : undefined);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    logger.info({ server: name, host: address.address, port: address.port, tls: Boolean(tls) }, 'listening');
    return { name, server, sockets, routes: routeTable(app) };
  }

  #onSocket(socket: WebSocket, stillLoggedIn?: () => Promise<unknown>): void {
    const send = (message: ServerMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    send({ type: 'health', data: this.#health() });
    socket.on('message', async (data, isBinary) => {
      // A console socket answers only while its login holds (it may have been revoked since the upgrade).
      if (stillLoggedIn && !(await stillLoggedIn())) return socket.close(4401, 'logged out');
      if (isBinary)
        return send({ type: 'error', error: { code: 'binary_not_supported', message: 'send JSON text frames' } });
      const parsed = parseClientMessage(data.toString());
      if (!parsed.ok) return send(parsed.error);
      const message = parsed.message;
      if (message.type === 'ping') send({ type: 'pong', ...(message.id ? { id: message.id } : {}) });
      else send({ type: 'health', data: this.#health() });
    });
    socket.on('error', (error) => this.options.logger.warn({ err: error.message }, 'websocket error'));
  }

  #broadcast(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const { sockets } of this.#listeners) {
      for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
