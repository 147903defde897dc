import { randomBytes } from 'node:crypto';
import { DomainError } from '../core/domain-error.js';
import type { Database } from '../store/database.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { roles, type Role } from './roles.js';

export interface ConsoleUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}

/** A bad account name, role or password. */
export class UserError extends DomainError {
  override name = 'UserError';
  constructor(message: string) {
    super('invalid', 'invalid_user', message);
  }
}

const usernamePattern = /^[a-z][a-z0-9._-]{2,31}$/;

const toUser = (row: UserRow): ConsoleUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role as Role,
  disabled: row.disabled === 1,
  createdAt: row.created_at,
});

/** Console accounts, with scrypt password hashes. */
export class UserStore {
  constructor(private readonly db: Database) {}

  async create(input: { username: string; displayName?: string; role: Role; password: string }): Promise<ConsoleUser> {
    await this.checkNew(input);
    return this.createWithHash({ ...input, passwordHash: await hashPassword(input.password) });
  }

  /**
   * Refuses a new account's name, role or password before anything is stored (or requested: a
   * request for an identity-reading account carries no password, its approver sets it).
   */
  async checkNew(input: { username: string; role: Role; password?: string }): Promise<void> {
    if (!usernamePattern.test(input.username))
      throw new UserError(
        'user name: 3–32 characters, lower-case letters, digits, dot, dash, underscore, starting with a letter',
      );
    if (!roles.includes(input.role)) throw new UserError(`role must be one of ${roles.join(', ')}`);
    const problem = input.password === undefined ? undefined : passwordProblem(input.password);
    if (problem) throw new UserError(problem);
    if (await this.#row(input.username)) throw new UserError(`user ${input.username} already exists`);
  }

  /** An account whose password was hashed earlier (an approved request). */
  async createWithHash(input: {
    username: string;
    displayName?: string;
    role: Role;
    passwordHash: string;
  }): Promise<ConsoleUser> {
    if (await this.#row(input.username)) throw new UserError(`user ${input.username} already exists`);
    const { lastID } = await this.db.run(
      'INSERT INTO console_users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      [input.username, input.displayName ?? input.username, input.role, input.passwordHash, new Date().toISOString()],
    );
    return toUser((await this.db.get<UserRow>('SELECT * FROM console_users WHERE id = ?', [lastID]))!);
  }

  async byName(username: string): Promise<ConsoleUser | undefined> {
    const row = await this.#row(username);
    return row ? toUser(row) : undefined;
  }

  async list(): Promise<ConsoleUser[]> {
    return (await this.db.all<UserRow>('SELECT * FROM console_users ORDER BY username')).map(toUser);
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM console_users WHERE disabled = 0'))?.n ?? 0;
  }

  async exists(username: string): Promise<boolean> {
    return Boolean(await this.#row(username));
  }

  async byId(id: number): Promise<ConsoleUser | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM console_users WHERE id = ?', [id]);
    return row ? toUser(row) : undefined;
  }

  /** The user when name and password match an enabled account; undefined otherwise (no hint which part was wrong). */
  async authenticate(username: string, password: string): Promise<ConsoleUser | undefined> {
    const row = await this.#row(username);
    // Verify against a fixed hash when the user is unknown so timing does not reveal which names exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await unknownUserHash()));
    return row && ok && row.disabled === 0 ? toUser(row) : undefined;
  }

  async setPassword(username: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new UserError(problem);
    await this.setPasswordHash(username, await hashPassword(password));
  }

  async setPasswordHash(username: string, passwordHash: string): Promise<void> {
    const { changes } = await this.db.run('UPDATE console_users SET password_hash = ? WHERE username = ?', [
      passwordHash,
      username,
    ]);
    if (changes === 0) throw new UserError(`no user ${username}`);
  }

  async setDisabled(username: string, disabled: boolean): Promise<void> {
    const { changes } = await this.db.run('UPDATE console_users SET disabled = ? WHERE username = ?', [
      disabled ? 1 : 0,
      username,
    ]);
    if (changes === 0) throw new UserError(`no user ${username}`);
  }

  #row(username: string): Promise<UserRow | undefined> {
    return this.db.get<UserRow>('SELECT * FROM console_users WHERE username = ?', [username]);
  }
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password nobody knows, so unknown names cost the same scrypt work as known ones. */
const unknownUserHash = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(24).toString('base64')));
