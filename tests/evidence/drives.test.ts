import { describe, expect, it } from 'vitest';
import {
  classifyMounts,
  locateTarget,
  mountOf,
  parseLsblk,
  parseMountinfo,
  type BlockDevice,
  type Mount,
} from '../../kiosk/evidence/drives.js';

/** A Raspberry Pi as lsblk 2.38 prints it (`lsblk -J -b -o NAME,PATH,RM,HOTPLUG,TRAN,TYPE,MOUNTPOINTS,FSTYPE,SIZE,FSAVAIL,LABEL,UUID`). */
const piLsblk = JSON.stringify({
  blockdevices: [
    {
      name: 'sda',
      path: '/dev/sda',
      rm: true,
      hotplug: true,
      tran: 'usb',
      type: 'disk',
      mountpoints: [null],
      fstype: null,
      size: 32010928128,
      fsavail: null,
      label: null,
      uuid: null,
      children: [
        {
          name: 'sda1',
          path: '/dev/sda1',
          rm: true,
          hotplug: true,
          tran: null,
          type: 'part',
          mountpoints: ['/media/diemcau/KINGSTON'],
          fstype: 'exfat',
          size: 32009879552,
          fsavail: 31000000000,
          label: 'KINGSTON',
          uuid: '1234-ABCD',
        },
      ],
    },
    {
      name: 'sdb',
      path: '/dev/sdb',
      rm: false,
      hotplug: true,
      tran: 'usb',
      type: 'disk',
      mountpoints: [null],
      fstype: null,
      size: 1000204886016,
      fsavail: null,
      label: null,
      uuid: null,
      children: [
        {
          name: 'sdb1',
          path: '/dev/sdb1',
          rm: false,
          hotplug: true,
          tran: null,
          type: 'part',
          mountpoints: ['/run/media/diemcau/Seagate Backup'],
          fstype: 'ntfs',
          size: 1000203837440,
          fsavail: 500000000000,
          label: 'Seagate Backup',
          uuid: 'AB12',
        },
      ],
    },
    {
      name: 'sdc',
      path: '/dev/sdc',
      rm: true,
      hotplug: true,
      tran: 'usb',
      type: 'disk',
      mountpoints: [null],
      fstype: null,
      size: 8000000000,
      fsavail: null,
      label: null,
      uuid: null,
      children: [
        {
          name: 'sdc1',
          path: '/dev/sdc1',
          rm: true,
          hotplug: true,
          tran: null,
          type: 'part',
          mountpoints: ['/mnt/stick'],
          fstype: 'vfat',
          size: 7999000000,
          fsavail: 7000000000,
          label: 'STICK',
          uuid: 'CC',
        },
      ],
    },
    {
      name: 'mmcblk0',
      path: '/dev/mmcblk0',
      rm: false,
      hotplug: false,
      tran: null,
      type: 'disk',
      mountpoints: [null],
      fstype: null,
      size: 63864569856,
      fsavail: null,
      label: null,
      uuid: null,
      children: [
        {
          name: 'mmcblk0p1',
          path: '/dev/mmcblk0p1',
          rm: false,
          hotplug: false,
          tran: null,
          type: 'part',
          mountpoints: ['/boot/firmware'],
          fstype: 'vfat',
          size: 536870912,
          fsavail: 400000000,
          label: 'bootfs',
          uuid: 'B',
        },
        {
          name: 'mmcblk0p2',
          path: '/dev/mmcblk0p2',
          rm: false,
          hotplug: false,
          tran: null,
          type: 'part',
          mountpoints: ['/'],
          fstype: 'ext4',
          size: 63326650368,
          fsavail: 50000000000,
          label: 'rootfs',
          uuid: 'R',
        },
        {
          name: 'mmcblk0p3',
          path: '/dev/mmcblk0p3',
          rm: false,
          hotplug: false,
          tran: null,
          type: 'part',
          mountpoints: ['/media/data'],
          fstype: 'ext4',
          size: 1000,
          fsavail: 1000,
          label: 'data',
          uuid: 'D',
        },
      ],
    },
    {
      name: 'loop0',
      path: '/dev/loop0',
      rm: false,
      hotplug: false,
      tran: null,
      type: 'loop',
      mountpoints: ['/media/snap'],
      fstype: 'squashfs',
      size: 1000,
      fsavail: 0,
      label: null,
      uuid: null,
    },
    {
      name: 'sdd',
      path: '/dev/sdd',
      rm: true,
      hotplug: true,
      tran: 'usb',
      type: 'disk',
      mountpoints: ['/media/diemcau/RO'],
      fstype: 'vfat',
      size: 1000,
      fsavail: 1000,
      label: 'RO',
      uuid: 'E',
    },
    {
      name: 'sde',
      path: '/dev/sde',
      rm: true,
      hotplug: true,
      tran: 'usb',
      type: 'disk',
      mountpoints: ['/media/diemcau/GONE'],
      fstype: 'vfat',
      size: 1000,
      fsavail: 1000,
      label: 'GONE',
      uuid: 'F',
    },
  ],
});

