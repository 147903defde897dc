import type { Database } from '../store/database.js';
import type { Role } from './roles.js';

/** How long a request waits for its approval. */
export const REQUEST_LIFETIME_MS = 24 * 3_600_000;

export interface IdentityRequest {
  id: number;
  kind: 'create' | 'password' | 'enable';
  username: string;
  displayName?: string;
  role: Role;
  requestedBy: string;
  requestedAt: string;
  state: 'pending' | 'approved' | 'refused' | 'expired';
  decidedBy?: string;
  decidedAt?: string;
}

interface Row {
  id: number;
  kind: IdentityRequest['kind'];
  username: string;
  display_name: string | null;
  role: string;
  requested_by: string;
  requested_at: string;
  state: IdentityRequest['state'];
  decided_by: string | null;
  decided_at: string | null;
}

const toRequest = (row: Row): IdentityRequest => ({
  id: row.id,
  kind: row.kind,
  username: row.username,
  ...(row.display_name ? { displayName: row.display_name } : {}),
  role: row.role as Role,
  requestedBy: row.requested_by,
  requestedAt: row.requested_at,
  state: row.state,
  ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
  ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
});

/** Requests that wait for a second holder of the identity right (table identity_requests). */
export class IdentityRequests {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(request: {
    kind: IdentityRequest['kind'];
    username: string;
    displayName?: string;
    role: Role;
    requestedBy: string;
  }): Promise<IdentityRequest> {
    // One open request per account: a newer one replaces what was asked before.
    await this.db.run(
      "UPDATE identity_requests SET state = 'expired', decided_at = ? WHERE username = ? AND state = 'pending'",
      [this.now().toISOString(), request.username],
    );
    const { lastID } = await this.db.run(
      'INSERT INTO identity_requests (kind, username, display_name, role, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?)',
      [
        request.kind,
        request.username,
        request.displayName ?? null,
        request.role,
        request.requestedBy,
        this.now().toISOString(),
      ],
    );
    return (await this.get(lastID))!;
  }

  async get(id: number): Promise<IdentityRequest | undefined> {
    await this.#expire();
    const row = await this.db.get<Row>('SELECT * FROM identity_requests WHERE id = ?', [id]);
    return row ? toRequest(row) : undefined;
  }

  async pending(): Promise<IdentityRequest[]> {
    await this.#expire();
    return (await this.db.all<Row>("SELECT * FROM identity_requests WHERE state = 'pending' ORDER BY id")).map(
      toRequest,
    );
  }

  /** Marks a pending request decided; false when it was no longer pending (decided or expired meanwhile). */
  async decide(id: number, state: 'approved' | 'refused', by: string): Promise<boolean> {
    const { changes } = await this.db.run(
      "UPDATE identity_requests SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = 'pending'",
      [state, by, this.now().toISOString(), id],
    );
    return changes === 1;
  }

  async #expire(): Promise<void> {
    const before = new Date(this.now().getTime() - REQUEST_LIFETIME_MS).toISOString();
    await this.db.run("UPDATE identity_requests SET state = 'expired' WHERE state = 'pending' AND requested_at < ?", [
      before,
    ]);
  }
}
