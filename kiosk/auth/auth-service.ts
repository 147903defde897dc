import type { Router } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import { AuthSessions, defaultSessionPolicy, type Actor } from './auth-sessions.js';
import { addressThrottle, LoginThrottle, userThrottle } from './login-throttle.js';
import { actorFromRequest, requireLogin } from './middleware.js';
import type { EventBus } from '../core/event-bus.js';
import { IdentityRequests, type IdentityRequest } from './identity-requests.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { can, type Role } from './roles.js';
import type { SecurityAlert } from './security-alert.js';
import { authRouter } from './routes.js';
import { UserError, UserStore, type ConsoleUser } from './user-store.js';

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
  /** Revoked logins (websockets close) and security alerts (central monitoring) go out here. */
  bus?: EventBus;
}

/** Refused by separation of duties; the route answers 403. */
export class DutyError extends Error {
  override name = 'DutyError';
}

/** A role that reads denouncers' identities: granting it, or its password, takes two people. */
export const readsIdentities = (role: Role): boolean => can(role, 'identities.read');

/** The console's login: accounts, sessions, roles, throttling, audit. The kiosk (127.0.0.1) needs none. */
export class AuthService implements Service {
  readonly name = 'auth';
  readonly #throttle = new LoginThrottle(userThrottle);
  /** Per address too: guessing across many user names from one machine is slowed as well (and scrypt is costly). */
  readonly #addressThrottle = new LoginThrottle(addressThrottle);
  #users: UserStore | undefined;
  #sessions: AuthSessions | undefined;
  #requests: IdentityRequests | undefined;
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
    this.#requests = new IdentityRequests(db);
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
    this.#requests = undefined;
  }

  get requests(): IdentityRequests {
    if (!this.#requests) throw new Error('auth is not started');
    return this.#requests;
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
    // Counted before the (slow) password check: parallel attempts cannot outrun the count.
    const retryAfterMs = this.#throttle.attempt(username) || this.#addressThrottle.attempt(addressKey);
    const known = await this.users.exists(username);
    // A name that is no account may be a password typed into the wrong field: it is never logged.
    const shownName = known ? username : '(unknown user name)';
    if (retryAfterMs > 0) {
      this.options.logger.warn({ username: shownName, address }, 'console login refused: locked after repeated attempts');
      return { kind: 'locked', retryAfterMs };
    }
    const user = await this.users.authenticate(username, password);
    if (!user) {
      this.options.logger.warn({ username: shownName, address }, 'console login failed');
      await this.#audit({ actor: shownName, role: 'unknown', action: 'login-failed', target: 'console', ...(address ? { detail: address } : {}) });
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
    this.options.bus?.emit('consoleAccessRevoked');
    if (actor) await this.#audit({ actor: actor.user, role: actor.role, action: 'logout', target: 'console' });
  }

  /**
   * A new account. One with a role that reads identities is only a request until a second holder
   * of that right approves it: nobody can give themselves, or an account they control, that right.
   */
  async createUser(input: { username: string; displayName?: string; role: Role; password: string }, by: Actor): Promise<{ user: ConsoleUser } | { request: IdentityRequest }> {
    if (readsIdentities(input.role)) {
      await this.users.checkNew(input);
      const request = await this.requests.add({ kind: 'create', username: input.username, ...(input.displayName ? { displayName: input.displayName } : {}), role: input.role, passwordHash: await hashPassword(input.password), requestedBy: by.user });
      await this.#requested(request, by);
      return { request };
    }
    const user = await this.users.create(input);
    await this.#audit({ actor: by.user, role: by.role, action: 'user-created', target: user.username, detail: user.role });
    return { user };
  }

  /** Everyone may change their own password; anybody else's needs users.manage, and a second person when the account reads identities. */
  async changePassword(username: string, password: string, by: Actor): Promise<{ done: true } | { request: IdentityRequest }> {
    const target = await this.users.byName(username);
    if (target && username !== by.user && readsIdentities(target.role)) {
      const hash = await this.#checkedHash(password);
      const request = await this.requests.add({ kind: 'password', username, role: target.role, passwordHash: hash, requestedBy: by.user });
      await this.#requested(request, by);
      return { request };
    }
    await this.users.setPassword(username, password);
    if (target) await this.#sessions?.revokeUser(target.id);
    this.options.bus?.emit('consoleAccessRevoked');
    await this.#audit({ actor: by.user, role: by.role, action: 'password-changed', target: username });
    return { done: true };
  }

  /** A second holder of the identity right approves a request: never the one who asked, never the account itself. */
  async approve(id: number, by: Actor): Promise<IdentityRequest> {
    const found = await this.#decidable(id, by);
    const { request, passwordHash } = found;
    if (request.username === by.user) throw new DutyError('an account cannot approve a request about itself');
    if (!(await this.requests.decide(id, 'approved', by.user))) throw new DutyError(`request ${id} is no longer pending`);
    if (request.kind === 'create') {
      await this.users.createWithHash({ username: request.username, ...(request.displayName ? { displayName: request.displayName } : {}), role: request.role, passwordHash });
    } else {
      await this.users.setPasswordHash(request.username, passwordHash);
      const user = await this.users.byName(request.username);
      if (user) await this.#sessions?.revokeUser(user.id);
      this.options.bus?.emit('consoleAccessRevoked');
    }
    const action = request.kind === 'create' ? 'identity-role-granted' : 'identity-password-reset';
    await this.#audit({ actor: by.user, role: by.role, action, target: request.username, detail: `${request.role}; requested by ${request.requestedBy}, approved by ${by.user}` });
    this.#alert({ action, target: request.username, role: request.role, by: request.requestedBy, approvedBy: by.user });
    return { ...request, state: 'approved', decidedBy: by.user };
  }

  /** A holder of the identity right, or the one who asked, withdraws a request. */
  async refuse(id: number, by: Actor): Promise<IdentityRequest> {
    const { request } = await this.#decidable(id, by, { requesterMay: true });
    if (!(await this.requests.decide(id, 'refused', by.user))) throw new DutyError(`request ${id} is no longer pending`);
    await this.#audit({ actor: by.user, role: by.role, action: 'identity-request-refused', target: request.username, detail: `${request.kind} ${request.role}; requested by ${request.requestedBy}` });
    this.#alert({ action: 'identity-request-refused', target: request.username, role: request.role, by: by.user });
    return { ...request, state: 'refused', decidedBy: by.user };
  }

  async #decidable(id: number, by: Actor, options: { requesterMay?: boolean } = {}): Promise<{ request: IdentityRequest; passwordHash: string }> {
    const found = await this.requests.get(id);
    if (!found) throw new UserError(`no request ${id}`);
    if (found.request.state !== 'pending') throw new DutyError(`request ${id} is ${found.request.state}`);
    const isRequester = found.request.requestedBy === by.user;
    if (isRequester && !options.requesterMay) throw new DutyError('the one who asked cannot approve their own request: a second holder of the identity right must');
    if (!isRequester && !readsIdentities(by.role)) throw new DutyError(`role ${by.role} may not decide on rights to read identities`);
    return found;
  }

  async #checkedHash(password: string): Promise<string> {
    const problem = passwordProblem(password);
    if (problem) throw new UserError(problem);
    return hashPassword(password);
  }

  async #requested(request: IdentityRequest, by: Actor): Promise<void> {
    await this.#audit({ actor: by.user, role: by.role, action: 'identity-request-made', target: request.username, detail: `${request.kind} ${request.role}; waiting for a second holder of the identity right` });
    this.#alert({ action: 'identity-request-made', target: request.username, role: request.role, by: by.user });
  }

  #alert(alert: Omit<SecurityAlert, 'at'>): void {
    this.options.bus?.emit('securityAlert', { ...alert, at: new Date().toISOString() });
  }

  async setDisabled(username: string, disabled: boolean, by: Actor): Promise<void> {
    await this.users.setDisabled(username, disabled);
    const user = (await this.users.list()).find((u) => u.username === username);
    if (user && disabled) {
      await this.#sessions?.revokeUser(user.id);
      this.options.bus?.emit('consoleAccessRevoked');
    }
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
