import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../store/database.js';
import type { Role } from './roles.js';

export interface Actor {
  user: string;
  role: Role;
  userId: number;
}

export interface SessionPolicy {
  /** A login never lasts longer than this (a working day). */
  absoluteMs: number;
  /** Nor survives this long without a request. */
  idleMs: number;
}

export const defaultSessionPolicy: SessionPolicy = { absoluteMs: 10 * 3600_000, idleMs: 60 * 60_000 };

/** The database stores only a hash of each token, so a copied database cannot be used to log in. */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthSessions {
  constructor(
    private readonly db: Database,
    private readonly policy: SessionPolicy = defaultSessionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: number, address: string | undefined): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now + this.policy.absoluteMs).toISOString();
    await this.db.run(
      'INSERT INTO console_sessions (token_hash, user_id, created_at, expires_at, last_seen_at, address) VALUES (?, ?, ?, ?, ?, ?)',
      [tokenHash(token), userId, new Date(now).toISOString(), expiresAt, new Date(now).toISOString(), address ?? null],
    );
    return { token, expiresAt };
  }

  /** The actor behind a token, refreshing its idle timer; undefined when unknown, expired or the user is disabled. */
  resolve(token: string): Promise<Actor | undefined> {
    return this.#lookup(token, true);
  }

  /** As resolve(), without counting as activity: an open websocket checked in the background must not keep a login alive. */
  peek(token: string): Promise<Actor | undefined> {
    return this.#lookup(token, false);
  }

  async #lookup(token: string, activity: boolean): Promise<Actor | undefined> {
    const row = await this.db.get<{
      user_id: number;
      expires_at: string;
      last_seen_at: string;
      username: string;
      role: string;
      disabled: number;
    }>(
      `SELECT s.user_id, s.expires_at, s.last_seen_at, u.username, u.role, u.disabled
         FROM console_sessions s JOIN console_users u ON u.id = s.user_id WHERE s.token_hash = ?`,
      [tokenHash(token)],
    );
    if (!row) return undefined;
    const now = this.now();
    if (
      row.disabled === 1 ||
      Date.parse(row.expires_at) <= now ||
      Date.parse(row.last_seen_at) + this.policy.idleMs <= now
    ) {
      await this.revoke(token);
      return undefined;
    }
    // Write at most once a minute: every console request must not be a disk write.
    if (activity && now - Date.parse(row.last_seen_at) > 60_000) {
      await this.db.run('UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ?', [
        new Date(now).toISOString(),
        tokenHash(token),
      ]);
    }
    return { user: row.username, role: row.role as Role, userId: row.user_id };
  }

  async revoke(token: string): Promise<void> {
    await this.db.run('DELETE FROM console_sessions WHERE token_hash = ?', [tokenHash(token)]);
  }

  async revokeUser(userId: number): Promise<void> {
    await this.db.run('DELETE FROM console_sessions WHERE user_id = ?', [userId]);
  }

  async purgeExpired(): Promise<number> {
    const now = this.now();
    const { changes } = await this.db.run('DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen_at <= ?', [
      new Date(now).toISOString(),
      new Date(now - this.policy.idleMs).toISOString(),
    ]);
    return changes;
  }
}
