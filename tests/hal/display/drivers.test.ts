import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../hal/core/driver.js';
import { BacklightDisplay } from '../../../hal/display/backlight/driver.js';
import { CecDisplay } from '../../../hal/display/cec/driver.js';
import { DdcutilDisplay } from '../../../hal/display/ddcutil/driver.js';
import { FakeExecutables } from '../fake-executables.js';
import { waitFor } from '../../support/wait.js';

const fastRetry = { initialMs: 20, maxMs: 50, factor: 1, jitter: 0 };

// ddcutil cannot reach a monitor here (no /dev/i2c-*): a fake ddcutil on PATH keeps the monitor's
// VCP values in state files and answers in ddcutil's --brief format.
describe('DdcutilDisplay against a fake ddcutil', () => {
  let bin: FakeExecutables;
  let display: DdcutilDisplay;

  beforeEach(async () => {
    bin = await FakeExecutables.create();
    await bin.add(
      'ddcutil',
      `
[ -f "$FAKE/unplugged" ] && { echo "Display not found"; exit 1; }
case "$*" in
  *"getvcp 10") echo "VCP 10 C $(cat "$FAKE/brightness") 255" ;;
  *"getvcp D6") echo "VCP D6 SNC x0$(cat "$FAKE/power")" ;;
  *"setvcp 10 "*) echo "\${@: -1}" > "$FAKE/brightness" ;;
  *"setvcp D6 "*) echo "\${@: -1}" > "$FAKE/power" ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac`,
    );
    await bin.setState('brightness', '128');
    await bin.setState('power', '1');
    display = new DdcutilDisplay(
      { id: 'display', backoff: fastRetry },
      { driver: 'ddcutil', display: 2 },
      bin.runner(),
    );
  });
  afterEach(async () => {
    await display.stop();
    await bin.remove();
  });

  it('reads power and brightness, scaling the monitor range to percent', async () => {
    await display.start();
    expect(display.status).toBe('ok');
    expect(await display.state()).toEqual({ on: true, brightness: 50 });
    expect(await bin.calls('ddcutil')).toContain('--display 2 --brief getvcp D6');
  });

  it('switches power through VCP D6 without read-back, brightness through VCP 10', async () => {
    await display.start();
    await display.setPower(false);
    expect(await bin.state('power')).toBe('4');
    expect(await display.state()).toMatchObject({ on: false });
    await display.setPower(true);
    await display.setBrightness(100);
    expect(await bin.state('brightness')).toBe('255');
    expect(await bin.calls('ddcutil')).toEqual(
      expect.arrayContaining([
        '--display 2 --noverify setvcp D6 4',
        '--display 2 --noverify setvcp D6 1',
        '--display 2 setvcp 10 255',
      ]),
    );
  });

  it('goes connecting when the monitor disappears and comes back by itself', async () => {
    await display.start();
    const seen: DeviceStatus[] = [];
    display.events.on('status', (s) => seen.push(s.status));
    await bin.setState('unplugged', '');
    await expect(display.state()).rejects.toThrow(/Display not found/);
    expect(display.status).toBe('connecting');
    await rm(join(bin.dir, 'unplugged'));
    await waitFor('reconnect', () => display.status === 'ok', 10_000);
    expect(seen).toEqual(expect.arrayContaining(['connecting', 'ok']));
  });

  it('reports bad-config when ddcutil is not installed', async () => {
    const none = await FakeExecutables.create();
    const missing = new DdcutilDisplay(
      { id: 'display' },
      { driver: 'ddcutil', display: 1 },
      { run: (_t, args, o) => none.runner().run('ddcutil-not-here', args, o) },
    );
    await missing.start();
    expect(missing.status).toBe('bad-config');
    await missing.stop();
    await none.remove();
  });
});

