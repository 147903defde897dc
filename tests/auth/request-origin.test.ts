import { describe, expect, it } from 'vitest';
import { hostAllowed, hostPart, originVerdict, type OriginPolicy } from '../../kiosk/web/request-origin.js';

const kiosk: OriginPolicy = { scheme: 'http', hostNames: ['127.0.0.1', 'localhost', '::1'], anyIp: false };
const consolePolicy: OriginPolicy = {
  scheme: 'https',
  hostNames: ['localhost', 'phong-tiep-01', 'phong-tiep-01.local'],
  anyIp: true,
};

describe('host and origin rules (pure)', () => {
  it.each([
    ['127.0.0.1:8080', '127.0.0.1'],
    ['LOCALHOST', 'localhost'],
    ['[::1]:8080', '::1'],
    ['evil.example:80', 'evil.example'],
    ['a b', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('host part of %j is %j', (host, part) => expect(hostPart(host)).toBe(part));

  it.each([
    [kiosk, '127.0.0.1:8080', true],
    [kiosk, 'localhost:8080', true],
    [kiosk, '192.168.1.5:8080', false],
    [kiosk, 'rebind.evil.example:8080', false],
    [consolePolicy, '192.168.1.5:8443', true],
    [consolePolicy, '[fe80::1]:8443', true],
    [consolePolicy, 'phong-tiep-01.local:8443', true],
    [consolePolicy, 'rebind.evil.example:8443', false],
  ])('%#: host %s allowed: %s', (policy, host, ok) => expect(hostAllowed(host, policy)).toBe(ok));

  const host = '127.0.0.1:8080';
  it.each([
    [{ method: 'GET', host }, { ok: true }],
    [
      { method: 'GET', host: 'evil.example' },
      { ok: false, status: 421 },
    ],
    [{ method: 'GET', host, origin: 'http://evil.example' }, { ok: true }],
    [{ method: 'POST', host, contentType: 'application/json' }, { ok: true }],
    [
      { method: 'POST', host, contentType: 'application/json; charset=utf-8', origin: 'http://127.0.0.1:8080' },
      { ok: true },
    ],
    [
      { method: 'POST', host, contentType: 'application/json', origin: 'http://evil.example' },
      { ok: false, status: 403, code: 'cross_origin' },
    ],
    [
      { method: 'POST', host, contentType: 'application/json', origin: 'https://127.0.0.1:8080' },
      { ok: false, status: 403 },
    ],
    [
      { method: 'POST', host, contentType: 'application/json', fetchSite: 'cross-site' },
      { ok: false, status: 403 },
    ],
    [
      { method: 'POST', host, contentType: 'text/plain' },
      { ok: false, status: 415 },
    ],
    [
      { method: 'POST', host },
      { ok: false, status: 415, code: 'json_required' },
    ],
    [
      { method: 'DELETE', host, contentType: 'application/jsonx' },
      { ok: false, status: 415 },
    ],
    [
      { method: 'GET', host, upgrade: true, origin: 'http://evil.example' },
      { ok: false, status: 403 },
    ],
    [{ method: 'GET', host, upgrade: true }, { ok: true }],
  ])('%#: %j', (request, verdict) => expect(originVerdict(request, kiosk)).toMatchObject(verdict));
});
