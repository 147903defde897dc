import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ANCHOR_RECEIPT_FILE,
  anchorVerdictFails,
  compareWithDeviceAnchor,
  judgeAnchor,
  judgeAuditHead,
  parseReceipt,
  type AnchorVerdict,
  type AuditVerdict,
  type DeviceAnchorRecord,
} from './anchor-receipt.js';
import type { AuditRow } from './audit-chain.js';
import { publicKeyFingerprint, verifySignature } from './device-key.js';
import {
  checkEncryptedAgainstManifest,
  ENCRYPTED_MANIFEST_FILE,
  ENCRYPTED_SIGNATURE_FILE,
  parseEncryptedManifest,
  type EncryptedTo,
} from './encrypted-manifest.js';
import type { Finding } from './findings.js';
import { sha256File, sha256Hex } from '../core/hashing.js';
import { checkChain, MANIFEST_FILE, parseManifest, SIGNATURE_FILE, type Manifest } from './manifest.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Checks a recording folder, as stored or as copied to a drive, against its signed manifest. Needs
 * nothing but the folder (the public key travels in the manifest); pin the device key with
 * `pinnedPublicKeyPem` to be sure the folder was signed by this device and not re-signed by another.
 */
export interface VerifyOptions {
  pinnedPublicKeyPem?: string;
  /** Checked before each file is hashed: an export's deadline stops its verification too. */
  signal?: AbortSignal;
  /** Central's notary keys (config `fleet.notaryKeys`): without them a receipt is read but its signature not checked. */
  trustedNotaryKeys?: readonly KeyObject[];
  /** The device's audit log, oldest first: checked against the head anchored in the receipt. Absent: not checked. */
  auditRows?: readonly AuditRow[];
  /** The device's queue row for this recording's anchor (with --config), compared with the folder. */
  deviceAnchor?: DeviceAnchorRecord;
}

export interface VerifyReport {
  ok: boolean;
  dir: string;
  encrypted: boolean;
  /** Who an encrypted copy opens for, as its signed encrypted manifest says. */
  encryptedTo?: EncryptedTo;
  findings: Finding[];
  recordingId?: string;
  fingerprint?: string;
  chainHead?: string;
  segments: number;
  bytesHashed: number;
  /** The folder against its anchor at central monitoring (ANCHORING.md). */
  anchor?: AnchorVerdict;
  /** The device's audit log against the anchored head; absent when no log or no receipt was given. */
  audit?: AuditVerdict;
}

interface ExpectedFile {
  name: string;
  size: number;
  sha256: string;
}

