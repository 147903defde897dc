import { Router, type Request } from 'express';
import { z } from 'zod';
import { DomainError } from '../core/domain-error.js';
import { parseBody } from '../core/http.js';
import type { AuthService } from './auth-service.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { requireCapability, type AuthenticatedRequest } from './middleware.js';
import { can, capabilities, roleLabels, roles } from './roles.js';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
// No password for a role that reads identities: the approver sets it (kiosk/auth/auth-service.ts).
const newUserBody = z
  .object({
    username: z.string().min(1).max(64),
    displayName: z.string().min(1).max(120).optional(),
    role: z.enum(roles),
    password: z.string().min(1).max(256).optional(),
  })
  .strict();
const passwordBody = z
  .object({ password: z.string().min(1).max(256).optional(), currentPassword: z.string().min(1).max(256).optional() })
  .strict();
const approveBody = z
  .object({ approverPassword: z.string().min(1).max(256), password: z.string().min(1).max(256).optional() })
  .strict();
const disabledBody = z.object({ disabled: z.boolean() }).strict();

const actorOf = (req: Request) => (req as AuthenticatedRequest).auth!;

/** /auth/* and /users/* on the console server (mounted under /api). */
export function authRouter(auth: AuthService): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const { username, password } = parseBody(loginBody, req);
    const outcome = await auth.login(username, password, req.socket.remoteAddress);
    if (outcome.kind === 'locked') {
      res.setHeader('Retry-After', String(Math.ceil(outcome.retryAfterMs / 1000)));
      throw new DomainError(
        'too-many',
        'too_many_attempts',
        'tạm khoá do đăng nhập sai nhiều lần / too many failed logins, try again later',
      );
    }
    if (outcome.kind === 'denied')
      throw new DomainError(
        'unauthenticated',
        'bad_credentials',
        'sai tên đăng nhập hoặc mật khẩu / wrong user name or password',
      );
    res.setHeader(
      'Set-Cookie',
      sessionCookie(outcome.token, { secure: auth.secureCookies, maxAgeSeconds: outcome.maxAgeSeconds }),
    );
    res.json({ user: outcome.user, expiresAt: outcome.expiresAt });
  });

  router.post('/auth/logout', async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await auth.logout(token, actorOf(req));
    res.setHeader('Set-Cookie', clearedSessionCookie(auth.secureCookies));
    res.json({ ok: true });
  });

  router.get('/auth/me', (req, res) => {
    const actor = actorOf(req);
    // What the role may do, so the console shows only its tabs (the routes still check).
    res.json({
      user: actor.user,
      role: actor.role,
      roleLabel: roleLabels[actor.role],
      capabilities: capabilities.filter((c) => can(actor.role, c)),
    });
  });

  router.get('/users', requireCapability('users.manage'), async (_req, res) => {
    res.json({ users: await auth.users.list() });
  });

  // A role that reads identities is granted only with a second holder's approval: 202 and a request to approve.
  router.post('/users', requireCapability('users.manage'), async (req, res) => {
    const body = parseBody(newUserBody, req);
    const result = await auth.createUser(body, actorOf(req));
    if ('request' in result) res.status(202).json({ request: result.request });
    else res.status(201).json({ user: result.user });
  });

  router.put('/users/:username/password', async (req, res) => {
    const actor = actorOf(req);
    const username = String(req.params.username);
    // Everyone may change their own password; only an administrator anybody else's.
    if (username !== actor.user && !can(actor.role, 'users.manage'))
      throw new DomainError('forbidden', 'forbidden', `role ${actor.role} may not change another user's password`);
    const change = parseBody(passwordBody, req);
    const result = await auth.changePassword(username, change, actor);
    if ('request' in result) res.status(202).json({ request: result.request });
    else res.json({ ok: true });
  });

  // Requests waiting for a second holder of the identity right: seen by those who may ask or decide.
  router.get('/users/requests', (req, res, next) => {
    const actor = actorOf(req);
    if (!can(actor.role, 'users.manage') && !can(actor.role, 'identities.read'))
      return next(new DomainError('forbidden', 'forbidden', `role ${actor.role} may not see account requests`));
    auth.requests.pending().then((requests) => res.json({ requests }), next);
  });

  router.post('/users/requests/:id/approve', requireCapability('identities.read'), async (req, res) => {
    const body = parseBody(approveBody, req);
    res.json({ request: await auth.approve(requestId(req), actorOf(req), body) });
  });

  router.post('/users/requests/:id/refuse', async (req, res) => {
    res.json({ request: await auth.refuse(requestId(req), actorOf(req)) });
  });

  router.put('/users/:username/disabled', requireCapability('users.manage'), async (req, res) => {
    const { disabled } = parseBody(disabledBody, req);
    const result = await auth.setDisabled(String(req.params.username), disabled, actorOf(req));
    if ('request' in result) res.status(202).json({ request: result.request });
    else res.json({ ok: true });
  });

  return router;
}

function requestId(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new DomainError('invalid', 'bad_request', 'a request id is a positive integer');
  return id;
}
