import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { loadOrCreateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { EvidenceStore } from '../../kiosk/evidence/evidence-store.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { addConsoleUser, login } from '../support/console-client.js';
import { startDaemon, verifyWithCli, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { age, ageDecryptWithPassphrase, keygen } from './age-cli.js';
import { recordTestSegment, segmentFileName, silentLogger } from './fixtures.js';
import { mountTestDrive, type TestDrive } from './test-drive.js';
import { migrations } from '../../kiosk/database-schema.js';

/**
 * Exports through the console of the built daemon: only to removable drives, confidential
 * recordings only as age files, a passphrase only for a role that may read identities.
 *
 * No removable drive can be plugged here: the "USB drive" is a loop-mounted ext4 image under
 * /run/media/test-…, which the daemon's lsblk (DIEMCAU_LSBLK, a wrapper around the real lsblk,
 * test only) reports as removable. A second loop-mounted image, not marked, stands for a fixed
 * disk mounted under /run/media, and a tmpfs there for a pseudo filesystem.
 */
const run = promisify(execFile);
const cli = join(projectRoot(), 'dist', 'kiosk', 'cli.js');
const PASSWORDS = { kythuat: 'mật khẩu kỹ thuật 1', lanhdao: 'mật khẩu lãnh đạo 1' };

/** The daemon's CPU seconds so far (utime + stime from /proc/PID/stat). */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('export through the console', () => {
  let dir: string;
  let daemon: DaemonHandle;
  let drive: TestDrive;
  let fixedDisk: TestDrive;
  let tmpfsMount: string;
  let authority: { file: string; publicKey: string };
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    dir = await makeTempDir('export-console');
    const keys = join(dir, 'keys');
    await mkdir(keys);
    authority = await keygen(keys, 'thanh-tra');
    const configPath = writeTestConfig(dir, (config) => {
      config.evidence = {
        export: { recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }], timeoutSeconds: 120 },
      };
    });
    // Two finished recordings in the device's database before the daemon starts: one confidential.
    const dataDir = join(dir, 'data');
    const { key } = await loadOrCreateDeviceKey(dataDir);
    const { db } = await openStore(join(dataDir, 'diemcau.sqlite'), migrations);
    try {
      const store = new EvidenceStore({
        db,
        recordingsDir: join(dataDir, 'recordings'),
        key,
        device: { id: 'dev', room: 'sim-room' },
        logger: silentLogger,
      });
      for (const [id, confidential] of [
        ['rec-tc', true],
        ['rec-plain', false],
      ] as const) {
        await store.catalog.openRecording(id, {
          sessionId: `s-${id}`,
          dir: id,
          confidential,
          startedAt: '2026-01-02T03:00:00+07:00',
        });
        await mkdir(join(dataDir, 'recordings', id), { recursive: true });
        for (let index = 0; index < 2; index++) {
          const path = join(dataDir, 'recordings', id, segmentFileName(index));
          await recordTestSegment(path);
          const digest = await sha256File(path);
          await store.registerSegment({
            recordingId: id,
            index,
            path,
            sizeBytes: digest.size,
            durationSeconds: 1,
            sha256: digest.sha256,
            startedAt: `2026-01-02T03:00:0${index}+07:00`,
            endedAt: `2026-01-02T03:00:0${index + 1}+07:00`,
          });
        }
        await store.seal(id, []);
      }
    } finally {
      await db.close();
    }
    await addConsoleUser(configPath, 'kythuat', 'technician', PASSWORDS.kythuat);
    await addConsoleUser(configPath, 'lanhdao', 'leader', PASSWORDS.lanhdao);

    drive = await mountTestDrive({ label: 'KINGSTON' });
    fixedDisk = await mountTestDrive({ label: 'FIXED', markRemovable: false });
    tmpfsMount = `${drive.mountPoint}-RAM`;
    await mkdir(tmpfsMount, { recursive: true });
    await run('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', tmpfsMount]);
    daemon = await startDaemon(configPath, { env: { DIEMCAU_LSBLK: drive.lsblkCommand } });
    cookies.kythuat = await login(daemon.consoleUrl, 'kythuat', PASSWORDS.kythuat);
    cookies.lanhdao = await login(daemon.consoleUrl, 'lanhdao', PASSWORDS.lanhdao);
  }, 120_000);

  afterAll(async () => {
    await daemon?.stop();
    if (tmpfsMount) await run('umount', [tmpfsMount]).catch(() => undefined);
    await drive?.remove();
    await fixedDisk?.remove();
    await removeTempDir(dir);
  });

  const call = async (user: keyof typeof PASSWORDS, method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${daemon.consoleUrl}/api${path}`, {
      method,
      headers: { cookie: cookies[user]!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: response.status, body: (await response.json()) as any, ms: performance.now() - started };
  };

  it('lists the removable drive with its free space, and only it', async () => {
    const { status, body } = await call('kythuat', 'GET', '/evidence/drives');
    expect(status).toBe(200);
    expect(body.drives).toEqual([
      {
        name: expect.stringMatching(/^loop\d+$/),
        device: drive.device,
        label: null,
        mountPoint: drive.mountPoint,
        fstype: 'ext4',
        sizeBytes: 64 * 1024 * 1024,
        freeBytes: expect.any(Number),
      },
    ]);
    expect(body.drives[0].freeBytes).toBeGreaterThan(40 * 1024 * 1024);
    console.log(`drives: ${JSON.stringify(body.drives)}`);
  });

  it('refuses every target that is not on a removable drive, at once, with the reason', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await symlink(outside, join(drive.mountPoint, 'link-out'));
    const cases: [string, string, RegExp][] = [
      [
        '/etc',
        '/etc',
        /refused: it is on the system disk, not a removable drive; removable drives mounted now: \/run\/media\/test-/,
      ],
      ['/root', '/root', /on the system disk/],
      ['/', '/', /on the system disk/],
      ['/proc', '/proc', /proc pseudo filesystem/],
      ['/proc/self', '/proc/self', /proc pseudo filesystem/],
      ['/sys', '/sys', /sysfs pseudo filesystem/],
      [
        "the console's static folder (served without a login)",
        join(projectRoot(), 'dist', 'kiosk', 'ui'),
        /on the system disk/,
      ],
      ['the console page folder', join(projectRoot(), 'kiosk', 'ui', 'console'), /on the system disk/],
      ['the recordings themselves', join(dir, 'data', 'recordings'), /on the system disk/],
      [
        'a symlink on the drive pointing out of it',
        join(drive.mountPoint, 'link-out'),
        /link-out \(.*outside\) refused: it is on the system disk/,
      ],
      ['a path climbing out of the drive', `${drive.mountPoint}/../../../../etc`, /refused: it is on the system disk/],
      [
        'a fixed disk mounted under /run/media',
        fixedDisk.mountPoint,
        /which is not a drive to export to: \/dev\/loop\d+ is not a removable drive/,
      ],
      ['a tmpfs mounted under /run/media', tmpfsMount, /tmpfs pseudo filesystem/],
      ['a folder that does not exist', join(drive.mountPoint, 'missing'), /cannot be used \(ENOENT\)/],
      ['a relative path', 'media/usb', /an absolute path/],
    ];
    for (const [name, to, message] of cases) {
      const refused = await call('kythuat', 'POST', '/evidence/recordings/rec-plain/export', { to });
      console.log(
        `refused ${name} (${to}) in ${refused.ms.toFixed(0)} ms: ${refused.status} ${refused.body.error.message ?? ''}${refused.body.error.details ? JSON.stringify(refused.body.error.details) : ''}`,
      );
      expect(refused.status, name).toBe(400);
      expect(refused.body.error.code, name).toBe(to.startsWith('/') ? 'export_refused_bad_target' : 'invalid_body');
      if (to.startsWith('/')) expect(refused.body.error.message, name).toMatch(message);
      expect(refused.ms, name).toBeLessThan(3000);
    }
    expect(await readdir(outside)).toEqual([]);
    // The destination is judged first: a refused target is the answer even for a recording that does not exist.
    const unknown = await call('kythuat', 'POST', '/evidence/recordings/no-such-recording/export', { to: '/etc' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'export_refused_bad_target']);
    await expect(readdir('/proc/self/diemcau')).rejects.toThrow();
    // /proc used to send the daemon into an endless recursive mkdir: now it is idle again.
    const pid = daemon.child.pid!;
    const before = await cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const used = (await cpuSeconds(pid)) - before;
    console.log(`daemon CPU over 2 s after the refusals: ${((used / 2) * 100).toFixed(1)} %`);
    expect(used / 2).toBeLessThan(0.5);
  });

  it('exports a plain recording to the drive, verified by diemcau verify', async () => {
    const done = await call('kythuat', 'POST', '/evidence/recordings/rec-plain/export', { to: drive.mountPoint });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      dir: join(drive.mountPoint, 'rec-plain'),
      encrypted: false,
      alreadyExported: false,
    });
    expect(await verifyWithCli(done.body.dir)).toMatchObject({ code: 0 });
    // Readable by the authority's user on another machine, not only by the device's service user.
    expect((await stat(done.body.dir)).mode & 0o777).toBe(0o755);
    for (const name of await readdir(done.body.dir))
      expect((await stat(join(done.body.dir, name))).mode & 0o777, name).toBe(0o644);
  });

  it('a technician exports a confidential recording to the recipients only, never to a passphrase of their own', async () => {
    const refused = await call('kythuat', 'POST', '/evidence/recordings/rec-tc/export', {
      to: drive.mountPoint,
      encrypt: true,
      passphrase: 'mật khẩu của kỹ thuật viên',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'export_refused_passphrase_forbidden',
      message: expect.stringContaining('role technician may not choose an export passphrase'),
    });

    const done = await call('kythuat', 'POST', '/evidence/recordings/rec-tc/export', { to: drive.mountPoint });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ dir: join(drive.mountPoint, 'rec-tc.encrypted'), encrypted: true });
    const verified = await verifyWithCli(done.body.dir);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('age-encrypted to Thanh tra tỉnh');
    const manifest = JSON.parse(await readFile(join(done.body.dir, 'manifest.json'), 'utf8'));
    const opened = await age(['-d', '-i', authority.file, join(done.body.dir, `${segmentFileName(0)}.age`)]);
    expect(opened.code).toBe(0);
    expect(createHash('sha256').update(opened.stdout).digest('hex')).toBe(manifest.segments[0].sha256);

    // The CLI decrypts with the identity and re-verifies against the clear manifest.
    const out = join(dir, 'decrypted');
    const decrypted = await run(process.execPath, [
      cli,
      'verify',
      done.body.dir,
      '--decrypt-to',
      out,
      '--identity-file',
      authority.file,
    ]);
    expect(decrypted.stdout).toContain(`OK ${out}: recording rec-tc, 2 segments`);
  }, 60_000);

  it('a leader may choose a passphrase; age opens the copy with it', async () => {
    const folder = join(drive.mountPoint, 'lanh-dao');
    await mkdir(folder);
    const passphrase = 'cụm mật khẩu của lãnh đạo';
    const short = await call('lanhdao', 'POST', '/evidence/recordings/rec-tc/export', {
      to: folder,
      passphrase: 'ngắn',
    });
    expect(short.status).toBe(400);
    const done = await call('lanhdao', 'POST', '/evidence/recordings/rec-tc/export', { to: folder, passphrase });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    console.log(`leader's passphrase export (scrypt 2^18 per file): ${done.ms.toFixed(0)} ms`);
    const encrypted = JSON.parse(await readFile(join(done.body.dir, 'encrypted-manifest.json'), 'utf8'));
    expect(encrypted.to).toEqual({ kind: 'passphrase', scryptWorkFactor: 18 });
    const out = join(dir, 'leader-segment.mkv');
    const opened = await ageDecryptWithPassphrase(join(done.body.dir, `${segmentFileName(1)}.age`), out, passphrase);
    expect(opened.code, opened.output).toBe(0);
    const manifest = JSON.parse(await readFile(join(done.body.dir, 'manifest.json'), 'utf8'));
    expect((await sha256File(out)).sha256).toBe(manifest.segments[1].sha256);
    const passphraseFile = join(dir, 'passphrase.txt');
    await writeFile(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
    const decrypted = await run(process.execPath, [
      cli,
      'verify',
      done.body.dir,
      '--decrypt-to',
      join(dir, 'leader-clear'),
      '--passphrase-file',
      passphraseFile,
    ]);
    expect(decrypted.stdout).toContain('recording rec-tc, 2 segments');
  }, 60_000);
});
