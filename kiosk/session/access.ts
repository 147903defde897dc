import type { Request } from 'express';

/** Who is asking, as the console's auth middleware will set it on `req.auth` (not built yet). */
export interface Actor {
  user: string;
  role: string;
}

/**
 * Roles that may read a confidential identity (the denouncer's): the chairing leader and officers
 * cleared for confidential cases. Everyone else sees "Người tố cáo #n".
 */
export const confidentialReaders: readonly string[] = ['leader', 'officer-confidential'];

/**
 * Reads the actor the future console login will attach as `req.auth = { user, role }`. Until it
 * exists nothing sets it, so confidential reads are denied: failing closed is the point.
 */
export function actorOf(req: Request): Actor | undefined {
  const auth = (req as Request & { auth?: unknown }).auth;
  if (!auth || typeof auth !== 'object') return undefined;
  const { user, role } = auth as Record<string, unknown>;
  if (typeof user !== 'string' || typeof role !== 'string' || !user || !role) return undefined;
  return { user, role };
}

export function mayReadConfidential(actor: Actor | undefined): actor is Actor {
  return actor !== undefined && confidentialReaders.includes(actor.role);
}