describe('BacklightDisplay against a temp sysfs tree', () => {
  let root: string;
  let dev: string;
  let display: BacklightDisplay;

  async function layout(attributes: Record<string, string>): Promise<void> {
    await mkdir(dev, { recursive: true });
    for (const [name, value] of Object.entries(attributes)) await writeFile(join(dev, name), `${value}\n`);
  }
  const read = async (name: string) => (await readFile(join(dev, name), 'utf8')).trim();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'diemcau-backlight-'));
    dev = join(root, '10-0045');
  });
  afterEach(async () => {
    await display?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('uses bl_power for power and scales brightness to max_brightness', async () => {
    await layout({ max_brightness: '255', brightness: '200', bl_power: '0' });
    display = new BacklightDisplay({ id: 'display' }, { driver: 'backlight', device: '10-0045' }, root);
    await display.start();
    expect(display.status).toBe('ok');
    expect(await display.state()).toEqual({ on: true, brightness: 78 });
    await display.setPower(false);
    expect(await read('bl_power')).toBe('4');
    expect((await display.state()).on).toBe(false);
    await display.setBrightness(50);
    expect(await read('brightness')).toBe('128');
    await display.setPower(true);
    expect(await read('bl_power')).toBe('0');
  });

  it('without bl_power, off is brightness 0 and on restores the previous level', async () => {
    await layout({ max_brightness: '7', brightness: '5' });
    display = new BacklightDisplay({ id: 'display' }, { driver: 'backlight', device: '10-0045' }, root);
    await display.start();
    await display.setPower(false);
    expect(await read('brightness')).toBe('0');
    expect(await display.state()).toEqual({ on: false, brightness: 0 });
    await display.setPower(true);
    expect(await read('brightness')).toBe('5');
    await display.setBrightness(1);
    expect(await read('brightness')).toBe('1');
  });

  it('is failed while the device is missing, and ok once it appears', async () => {
    display = new BacklightDisplay(
      { id: 'display', backoff: fastRetry },
      { driver: 'backlight', device: '10-0045' },
      root,
    );
    await display.start();
    expect(display.status).toBe('failed');
    await layout({ max_brightness: '100', brightness: '10', bl_power: '0' });
    await waitFor('backlight to appear', () => display.status === 'ok', 10_000);
  });

  it('refuses a device name that escapes the sysfs folder', () => {
    expect(() => new BacklightDisplay({ id: 'display' }, { driver: 'backlight', device: '../../etc' }, root)).toThrow(
      /name under/,
    );
  });
});

// cec-ctl cannot reach a TV here (no /dev/cec*): the device node is a temp file and a fake cec-ctl
// answers like cec-ctl does, including a TV that stops acknowledging.
describe('CecDisplay against a fake cec-ctl', () => {
  let bin: FakeExecutables;
  let display: CecDisplay;
  let node: string;

  beforeEach(async () => {
    bin = await FakeExecutables.create();
    node = join(bin.dir, 'cec0');
    await writeFile(node, '');
    await bin.add(
      'cec-ctl',
      `
case "$*" in
  *--playback) printf 'Driver Info:\\n\\tDriver Name                : fake\\nLogical Address            : 4 (Playback Device 1)\\n' ;;
  *--standby) echo 1 > "$FAKE/tv" ;;
  *--image-view-on) echo 0 > "$FAKE/tv" ;;
  *--give-device-power-status)
    echo "Transmit from Playback Device 1 to TV (4 to 0):"
    echo "GIVE_DEVICE_POWER_STATUS (0x8f)"
    if [ -f "$FAKE/nack" ]; then echo "	Sequence: 3 Tx Timestamp: 9.1s Tx, Not Acknowledged (4), Max Retries"; exit 0; fi
    echo "	Received from TV (0 to 4): REPORT_POWER_STATUS (0x90):"
    case "$(cat "$FAKE/tv")" in 0) echo "		pwr-state: on (0x00)";; *) echo "		pwr-state: standby (0x01)";; esac ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac`,
    );
    await bin.setState('tv', '1');
    display = new CecDisplay({ id: 'display', backoff: fastRetry }, { driver: 'cec', device: node }, bin.runner());
  });
  afterEach(async () => {
    await display.stop();
    await bin.remove();
  });

  it('registers as playback device, wakes and puts the TV to standby', async () => {
    await display.start();
    expect(display.status).toBe('ok');
    expect(await display.state()).toEqual({ on: false, brightness: null });
    await display.setPower(true);
    expect(await display.state()).toEqual({ on: true, brightness: null });
    await display.setPower(false);
    expect(await bin.calls('cec-ctl')).toEqual([
      `--device ${node} --playback`,
      `--device ${node} --to 0 --give-device-power-status`,
      `--device ${node} --to 0 --image-view-on`,
      `--device ${node} --to 0 --give-device-power-status`,
      `--device ${node} --to 0 --standby`,
    ]);
    await expect(display.setBrightness()).rejects.toThrow(/cannot set brightness/);
  });

  it('a TV that stops acknowledging makes the display reconnect', async () => {
    await display.start();
    await bin.setState('nack', '');
    await expect(display.state()).rejects.toThrow(/does not acknowledge/);
    expect(display.status).toBe('connecting');
    await waitFor('reconnect', () => display.status === 'ok', 10_000);
  });

  it('is failed while the CEC device node is missing', async () => {
    await rm(node);
    await display.start();
    expect(display.status).toBe('failed');
    expect(display.snapshot().detail).toMatch(/does not exist/);
  });
});
