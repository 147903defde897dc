import { generateKeyPairSync } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ANCHOR_RECEIPT_FILE,
  notaryKeyFrom,
  RECEIPT_FORMAT,
  signReceipt,
} from '../../kiosk/evidence/anchor-receipt.js';
import { generateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { exportFolder } from '../../kiosk/evidence/export.js';
import { sha256Hex } from '../../kiosk/core/hashing.js';
import { verifyFolder } from '../../kiosk/evidence/verify.js';
import { writeReceipt } from '../../kiosk/fleet/anchoring.js';
import { makeReadOnly } from '../../kiosk/recording/folders.js';
import { makeSealedFolder, tempDirs } from './fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());
const notary = notaryKeyFrom(generateKeyPairSync('ed25519').privateKey);

/** A sealed, read-only folder with a receipt for its manifest written the way the room writes it. */
async function anchoredFolder() {
  const key = generateDeviceKey();
  const dir = join(await dirs.make(), 'rec-test');
  const manifest = await makeSealedFolder(dir, key);
  await makeReadOnly(dir);
  const receipt = signReceipt(
    {
      format: RECEIPT_FORMAT,
      room: 'sim-room',
      stream: 'DIEMCAU_ANCHORS',
      streamSeq: 1,
      receivedAt: '2026-01-02T03:00:08.000Z',
      anchor: {
        v: 1,
        at: manifest.createdAt,
        recordingId: manifest.recording.id,
        manifestSha256: sha256Hex(await readFile(join(dir, 'manifest.json'))),
        signingKeyFingerprint: key.fingerprint,
        auditHead: { seq: 0, hash: '0'.repeat(64) },
      },
    },
    notary,
  );
  expect(await writeReceipt(dir, receipt)).toBe(true);
  return { dir, key, receipt };
}

describe('the anchor receipt in a sealed folder', () => {
  it('is written into the read-only folder, leaves it read-only, and is the one file verify accepts beyond the manifest', async () => {
    const { dir } = await anchoredFolder();
    expect((await stat(dir)).mode & 0o777).toBe(0o550);
    expect((await stat(join(dir, ANCHOR_RECEIPT_FILE))).mode & 0o777).toBe(0o440);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    const report = await verifyFolder(dir, { trustedNotaryKeys: [notary.publicKey] });
    expect(report.findings).toEqual([]);
    expect(report.anchor?.status).toBe('anchored');
    // Without the notary key: read, not checked, not a failure.
    expect((await verifyFolder(dir)).anchor?.status).toBe('unchecked');
  });

  it('travels with an export, clear or encrypted, and the copy verifies as anchored', async () => {
    const { dir, key } = await anchoredFolder();
    for (const encrypt of [
      undefined,
      { kind: 'passphrase' as const, passphrase: 'mật khẩu thử', scryptWorkFactor: 10 },
    ]) {
      const target = await dirs.make();
      const result = await exportFolder({
        sourceDir: dir,
        targetRoot: target,
        name: 'copy',
        key,
        ...(encrypt ? { encrypt } : {}),
      });
      expect(await readdir(result.dir)).toContain(ANCHOR_RECEIPT_FILE);
      const report = await verifyFolder(result.dir, {
        pinnedPublicKeyPem: key.publicKeyPem,
        trustedNotaryKeys: [notary.publicKey],
      });
      expect(report.findings).toEqual([]);
      expect(report.anchor?.status).toBe('anchored');
    }
  });

  it('returns false for a folder that is gone (retention removed it)', async () => {
    const { receipt } = await anchoredFolder();
    expect(await writeReceipt(join(await dirs.make(), 'absent'), receipt)).toBe(false);
  });
});
