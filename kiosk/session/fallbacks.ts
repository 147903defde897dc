/**
 * Stand-ins the composition root uses while a service the sessions depend on is not wired in.
 * Each one is explicit about what it does not do; none of them pretends.
 */
import type { AuditPort } from './ports.js';

/** No audit log, no confidential read: every attempt is refused. */
export const auditUnavailable: AuditPort = {
  async record() {
    throw new Error('the audit log is not available; confidential identities cannot be read');
  },
};
