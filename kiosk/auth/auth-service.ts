import type { IncomingMessage } from 'node:http';
import { DomainError } from '../core/domain-error.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { Database } from '../store/database.js';
import { AuthSessions, defaultSessionPolicy, type Actor } from './auth-sessions.js';
import { addressKey, addressThrottle, LoginThrottle, userAtAddressThrottle, userThrottle } from './login-throttle.js';
import { actorFromRequest, requireLogin } from './middleware.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { EventBus } from '../core/event-bus.js';
import { IdentityRequests, type IdentityRequest } from './identity-requests.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { can, type Role } from './roles.js';
import type { SecurityAlert } from './security-alert.js';
import { UserError, UserStore, type ConsoleUser } from './user-store.js';
import { describeError } from '../../hal/core/describe-error.js';

/** Where login events go: the hash-chained audit log once the evidence store is wired. */
export interface AuditSink {
  record(entry: { actor: string; role: string; action: string; target: string; detail?: string }): Promise<void>;
}

export type LoginOutcome =
  | {
      kind: 'ok';
      token: string;
      expiresAt: string;
      maxAgeSeconds: number;
      user: { username: string; displayName: string; role: Role };
    }
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

/** Refused by separation of duties. */
export class DutyError extends DomainError {
  override name = 'DutyError';
  constructor(message: string) {
    super('forbidden', 'separation_of_duties', message);
  }
}

/** A role that reads denouncers' identities: granting it, or its password, takes two people. */
export const readsIdentities = (role: Role): boolean => can(role, 'identities.read');

/** The console's login: accounts, sessions, roles, throttling, audit. The kiosk (127.0.0.1) needs none. */
export class AuthService implements Service {
  readonly name = 'auth';
  /** An account from one address; an account from everywhere; an address over every name (scrypt is costly). */
  readonly #userAtAddress = new LoginThrottle(userAtAddressThrottle);
  readonly #user = new LoginThrottle(userThrottle);
  readonly #address = new LoginThrottle(addressThrottle);
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
      this.options.logger.warn(
        'no console accounts yet: create one with `diemcau user add NAME --role admin` (in a clone: `npm run diemcau -- user add NAME --role admin`)',
      );
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

  /** For the console websocket upgrade, which express middleware does not see. */
  async actorOf(req: IncomingMessage): Promise<Actor | undefined> {
    return this.#sessions ? actorFromRequest(this.#sessions, req) : undefined;
  }

