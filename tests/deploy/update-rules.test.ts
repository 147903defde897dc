import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { roomEventOf } from '../../kiosk/fleet/event-map.js';
import { updateGate } from '../../kiosk/update/gate.js';
import { judgeHealth } from '../../kiosk/update/health-check.js';
import { incompatibilities, type ReleaseInfo } from '../../kiosk/update/release-info.js';
import { checkSignature, keyIdOf, signBytes } from '../../kiosk/update/release-signature.js';
import { advance, type UpdateStatus } from '../../kiosk/update/status.js';

const now = Date.parse('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();

describe('when an update may run', () => {
  it.each([
    ['nothing scheduled', null, [], { ok: true }],
    ['a live session', { id: 'ses-live' }, [], { ok: false, reason: 'live-session', sessionId: 'ses-live' }],
    [
      'a live session and one soon: live wins',
      { id: 'ses-live' },
      [{ id: 'ses-soon', startsAt: at(10) }],
      { ok: false, reason: 'live-session' },
    ],
    [
      'a session inside the quiet time',
      null,
      [{ id: 'ses-soon', startsAt: at(119) }],
      { ok: false, reason: 'session-soon', sessionId: 'ses-soon', startsAt: at(119) },
    ],
    [
      'a session exactly at its edge',
      null,
      [{ id: 'ses-edge', startsAt: at(120) }],
      { ok: false, reason: 'session-soon' },
    ],
    ['a session after the quiet time', null, [{ id: 'ses-later', startsAt: at(121) }], { ok: true }],
    [
      'the nearest of two is named',
      null,
      [
        { id: 'ses-b', startsAt: at(90) },
        { id: 'ses-a', startsAt: at(30) },
      ],
      { ok: false, sessionId: 'ses-a' },
    ],
    [
      'a late session not yet started still blocks',
      null,
      [{ id: 'ses-late', startsAt: at(-20) }],
      { ok: false, reason: 'session-soon' },
    ],
  ] as const)('%s', (_name, live, upcoming, expected) => {
    expect(updateGate({ live, upcoming, now, quietMinutes: 120 })).toMatchObject(expected);
  });
});

describe('whether a started release is healthy', () => {
  const services = (...states: string[]) => states.map((state, i) => ({ name: `s${i}`, state }));
  it.each([
    ['the new version, every service running', { version: '1.1.0', services: services('running', 'running') }, true],
    ['the old version still answering', { version: '1.0.0', services: services('running') }, false],
    ['a service failed', { version: '1.1.0', services: services('running', 'failed') }, false],
    ['a service still starting', { version: '1.1.0', services: services('starting') }, false],
    ['no services', { version: '1.1.0', services: [] }, false],
    [
      'degraded by a device, services running (not a bad release)',
      { version: '1.1.0', status: 'degraded', services: services('running'), devices: [{ status: 'failed' }] },
      true,
    ],
    ['not an object', 'ok', false],
  ] as const)('%s', (_name, report, healthy) => {
    expect(judgeHealth(report, '1.1.0').healthy).toBe(healthy);
  });
});

describe('whether a release runs on this device', () => {
  const info: ReleaseInfo = {
    name: 'diemcau',
    version: '1.0.0',
    platform: 'linux',
    arch: 'arm64',
    nodeAbi: '115',
    nodeVersion: '20.18.0',
    builtAt: '2026-12-01T00:00:00Z',
  };
  it.each([
    ['the same platform, arch and ABI', { platform: 'linux', arch: 'arm64', nodeAbi: '115' }, []],
    [
      'an x64 build on an arm64 board',
      { platform: 'linux', arch: 'x64', nodeAbi: '115' },
      ['built for arm64, this device is x64'],
    ],
    [
      'native modules for another Node',
      { platform: 'linux', arch: 'arm64', nodeAbi: '127' },
      ["native modules built for Node ABI 115, this device's Node has ABI 127"],
    ],
  ] as const)('%s', (_name, host, problems) => {
    expect(incompatibilities(info, host)).toEqual(problems);
  });
});

describe('release signatures', () => {
  const trusted = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const artifact = Buffer.from('a release, byte for byte');
  const signature = signBytes(artifact, trusted.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

  it('accepts the artifact signed by a trusted key, naming the key', () => {
    expect(checkSignature(artifact, signature, [other.publicKey, trusted.publicKey])).toEqual({
      ok: true,
      keyId: keyIdOf(trusted.publicKey),
    });
  });
  it.each([
    ['no signature', artifact, undefined, 'unsigned'],
    ['an empty signature', artifact, '\n', 'unsigned'],
    ['one byte changed', Buffer.from('a release, byte for bytE'), signature, 'bad-signature'],
    ['not a signature', artifact, 'c2lnbmVk', 'bad-signature'],
  ] as const)('refuses %s', (_name, bytes, sig, reason) => {
    expect(checkSignature(bytes, sig, [trusted.publicKey])).toMatchObject({ ok: false, reason });
  });
  it('refuses a signature by a key the device does not trust, and everything when it trusts none', () => {
    const foreign = signBytes(artifact, other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(checkSignature(artifact, foreign, [trusted.publicKey])).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    expect(checkSignature(artifact, signature, [])).toMatchObject({ ok: false, reason: 'no-trusted-keys' });
  });
});

describe('update events for central monitoring', () => {
  const status: UpdateStatus = {
    id: 'u-1',
    state: 'requested',
    from: '1.0.0',
    to: '1.1.0',
    requestedBy: { via: 'fleet', actor: 'central-monitoring' },
    startedAt: at(0),
    updatedAt: at(0),
    steps: [{ state: 'requested', at: at(0) }],
  };
  const event = (state: string) => roomEventOf({ seq: 1, at: at(0), topic: 'update', data: { id: 'u-1', state } });

  it('records each step with its time', () => {
    const next = advance(advance(status, 'unpacking', at(1)), 'succeeded', at(2), { detail: 'ok' });
    expect(next.steps.map((s) => s.state)).toEqual(['requested', 'unpacking', 'succeeded']);
    expect(next).toMatchObject({ state: 'succeeded', updatedAt: at(2), detail: 'ok', from: '1.0.0' });
  });
  it.each([
    ['checking-health', 'info', undefined],
    ['refused', 'warning', undefined],
    ['rolled-back', 'critical', { key: 'update', state: 'raised' }],
    ['failed', 'critical', { key: 'update', state: 'raised' }],
    ['succeeded', 'info', { key: 'update', state: 'cleared' }],
  ] as const)('%s: %s', (state, severity, alert) => {
    const mapped = event(state);
    expect(mapped.severity).toBe(severity);
    expect(mapped.alert).toEqual(alert);
  });
});
