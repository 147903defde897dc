import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { findFirstBrokenLink, type AuditRow } from './audit-chain.js';
import { canonicalBytes } from './canonical-json.js';
import { publicKeyFingerprint } from './device-key.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Evidence anchoring (neo bằng chứng, ANCHORING.md): at each seal the room publishes the manifest's
 * hash, its signing key's fingerprint and the audit chain's head to central's append-only stream;
 * central's notary key signs a receipt that is kept beside the manifest. A folder re-signed with
 * another key, or an audit log whose anchored rows were deleted, no longer matches its receipt.
 * Pure: the receipt's shape, its signature, and the verifier's decisions. No I/O.
 */
export const ANCHOR_RECEIPT_FILE = 'anchor-receipt.json';
export const RECEIPT_FORMAT = 'diemcau-anchor-receipt/1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits');
const fingerprint = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'sha256: and 64 hex digits');
const isoTime = z
  .string()
  .min(1)
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, '[A-Za-z0-9._:-], 1–128 characters');

/** What a room anchors: hashes and ids only, never a title, a case or a person. */
export const anchorPayload = z
  .object({
    v: z.literal(1),
    /** When the room sealed the recording. */
    at: isoTime,
    recordingId: id,
    sessionId: id.optional(),
    /** SHA-256 of manifest.json's exact bytes. */
    manifestSha256: hex64,
    /** The device key that signed manifest.json (its `publicKey.fingerprint`). */
    signingKeyFingerprint: fingerprint,
    /** The device's audit chain (nhật ký truy cập) at the seal: its newest entry, seq 0 and the genesis hash when empty. */
    auditHead: z.object({ seq: z.number().int().min(0), hash: hex64 }).strict(),
  })
  .strict();
export type AnchorPayload = z.infer<typeof anchorPayload>;

/** What the notary signs: the anchor as the stream stored it, where and when. */
export const receiptBody = z
  .object({
    format: z.literal(RECEIPT_FORMAT),
    room: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    stream: z.string().min(1).max(64),
    streamSeq: z.number().int().min(1),
    /** The stream's own time for the message: the manifest existed, in this form, by then. */
    receivedAt: isoTime,
    anchor: anchorPayload,
  })
  .strict();
export type ReceiptBody = z.infer<typeof receiptBody>;

export const anchorReceipt = receiptBody
  .extend({
    notary: z.object({ algorithm: z.literal('ed25519'), fingerprint }).strict(),
    /** Ed25519 over the canonical JSON of the body (every field but `notary` and `signature`), base64. */
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature'),
  })
  .strict();
export type AnchorReceipt = z.infer<typeof anchorReceipt>;

export interface NotaryKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
}

export function notaryKeyFrom(privateKey: KeyObject): NotaryKey {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`the notary key must be Ed25519, found ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}

const bodyOf = (receipt: ReceiptBody): ReceiptBody => ({
  format: receipt.format,
  room: receipt.room,
  stream: receipt.stream,
  streamSeq: receipt.streamSeq,
  receivedAt: receipt.receivedAt,
  anchor: receipt.anchor,
});

export function signReceipt(body: ReceiptBody, key: NotaryKey): AnchorReceipt {
  const checked = receiptBody.parse(body);
  const signature = sign(null, canonicalBytes(checked), key.privateKey).toString('base64');
  return { ...checked, notary: { algorithm: 'ed25519', fingerprint: key.fingerprint }, signature };
}

export type ParsedReceipt = { ok: true; receipt: AnchorReceipt } | { ok: false; problem: string };

export function parseReceipt(bytes: Buffer | string): ParsedReceipt {
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON (${describeError(error)})` };
  }
  const parsed = anchorReceipt.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  return { ok: true, receipt: parsed.data };
}

/** The bytes written beside the manifest: readable JSON, one trailing newline. */
export const receiptFileBytes = (receipt: AnchorReceipt): Buffer =>
  Buffer.from(`${JSON.stringify(receipt, null, 2)}\n`, 'utf8');

/** The trusted notary key that signed this receipt, or why none did. */
export function checkReceiptSignature(
  receipt: AnchorReceipt,
  trusted: readonly KeyObject[],
): { ok: true } | { ok: false; why: 'untrusted-notary' | 'bad-signature' } {
  const key = trusted.find((k) => publicKeyFingerprint(k) === receipt.notary.fingerprint);
  if (!key) return { ok: false, why: 'untrusted-notary' };
  const signature = Buffer.from(receipt.signature, 'base64');
  try {
    return verify(null, canonicalBytes(bodyOf(receipt)), key, signature)
      ? { ok: true }
      : { ok: false, why: 'bad-signature' };
  } catch {
    return { ok: false, why: 'bad-signature' };
  }
}

/** What `verify` says about a folder's anchor. */
export type AnchorVerdict =
  | { status: 'anchored'; receipt: AnchorReceipt }
  /** No receipt beside the manifest: never published, or central has not answered yet. */
  | { status: 'not-anchored' }
  /** A receipt, but no trusted notary key to check it with (a copy checked away from any config). */
  | { status: 'unchecked'; receipt: AnchorReceipt }
  | { status: 'mismatch'; receipt: AnchorReceipt; problems: string[] }
  | { status: 'untrusted-notary'; receipt: AnchorReceipt }
  | { status: 'bad-receipt'; problem: string };

