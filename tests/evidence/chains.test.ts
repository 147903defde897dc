import { describe, expect, it } from 'vitest';
import { auditEntryHash, findFirstBrokenLink, type AuditRow } from '../../kiosk/evidence/audit-chain.js';
import {
  buildManifest,
  chainLink,
  CHAIN_GENESIS,
  checkChain,
  computeChain,
  ManifestError,
  parseManifest,
  manifestBytes,
  type Manifest,
} from '../../kiosk/evidence/manifest.js';
import { generateDeviceKey } from '../../kiosk/evidence/device-key.js';

// Expected values computed independently with Python's hashlib (see the report of issue 5).
const SHA_HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const SHA_WORLD = '486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7';
const CHAIN_0 = 'b0e99311247c736d76c3582fe2157e3c742499fe70faa2902f6ea9a21c0c680a';
const CHAIN_1 = '74df700b026a19ab48133bb2713db5c9b39141626c91d95ea27b291bdbf277ec';

describe('segment hash chain', () => {
  it.each([
    ['first link from the genesis', CHAIN_GENESIS, SHA_HELLO, 'segment-00000.mkv', CHAIN_0],
    ['second link from the first', CHAIN_0, SHA_WORLD, 'segment-00001.mkv', CHAIN_1],
  ])('%s', (_name, previous, sha, name, expected) => {
    expect(chainLink(previous, sha, name)).toBe(expected);
  });

  it('computes the whole chain in order', () => {
    expect(
      computeChain([
        { sha256: SHA_HELLO, name: 'segment-00000.mkv' },
        { sha256: SHA_WORLD, name: 'segment-00001.mkv' },
      ]),
    ).toEqual([CHAIN_0, CHAIN_1]);
    expect(computeChain([])).toEqual([]);
  });
});

const key = generateDeviceKey();
function sample(): Manifest {
  return buildManifest({
    device: { id: 'dev-1', room: 'sim-room' },
    recording: {
      id: 'rec-1',
      sessionId: 's-1',
      confidential: false,
      state: 'closed',
      startedAt: '2026-01-02T03:00:00+07:00',
      endedAt: '2026-01-02T03:10:00+07:00',
    },
    segments: ['a', 'b', 'c'].map((tag, i) => ({
      name: `segment-0000${i}.mkv`,
      size: 10 + i,
      sha256: tag
        .repeat(64)
        .slice(0, 64)
        .replace(/[^0-9a-f]/g, '0'),
      durationSeconds: 300,
      startedAt: `t${i}`,
      endedAt: `t${i + 1}`,
    })),
    events: [{ at: '2026-01-02T03:00:00+07:00', type: 'started' }],
    createdAt: '2026-01-02T03:10:01+07:00',
    publicKey: { algorithm: 'ed25519', fingerprint: key.fingerprint, pem: key.publicKeyPem },
  });
}