const mountinfo = [
  '22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw',
  '23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
  '24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw',
  '25 22 0:5 / /dev rw,nosuid,relatime shared:8 - devtmpfs udev rw,size=1886328k',
  '26 22 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=389436k,mode=755',
  '30 22 179:1 / /boot/firmware rw,relatime shared:29 - vfat /dev/mmcblk0p1 rw',
  '40 22 8:1 / /media/diemcau/KINGSTON rw,nosuid,nodev,relatime shared:40 - exfat /dev/sda1 rw,uid=1000',
  '41 26 8:17 / /run/media/diemcau/Seagate\\040Backup rw,nosuid,nodev,relatime shared:41 - fuseblk /dev/sdb1 rw',
  '42 22 8:33 / /mnt/stick rw,relatime shared:42 - vfat /dev/sdc1 rw',
  '43 22 179:3 / /media/data rw,relatime shared:43 - ext4 /dev/mmcblk0p3 rw',
  '44 22 7:0 / /media/snap ro,relatime shared:44 - squashfs /dev/loop0 ro',
  '45 22 8:48 / /media/diemcau/RO ro,relatime shared:45 - vfat /dev/sdd ro',
  '46 40 0:60 / /media/diemcau/KINGSTON/inner rw,relatime shared:46 - tmpfs tmpfs rw',
  '47 22 0:61 / /media/diemcau/GONE rw,relatime shared:47 - tmpfs tmpfs rw',
].join('\n');

describe('parseLsblk', () => {
  it("reads devices, children and every mount point; flags and sizes in both of lsblk's spellings", () => {
    const devices = parseLsblk(piLsblk);
    expect(devices.map((d) => d.name)).toEqual(['sda', 'sdb', 'sdc', 'mmcblk0', 'loop0', 'sdd', 'sde']);
    expect(devices[0]!.children[0]).toMatchObject({
      name: 'sda1',
      path: '/dev/sda1',
      removable: true,
      hotplug: true,
      transport: null,
      type: 'part',
      mountPoints: ['/media/diemcau/KINGSTON'],
      fstype: 'exfat',
      sizeBytes: 32009879552,
      label: 'KINGSTON',
    });
    expect(devices[0]!.mountPoints).toEqual([]);
    // Older lsblk: one MOUNTPOINT, "0"/"1" flags, sizes as strings; no PATH.
    const old = parseLsblk(
      JSON.stringify({
        blockdevices: [
          {
            name: 'sdf',
            rm: '1',
            hotplug: '0',
            tran: 'usb',
            type: 'disk',
            mountpoint: '/media/x',
            fstype: 'vfat',
            size: '4096',
            label: null,
            uuid: null,
          },
        ],
      }),
    );
    expect(old[0]).toMatchObject({
      path: '/dev/sdf',
      removable: true,
      hotplug: false,
      mountPoints: ['/media/x'],
      sizeBytes: 4096,
    });
  });

  it.each([
    ['not json', '{'],
    ['not lsblk', '{"devices": []}'],
    ['a device without a name', '{"blockdevices": [{"path": "/dev/sda"}]}'],
  ])('throws on %s', (_name, text) => {
    expect(() => parseLsblk(text)).toThrow();
  });
});