export async function verifyFolder(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report: VerifyReport = { ok: false, dir, encrypted: false, findings: [], segments: 0, bytesHashed: 0 };
  const findings = report.findings;
  let entries: { name: string; isFile: boolean }[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, isFile: e.isFile() }));
  } catch (error) {
    findings.push({
      file: '.',
      reason: 'missing',
      detail: `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
    return report;
  }
  const present = new Map(entries.map((e) => [e.name, e]));

  const manifestRaw = await readOptional(join(dir, MANIFEST_FILE));
  if (!manifestRaw) {
    findings.push({
      file: MANIFEST_FILE,
      reason: 'bad-manifest',
      detail: 'missing: without it nothing in the folder can be checked',
    });
    return report;
  }
  const parsed = parseManifest(manifestRaw);
  if (!parsed.ok) {
    findings.push({ file: MANIFEST_FILE, reason: 'bad-manifest', detail: parsed.problem });
    return report;
  }
  const manifest = parsed.manifest;
  report.recordingId = manifest.recording.id;
  report.fingerprint = manifest.publicKey.fingerprint;
  report.chainHead = manifest.chainHead;
  report.segments = manifest.segments.length;

  const publicKeyPem = checkKey(manifest, options, findings);
  if (publicKeyPem) await checkSignature(dir, SIGNATURE_FILE, manifestRaw, publicKeyPem, findings);
  findings.push(...checkChain(manifest));

  let expected: ExpectedFile[] = manifest.segments;
  // The receipt is written after the seal (the manifest cannot list it); the anchor check below judges it.
  const allowed = new Set([MANIFEST_FILE, SIGNATURE_FILE, ANCHOR_RECEIPT_FILE]);
  checkAnchor(report, manifest, manifestRaw, await readOptional(join(dir, ANCHOR_RECEIPT_FILE)), options);
  const encryptedRaw = await readOptional(join(dir, ENCRYPTED_MANIFEST_FILE));
  if (encryptedRaw) {
    report.encrypted = true;
    allowed.add(ENCRYPTED_MANIFEST_FILE).add(ENCRYPTED_SIGNATURE_FILE);
    const encrypted = parseEncryptedManifest(encryptedRaw);
    if (!encrypted.ok) {
      findings.push({ file: ENCRYPTED_MANIFEST_FILE, reason: 'bad-manifest', detail: encrypted.problem });
      expected = [];
    } else {
      if (publicKeyPem) await checkSignature(dir, ENCRYPTED_SIGNATURE_FILE, encryptedRaw, publicKeyPem, findings);
      findings.push(...checkEncryptedAgainstManifest(encrypted.manifest, manifest, sha256Hex(manifestRaw)));
      expected = encrypted.manifest.files;
      report.encryptedTo = encrypted.manifest.to;
    }
  }

  const expectedNames = new Set(expected.map((f) => f.name));
  for (const entry of entries) {
    if (allowed.has(entry.name) || expectedNames.has(entry.name)) continue;
    findings.push({
      file: entry.name,
      reason: 'extra',
      detail: entry.isFile ? 'a file the manifest does not list' : 'a folder the manifest does not list',
    });
  }
  for (const file of expected) {
    options.signal?.throwIfAborted();
    const entry = present.get(file.name);
    if (!entry?.isFile) {
      findings.push({
        file: file.name,
        reason: 'missing',
        detail: entry ? 'not a regular file' : 'listed in the manifest but absent',
      });
      continue;
    }
    const digest = await sha256File(join(dir, file.name));
    report.bytesHashed += digest.size;
    if (digest.size !== file.size)
      findings.push({
        file: file.name,
        reason: 'size-mismatch',
        detail: `${digest.size} bytes, the manifest says ${file.size}`,
      });
    else if (digest.sha256 !== file.sha256)
      findings.push({
        file: file.name,
        reason: 'hash-mismatch',
        detail: `sha256 ${digest.sha256}, the manifest says ${file.sha256}: the content was changed`,
      });
  }
  report.ok = findings.length === 0;
  return report;
}

function checkAnchor(
  report: VerifyReport,
  manifest: Manifest,
  manifestRaw: Buffer,
  receiptRaw: Buffer | undefined,
  options: VerifyOptions,
): void {
  const identity = {
    recordingId: manifest.recording.id,
    sha256: sha256Hex(manifestRaw),
    signingKeyFingerprint: manifest.publicKey.fingerprint,
  };
  const verdict = judgeAnchor({
    receipt: receiptRaw === undefined ? undefined : parseReceipt(receiptRaw),
    manifest: identity,
    trustedNotaryKeys: options.trustedNotaryKeys ?? [],
  });
  report.anchor = verdict;
  const file = ANCHOR_RECEIPT_FILE;
  if (options.deviceAnchor)
    for (const problem of compareWithDeviceAnchor(options.deviceAnchor, identity, verdict))
      report.findings.push({ file, ...problem });
  if (verdict.status === 'mismatch')
    for (const problem of verdict.problems) report.findings.push({ file, reason: 'anchor-mismatch', detail: problem });
  else if (verdict.status === 'bad-receipt')
    report.findings.push({ file, reason: 'bad-receipt', detail: verdict.problem });
  else if (verdict.status === 'untrusted-notary')
    report.findings.push({
      file,
      reason: 'bad-receipt',
      detail: `signed by notary key ${verdict.receipt.notary.fingerprint}, which is not trusted (fleet.notaryKeys)`,
    });
  if (anchorVerdictFails(verdict) && verdict.status !== 'mismatch') return;
  if (!('receipt' in verdict) || options.auditRows === undefined) return;
  const audit = judgeAuditHead(verdict.receipt.anchor.auditHead, options.auditRows);
  report.audit = audit;
  if (audit.status !== 'intact')
    report.findings.push({ file: 'audit_log', reason: 'audit-tampered', detail: audit.detail });
}

/** The key to check signatures with, or undefined when it cannot be trusted at all. */
function checkKey(manifest: Manifest, options: VerifyOptions, findings: Finding[]): string | undefined {
  let embedded: string;
  try {
    const fingerprint = publicKeyFingerprint(createPublicKey(manifest.publicKey.pem));
    if (fingerprint !== manifest.publicKey.fingerprint) {
      findings.push({
        file: MANIFEST_FILE,
        reason: 'bad-manifest',
        detail: `publicKey.fingerprint ${manifest.publicKey.fingerprint} does not match the key it carries (${fingerprint})`,
      });
      return undefined;
    }
    embedded = manifest.publicKey.pem;
  } catch (error) {
    findings.push({
      file: MANIFEST_FILE,
      reason: 'bad-manifest',
      detail: `publicKey.pem is not a public key (${describeError(error)})`,
    });
    return undefined;
  }
  if (options.pinnedPublicKeyPem === undefined) return embedded;
  const pinned = publicKeyFingerprint(createPublicKey(options.pinnedPublicKeyPem));
  if (pinned !== manifest.publicKey.fingerprint) {
    findings.push({
      file: MANIFEST_FILE,
      reason: 'key-mismatch',
      detail: `signed by ${manifest.publicKey.fingerprint}, not by the pinned device key ${pinned}`,
    });
  }
  return options.pinnedPublicKeyPem;
}

async function checkSignature(
  dir: string,
  file: string,
  signed: Buffer,
  publicKeyPem: string,
  findings: Finding[],
): Promise<void> {
  const signature = await readOptional(join(dir, file));
  if (!signature) findings.push({ file, reason: 'bad-signature', detail: 'missing' });
  else if (!verifySignature(publicKeyPem, signed, signature.toString('utf8')))
    findings.push({ file, reason: 'bad-signature', detail: 'the signature does not match the manifest and key' });
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR')
      return undefined;
    throw error;
  }
}
