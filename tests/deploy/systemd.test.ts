import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, projectRoot } from '../../config/load.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const root = projectRoot();

/** Section → key → values (a key may repeat, as ReadWritePaths does). Continuation lines are joined. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current = new Map<string, string[]>();
  const joined = text.replace(/\\\n\s*/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    current.set(key, [...(current.get(key) ?? []), line.slice(at + 1)]);
  }
  return sections;
}

const unit = (name: string) => parseUnit(readFileSync(join(root, 'systemd', name), 'utf8'));

describe('systemd units', () => {
  it('run the daemon as a notify service with a watchdog, restarted always, with hardware groups', () => {
    const service = unit('diemcau.service').get('Service')!;
    expect(service.get('Type')).toEqual(['notify']);
    expect(Number(service.get('WatchdogSec')?.[0])).toBeGreaterThan(0);
    expect(service.get('Restart')).toEqual(['always']);
    expect(service.get('ExecStart')?.[0]).toMatch(/dist\/kiosk\/cli\.js start$/);
    expect(service.get('SupplementaryGroups')?.[0]?.split(' ')).toEqual(
      expect.arrayContaining(['video', 'audio', 'dialout', 'gpio']),
    );
    expect(service.get('User')).toEqual(['diemcau']);
    expect(service.get('NoNewPrivileges')).toEqual(['yes']);
    expect(service.get('ProtectSystem')).toEqual(['strict']);
    expect(service.get('ReadWritePaths')!.join(' ')).toContain('/var/lib/diemcau');
  });

  it('point the kiosk browser at the daemon kiosk port, under cage', () => {
    const service = unit('diemcau-kiosk.service').get('Service')!;
    const execStart = service.get('ExecStart')![0]!;
    expect(execStart).toMatch(/^\/usr\/bin\/cage .*-- \/usr\/bin\/chromium .*--kiosk/);
    const url = service
      .get('Environment')!
      .find((e) => e.startsWith('DIEMCAU_KIOSK_URL='))!
      .split('=')[1]!;
    const kioskPort = loadConfigFile(join(root, 'config', 'default.json')).web.kiosk.port;
    expect(new URL(url).host).toBe(`127.0.0.1:${kioskPort}`);
    expect(execStart).toContain('$' + '{DIEMCAU_KIOSK_URL}');
  });

  it('keep the kiosk browser on the kiosk address: every other URL, devtools, downloads and extensions blocked by policy', () => {
    const policy = JSON.parse(readFileSync(join(root, 'systemd', 'chromium', 'diemcau-kiosk.json'), 'utf8'));
    const url = unit('diemcau-kiosk.service')
      .get('Service')!
      .get('Environment')!
      .find((e) => e.startsWith('DIEMCAU_KIOSK_URL='))!
      .split('=')[1]!;
    expect(policy.URLBlocklist).toEqual(['*']);
    expect(policy.URLAllowlist).toEqual([url]);
    expect(policy).toMatchObject({
      DeveloperToolsAvailability: 2,
      DownloadRestrictions: 3,
      ExtensionInstallBlocklist: ['*'],
      IncognitoModeAvailability: 1,
    });
  });

  it("run the updater as root outside the daemon, started by a path unit on the daemon's request file", async () => {
    const path = unit('diemcau-update.path').get('Path')!;
    const dataDir = loadConfigFile(join(root, 'config', 'examples', 'rpi5-visca-nut.json')).storage.dataDir;
    expect(path.get('PathExists')).toEqual([join(dataDir, 'updates', 'request.json')]);
    expect(path.get('Unit')).toEqual(['diemcau-update.service']);
    const service = unit('diemcau-update.service').get('Service')!;
    expect(service.get('Type')).toEqual(['oneshot']);
    expect(service.get('User')).toEqual(['root']);
    expect(service.get('ExecStart')?.[0]).toBe('/usr/bin/node /opt/diemcau/current/dist/kiosk/cli.js update apply');
    expect(service.get('ReadWritePaths')?.[0]?.split(' ')).toEqual(['/opt/diemcau', dataDir]);
    // Part of no daemon's lifetime: stopping diemcau.service must not stop the updater that stopped it.
    expect(unit('diemcau-update.service').get('Unit')!.get('PartOf')).toBeUndefined();
    expect(unit('diemcau.service').get('Service')!.get('ExecStart')?.[0]).toMatch(
      /^\/usr\/bin\/node (--[\w-]+=\S+ )*\/opt\/diemcau\/current\/dist\/kiosk\/cli\.js start$/,
    );
  });

  it('pass systemd-analyze verify (apart from executables that exist only on an installed device)', async () => {
    const result = await run(
      'systemd-analyze',
      [
        'verify',
        '--man=no',
        ...['diemcau.service', 'diemcau-kiosk.service', 'diemcau-update.service', 'diemcau-update.path'].map((name) =>
          join(root, 'systemd', name),
        ),
      ],
      { env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' } },
    ).then(
      (r) => r.stderr,
      (error) => error.stderr as string,
    );
    const problems = result
      .split('\n')
      .filter((line) => line.trim() && !/Command \/opt\/diemcau\/\S+ is not executable/.test(line));
    expect(problems).toEqual([]);
  });
});

describe('scripts/install-device.sh into an image root', () => {
  let image: string;
  beforeAll(async () => {
    image = await makeTempDir('image');
  });
  afterAll(() => removeTempDir(image));

  it('lays out software, units, rules and config, and is idempotent', async () => {
    const args = [
      'scripts/install-device.sh',
      '--root',
      image,
      '--profile',
      'config/examples/rpi5-visca-nut.json',
      '--board',
      'raspberry-pi-5',
      '--no-enable',
    ];
    await run('bash', args, { cwd: root });
    for (const path of [
      'opt/diemcau/current/dist/kiosk/cli.js',
      'etc/systemd/system/diemcau-update.service',
      'etc/systemd/system/diemcau-update.path',
      'etc/chromium/policies/managed/diemcau-kiosk.json',
      'boot/firmware/overlays/diemcau-io.dtbo',
      'etc/systemd/system/diemcau.service',
      'etc/systemd/system/diemcau-kiosk.service',
      'etc/udev/rules.d/70-diemcau.rules',
      'etc/tmpfiles.d/diemcau.conf',
      'etc/sysusers.d/diemcau.conf',
      'etc/polkit-1/rules.d/50-diemcau-power.rules',
      'etc/systemd/system.conf.d/diemcau-watchdog.conf',
      'usr/local/bin/diemcau',
    ]) {
      expect(existsSync(join(image, path)), path).toBe(true);
    }
    const configPath = join(image, 'etc/diemcau/config.json');
    expect(loadConfigFile(configPath).room.id).toBe('dt-cao-lanh-tcd');

    // A technician's edit survives a re-install, and the boot block is not stacked twice.
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('dt-cao-lanh-tcd', 'dt-cao-lanh-phong-2'));
    await run('bash', args, { cwd: root });
    expect(loadConfigFile(configPath).room.id).toBe('dt-cao-lanh-phong-2');
    const boot = readFileSync(join(image, 'boot/firmware/config.txt'), 'utf8');
    expect(boot.match(/# >>> diemcau >>>/g)).toHaveLength(1);
    expect(boot).toContain('dtoverlay=uart0-pi5');
  });

  it('refuses an invalid profile before installing anything', async () => {
    const bad = join(image, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1 }));
    const failure = await run(
      'bash',
      ['scripts/install-device.sh', '--root', join(image, 'second'), '--profile', bad, '--no-enable'],
      { cwd: root },
    ).catch((e) => e);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('room: required');
    expect(existsSync(join(image, 'second', 'opt'))).toBe(false);
  });
});
