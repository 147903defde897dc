import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runVerify } from '../../kiosk/cli/verify.js';
import { decryptFolder } from '../../kiosk/evidence/decrypt.js';
import { generateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { EvidenceStore } from '../../kiosk/evidence/evidence-store.js';
import { sha256File } from '../../kiosk/core/hashing.js';
import { parseManifest } from '../../kiosk/evidence/manifest.js';
import { verifyFolder } from '../../kiosk/evidence/verify.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { recordTestSegment, segmentFileName, silentLogger, tempDirs } from './fixtures.js';
import { age, ageDecryptWithPassphrase, keygen } from './age-cli.js';
import { mountTestDrive, type TestDrive } from './test-drive.js';
import { migrations } from '../../kiosk/database-schema.js';

/**
 * Confidential exports in the age format, checked against Debian's own `age` CLI (apt package
 * `age`): what the device writes, a recipient opens with `age -d -i key.txt`, and nobody else does.
 */
const run = promisify(execFile);
const temp = tempDirs();
const drives: TestDrive[] = [];
const databases: Database[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.close()));
  await Promise.all(drives.splice(0).map((d) => d.remove()));
  await temp.cleanup();
});

const technician = { id: 'ky-thuat', role: 'technician' };
const leader = { id: 'lanh-dao', role: 'leader' };

