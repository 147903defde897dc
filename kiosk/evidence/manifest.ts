import { z } from 'zod';
import { canonicalBytes } from './canonical-json.js';
import type { Finding } from './findings.js';
import { sha256Hex } from '../core/hashing.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * The signed description of one recording folder (biên bản ghi hình): its segments in order, a hash
 * chain over them, the session's events. Pure: building, chaining and checking, no I/O.
 */
export const MANIFEST_FORMAT = 'diemcau-manifest/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

/** chain[-1]: 32 zero bytes. */
export const CHAIN_GENESIS = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits');
/** A plain file name: a manifest must never point outside its own folder. */
export const segmentName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}$/, 'a plain file name')
  .refine((n) => !n.includes('..'), 'a plain file name');

const manifestSegment = z
  .object({
    index: z.number().int().min(0),
    name: segmentName,
    size: z.number().int().min(0),
    sha256: hex64,
    /** null when the container could not tell (a segment cut short by a crash). */
    durationSeconds: z.number().min(0).nullable(),
    startedAt: z.string().min(1),
    endedAt: z.string().min(1),
    chain: hex64,
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    device: z.object({ id: z.string().min(1), room: z.string().min(1) }).strict(),
    recording: z
      .object({
        id: z.string().min(1),
        sessionId: z.string().min(1).nullable(),
        confidential: z.boolean(),
        state: z.enum(['closed', 'recovered']),
        startedAt: z.string().min(1),
        endedAt: z.string().min(1).nullable(),
      })
      .strict(),
    segments: z.array(manifestSegment),
    chainHead: hex64,
    events: z.array(z.record(z.string(), z.unknown())),
    createdAt: z.string().min(1),
    publicKey: z
      .object({
        algorithm: z.literal('ed25519'),
        fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
        pem: z.string().min(1),
      })
      .strict(),
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestSegment = Manifest['segments'][number];

/** chain[i] = sha256(chain[i-1] ‖ sha256(segment) ‖ UTF-8 name), the hashes as raw 32-byte values. */
export function chainLink(previous: string, segmentSha256: string, name: string): string {
  return sha256Hex(
    Buffer.concat([Buffer.from(previous, 'hex'), Buffer.from(segmentSha256, 'hex'), Buffer.from(name, 'utf8')]),
  );
}

export function computeChain(segments: readonly { sha256: string; name: string }[]): string[] {
  const chain: string[] = [];
  let previous = CHAIN_GENESIS;
  for (const segment of segments) {
    previous = chainLink(previous, segment.sha256, segment.name);
    chain.push(previous);
  }
  return chain;
}

export interface ManifestInput {
  device: Manifest['device'];
  recording: Manifest['recording'];
  /** In recording order. */
  segments: Omit<ManifestSegment, 'chain' | 'index'>[];
  events: Record<string, unknown>[];
  createdAt: string;
  publicKey: Manifest['publicKey'];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/**
 * Keys that would carry a denouncer's identity. The manifest travels in clear, even inside an
 * encrypted export, so such fields are refused rather than quietly written.
 */
const IDENTITY_KEY = /denouncer|identity|citizenname|idnumber|fullname|phone/i;

export function buildManifest(input: ManifestInput): Manifest {
  const identityPath = findIdentityKey(input.events, 'events');
  if (identityPath) throw new ManifestError(`${identityPath}: identity fields never go into a manifest`);
  const chain = computeChain(input.segments);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    device: input.device,
    recording: input.recording,
    segments: input.segments.map((segment, index) => ({ ...segment, index, chain: chain[index]! })),
    chainHead: chain.at(-1) ?? CHAIN_GENESIS,
    events: input.events,
    createdAt: input.createdAt,
    publicKey: input.publicKey,
  };
  const parsed = manifestSchema.safeParse(manifest);
  if (!parsed.success)
    throw new ManifestError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return manifest;
}

/** The exact bytes written to manifest.json and signed. */
export const manifestBytes = (manifest: Manifest): Buffer => canonicalBytes(manifest);

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; problem: string };

export function parseManifest(bytes: Buffer): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, problem: `not JSON (${describeError(error)})` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  const names = new Set<string>();
  for (const segment of parsed.data.segments) {
    if (names.has(segment.name)) return { ok: false, problem: `segment ${segment.name} listed twice` };
    names.add(segment.name);
  }
  return { ok: true, manifest: parsed.data };
}

/**
 * Checks the chain written in the manifest against the segment hashes it lists. An entry whose own
 * link is intact but which sits after the wrong predecessor is "reordered"; any other mismatch is a
 * broken chain.
 */
export function checkChain(manifest: Manifest): Finding[] {
  const findings: Finding[] = [];
  const storedLinks = [CHAIN_GENESIS, ...manifest.segments.map((s) => s.chain)];
  let previous = CHAIN_GENESIS;
  manifest.segments.forEach((segment, position) => {
    const expected = chainLink(previous, segment.sha256, segment.name);
    if (segment.index !== position) {
      findings.push({
        file: segment.name,
        reason: 'reordered',
        detail: `listed at position ${position} but carries index ${segment.index}`,
      });
    } else if (segment.chain !== expected) {
      const intactElsewhere = storedLinks.some(
        (p) => p !== previous && chainLink(p, segment.sha256, segment.name) === segment.chain,
      );
      findings.push(
        intactElsewhere
          ? {
              file: segment.name,
              reason: 'reordered',
              detail: `its chain link belongs after another segment, not at position ${position}`,
            }
          : {
              file: segment.name,
              reason: 'chain-broken',
              detail: `chain[${position}] is ${segment.chain}, expected ${expected}`,
            },
      );
    }
    previous = segment.chain;
  });
  if (manifest.chainHead !== previous) {
    findings.push({
      file: MANIFEST_FILE,
      reason: 'chain-broken',
      detail: `chainHead is ${manifest.chainHead}, expected ${previous}`,
    });
  }
  return findings;
}

function findIdentityKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findIdentityKey(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (IDENTITY_KEY.test(key)) return `${path}.${key}`;
      const found = findIdentityKey(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
