import type { Request } from 'express';
import { can, roles, type Role } from '../auth/roles.js';

/** Who is asking, as the console's login middleware sets it on `req.auth` (kiosk/auth/middleware.ts). */
export interface Actor {
  user: string;
  role: string;
}

/** The logged-in console user, or undefined (the kiosk server has no login: it listens on 127.0.0.1 only). */
export function actorOf(req: Request): Actor | undefined {
  const auth = (req as Request & { auth?: unknown }).auth;
  if (!auth || typeof auth !== 'object') return undefined;
  const { user, role } = auth as Record<string, unknown>;
  if (typeof user !== 'string' || typeof role !== 'string' || !user || !role) return undefined;
  return { user, role };
}

/**
 * Whether this actor may read a confidential identity (the denouncer's): roles granted
 * `identities.read` (the chairing leader, officers cleared for confidential cases). Everyone
 * else, and any request without a login, sees "Người tố cáo #n".
 */
export function mayReadConfidential(actor: Actor | undefined): actor is Actor {
  return (
    actor !== undefined &&
    (roles as readonly string[]).includes(actor.role) &&
    can(actor.role as Role, 'identities.read')
  );
}
