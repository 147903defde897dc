import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../core/domain-error.js';
import type { Actor, AuthSessions } from './auth-sessions.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { can, type Capability } from './roles.js';

export type AuthenticatedRequest = Request & { auth?: Actor };

/** Console paths reachable without a login: monitoring and the login itself. */
const openPaths = new Set(['/api/health', '/api/auth/login']);

export function actorFromRequest(sessions: AuthSessions, req: IncomingMessage): Promise<Actor | undefined> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  return token ? sessions.resolve(token) : Promise.resolve(undefined);
}

/**
 * Sets `req.auth = { user, role }` from the session cookie and refuses everything else without one.
 * (Origin, Host and JSON-only are checked before, for both servers: kiosk/web/request-origin.ts.)
 */
export function requireLogin(resolveActor: (req: IncomingMessage) => Promise<Actor | undefined>): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const actor = await resolveActor(req);
    if (actor) (req as AuthenticatedRequest).auth = actor;
    // The console's page and scripts hold no data: everything it shows comes from /api, behind the login.
    // Express matches routes without regard to case: so must the gate, or /API/… would walk past it.
    const path = req.path.toLowerCase();
    const isApi = path === '/api' || path.startsWith('/api/');
    if (!actor && isApi && !openPaths.has(path))
      throw new DomainError('unauthenticated', 'login_required', 'đăng nhập để tiếp tục / log in to continue');
    next();
  };
}

/** Route guard: 403 unless the logged-in role has the capability. */
export function requireCapability(capability: Capability): RequestHandler {
  return (req, _res, next) => {
    const actor = (req as AuthenticatedRequest).auth;
    if (!actor)
      throw new DomainError('unauthenticated', 'login_required', 'đăng nhập để tiếp tục / log in to continue');
    if (!can(actor.role, capability))
      throw new DomainError('forbidden', 'forbidden', `role ${actor.role} may not ${capability}`);
    next();
  };
}
