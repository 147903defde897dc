import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash, type AuditRow } from '../../kiosk/evidence/audit-chain.js';
import {
  anchorPayload,
  compareWithDeviceAnchor,
  judgeAnchor,
  judgeAuditHead,
  notaryKeyFrom,
  parseReceipt,
  RECEIPT_FORMAT,
  receiptFileBytes,
  signReceipt,
  checkReceiptSignature,
  type AnchorPayload,
  type ReceiptBody,
} from '../../kiosk/evidence/anchor-receipt.js';
import { buildAnchor, parseAnchorMessage, parseNotaryReply } from '../../kiosk/fleet/nats/anchor.js';
import { parseNotaryPublicKey } from '../../kiosk/fleet/keys/notary-key.js';
import { receiptProblem } from '../../kiosk/fleet/anchoring.js';
import { publicKeyFromServerStyle, serverStylePublicKey } from '../../kiosk/fleet/keys/nkey.js';
import { anchorMessageId, parseSubject, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { anchorsStreamConfig } from '../../scripts/central/anchors.js';
import { monitoringPermissions, roomPermissions } from '../../scripts/central/permissions.js';

const hex = (c: string) => c.repeat(64);
const fp = (c: string) => `sha256:${hex(c)}`;
const anchor: AnchorPayload = {
  v: 1,
  at: '2026-12-01T09:00:00.000Z',
  recordingId: 's-2026-12-01-a',
  sessionId: 's-2026-12-01-a',
  manifestSha256: hex('a'),
  signingKeyFingerprint: fp('b'),
  auditHead: { seq: 3, hash: hex('c') },
};
const body: ReceiptBody = {
  format: RECEIPT_FORMAT,
  room: 'sim-room',
  stream: 'DIEMCAU_ANCHORS',
  streamSeq: 7,
  receivedAt: '2026-12-01T09:00:01.000Z',
  anchor,
};
const notary = notaryKeyFrom(generateKeyPairSync('ed25519').privateKey);
const other = notaryKeyFrom(generateKeyPairSync('ed25519').privateKey);

/** An audit chain of `n` entries, as the device writes it. */
function auditChain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash = AUDIT_GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const entry = {
      seq,
      at: `2026-12-01T08:0${seq}:00.000Z`,
      actor: 'kythuat',
      role: 'technician',
      action: 'view',
      target: 'rec',
      detail: null,
    };
    const hash = auditEntryHash(prevHash, entry);
    rows.push({ ...entry, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

describe('anchor receipts (evidence anchoring)', () => {
  it('signs the canonical body with the notary key; any change to a signed field breaks it', () => {
    const receipt = signReceipt(body, notary);
    expect(receipt.notary).toEqual({ algorithm: 'ed25519', fingerprint: notary.fingerprint });
    expect(checkReceiptSignature(receipt, [other.publicKey, notary.publicKey])).toEqual({ ok: true });
    expect(checkReceiptSignature(receipt, [other.publicKey])).toEqual({ ok: false, why: 'untrusted-notary' });
    for (const changed of [
      { ...receipt, streamSeq: 8 },
      { ...receipt, room: 'other-room' },
      { ...receipt, receivedAt: '2026-12-02T09:00:01.000Z' },
      { ...receipt, anchor: { ...anchor, auditHead: { seq: 2, hash: hex('c') } } },
    ]) {
      expect(checkReceiptSignature(changed, [notary.publicKey])).toEqual({ ok: false, why: 'bad-signature' });
    }
    // A receipt claiming another key's fingerprint is judged by that key, and fails.
    expect(
      checkReceiptSignature({ ...receipt, notary: { algorithm: 'ed25519', fingerprint: other.fingerprint } }, [
        other.publicKey,
      ]),
    ).toEqual({ ok: false, why: 'bad-signature' });
    // Round trip through the file.
    const parsed = parseReceipt(receiptFileBytes(receipt));
    expect(parsed).toEqual({ ok: true, receipt });
  });

  it('anchors carry hashes and ids only: unknown fields (a title, a name) are refused', () => {
    expect(anchorPayload.safeParse(anchor).success).toBe(true);
    expect(anchorPayload.safeParse({ ...anchor, title: 'Tiếp công dân' }).success).toBe(false);
    expect(anchorPayload.safeParse({ ...anchor, manifestSha256: 'ABC' }).success).toBe(false);
    expect(() => buildAnchor({ ...anchor, denouncer: 'x' } as AnchorPayload)).toThrow(/anchor/);
    const bytes = buildAnchor(anchor);
    expect(parseAnchorMessage(subjects.anchor('sim-room'), bytes)).toEqual({
      ok: true,
      value: { roomId: 'sim-room', anchor },
    });
    expect(parseAnchorMessage('diemcau.v1.room.sim-room.event.disk', bytes)).toMatchObject({ ok: false });
    expect(parseAnchorMessage(subjects.anchor('sim-room'), JSON.stringify({ ...anchor, v: 2 }))).toMatchObject({
      ok: false,
      code: 'unsupported-version',
    });
    expect(
      parseNotaryReply(JSON.stringify({ v: 1, ok: false, error: { code: 'not-found', message: 'x' } })),
    ).toMatchObject({ ok: true });
  });

  it('subjects, message id, stream and permissions', () => {
    expect(subjects.anchor('sim-room')).toBe('diemcau.v1.room.sim-room.anchor');
    expect(subjects.notaryReceipt('sim-room')).toBe('diemcau.v1.notary.sim-room.receipt');
    expect(parseSubject('diemcau.v1.room.sim-room.anchor')).toEqual({ kind: 'anchor', roomId: 'sim-room' });
    expect(parseSubject('diemcau.v1.notary.sim-room.receipt')).toEqual({ kind: 'notary-receipt', roomId: 'sim-room' });
    expect(parseSubject('diemcau.v1.notary.sim-room.receipt.x')).toBeUndefined();
    expect(anchorMessageId('sim-room', 's-1.2')).toBe('sim-room:anchor:s-1.2');
    const stream = anchorsStreamConfig();
    expect(stream).toMatchObject({
      subjects: ['diemcau.v1.room.*.anchor'],
      deny_delete: true,
      deny_purge: true,
      max_age: 0,
      discard: 'new',
    });
    expect(roomPermissions('sim-room').publish.allow).toContain('diemcau.v1.notary.sim-room.receipt');
    expect(
      roomPermissions('sim-room').publish.allow.some(
        (s) => s.includes('other-room') || s === subjects.allNotaryReceipts,
      ),
    ).toBe(false);
    expect(monitoringPermissions().allow_responses).toEqual({ max: 1, expires: '1m' });
    expect(
      monitoringPermissions().publish.allow.some((s) => /STREAM\.(DELETE|PURGE|UPDATE|CREATE)|MSG\.DELETE/.test(s)),
    ).toBe(false);
  });

  it('notary public keys: PEM or the N… line, round trip; anything else refused', () => {
    const line = serverStylePublicKey(notary.publicKey);
    expect(line).toMatch(/^N[A-Z2-7]{55}$/);
    expect(publicKeyFromServerStyle(line)?.export({ format: 'jwk' }).x).toBe(
      notary.publicKey.export({ format: 'jwk' }).x,
    );
    expect(checkReceiptSignature(signReceipt(body, notary), [parseNotaryPublicKey(line)])).toEqual({ ok: true });
    expect(
      checkReceiptSignature(signReceipt(body, notary), [
        parseNotaryPublicKey(notary.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      ]),
    ).toEqual({ ok: true });
    const broken = `${line.slice(0, -1)}${line.endsWith('A') ? 'B' : 'A'}`;
    expect(() => parseNotaryPublicKey(broken)).toThrow(/checksum/);
    expect(() => parseNotaryPublicKey('UAXXXX')).toThrow();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => parseNotaryPublicKey(rsa)).toThrow(/Ed25519/);
  });

  it('verify decisions: anchored, not anchored yet, unchecked, mismatch, untrusted, bad receipt', () => {
    const receipt = signReceipt(body, notary);
    const manifest = {
      recordingId: anchor.recordingId,
      sha256: anchor.manifestSha256,
      signingKeyFingerprint: anchor.signingKeyFingerprint,
    };
    const trusted = [notary.publicKey];
    const judge = (r: unknown, m = manifest, keys = trusted) =>
      judgeAnchor({
        receipt: r === undefined ? undefined : parseReceipt(JSON.stringify(r)),
        manifest: m,
        trustedNotaryKeys: keys,
      }).status;
    const table: [string, unknown, typeof manifest, typeof trusted, string][] = [
      ['receipt for this manifest, trusted notary', receipt, manifest, trusted, 'anchored'],
      ['no receipt', undefined, manifest, trusted, 'not-anchored'],
      ['no trusted key given', receipt, manifest, [], 'unchecked'],
      ['manifest rewritten', receipt, { ...manifest, sha256: hex('d') }, trusted, 'mismatch'],
      [
        're-signed with another key',
        receipt,
        { ...manifest, sha256: hex('d'), signingKeyFingerprint: fp('e') },
        trusted,
        'mismatch',
      ],
      ["another recording's receipt", receipt, { ...manifest, recordingId: 'other' }, trusted, 'mismatch'],
      ['mismatch even without a key', receipt, { ...manifest, signingKeyFingerprint: fp('e') }, [], 'mismatch'],
      ['notary not trusted', receipt, manifest, [other.publicKey], 'untrusted-notary'],
      [
        'receipt edited to fit a re-signed folder',
        { ...receipt, anchor: { ...anchor, signingKeyFingerprint: fp('e') } },
        { ...manifest, signingKeyFingerprint: fp('e') },
        trusted,
        'bad-receipt',
      ],
      ['not a receipt', { hello: 1 }, manifest, trusted, 'bad-receipt'],
    ];
    for (const [what, r, m, keys, expected] of table) expect(judge(r, m, keys), what).toBe(expected);
    expect(judgeAnchor({ receipt: parseReceipt('{'), manifest, trustedNotaryKeys: trusted }).status).toBe(
      'bad-receipt',
    );
  });

  it('audit head decisions: intact, newest rows deleted, rows rewritten, chain broken', () => {
    const rows = auditChain(5);
    const head = { seq: 3, hash: rows[2]!.hash };
    expect(judgeAuditHead(head, rows)).toEqual({ status: 'intact', entries: 5 });
    expect(judgeAuditHead({ seq: 0, hash: AUDIT_GENESIS }, [])).toEqual({ status: 'intact', entries: 0 });
    expect(judgeAuditHead(head, rows.slice(0, 2)).status).toBe('rows-missing');
    expect(judgeAuditHead(head, rows.slice(0, 2))).toMatchObject({
      detail: expect.stringContaining('deleted after anchoring'),
    });
    // Rewritten from entry 2 on, every later hash recomputed: the chain holds, the anchored hash does not.
    const rewritten = auditChain(5).map((r) => ({ ...r }));
    let prev = rewritten[0]!.hash;
    for (const row of rewritten.slice(1)) {
      if (row.seq === 2) row.detail = 'sửa';
      row.prevHash = prev;
      row.hash = auditEntryHash(prev, row);
      prev = row.hash;
    }
    expect(judgeAuditHead(head, rewritten).status).toBe('rewritten');
    const edited = rows.map((r) => (r.seq === 5 ? { ...r, target: 'other' } : r));
    expect(judgeAuditHead(head, edited).status).toBe('chain-broken');
  });

  it("compares a folder with the device's own anchor queue", () => {
    const manifest = { sha256: anchor.manifestSha256, signingKeyFingerprint: anchor.signingKeyFingerprint };
    const record = {
      anchor,
      queuedAt: '2026-12-01T09:00:00.000Z',
      receiptAt: '2026-12-01T09:00:02.000Z',
      attempts: 0,
      lastError: null,
    };
    const anchored = { status: 'anchored', receipt: signReceipt(body, notary) } as const;
    expect(compareWithDeviceAnchor(record, manifest, anchored)).toEqual([]);
    expect(compareWithDeviceAnchor({ ...record, receiptAt: null }, manifest, { status: 'not-anchored' })).toEqual([]);
    expect(compareWithDeviceAnchor(record, manifest, { status: 'not-anchored' }).map((p) => p.reason)).toEqual([
      'bad-receipt',
    ]);
    expect(
      compareWithDeviceAnchor(
        record,
        { sha256: hex('d'), signingKeyFingerprint: fp('e') },
        { status: 'not-anchored' },
      ).map((p) => p.reason),
    ).toEqual(['anchor-mismatch', 'anchor-mismatch', 'bad-receipt']);
  });

  it('the room accepts a receipt only for exactly what it published, signed by a configured key', () => {
    const receipt = signReceipt(body, notary);
    const expected = { roomId: 'sim-room', streamSeq: 7, anchor };
    expect(receiptProblem(receipt, expected, [notary.publicKey])).toBeUndefined();
    expect(receiptProblem(receipt, { ...expected, roomId: 'other-room' }, [notary.publicKey])).toMatch(/room/);
    expect(receiptProblem(receipt, { ...expected, streamSeq: 8 }, [notary.publicKey])).toMatch(/not DIEMCAU_ANCHORS 8/);
    expect(
      receiptProblem(receipt, { ...expected, anchor: { ...anchor, manifestSha256: hex('f') } }, [notary.publicKey]),
    ).toMatch(/another anchor/);
    expect(receiptProblem(receipt, expected, [])).toMatch(/notaryKeys/);
    expect(receiptProblem(receipt, expected, [other.publicKey])).toMatch(/not in fleet.notaryKeys/);
  });
});
