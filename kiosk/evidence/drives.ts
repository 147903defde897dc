import { z } from 'zod';

/**
 * Which mounted filesystems are removable drives an export may write to, and whether a target
 * folder is inside one (pure: lsblk's JSON and /proc/self/mountinfo in, decisions out).
 *
 * An export target must be a folder on a removable drive (USB disk, SD card) that is mounted under
 * /media or /run/media (where udisks and the desktop mount them). Everything else is refused: the
 * system disk, pseudo filesystems (/proc never ends a recursive walk), /etc, the console's static
 * folder (a copy there would be downloadable without a login), a folder on the root filesystem
 * that merely sits under /media, or another filesystem mounted inside a drive.
 */
export const DRIVE_MOUNT_ROOTS = ['/media/', '/run/media/'] as const;

/** Filesystems that are never a drive, wherever they are mounted. */
export const PSEUDO_FILESYSTEMS = new Set([
  'proc',
  'sysfs',
  'tmpfs',
  'devtmpfs',
  'devpts',
  'overlay',
  'squashfs',
  'ramfs',
  'cgroup',
  'cgroup2',
  'securityfs',
  'debugfs',
  'tracefs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'mqueue',
  'hugetlbfs',
  'autofs',
  'binfmt_misc',
  'efivarfs',
  'rpc_pipefs',
  'nsfs',
  'fuse.portal',
  'fuse.gvfsd-fuse',
]);

/** The columns asked of lsblk: `lsblk -J -b -o` followed by these, comma-separated. */
export const LSBLK_COLUMNS = [
  'NAME',
  'PATH',
  'RM',
  'HOTPLUG',
  'TRAN',
  'TYPE',
  'MOUNTPOINTS',
  'FSTYPE',
  'SIZE',
  'FSAVAIL',
  'LABEL',
  'UUID',
] as const;

export interface BlockDevice {
  name: string;
  path: string;
  removable: boolean;
  hotplug: boolean;
  transport: string | null;
  type: string;
  mountPoints: string[];
  fstype: string | null;
  sizeBytes: number | null;
  label: string | null;
  uuid: string | null;
  children: BlockDevice[];
}

interface RawDevice {
  name: string;
  path?: string | null | undefined;
  rm?: unknown;
  hotplug?: unknown;
  tran?: string | null | undefined;
  type?: string | null | undefined;
  mountpoints?: (string | null)[] | null | undefined;
  mountpoint?: string | null | undefined;
  fstype?: string | null | undefined;
  size?: unknown;
  label?: string | null | undefined;
  uuid?: string | null | undefined;
  children?: RawDevice[] | undefined;
}

const rawDevice: z.ZodType<RawDevice> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string().nullable().optional(),
    rm: z.unknown(),
    hotplug: z.unknown(),
    tran: z.string().nullable().optional(),
    type: z.string().nullable().optional(),
    mountpoints: z.array(z.string().nullable()).nullable().optional(),
    mountpoint: z.string().nullable().optional(),
    fstype: z.string().nullable().optional(),
    size: z.unknown(),
    label: z.string().nullable().optional(),
    uuid: z.string().nullable().optional(),
    children: z.array(rawDevice).optional(),
  }),
);

/** lsblk prints booleans as true/false (2.37+) or "0"/"1", sizes as numbers (-b) or strings. */
const flag = (value: unknown): boolean => value === true || value === '1' || value === 1;
const count = (value: unknown): number | null =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;

/** Parses `lsblk -J -b -o …` output. Throws on JSON that is not lsblk's. */
export function parseLsblk(json: string): BlockDevice[] {
  const parsed = z.object({ blockdevices: z.array(rawDevice) }).parse(JSON.parse(json));
  const convert = (raw: RawDevice): BlockDevice => ({
    name: raw.name,
    path: raw.path ?? `/dev/${raw.name}`,
    removable: flag(raw.rm),
    hotplug: flag(raw.hotplug),
    transport: raw.tran ?? null,
    type: raw.type ?? 'unknown',
    // MOUNTPOINTS (2.37+) lists every mount of a device; older lsblk has one MOUNTPOINT.
    mountPoints: (raw.mountpoints ?? (raw.mountpoint === undefined ? [] : [raw.mountpoint])).filter(
      (m): m is string => typeof m === 'string' && m.length > 0,
    ),
    fstype: raw.fstype ?? null,
    sizeBytes: count(raw.size),
    label: raw.label ?? null,
    uuid: raw.uuid ?? null,
    children: (raw.children ?? []).map(convert),
  });
  return parsed.blockdevices.map(convert);
}

export interface Mount {
  mountPoint: string;
  fstype: string;
  source: string;
  readOnly: boolean;
}

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
const unescapeMount = (field: string): string =>
  field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Parses /proc/self/mountinfo (proc(5)); lines it cannot read are skipped. In mount order. */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator < 0) continue;
    const before = line.slice(0, separator).split(' ');
    const after = line.slice(separator + 3).split(' ');
    if (before.length < 6 || after.length < 2) continue;
    const options = before[5]!.split(',');
    mounts.push({
      mountPoint: unescapeMount(before[4]!),
      fstype: after[0]!,
      source: unescapeMount(after[1]!),
      readOnly: options.includes('ro'),
    });
  }
  return mounts;
}

const isInside = (path: string, dir: string): boolean => dir === '/' || path === dir || path.startsWith(`${dir}/`);
const underDriveRoot = (mountPoint: string): boolean =>
  DRIVE_MOUNT_ROOTS.some((root) => mountPoint.startsWith(root) && mountPoint.length > root.length);

