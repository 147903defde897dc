import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceDiscovery } from '../../../hal/discovery/discovery.js';
import { scanDevices, type SerialPortInfo } from '../../../hal/discovery/scan.js';
import type { DiscoveredChange } from '../../../hal/discovery/types.js';
import { FakeExecutables } from '../fake-executables.js';
import { waitFor } from '../../support/wait.js';

// /dev and /proc are temp folders with fake nodes (real files, real symlinks, real fs.watch);
// v4l2-ctl and arecord are fakes that answer from them, since no camera or sound card exists here.
describe('device discovery on a temp /dev and /proc', () => {
  let root: string;
  let dev: string;
  let proc: string;
  let bin: FakeExecutables;
  let serialList: SerialPortInfo[];
  let discovery: DeviceDiscovery | undefined;

  const cards =
    ' 1 [ArrayUAC10     ]: USB-Audio - ReSpeaker 4 Mic Array (UAC1.0)\n                      SEEED ReSpeaker 4 Mic Array (UAC1.0) at usb-0000:00:14.0-2, full speed\n';

  async function plugCamera(): Promise<void> {
    await writeFile(join(dev, 'video0'), '');
    await writeFile(join(dev, 'video1'), '');
    await mkdir(join(dev, 'v4l', 'by-id'), { recursive: true });
    await symlink('../../video0', join(dev, 'v4l', 'by-id', 'usb-046d_HD_Pro_Webcam_C920-video-index0'));
  }
  async function unplugCamera(): Promise<void> {
    await rm(join(dev, 'v4l'), { recursive: true, force: true });
    await rm(join(dev, 'video0'));
    await rm(join(dev, 'video1'));
  }
  async function plugSerial(): Promise<void> {
    await writeFile(join(dev, 'ttyUSB0'), '');
    await mkdir(join(dev, 'serial', 'by-id'), { recursive: true });
    await symlink('../../ttyUSB0', join(dev, 'serial', 'by-id', 'usb-Prolific_USB-Serial_Controller-if00-port0'));
  }

  const sources = () => ({
    devRoot: dev,
    procRoot: proc,
    tools: bin.runner(),
    listSerialPorts: async () => serialList,
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'diemcau-discovery-'));
    dev = join(root, 'dev');
    proc = join(root, 'proc');
    await mkdir(dev);
    await mkdir(join(proc, 'asound'), { recursive: true });
    await writeFile(join(proc, 'asound', 'cards'), '--- no soundcards ---\n');
    serialList = [];
    bin = await FakeExecutables.create();
    // Like the real tool, it lists what it can open and exits non-zero for a node it cannot (video2).
    await bin.add(
      'v4l2-ctl',
      `
d="$(cat "$FAKE/dev")"
[ -e "$d/video0" ] || { echo "Cannot open device /dev/video0, exiting." >&2; exit 1; }
printf 'HD Pro Webcam C920 (usb-0000:00:14.0-1):\\n\\t%s/video0\\n\\t%s/video1\\n\\t%s/media0\\n\\n' "$d" "$d" "$d"
[ -e "$d/video2" ] || { echo "Cannot open device $d/video2, exiting." >&2; exit 1; }`,
    );
    await bin.add(
      'arecord',
      `
d="$(cat "$FAKE/proc")"
grep -q ArrayUAC10 "$d/asound/cards" || { echo "arecord: device_list:274: no soundcards found..." >&2; exit 1; }
echo "**** List of CAPTURE Hardware Devices ****"
echo "card 1: ArrayUAC10 [ReSpeaker 4 Mic Array (UAC1.0)], device 0: USB Audio [USB Audio]"`,
    );
    await bin.setState('dev', dev);
    await bin.setState('proc', proc);
  });
  afterEach(async () => {
    await discovery?.stop();
    discovery = undefined;
    await bin.remove();
    await rm(root, { recursive: true, force: true });
  });

  it('finds nothing on an empty machine', async () => {
    expect(await scanDevices(sources())).toEqual([]);
  });

  it('lists cameras with by-id links and names, serial ports from the list and by-id, audio capture devices', async () => {
    await plugCamera();
    await plugSerial();
    await writeFile(join(dev, 'ttyACM0'), '');
    serialList = [{ path: join(dev, 'ttyACM0'), manufacturer: 'Arduino', vendorId: '2341', productId: '0043' }];
    await writeFile(join(proc, 'asound', 'cards'), cards);
    await mkdir(join(dev, 'snd', 'by-id'), { recursive: true });
    await writeFile(join(dev, 'snd', 'controlC1'), '');
    await symlink('../controlC1', join(dev, 'snd', 'by-id', 'usb-SEEED_ReSpeaker_4_Mic_Array_UAC1.0-00'));

    expect(await scanDevices(sources())).toEqual([
      {
        kind: 'camera',
        key: join(dev, 'v4l/by-id/usb-046d_HD_Pro_Webcam_C920-video-index0'),
        path: join(dev, 'video0'),
        name: 'HD Pro Webcam C920',
        byId: [join(dev, 'v4l/by-id/usb-046d_HD_Pro_Webcam_C920-video-index0')],
      },
      { kind: 'camera', key: join(dev, 'video1'), path: join(dev, 'video1'), name: 'HD Pro Webcam C920', byId: [] },
      { kind: 'serial', key: join(dev, 'ttyACM0'), path: join(dev, 'ttyACM0'), name: 'Arduino 2341:0043', byId: [] },
      {
        kind: 'serial',
        key: join(dev, 'serial/by-id/usb-Prolific_USB-Serial_Controller-if00-port0'),
        path: join(dev, 'ttyUSB0'),
        name: 'usb-Prolific_USB-Serial_Controller-if00-port0',
        byId: [join(dev, 'serial/by-id/usb-Prolific_USB-Serial_Controller-if00-port0')],
      },
      {
        kind: 'audio',
        key: 'hw:CARD=ArrayUAC10,DEV=0',
        path: 'hw:CARD=ArrayUAC10,DEV=0',
        name: 'ReSpeaker 4 Mic Array (UAC1.0) — USB Audio',
        byId: [join(dev, 'snd/by-id/usb-SEEED_ReSpeaker_4_Mic_Array_UAC1.0-00')],
      },
    ]);
  });

  it('reports plug and unplug seen through fs.watch of /dev, without waiting for the interval', async () => {
    discovery = new DeviceDiscovery({ ...sources(), intervalMs: 600_000, settleMs: 100 });
    const changes: DiscoveredChange[] = [];
    discovery.events.on('change', (change) => changes.push(change));
    await discovery.start();
    expect(discovery.devices).toEqual([]);

    await plugCamera();
    await waitFor('camera plug events', () => changes.length >= 2, 10_000);
    expect(changes.map((c) => [c.change, c.device.kind, c.device.path])).toEqual([
      ['plugged', 'camera', join(dev, 'video0')],
      ['plugged', 'camera', join(dev, 'video1')],
    ]);

    await plugSerial();
    await waitFor('serial plug event', () => changes.length >= 3, 10_000);
    expect(changes[2]).toMatchObject({ change: 'plugged', device: { kind: 'serial', path: join(dev, 'ttyUSB0') } });

    await unplugCamera();
    await waitFor('camera unplug events', () => changes.length >= 5, 10_000);
    expect(changes.slice(3).map((c) => [c.change, c.device.path])).toEqual([
      ['unplugged', join(dev, 'video0')],
      ['unplugged', join(dev, 'video1')],
    ]);
    expect(discovery.devices.map((d) => d.kind)).toEqual(['serial']);
  });

  it('the interval scan catches what /dev does not show (a sound card in /proc)', async () => {
    discovery = new DeviceDiscovery({ ...sources(), intervalMs: 200, settleMs: 50 });
    const changes: DiscoveredChange[] = [];
    discovery.events.on('change', (change) => changes.push(change));
    await discovery.start();
    await writeFile(join(proc, 'asound', 'cards'), cards);
    await waitFor('audio plug event', () => changes.length >= 1, 10_000);
    expect(changes[0]).toMatchObject({ change: 'plugged', device: { kind: 'audio', key: 'hw:CARD=ArrayUAC10,DEV=0' } });
  });
});
