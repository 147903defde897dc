/**
 * Console roles. A role is a set of capabilities; routes ask for a capability, not a role name,
 * so a new role does not mean editing every route.
 */
export const roles = ['admin', 'technician', 'officer', 'officer-confidential', 'leader', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const capabilities = [
  'health.read',
  'devices.manage', // PTZ presets, device tests, discovery
  'sessions.manage', // schedule, cases, citizens
  'identities.read', // denouncers' identities (confidential by law)
  'recordings.read',
  'recordings.export',
  'recordings.delete',
  'audit.read',
  'users.manage',
] as const;
export type Capability = (typeof capabilities)[number];

const grants: Record<Role, readonly Capability[]> = {
  // The administrator runs the device, not the cases: denouncers' identities stay with those who handle them.
  admin: capabilities.filter((c) => c !== 'identities.read'),
  technician: ['health.read', 'devices.manage', 'recordings.read', 'recordings.export', 'audit.read'],
  officer: ['health.read', 'sessions.manage', 'recordings.read'],
  'officer-confidential': ['health.read', 'sessions.manage', 'recordings.read', 'identities.read'],
  leader: ['health.read', 'sessions.manage', 'recordings.read', 'recordings.export', 'identities.read', 'audit.read'],
  viewer: ['health.read'],
};

export function can(role: Role, capability: Capability): boolean {
  return grants[role].includes(capability);
}

/** Vietnamese label first, English beside it, for the console's user list. */
export const roleLabels: Record<Role, { vi: string; en: string }> = {
  admin: { vi: 'Quản trị', en: 'Administrator' },
  technician: { vi: 'Cán bộ kỹ thuật', en: 'Technician' },
  officer: { vi: 'Cán bộ tiếp công dân', en: 'Reception officer' },
  'officer-confidential': {
    vi: 'Cán bộ tiếp công dân (được xem thông tin bảo mật)',
    en: 'Reception officer (confidential cases)',
  },
  leader: { vi: 'Lãnh đạo chủ trì', en: 'Chairing leader' },
  viewer: { vi: 'Chỉ xem', en: 'Viewer' },
};