/** The mount that holds `path`: the last-mounted of the longest matching mount points (mounts stack). */
export function mountOf(path: string, mounts: readonly Mount[]): Mount | undefined {
  let best: Mount | undefined;
  for (const mount of mounts) {
    if (!isInside(path, mount.mountPoint)) continue;
    if (!best || mount.mountPoint.length >= best.mountPoint.length) best = mount;
  }
  return best;
}

export interface Drive {
  /** Kernel name (sdb1). */
  name: string;
  /** Device node (/dev/sdb1). */
  path: string;
  label: string | null;
  uuid: string | null;
  mountPoint: string;
  fstype: string;
  sizeBytes: number | null;
}

export type MountDecision = { device: string; mountPoint: string } & (
  | { eligible: true; drive: Drive }
  | { eligible: false; reason: string }
);

/**
 * Every mounted block device with its verdict. Eligible: a disk or partition that is removable
 * (RM, HOTPLUG or a USB transport on it or its disk), mounted read-write under /media or
 * /run/media, where the mount table shows that very device with a real filesystem, and whose disk
 * has nothing mounted anywhere else (that would be the system disk).
 */
export function classifyMounts(devices: readonly BlockDevice[], mounts: readonly Mount[]): MountDecision[] {
  const decisions: MountDecision[] = [];
  for (const disk of devices) {
    const tree = flatten(disk);
    const systemMount = tree.flatMap((d) => d.mountPoints).find((m) => !underDriveRoot(m));
    for (const device of tree) {
      for (const mountPoint of device.mountPoints) {
        const refuse = (reason: string) => decisions.push({ device: device.path, mountPoint, eligible: false, reason });
        const mount = mounts.filter((m) => m.mountPoint === mountPoint).at(-1);
        const removable = [device, disk].some((d) => d.removable || d.hotplug || d.transport === 'usb');
        if (!underDriveRoot(mountPoint))
          refuse(`mounted at ${mountPoint}, not under ${DRIVE_MOUNT_ROOTS.join(' or ')}`);
        else if (systemMount !== undefined) refuse(`on the system disk ${disk.path} (also mounted at ${systemMount})`);
        else if (!removable) refuse(`${device.path} is not a removable drive`);
        else if (device.type !== 'part' && device.type !== 'disk')
          refuse(`${device.path} is a ${device.type} device, not a disk or partition`);
        else if (!mount) refuse(`${mountPoint} is not in the mount table`);
        else if (mount.source !== device.path)
          refuse(`${mountPoint} is mounted from ${mount.source}, not from ${device.path}`);
        else if (PSEUDO_FILESYSTEMS.has(mount.fstype)) refuse(`${mountPoint} is a ${mount.fstype} pseudo filesystem`);
        else if (mount.readOnly) refuse(`${mountPoint} is mounted read-only`);
        else
          decisions.push({
            device: device.path,
            mountPoint,
            eligible: true,
            drive: {
              name: device.name,
              path: device.path,
              label: device.label,
              uuid: device.uuid,
              mountPoint,
              fstype: mount.fstype,
              sizeBytes: device.sizeBytes,
            },
          });
      }
    }
  }
  return decisions;
}

function flatten(device: BlockDevice): BlockDevice[] {
  return [device, ...device.children.flatMap(flatten)];
}

export type TargetDecision = { ok: true; drive: Drive } | { ok: false; reason: string };

/**
 * Whether `realTarget` (already resolved with realpath: no symlink left in it) is inside an
 * eligible drive: the filesystem that actually holds it must be the drive's own mount, so a folder
 * under /media on the root disk, or a tmpfs mounted inside a drive, is refused.
 */
export function locateTarget(
  realTarget: string,
  decisions: readonly MountDecision[],
  mounts: readonly Mount[],
): TargetDecision {
  if (!realTarget.startsWith('/')) return { ok: false, reason: `${realTarget} is not an absolute path` };
  const mount = mountOf(realTarget, mounts);
  if (!mount) return { ok: false, reason: `${realTarget} is on no mounted filesystem` };
  const drives = decisions.flatMap((d) => (d.eligible ? [d.drive] : []));
  const drive = drives.find((d) => d.mountPoint === mount.mountPoint);
  if (drive) return { ok: true, drive };
  const available = drives.length
    ? `removable drives mounted now: ${drives.map((d) => d.mountPoint).join(', ')}`
    : 'no removable drive is mounted now';
  if (PSEUDO_FILESYSTEMS.has(mount.fstype))
    return {
      ok: false,
      reason: `${realTarget} is on a ${mount.fstype} pseudo filesystem (${mount.mountPoint}), not a removable drive; ${available}`,
    };
  if (mount.mountPoint === '/')
    return { ok: false, reason: `${realTarget} is on the system disk, not a removable drive; ${available}` };
  const refused = decisions.find((d) => d.mountPoint === mount.mountPoint && !d.eligible);
  if (refused && !refused.eligible)
    return {
      ok: false,
      reason: `${realTarget} is on ${refused.device} (mounted at ${mount.mountPoint}), which is not a drive to export to: ${refused.reason}; ${available}`,
    };
  return {
    ok: false,
    reason: `${realTarget} is on ${mount.source} (${mount.fstype}, mounted at ${mount.mountPoint}), not a removable drive; ${available}`,
  };
}
