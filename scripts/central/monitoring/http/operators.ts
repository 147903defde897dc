import { randomBytes } from 'node:crypto';
import { hashPassword, passwordProblem, verifyPassword } from '../../../../kiosk/auth/passwords.js';
import type { MonitoringStore } from '../store/monitoring-db.js';

/**
 * The monitoring team's accounts (cán bộ giám sát): names and scrypt hashes in the store, created by
 * the operators CLI, or one generated at first start by `npm run central` and shown once.
 */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export async function addOperator(store: MonitoringStore, username: string, password: string): Promise<void> {
  if (!USERNAME.test(username))
    throw new Error(`operator ${JSON.stringify(username)}: 2–32 lower-case letters, digits, dot, dash, underscore`);
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  await store.addOperator(username, await hashPassword(password));
}

/** A first operator when there is none yet; the password is returned for the caller to show once, and never stored in clear. */
export async function ensureFirstOperator(
  store: MonitoringStore,
  username = 'giamsat',
): Promise<{ username: string; password: string } | undefined> {
  if ((await store.operatorCount()) > 0) return undefined;
  const password = randomBytes(12).toString('base64url');
  await addOperator(store, username, password);
  return { username, password };
}

// Checked against a hash even when the name is unknown, so the time taken does not tell which names exist.
const unknownUserHash = hashPassword(randomBytes(16).toString('hex'));

export async function checkOperator(store: MonitoringStore, username: string, password: string): Promise<boolean> {
  const stored = USERNAME.test(username) ? await store.passwordHash(username) : undefined;
  const ok = await verifyPassword(password, stored ?? (await unknownUserHash));
  return ok && stored !== undefined;
}