const collect = () => {
  const lines: string[] = [];
  return { lines, output: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
};

/** A sealed confidential recording of real GStreamer segments (plus, optionally, one big segment of random bytes). */
async function setup(options: {
  recipients: { name: string; publicKey: string }[];
  bigSegmentMiB?: number;
  driveMiB?: number;
}) {
  const dir = await temp.make();
  const { db } = await openStore(join(dir, 'diemcau.sqlite'), migrations);
  databases.push(db);
  const drive = await mountTestDrive({ sizeMiB: options.driveMiB ?? 64 });
  drives.push(drive);
  const recordingsDir = join(dir, 'recordings');
  const store = new EvidenceStore({
    db,
    recordingsDir,
    key: generateDeviceKey(),
    device: { id: 'dev-1', room: 'sim-room' },
    logger: silentLogger,
    drives: drive.source,
    exportConfig: { recipients: options.recipients, timeoutSeconds: 600 },
  });
  await store.catalog.openRecording('rec-tc', {
    sessionId: 's-1',
    dir: 'rec-tc',
    confidential: true,
    startedAt: '2026-01-02T03:00:00+07:00',
  });
  await mkdir(join(recordingsDir, 'rec-tc'), { recursive: true });
  const count = options.bigSegmentMiB ? 3 : 2;
  for (let index = 0; index < count; index++) {
    const path = join(recordingsDir, 'rec-tc', segmentFileName(index));
    if (index === 2) await writeFile(path, randomBytes(options.bigSegmentMiB! * 1024 * 1024));
    else await recordTestSegment(path);
    const digest = await sha256File(path);
    await store.registerSegment({
      recordingId: 'rec-tc',
      index,
      path,
      sizeBytes: digest.size,
      durationSeconds: 1,
      sha256: digest.sha256,
      startedAt: `2026-01-02T03:00:0${index}+07:00`,
      endedAt: `2026-01-02T03:00:0${index + 1}+07:00`,
    });
  }
  await store.seal('rec-tc', []);
  const manifest = parseManifest(await readFile(join(recordingsDir, 'rec-tc', 'manifest.json')));
  if (!manifest.ok) throw new Error(manifest.problem);
  return { dir, store, drive, recordingsDir, manifest: manifest.manifest };
}

describe('confidential export in the age format', () => {
  it("a technician's export opens with the recipient's identity in Debian's age CLI, with no other, and verifies without any key", async () => {
    const keys = await temp.make();
    const authority = await keygen(keys, 'thanh-tra');
    const stranger = await keygen(keys, 'nguoi-la');
    const { store, drive, manifest, recordingsDir } = await setup({
      recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }],
    });

    const result = await store.export('rec-tc', { targetRoot: drive.mountPoint, actor: technician });
    expect(result).toMatchObject({ encrypted: true, dir: join(drive.mountPoint, 'rec-tc.encrypted') });
    expect((await readdir(result.dir)).sort()).toEqual([
      'encrypted-manifest.json',
      'encrypted-manifest.sig',
      'manifest.json',
      'manifest.sig',
      `${segmentFileName(0)}.age`,
      `${segmentFileName(1)}.age`,
    ]);
    expect(JSON.parse(await readFile(join(result.dir, 'encrypted-manifest.json'), 'utf8'))).toMatchObject({
      format: 'diemcau-encrypted-export/2',
      encryption: 'age-encryption.org/v1',
      to: { kind: 'recipients', recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }] },
    });

    for (const segment of manifest.segments) {
      const file = join(result.dir, `${segment.name}.age`);
      const bytes = await readFile(file);
      // An age v1 file with one X25519 stanza; not a byte of the clear media.
      expect(bytes.subarray(0, 31).toString('latin1')).toBe('age-encryption.org/v1\n-> X25519');
      const clear = await readFile(join(recordingsDir, 'rec-tc', segment.name));
      expect(bytes.includes(clear.subarray(clear.length >> 1, (clear.length >> 1) + 64))).toBe(false);

      const opened = await age(['-d', '-i', authority.file, file]);
      expect(opened.code).toBe(0);
      expect(opened.stdout.length).toBe(segment.size);
      expect(createHash('sha256').update(opened.stdout).digest('hex')).toBe(segment.sha256);

      const refused = await age(['-d', '-i', stranger.file, file]);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout.length).toBe(0);
      expect(refused.stderr).toContain('no identity matched any of the recipients');
    }

    // diemcau verify: signatures and ciphertext hashes, no key at all.
    const verify = collect();
    expect(await runVerify([result.dir], verify.output)).toBe(0);
    expect(verify.lines.join('\n')).toContain('(encrypted copy)');
    expect(verify.lines.join('\n')).toContain(`age-encrypted to Thanh tra tỉnh (${authority.publicKey})`);

    // diemcau verify --decrypt-to with the recipient's identity: decrypted, then verified against the clear manifest.
    const out = join(await temp.make(), 'clear');
    const decrypted = collect();
    expect(
      await runVerify([result.dir, '--decrypt-to', out, '--identity-file', authority.file], decrypted.output),
    ).toBe(0);
    expect(decrypted.lines.filter((l) => l.startsWith('OK'))).toEqual([
      expect.stringContaining('(encrypted copy)'),
      expect.stringContaining(`OK ${out}: recording rec-tc, 2 segments`),
    ]);
    const wrong = collect();
    expect(
      await runVerify(
        [result.dir, '--decrypt-to', join(await temp.make(), 'x'), '--identity-file', stranger.file],
        wrong.output,
      ),
    ).toBe(1);
    expect(wrong.lines.join('\n')).toContain('none of the given identities is a recipient of this file');
    const passphraseFile = join(keys, 'pass.txt');
    await writeFile(passphraseFile, 'một cụm mật khẩu dài\n');
    const notPassphrase = collect();
    expect(
      await runVerify(
        [result.dir, '--decrypt-to', join(await temp.make(), 'y'), '--passphrase-file', passphraseFile],
        notPassphrase.output,
      ),
    ).toBe(1);
    expect(notPassphrase.lines.join('\n')).toContain('encrypted to the recipients Thanh tra tỉnh');

    // One flipped byte in an .age file: verify names it, without a key; age itself refuses it.
    const target = join(result.dir, `${segmentFileName(1)}.age`);
    const bytes = await readFile(target);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01;
    await writeFile(target, bytes);
    const tampered = collect();
    expect(await runVerify([result.dir], tampered.output)).toBe(1);
    expect(tampered.lines.join('\n')).toContain(`${segmentFileName(1)}.age: hash-mismatch`);
    expect((await verifyFolder(result.dir)).findings).toMatchObject([
      { file: `${segmentFileName(1)}.age`, reason: 'hash-mismatch' },
    ]);
    expect((await age(['-d', '-i', authority.file, target])).code).not.toBe(0);
    const tamperedOut = join(await temp.make(), 'tampered');
    await expect(
      decryptFolder(result.dir, tamperedOut, {
        kind: 'identities',
        identities: [
          (await readFile(authority.file, 'utf8')).split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!,
        ],
      }),
    ).rejects.toThrow('does not authenticate');
    await expect(readdir(tamperedOut)).rejects.toThrow('ENOENT');
  }, 120_000);

  it("a leader may encrypt to a passphrase instead, which Debian's age opens (typed at its terminal)", async () => {
    const keys = await temp.make();
    const authority = await keygen(keys, 'thanh-tra');
    const { store, drive, manifest } = await setup({
      recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }],
    });
    const passphrase = 'một cụm mật khẩu dài của lãnh đạo';
    // The technician cannot: a passphrase the technician chose would let the technician decrypt.
    await expect(
      store.export('rec-tc', { targetRoot: drive.mountPoint, actor: technician, passphrase }),
    ).rejects.toMatchObject({ kind: 'passphrase-forbidden' });

    const started = performance.now();
    const result = await store.export('rec-tc', { targetRoot: drive.mountPoint, actor: leader, passphrase });
    console.log(
      `passphrase export (scrypt 2^18 per file, ${manifest.segments.length} files): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(await verifyFolder(result.dir)).toMatchObject({
      ok: true,
      encrypted: true,
      encryptedTo: { kind: 'passphrase', scryptWorkFactor: 18 },
    });
    const segment = manifest.segments[0]!;
    const file = join(result.dir, `${segment.name}.age`);
    expect((await readFile(file)).subarray(0, 31).toString('latin1')).toBe('age-encryption.org/v1\n-> scrypt');

    const out = join(await temp.make(), segment.name);
    const opened = await ageDecryptWithPassphrase(file, out, passphrase);
    expect(opened.code, opened.output).toBe(0);
    expect((await sha256File(out)).sha256).toBe(segment.sha256);
    const wrong = await ageDecryptWithPassphrase(file, `${out}.wrong`, 'không phải mật khẩu này');
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain('incorrect passphrase');
    // The recipient's identity does not open a passphrase export (age allows a passphrase only alone).
    expect((await age(['-d', '-i', authority.file, file])).code).not.toBe(0);

    // diemcau verify --decrypt-to with the passphrase file.
    const passphraseFile = join(keys, 'pass.txt');
    await writeFile(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
    const decrypted = collect();
    expect(
      await runVerify(
        [result.dir, '--decrypt-to', join(await temp.make(), 'clear'), '--passphrase-file', passphraseFile],
        decrypted.output,
      ),
    ).toBe(0);
  }, 120_000);

  it('an export that exceeds its deadline stops, removes its partial copy and says why, soon after the deadline', async () => {
    const keys = await temp.make();
    const authority = await keygen(keys, 'thanh-tra');
    const { dir, drive, manifest } = await setup({
      recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }],
      bigSegmentMiB: 192,
      driveMiB: 400,
    });
    // The same recording, through a store whose deadline (1.5 s) is far shorter than encrypting 200 MB takes.
    const { db } = await openStore(join(dir, 'diemcau.sqlite'), migrations);
    databases.push(db);
    const store = new EvidenceStore({
      db,
      recordingsDir: join(dir, 'recordings'),
      key: generateDeviceKey(),
      device: { id: 'dev-1', room: 'sim-room' },
      logger: silentLogger,
      drives: drive.source,
      exportConfig: { recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }], timeoutSeconds: 1.5 },
    });
    const started = performance.now();
    const error = await store
      .export('rec-tc', { targetRoot: drive.mountPoint, actor: technician })
      .catch((e: unknown) => e as Error);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `export with a 1.5 s deadline, ${manifest.segments.length} segments of which one 192 MiB: refused after ${seconds.toFixed(2)} s: ${error instanceof Error ? error.message : String(error)}`,
    );
    expect(error).toMatchObject({
      name: 'ExportError',
      kind: 'stopped',
      message: expect.stringContaining('was removed'),
    });
    expect((error as Error).message).toContain(
      'it exceeded the export time limit of 1.5 s (evidence.export.timeoutSeconds)',
    );
    expect(seconds).toBeLessThan(4);
    expect((await readdir(drive.mountPoint)).filter((n) => n !== 'lost+found')).toEqual([]);
    expect(await store.catalog.exports('rec-tc')).toEqual([]);
  }, 120_000);

  it('throughput: a 256 MiB segment encrypted, verified and opened by age; memory stays bounded', async () => {
    const keys = await temp.make();
    const authority = await keygen(keys, 'thanh-tra');
    const { store, drive, manifest } = await setup({
      recipients: [{ name: 'Thanh tra tỉnh', publicKey: authority.publicKey }],
      bigSegmentMiB: 256,
      driveMiB: 700,
    });
    const total = manifest.segments.reduce((sum, s) => sum + s.size, 0);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const started = performance.now();
    const result = await store.export('rec-tc', { targetRoot: drive.mountPoint, actor: technician });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    console.log(
      `age export of ${(total / 1e6).toFixed(0)} MB (encrypt + fsync + re-hash of the copy): ${seconds.toFixed(1)} s, ${(total / 1e6 / seconds).toFixed(1)} MB/s; RSS ${(rssBefore / 1e6).toFixed(0)} → peak ${(rssPeak / 1e6).toFixed(0)} MB`,
    );
    expect(rssPeak - rssBefore).toBeLessThan(128 * 1024 * 1024);
    const big = manifest.segments[2]!;
    const opened = await run(
      'sh',
      ['-c', `age -d -i '${authority.file}' '${join(result.dir, `${big.name}.age`)}' | sha256sum`],
      { maxBuffer: 1024 },
    );
    expect(opened.stdout.split(' ')[0]).toBe(big.sha256);
  }, 300_000);
});