describe('parseMountinfo', () => {
  it('reads mount point (unescaped), filesystem type, source and read-only', () => {
    const mounts = parseMountinfo(mountinfo);
    expect(mounts).toHaveLength(14);
    expect(mounts[1]).toEqual({ mountPoint: '/proc', fstype: 'proc', source: 'proc', readOnly: false });
    expect(mounts[7]).toEqual({
      mountPoint: '/run/media/diemcau/Seagate Backup',
      fstype: 'fuseblk',
      source: '/dev/sdb1',
      readOnly: false,
    });
    expect(mounts[11]).toMatchObject({ mountPoint: '/media/diemcau/RO', readOnly: true });
    expect(parseMountinfo('garbage\n\n1 2 3')).toEqual([]);
  });
});

describe('classifyMounts', () => {
  const decisions = classifyMounts(parseLsblk(piLsblk), parseMountinfo(mountinfo));
  const verdict = (mountPoint: string) => decisions.find((d) => d.mountPoint === mountPoint);

  it.each<[string, true | string, string]>([
    ['/media/diemcau/KINGSTON', true, 'a USB stick mounted by udisks'],
    ['/run/media/diemcau/Seagate Backup', true, 'a USB hard disk (RM=0 but hot-plugged on USB)'],
    ['/mnt/stick', 'not under /media/ or /run/media/', 'a stick mounted by hand outside /media'],
    ['/boot/firmware', 'not under', 'the boot partition'],
    ['/', 'not under', 'the root filesystem'],
    ['/media/data', 'on the system disk /dev/mmcblk0', 'a partition of the system disk mounted under /media'],
    ['/media/snap', 'not a removable drive', 'a loop device (a snap)'],
    ['/media/diemcau/RO', 'mounted read-only', 'a read-only stick'],
    ['/media/diemcau/GONE', 'mounted from tmpfs, not from /dev/sde', "lsblk's mount point now covered by a tmpfs"],
  ])('%s: %s (%s)', (mountPoint, expected) => {
    const decision = verdict(mountPoint);
    expect(decision).toBeDefined();
    if (expected === true) expect(decision).toMatchObject({ eligible: true });
    else expect(decision).toMatchObject({ eligible: false, reason: expect.stringContaining(expected) });
  });

  it("gives the drive's facts for the console", () => {
    expect(verdict('/media/diemcau/KINGSTON')).toMatchObject({
      drive: {
        name: 'sda1',
        path: '/dev/sda1',
        label: 'KINGSTON',
        uuid: '1234-ABCD',
        fstype: 'exfat',
        sizeBytes: 32009879552,
      },
    });
  });

  const disk = (overrides: Partial<BlockDevice>): BlockDevice => ({
    name: 'sdx',
    path: '/dev/sdx',
    removable: true,
    hotplug: true,
    transport: 'usb',
    type: 'disk',
    mountPoints: ['/media/u/X'],
    fstype: 'vfat',
    sizeBytes: 1,
    label: null,
    uuid: null,
    children: [],
    ...overrides,
  });
  const mountX: Mount = { mountPoint: '/media/u/X', fstype: 'vfat', source: '/dev/sdx', readOnly: false };
  it.each<[string, BlockDevice, Mount[], true | string]>([
    ['a removable disk without partitions', disk({}), [mountX], true],
    ['a CD-ROM', disk({ type: 'rom' }), [mountX], 'a rom device'],
    [
      'a fixed SATA disk',
      disk({ removable: false, hotplug: false, transport: 'sata' }),
      [mountX],
      'not a removable drive',
    ],
    ['a mount point only lsblk knows', disk({}), [], 'not in the mount table'],
    ['a pseudo filesystem from the device itself', disk({}), [{ ...mountX, fstype: 'tmpfs' }], 'pseudo filesystem'],
    ['/media itself', disk({ mountPoints: ['/media'] }), [{ ...mountX, mountPoint: '/media' }], 'not under'],
    ['swap on the stick', disk({ mountPoints: ['/media/u/X', '[SWAP]'] }), [mountX], 'system disk'],
  ])('%s', (_name, device, mounts, expected) => {
    const [decision] = classifyMounts([device], mounts);
    if (expected === true) expect(decision).toMatchObject({ eligible: true });
    else expect(decision).toMatchObject({ eligible: false, reason: expect.stringContaining(expected) });
  });
});

