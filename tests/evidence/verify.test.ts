import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runVerify } from '../../kiosk/cli/verify.js';
import { encodeSignature, generateDeviceKey, signBytes } from '../../kiosk/evidence/device-key.js';
import { manifestBytes, type Manifest } from '../../kiosk/evidence/manifest.js';
import { verifyFolder } from '../../kiosk/evidence/verify.js';
import { makeSealedFolder, segmentFileName, tempDirs } from './fixtures.js';

const key = generateDeviceKey();
const temp = tempDirs();
afterAll(() => temp.cleanup());

let dir: string;
let manifest: Manifest;
beforeEach(async () => {
  dir = join(await temp.make(), 'rec-test');
  manifest = await makeSealedFolder(dir, key);
});

async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] = bytes[offset]! ^ 0x01;
  await writeFile(path, bytes);
}

/** Rewrites the manifest as an attacker holding the device key would (to show checks beyond the signature). */
async function resign(edit: (m: Manifest) => void): Promise<void> {
  edit(manifest);
  const bytes = manifestBytes(manifest);
  await writeFile(join(dir, 'manifest.json'), bytes);
  await writeFile(join(dir, 'manifest.sig'), encodeSignature(signBytes(key, bytes)));
}

describe('verifyFolder', () => {
  it('passes an intact folder and reports what it checked', async () => {
    const report = await verifyFolder(dir, { pinnedPublicKeyPem: key.publicKeyPem });
    expect(report).toMatchObject({
      ok: true,
      findings: [],
      segments: 3,
      bytesHashed: 4096 + 10_000 + 1,
      recordingId: 'rec-test',
      fingerprint: key.fingerprint,
      encrypted: false,
    });
  });

  it.each<[string, () => Promise<void>, { file: string; reason: string }[]]>([
    [
      'a changed byte in a segment',
      () => flipByte(join(dir, segmentFileName(1)), 5000),
      [{ file: segmentFileName(1), reason: 'hash-mismatch' }],
    ],
    [
      'a truncated segment',
      () => writeFile(join(dir, segmentFileName(0)), 'short'),
      [{ file: segmentFileName(0), reason: 'size-mismatch' }],
    ],
    ['a missing segment', () => rm(join(dir, segmentFileName(2))), [{ file: segmentFileName(2), reason: 'missing' }]],
    [
      'an extra file',
      () => writeFile(join(dir, 'segment-00003.mkv'), 'x'),
      [{ file: 'segment-00003.mkv', reason: 'extra' }],
    ],
    ['an extra folder', () => mkdir(join(dir, 'notes')), [{ file: 'notes', reason: 'extra' }]],
    [
      'two segment files swapped on disk',
      async () => {
        await rename(join(dir, segmentFileName(0)), join(dir, 'tmp'));
        await rename(join(dir, segmentFileName(1)), join(dir, segmentFileName(0)));
        await rename(join(dir, 'tmp'), join(dir, segmentFileName(1)));
      },
      [
        { file: segmentFileName(0), reason: 'size-mismatch' },
        { file: segmentFileName(1), reason: 'size-mismatch' },
      ],
    ],
    [
      'a manifest edit without re-signing',
      async () => {
        const text = (await readFile(join(dir, 'manifest.json'), 'utf8')).replace('"sim-room"', '"other-room"');
        await writeFile(join(dir, 'manifest.json'), text);
      },
      [{ file: 'manifest.sig', reason: 'bad-signature' }],
    ],
    [
      'a signature from another key',
      async () => {
        await writeFile(
          join(dir, 'manifest.sig'),
          encodeSignature(signBytes(generateDeviceKey(), await readFile(join(dir, 'manifest.json')))),
        );
      },
      [{ file: 'manifest.sig', reason: 'bad-signature' }],
    ],
    ['a missing signature', () => rm(join(dir, 'manifest.sig')), [{ file: 'manifest.sig', reason: 'bad-signature' }]],
    [
      'a manifest that is not JSON',
      () => appendFile(join(dir, 'manifest.json'), '}'),
      [{ file: 'manifest.json', reason: 'bad-manifest' }],
    ],
    ['a missing manifest', () => rm(join(dir, 'manifest.json')), [{ file: 'manifest.json', reason: 'bad-manifest' }]],
    [
      'segments reordered in the manifest and re-signed',
      () =>
        resign((m) => {
          m.segments.reverse();
        }),
      [
        { file: segmentFileName(2), reason: 'reordered' },
        { file: segmentFileName(1), reason: 'reordered' },
        { file: segmentFileName(0), reason: 'reordered' },
        { file: 'manifest.json', reason: 'chain-broken' },
      ],
    ],
    [
      'a re-signed manifest hiding a replaced segment',
      async () => {
        await writeFile(join(dir, segmentFileName(1)), 'forged');
        await resign((m) => {
          m.segments[1]!.size = 6;
          m.segments[1]!.sha256 = 'b9e8c2d3a4f1d0b7d67ebbfe0e0f1d2f8e1e5d40a6c38a87c0a3a5b2f1b4c0d1';
        });
      },
      [
        { file: segmentFileName(1), reason: 'chain-broken' },
        { file: segmentFileName(1), reason: 'hash-mismatch' },
      ],
    ],
  ])('finds %s', async (_name, tamper, expected) => {
    await tamper();
    const report = await verifyFolder(dir);
    expect(report.ok).toBe(false);
    expect(report.findings.map(({ file, reason }) => ({ file, reason }))).toEqual(expected);
  });

  it('with a pinned key, refuses a folder re-signed by another device', async () => {
    const other = generateDeviceKey();
    const otherDir = join(await temp.make(), 'rec-other');
    await makeSealedFolder(otherDir, other);
    const report = await verifyFolder(otherDir, { pinnedPublicKeyPem: key.publicKeyPem });
    expect(report.findings.map(({ file, reason }) => ({ file, reason }))).toEqual([
      { file: 'manifest.json', reason: 'key-mismatch' },
      { file: 'manifest.sig', reason: 'bad-signature' },
    ]);
  });

  it('refuses a manifest whose key does not match its own fingerprint', async () => {
    await resign((m) => {
      m.publicKey.pem = generateDeviceKey().publicKeyPem;
    });
    const report = await verifyFolder(dir);
    expect(report.findings.map(({ file, reason }) => ({ file, reason }))).toEqual([
      { file: 'manifest.json', reason: 'bad-manifest' },
    ]);
  });
});

describe('diemcau verify', () => {
  const run = async (args: string[]) => {
    const lines: string[] = [];
    const code = await runVerify(args, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    return { code, text: lines.join('\n') };
  };

  it('exits 0 on an intact folder, printing the signer', async () => {
    const { code, text } = await run([dir]);
    expect(code).toBe(0);
    expect(text).toContain(`OK ${dir}: recording rec-test, 3 segments`);
    expect(text).toContain(key.fingerprint);
  });

  it('exits 1 naming the file and the reason', async () => {
    await flipByte(join(dir, segmentFileName(0)), 0);
    const { code, text } = await run([dir]);
    expect(code).toBe(1);
    expect(text).toContain(`FAIL ${dir}: 1 problem`);
    expect(text).toContain(`${segmentFileName(0)}: hash-mismatch:`);
  });

  it('pins the device key from a PEM file', async () => {
    const pem = join(await temp.make(), 'device.pub.pem');
    await writeFile(pem, generateDeviceKey().publicKeyPem);
    const { code, text } = await run([dir, '--pubkey', pem]);
    expect(code).toBe(1);
    expect(text).toContain('manifest.json: key-mismatch');
  });
});