export const anchorVerdictFails = (verdict: AnchorVerdict): boolean =>
  verdict.status === 'mismatch' || verdict.status === 'untrusted-notary' || verdict.status === 'bad-receipt';

/**
 * The decision table of ANCHORING.md. A mismatch is reported even when the signature cannot be
 * checked: a folder that was never tampered with never carries a receipt for another manifest.
 */
export function judgeAnchor(input: {
  receipt: ParsedReceipt | undefined;
  manifest: { recordingId: string; sha256: string; signingKeyFingerprint: string };
  trustedNotaryKeys: readonly KeyObject[];
}): AnchorVerdict {
  if (!input.receipt) return { status: 'not-anchored' };
  if (!input.receipt.ok) return { status: 'bad-receipt', problem: input.receipt.problem };
  const { receipt } = input.receipt;
  const { anchor } = receipt;
  const problems: string[] = [];
  if (anchor.recordingId !== input.manifest.recordingId)
    problems.push(`the receipt is for recording ${anchor.recordingId}, the manifest for ${input.manifest.recordingId}`);
  if (anchor.manifestSha256 !== input.manifest.sha256)
    problems.push(
      `the anchored manifest had sha256 ${anchor.manifestSha256}, this one has ${input.manifest.sha256}: the manifest was rewritten after anchoring`,
    );
  if (anchor.signingKeyFingerprint !== input.manifest.signingKeyFingerprint)
    problems.push(
      `anchored as signed by ${anchor.signingKeyFingerprint}, now signed by ${input.manifest.signingKeyFingerprint}: the folder was re-signed with another key`,
    );
  if (input.trustedNotaryKeys.length > 0) {
    const signature = checkReceiptSignature(receipt, input.trustedNotaryKeys);
    if (!signature.ok) {
      return signature.why === 'untrusted-notary'
        ? { status: 'untrusted-notary', receipt }
        : {
            status: 'bad-receipt',
            problem: `the signature does not match the receipt and the notary key ${receipt.notary.fingerprint}`,
          };
    }
  }
  if (problems.length) return { status: 'mismatch', receipt, problems };
  return input.trustedNotaryKeys.length > 0 ? { status: 'anchored', receipt } : { status: 'unchecked', receipt };
}

export type AuditVerdict =
  | { status: 'intact'; entries: number }
  | { status: 'rows-missing'; detail: string }
  | { status: 'rewritten'; detail: string }
  | { status: 'chain-broken'; detail: string };

/**
 * The device's audit chain against the head anchored at the seal: the anchored entry must still be
 * there with the same hash, and the chain must hold. Deleting the newest rows leaves a chain that is
 * intact on its own; only the anchor shows what is gone.
 */
export function judgeAuditHead(head: AnchorPayload['auditHead'], rows: readonly AuditRow[]): AuditVerdict {
  const broken = findFirstBrokenLink(rows);
  const last = rows.at(-1)?.seq ?? 0;
  if (head.seq > last)
    return {
      status: 'rows-missing',
      detail: `anchored with ${head.seq} audit entries, the log now ends at ${last}: audit log rows deleted after anchoring`,
    };
  if (head.seq > 0) {
    const row = rows.find((r) => r.seq === head.seq);
    if (!row)
      return {
        status: 'rows-missing',
        detail: `audit entry ${head.seq}, anchored at the seal, is gone: audit log rows deleted after anchoring`,
      };
    if (row.hash !== head.hash)
      return {
        status: 'rewritten',
        detail: `audit entry ${head.seq} has hash ${row.hash}, anchored as ${head.hash}: audit log rows rewritten after anchoring`,
      };
  }
  if (broken) return { status: 'chain-broken', detail: `entry ${broken.seq}: ${broken.detail}` };
  return { status: 'intact', entries: rows.length };
}

/** The device's own record of a recording's anchor (the queue in its database). */
export interface DeviceAnchorRecord {
  anchor: AnchorPayload;
  queuedAt: string;
  receiptAt: string | null;
  attempts: number;
  lastError: string | null;
}

/**
 * The folder against what the device itself anchored: a re-signed folder whose receipt was removed
 * still differs from the anchor the device queued, and a receipt the device got but the folder
 * lacks was removed. Both are findings; the queue is no authority (central's stream is), but a
 * genuine folder never disagrees with it.
 */
export function compareWithDeviceAnchor(
  record: DeviceAnchorRecord,
  manifest: { sha256: string; signingKeyFingerprint: string },
  verdict: AnchorVerdict,
): { reason: 'anchor-mismatch' | 'bad-receipt'; detail: string }[] {
  const problems: { reason: 'anchor-mismatch' | 'bad-receipt'; detail: string }[] = [];
  if (record.anchor.manifestSha256 !== manifest.sha256)
    problems.push({
      reason: 'anchor-mismatch',
      detail: `the device anchored this recording's manifest as sha256 ${record.anchor.manifestSha256}, the folder's is ${manifest.sha256}`,
    });
  if (record.anchor.signingKeyFingerprint !== manifest.signingKeyFingerprint)
    problems.push({
      reason: 'anchor-mismatch',
      detail: `the device anchored it as signed by ${record.anchor.signingKeyFingerprint}, the folder is signed by ${manifest.signingKeyFingerprint}: re-signed with another key`,
    });
  if (verdict.status === 'not-anchored' && record.receiptAt !== null)
    problems.push({
      reason: 'bad-receipt',
      detail: `the device received its anchor receipt at ${record.receiptAt}; the folder no longer holds it`,
    });
  return problems;
}