describe('locateTarget', () => {
  const mounts = parseMountinfo(mountinfo);
  const decisions = classifyMounts(parseLsblk(piLsblk), mounts);

  it.each([
    ['/media/diemcau/KINGSTON', 'sda1'],
    ['/media/diemcau/KINGSTON/exports/2026', 'sda1'],
    ['/run/media/diemcau/Seagate Backup/ho-so', 'sdb1'],
  ])('accepts %s (on %s)', (target, name) => {
    expect(locateTarget(target, decisions, mounts)).toMatchObject({ ok: true, drive: { name } });
  });

  it.each([
    ['/', 'on the system disk'],
    ['/etc', 'on the system disk'],
    ['/root', 'on the system disk'],
    ['/opt/diemcau/kiosk/ui/console', 'on the system disk'],
    ['/proc', 'proc pseudo filesystem'],
    ['/proc/self/root/proc', 'proc pseudo filesystem'],
    ['/sys/class', 'sysfs pseudo filesystem'],
    ['/dev/shm', 'devtmpfs pseudo filesystem'],
    ['/run/user/0', 'tmpfs pseudo filesystem'],
    ['/media', 'on the system disk'],
    ['/media/other-stick', 'on the system disk'],
    ['/media/diemcau/KINGSTONX', 'on the system disk'],
    ['/media/diemcau/KINGSTON/inner/x', 'tmpfs pseudo filesystem (/media/diemcau/KINGSTON/inner)'],
    [
      '/mnt/stick',
      'on /dev/sdc1 (mounted at /mnt/stick), which is not a drive to export to: mounted at /mnt/stick, not under /media/ or /run/media/',
    ],
    [
      '/media/data',
      'on /dev/mmcblk0p3 (mounted at /media/data), which is not a drive to export to: on the system disk /dev/mmcblk0 (also mounted at /boot/firmware)',
    ],
    ['/media/diemcau/RO/x', 'which is not a drive to export to: /media/diemcau/RO is mounted read-only'],
    [
      '/boot/firmware',
      'on /dev/mmcblk0p1 (mounted at /boot/firmware), which is not a drive to export to: mounted at /boot/firmware, not under /media/',
    ],
    ['relative/path', 'not an absolute path'],
  ])('refuses %s: %s', (target, reason) => {
    const decision = locateTarget(target, decisions, mounts);
    expect(decision).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
    if (target.startsWith('/'))
      expect(decision).toMatchObject({
        reason: expect.stringContaining(
          'removable drives mounted now: /media/diemcau/KINGSTON, /run/media/diemcau/Seagate Backup',
        ),
      });
  });

  it('says when no drive is mounted at all', () => {
    expect(locateTarget('/etc', [], mounts)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no removable drive is mounted now'),
    });
  });

  it('finds the innermost, last-stacked mount', () => {
    const stacked = [
      ...mounts,
      { mountPoint: '/media/diemcau/KINGSTON', fstype: 'tmpfs', source: 'tmpfs', readOnly: false },
    ];
    expect(mountOf('/media/diemcau/KINGSTON/a', stacked)).toMatchObject({ fstype: 'tmpfs' });
    expect(mountOf('/media/diemcau/KINGSTON/inner', mounts)).toMatchObject({
      fstype: 'tmpfs',
      mountPoint: '/media/diemcau/KINGSTON/inner',
    });
  });
});
