/**
 * The console's tabs and what each needs. The capabilities themselves come from the daemon
 * (/auth/me, kiosk/auth/roles.ts): the page hides what a role may not use, the routes still refuse it.
 */
import type { Key } from './words.js';

export type Capability =
  | 'health.read'
  | 'devices.manage'
  | 'sessions.manage'
  | 'identities.read'
  | 'recordings.read'
  | 'recordings.export'
  | 'recordings.delete'
  | 'audit.read'
  | 'users.manage';
export type Role = 'admin' | 'technician' | 'officer' | 'officer-confidential' | 'leader' | 'viewer';

export type Tab =
  | 'dashboard'
  | 'readiness'
  | 'schedule'
  | 'recordings'
  | 'audit'
  | 'users'
  | 'devices'
  | 'config'
  | 'logs';

export const tabs: readonly { id: Tab; label: Key; needs: readonly Capability[] }[] = [
  { id: 'dashboard', label: 'tabDashboard', needs: ['health.read'] },
  { id: 'readiness', label: 'tabReadiness', needs: ['health.read'] },
  { id: 'schedule', label: 'tabSchedule', needs: ['health.read'] },
  { id: 'recordings', label: 'tabRecordings', needs: ['recordings.read'] },
  { id: 'audit', label: 'tabAuditLog', needs: ['audit.read'] },
  { id: 'users', label: 'tabUsers', needs: ['users.manage', 'identities.read'] },
  { id: 'devices', label: 'tabDevices', needs: ['devices.manage'] },
  { id: 'config', label: 'tabConfig', needs: ['devices.manage', 'users.manage'] },
  { id: 'logs', label: 'tabLogs', needs: ['devices.manage'] },
];

/** The tabs a role sees: a tab needs any one of its capabilities. */
export function visibleTabs(capabilities: readonly string[]): Tab[] {
  return tabs.filter((tab) => tab.needs.some((c) => capabilities.includes(c))).map((tab) => tab.id);
}
