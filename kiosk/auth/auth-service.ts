import type { Router } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import { AuthSessions, defaultSessionPolicy, type Actor } from './auth-sessions.js';
import { LoginThrottle } from './login-throttle.js';
import { actorFromRequest, requireLogin } from './middleware.js';
import type { Role } from './roles.js';
import { authRouter } from './routes.js';
import { UserStore, type ConsoleUser } from './user-store.js';

/** Where login events go: the hash-chained audit log once the evidence store is wired. */
export interface AuditSink {
  record(entry: { actor: string; role: string; action: string; target: string; detail?: string }): Promise<void>;
}

export type LoginOutcome =
  | { kind: 'ok'; token: string; expiresAt: string; maxAgeSeconds: number; user: { username: string; displayName: string; role: Role } }
  | { kind: 'denied' }
  | { kind: 'locked'; retryAfterMs: number };

export interface AuthServiceOptions {
  db: () => Database;
  logger: Logger;
  /** Cookies get `Secure` when the console is served over TLS. */
  secureCookies: boolean;
  audit?: AuditSink;
}

/** The console's login: accounts, sessions, roles, throttling, audit. The kiosk (127.0.0.1) needs none. */
export class AuthService implements Service {
  readonly name = 'auth';
  readonly #throttle = new LoginThrottle();
  /** Per address too: guessing across many user names from one machine is slowed as well (and scrypt is costly). */
  readonly #addressThrottle = new LoginThrottle({ maxFailures: 20, windowMs: 15 * 60_000, lockMs: 5 * 60_000 });
  #users: UserStore | undefined;
  #sessions: AuthSessions | undefined;
  #purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AuthServiceOptions) {}

  get secureCookies(): boolean {
    return this.options.secureCookies;
  }

  get users(): UserStore {
    if (!this.#users) throw new Error('auth is not started');
    return this.#users;
  }

  async start(): Promise<void> {
    const db = this.options.db();
    this.#users = new UserStore(db);
    this.#sessions = new AuthSessions(db);
    await this.#sessions.purgeExpired();
    if ((await this.#users.count()) === 0) {
      this.options.logger.warn('no console accounts yet: create one with `diemcau user add NAME --role admin`');
    }
    this.#purgeTimer = setInterval(() => void this.#sessions?.purgeExpired().catch(() => undefined), 10 * 60_000);
    this.#purgeTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#purgeTimer);
    this.#users = undefined;
    this.#sessions = undefined;
  }

  /** Middleware for the console server: everything but health and login needs a session. */
  consoleGate() {
    return requireLogin((req) => this.actorOf(req));
  }

  router(): Router {
    return authRouter(this);
  }

  /** For the console websocket upgrade, which express middleware does not see. */
  async actorOf(req: IncomingMessage): Promise<Actor | undefined> {
    return this.#sessions ? actorFromRequest(this.#sessions, req) : undefined;
  }

  async login(username: string, password: string, address: string | undefined): Promise<LoginOutcome> {
    const addressKey = address ?? 'unknown';
    const retryAfterMs = Math.max(this.#throttle.retryAfter(username), this.#addressThrottle.retryAfter(addressKey));
    if (retryAfterMs > 0) {
      this.options.logger.warn({ username, address }, 'console login refused: locked after repeated failures');
      return { kind: 'locked', retryAfterMs };
    }
    const user = await this.users.authenticate(username, password);
    if (!user) {
      this.#throttle.recordFailure(username);
      this.#addressThrottle.recordFailure(addressKey);
      this.options.logger.warn({ username, address }, 'console login failed');
      await this.#audit({ actor: username, role: 'unknown', action: 'login-failed', target: 'console', ...(address ? { detail: address } : {}) });
      return { kind: 'denied' };
    }
    this.#throttle.recordSuccess(username);
    const { token, expiresAt } = await this.#sessions!.create(user.id, address);
    this.options.logger.info({ username, role: user.role, address }, 'console login');
    await this.#audit({ actor: user.username, role: user.role, action: 'login', target: 'console', ...(address ? { detail: address } : {}) });
    return { kind: 'ok', token, expiresAt, maxAgeSeconds: Math.floor(defaultSessionPolicy.absoluteMs / 1000), user: { username: user.username, displayName: user.displayName, role: user.role } };
  }

  async logout(token: string, actor: Actor | undefined): Promise<void> {
    await this.#sessions?.revoke(token);
    if (actor) await this.#audit({ actor: actor.user, role: actor.role, action: 'logout', target: 'console' });
  }

  async createUser(input: { username: string; displayName?: string; role: Role; password: string }, by: Actor): Promise<ConsoleUser> {
    const user = await this.users.create(input);
    await this.#audit({ actor: by.user, role: by.role, action: 'user-created', target: user.username, detail: user.role });
    return user;
  }

  async changePassword(username: string, password: string, by: Actor): Promise<void> {
    await this.users.setPassword(username, password);
    const user = (await this.users.list()).find((u) => u.username === username);
    if (user) await this.#sessions?.revokeUser(user.id);
    await this.#audit({ actor: by.user, role: by.role, action: 'password-changed', target: username });
  }

  async setDisabled(username: string, disabled: boolean, by: Actor): Promise<void> {
    await this.users.setDisabled(username, disabled);
    const user = (await this.users.list()).find((u) => u.username === username);
    if (user && disabled) await this.#sessions?.revokeUser(user.id);
    await this.#audit({ actor: by.user, role: by.role, action: disabled ? 'user-disabled' : 'user-enabled', target: username });
  }

  async #audit(entry: Parameters<AuditSink['record']>[0]): Promise<void> {
    try {
      await this.options.audit?.record(entry);
    } catch (error) {
      this.options.logger.error({ err: (error as Error).message, action: entry.action }, 'audit write failed');
    }
  }
}