  /** Whether an open websocket's login still holds, without counting the check as activity. */
  async stillValid(req: IncomingMessage): Promise<boolean> {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    return Boolean(token && this.#sessions && (await this.#sessions.peek(token)));
  }

  async login(username: string, password: string, address: string | undefined): Promise<LoginOutcome> {
    const from = addressKey(address);
    // Only existing accounts get a count of their own: random names cannot flood or evict it.
    const known = await this.users.exists(username);
    // Counted before the (slow) password check: parallel attempts cannot outrun the count.
    let retryAfterMs = this.#address.attempt(from);
    if (!retryAfterMs && known)
      retryAfterMs = this.#userAtAddress.attempt(`${username}|${from}`) || this.#user.attempt(username);
    // A name that is no account may be a password typed into the wrong field: it is never logged.
    const shownName = known ? username : '(unknown user name)';
    if (retryAfterMs > 0) {
      this.options.logger.warn(
        { username: shownName, address },
        'console login refused: locked after repeated attempts',
      );
      return { kind: 'locked', retryAfterMs };
    }
    const user = await this.users.authenticate(username, password);
    if (!user) {
      this.options.logger.warn({ username: shownName, address }, 'console login failed');
      await this.#audit({
        actor: shownName,
        role: 'unknown',
        action: 'login-failed',
        target: 'console',
        ...(address ? { detail: address } : {}),
      });
      return { kind: 'denied' };
    }
    // A right password is not a guess: a shared reception PC must not lock itself out.
    this.#userAtAddress.recordSuccess(`${username}|${from}`);
    this.#user.refund(username);
    this.#address.refund(from);
    const { token, expiresAt } = await this.#sessions!.create(user.id, address);
    this.options.logger.info({ username, role: user.role, address }, 'console login');
    await this.#audit({
      actor: user.username,
      role: user.role,
      action: 'login',
      target: 'console',
      ...(address ? { detail: address } : {}),
    });
    return {
      kind: 'ok',
      token,
      expiresAt,
      maxAgeSeconds: Math.floor(defaultSessionPolicy.absoluteMs / 1000),
      user: { username: user.username, displayName: user.displayName, role: user.role },
    };
  }

  async logout(token: string, actor: Actor | undefined): Promise<void> {
    await this.#sessions?.revoke(token);
    this.options.bus?.emit('consoleAccessRevoked');
    if (actor) await this.#audit({ actor: actor.user, role: actor.role, action: 'logout', target: 'console' });
  }

  /**
   * A new account. One with a role that reads identities is only a request, without a password,
   * until a second holder of that right approves it and sets the password: nobody can give
   * themselves, or an account they control, that right.
   */
  async createUser(
    input: { username: string; displayName?: string; role: Role; password?: string },
    by: Actor,
  ): Promise<{ user: ConsoleUser } | { request: IdentityRequest }> {
    if (readsIdentities(input.role)) {
      if (input.password !== undefined)
        throw new DutyError(
          `a ${input.role} account gets its password from the holder of the identity right who approves it, not from the one who asks`,
        );
      await this.users.checkNew(input);
      const request = await this.requests.add({
        kind: 'create',
        username: input.username,
        ...(input.displayName ? { displayName: input.displayName } : {}),
        role: input.role,
        requestedBy: by.user,
      });
      await this.#requested(request, by);
      return { request };
    }
    if (input.password === undefined) throw new UserError('a password is required');
    const user = await this.users.create({ ...input, password: input.password });
    await this.#audit({
      actor: by.user,
      role: by.role,
      action: 'user-created',
      target: user.username,
      detail: user.role,
    });
    return { user };
  }

  /**
   * Your own password, with your current one; anybody else's needs users.manage (checked by the
   * route), and for an account that reads identities only a request: the approver sets the password.
   */
  async changePassword(
    username: string,
    change: { password?: string; currentPassword?: string },
    by: Actor,
  ): Promise<{ done: true } | { request: IdentityRequest }> {
    const target = await this.users.byName(username);
    const own = username === by.user;
    if (target && !own && readsIdentities(target.role)) {
      if (change.password !== undefined)
        throw new DutyError(
          `the new password of ${username} (${target.role}) is set by the holder of the identity right who approves the reset, not by the one who asks`,
        );
      const request = await this.requests.add({ kind: 'password', username, role: target.role, requestedBy: by.user });
      await this.#requested(request, by);
      return { request };
    }
    if (change.password === undefined) throw new UserError('a new password is required');
    if (
      own &&
      !(change.currentPassword !== undefined && (await this.users.authenticate(username, change.currentPassword)))
    )
      throw new DutyError('your current password is needed to change it');
    await this.users.setPassword(username, change.password);
    if (target) await this.#sessions?.revokeUser(target.id);
    this.options.bus?.emit('consoleAccessRevoked');
    await this.#audit({ actor: by.user, role: by.role, action: 'password-changed', target: username });
    return { done: true };
  }

  /**
   * A second holder of the identity right approves a request, with their own password again, and
   * sets the new password (for a new account or a reset): never the one who asked, never the
   * account itself. The decision, the change and its audit entry are one transaction: no audit, no grant.
   */
  async approve(
    id: number,
    by: Actor,
    input: { approverPassword: string; password?: string },
  ): Promise<IdentityRequest> {
    const { request } = await this.#decidable(id, by);
    if (request.username === by.user) throw new DutyError('an account cannot approve a request about itself');
    if (!(await this.users.authenticate(by.user, input.approverPassword)))
      throw new DutyError('your own password is needed to approve');
    const needsPassword = request.kind !== 'enable';
    if (needsPassword) {
      if (input.password === undefined)
        throw new UserError(
          'set the account\'s new password in "password" (you hand it over; the one who asked never sees it), with your own in "approverPassword"',
        );
      const problem = passwordProblem(input.password);
      if (problem) throw new UserError(problem);
    }
    const passwordHash = needsPassword ? await hashPassword(input.password!) : undefined;
    const action = (
      {
        create: 'identity-role-granted',
        password: 'identity-password-reset',
        enable: 'identity-account-enabled',
      } as const
    )[request.kind];
    const audit = this.options.audit;
    await this.options.db().transaction(async () => {
      if (!(await this.requests.decide(id, 'approved', by.user)))
        throw new DutyError(`request ${id} is no longer pending`);
      if (request.kind === 'create')
        await this.users.createWithHash({
          username: request.username,
          ...(request.displayName ? { displayName: request.displayName } : {}),
          role: request.role,
          passwordHash: passwordHash!,
        });
      else if (request.kind === 'password') await this.users.setPasswordHash(request.username, passwordHash!);
      else await this.users.setDisabled(request.username, false);
      await audit?.record({
        actor: by.user,
        role: by.role,
        action,
        target: request.username,
        detail: `${request.role}; requested by ${request.requestedBy}, approved by ${by.user}`,
      });
    });
    if (request.kind === 'password') {
      const user = await this.users.byName(request.username);
      if (user) await this.#sessions?.revokeUser(user.id);
      this.options.bus?.emit('consoleAccessRevoked');
    }
    this.#alert({ action, target: request.username, role: request.role, by: request.requestedBy, approvedBy: by.user });
    return { ...request, state: 'approved', decidedBy: by.user };
  }

  /** A holder of the identity right, or the one who asked, withdraws a request. */
  async refuse(id: number, by: Actor): Promise<IdentityRequest> {
    const { request } = await this.#decidable(id, by, { requesterMay: true });
    if (!(await this.requests.decide(id, 'refused', by.user)))
      throw new DutyError(`request ${id} is no longer pending`);
    await this.#audit({
      actor: by.user,
      role: by.role,
      action: 'identity-request-refused',
      target: request.username,
      detail: `${request.kind} ${request.role}; requested by ${request.requestedBy}`,
    });
    this.#alert({ action: 'identity-request-refused', target: request.username, role: request.role, by: by.user });
    return { ...request, state: 'refused', decidedBy: by.user };
  }

  async #decidable(
    id: number,
    by: Actor,
    options: { requesterMay?: boolean } = {},
  ): Promise<{ request: IdentityRequest }> {
    const found = await this.requests.get(id);
    if (!found) throw new UserError(`no request ${id}`);
    if (found.state !== 'pending') throw new DutyError(`request ${id} is ${found.state}`);
    const isRequester = found.requestedBy === by.user;
    if (isRequester && !options.requesterMay)
      throw new DutyError(
        'the one who asked cannot approve their own request: a second holder of the identity right must',
      );
    if (!isRequester && !readsIdentities(by.role))
      throw new DutyError(`role ${by.role} may not decide on rights to read identities`);
    return { request: found };
  }

  async #requested(request: IdentityRequest, by: Actor): Promise<void> {
    await this.#audit({
      actor: by.user,
      role: by.role,
      action: 'identity-request-made',
      target: request.username,
      detail: `${request.kind} ${request.role}; waiting for a second holder of the identity right`,
    });
    this.#alert({ action: 'identity-request-made', target: request.username, role: request.role, by: by.user });
  }

  #alert(alert: Omit<SecurityAlert, 'at'>): void {
    this.options.logger.warn({ ...alert }, 'security alert: identity rights');
    this.options.bus?.emit('securityAlert', { ...alert, at: new Date().toISOString() });
  }

  /** Disabling is free; enabling an account that reads identities again is a request like a grant. */
  async setDisabled(
    username: string,
    disabled: boolean,
    by: Actor,
  ): Promise<{ done: true } | { request: IdentityRequest }> {
    const target = await this.users.byName(username);
    if (target && !disabled && target.disabled && readsIdentities(target.role)) {
      const request = await this.requests.add({ kind: 'enable', username, role: target.role, requestedBy: by.user });
      await this.#requested(request, by);
      return { request };
    }
    await this.users.setDisabled(username, disabled);
    if (target && disabled) {
      await this.#sessions?.revokeUser(target.id);
      this.options.bus?.emit('consoleAccessRevoked');
    }
    await this.#audit({
      actor: by.user,
      role: by.role,
      action: disabled ? 'user-disabled' : 'user-enabled',
      target: username,
    });
    return { done: true };
  }

  async #audit(entry: Parameters<AuditSink['record']>[0]): Promise<void> {
    try {
      await this.options.audit?.record(entry);
    } catch (error) {
      this.options.logger.error({ err: describeError(error), action: entry.action }, 'audit write failed');
    }
  }
}