describe('manifest', () => {
  it('builds an intact chain that parses back from its canonical bytes', () => {
    const manifest = sample();
    expect(manifest.segments.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(manifest.chainHead).toBe(manifest.segments[2]!.chain);
    expect(checkChain(manifest)).toEqual([]);
    const parsed = parseManifest(manifestBytes(manifest));
    expect(parsed.ok && parsed.manifest).toEqual(manifest);
  });

  it.each([
    [
      'swapped entries (index fields move with them)',
      (m: Manifest) => {
        m.segments.reverse();
      },
      [
        { file: 'segment-00002.mkv', reason: 'reordered' },
        { file: 'segment-00001.mkv', reason: 'reordered' },
        { file: 'segment-00000.mkv', reason: 'reordered' },
        { file: 'manifest.json', reason: 'chain-broken' },
      ],
    ],
    [
      'swapped entries with indexes rewritten',
      (m: Manifest) => {
        [m.segments[0], m.segments[1]] = [m.segments[1]!, m.segments[0]!];
        m.segments.forEach((s, i) => {
          s.index = i;
        });
      },
      [
        { file: 'segment-00001.mkv', reason: 'reordered' },
        { file: 'segment-00000.mkv', reason: 'reordered' },
        { file: 'segment-00002.mkv', reason: 'reordered' },
      ],
    ],
    [
      'a segment hash changed in the manifest',
      (m: Manifest) => {
        m.segments[1]!.sha256 = 'f'.repeat(64);
      },
      [{ file: 'segment-00001.mkv', reason: 'chain-broken' }],
    ],
    [
      'chain head changed',
      (m: Manifest) => {
        m.chainHead = 'e'.repeat(64);
      },
      [{ file: 'manifest.json', reason: 'chain-broken' }],
    ],
    [
      'last segment dropped from the list',
      (m: Manifest) => {
        m.segments.pop();
      },
      [{ file: 'manifest.json', reason: 'chain-broken' }],
    ],
  ])('checkChain finds %s', (_name, tamper, expected) => {
    const manifest = sample();
    tamper(manifest);
    expect(checkChain(manifest).map(({ file, reason }) => ({ file, reason }))).toEqual(expected);
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    [
      'a path escaping the folder',
      JSON.stringify({ ...sample(), segments: [{ ...sample().segments[0], name: '../etc/passwd' }] }),
      'segments.0.name',
    ],
    ['an unknown field', JSON.stringify({ ...sample(), extra: 1 }), 'Unrecognized key'],
    [
      'a duplicated segment name',
      JSON.stringify({ ...sample(), segments: [sample().segments[0], sample().segments[0]] }),
      'listed twice',
    ],
  ])('parseManifest rejects %s', (_name, text, problem) => {
    const parsed = parseManifest(Buffer.from(text));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });

  it('refuses events that carry an identity, since the manifest travels in clear', () => {
    const input = { ...sample(), segments: [], events: [{ type: 'case', case: { denouncerName: 'x' } }] };
    expect(() => buildManifest(input)).toThrow(ManifestError);
    expect(() => buildManifest(input)).toThrow('events[0].case.denouncerName');
  });
});

describe('audit chain', () => {
  const first = {
    seq: 1,
    at: '2026-01-02T03:04:05.000Z',
    actor: 'tech-1',
    role: 'technician',
    action: 'view',
    target: 'rec-1',
    detail: null,
  };
  const second = {
    seq: 2,
    at: '2026-01-02T03:05:00.000Z',
    actor: 'tech-1',
    role: 'technician',
    action: 'export',
    target: 'rec-1',
    detail: 'usb',
  };
  const H1 = '7e8737867b2c2e0a79039ce51870465d8ebd94735257924a1255999b05c6b3a8';
  const H2 = '73038bbbcf75459602fb39309ef79bedf006ec318df38ae88503d7ffefe854e0';

  it.each([
    ['first entry from the genesis', CHAIN_GENESIS, first, H1],
    ['second entry from the first', H1, second, H2],
  ])('%s', (_name, previous, entry, expected) => {
    expect(auditEntryHash(previous, entry)).toBe(expected);
  });

  const rows = (): AuditRow[] => [
    { ...first, prevHash: CHAIN_GENESIS, hash: H1 },
    { ...second, prevHash: H1, hash: H2 },
  ];
  it.each([
    ['an intact chain', (_r: AuditRow[]) => undefined, undefined],
    [
      'a changed actor',
      (r: AuditRow[]) => {
        r[1]!.actor = 'someone-else';
      },
      { seq: 2, reason: 'hash-mismatch' },
    ],
    [
      'a removed first entry',
      (r: AuditRow[]) => {
        r.shift();
      },
      { seq: 2, reason: 'gap' },
    ],
    [
      'a re-hashed entry (its successor no longer links)',
      (r: AuditRow[]) => {
        r[0]!.target = 'rec-2';
        r[0]!.hash = auditEntryHash(CHAIN_GENESIS, r[0]!);
      },
      { seq: 2, reason: 'prev-mismatch' },
    ],
  ])('findFirstBrokenLink: %s', (_name, tamper, expected) => {
    const r = rows();
    tamper(r);
    const broken = findFirstBrokenLink(r);
    expect(broken && { seq: broken.seq, reason: broken.reason }).toEqual(expected);
  });
});
