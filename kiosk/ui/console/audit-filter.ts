import { roomInstant } from './room-time.js';
import type { AuditEntry } from './types.js';

export interface AuditFilter {
  actor: string;
  action: string;
  from: string;
  to: string;
}

/** Entries that match the filter: actor (part of the name), action, and days dd/mm/yyyy in the room's time zone. Pure. */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const from = filter.from ? roomInstant(filter.from, '00:00') : undefined;
  const to = filter.to ? roomInstant(filter.to, '23:59') : undefined;
  const actor = filter.actor.trim().toLowerCase();
  return entries.filter(
    (e) =>
      (!actor || e.actor.toLowerCase().includes(actor)) &&
      (!filter.action || e.action === filter.action) &&
      (!from || Date.parse(e.at) >= Date.parse(from)) &&
      (!to || Date.parse(e.at) < Date.parse(to) + 60_000),
  );
}
