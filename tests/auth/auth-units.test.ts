import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../kiosk/auth/passwords.js';
import { LoginThrottle } from '../../kiosk/auth/login-throttle.js';
import { can, roles } from '../../kiosk/auth/roles.js';
import { readCookie, sessionCookie } from '../../kiosk/auth/cookies.js';

describe('password hashes', () => {
  it('verify the right password only, with a fresh salt each time', async () => {
    const first = await hashPassword('mật khẩu đúng 2026');
    const second = await hashPassword('mật khẩu đúng 2026');
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('mật khẩu đúng 2026', first)).toBe(true);
    expect(await verifyPassword('mật khẩu sai 2026', first)).toBe(false);
  });

  it('treat composed and decomposed Vietnamese the same (NFC)', async () => {
    const hash = await hashPassword('Tiếp công dân'.normalize('NFC'));
    expect(await verifyPassword('Tiếp công dân'.normalize('NFD'), hash)).toBe(true);
  });

  it('reject malformed or tampered hashes', async () => {
    const hash = await hashPassword('correct horse battery');
    const parts = hash.split('$');
    parts[5] = Buffer.alloc(32, 1).toString('base64url');
    expect(await verifyPassword('correct horse battery', parts.join('$'))).toBe(false);
    expect(await verifyPassword('correct horse battery', 'md5$abc')).toBe(false);
  });

  it.each([
    ['short', 'password must have at least 10 characters'],
    ['x'.repeat(300), 'password must have at most 256 characters'],
    ['đủ dài rồi đấy', undefined],
  ])('judge %j', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });
});

describe('login throttle', () => {
  it('lets 5 attempts for a name through within the window, then locks it for the lock time', () => {
    let now = 0;
    const throttle = new LoginThrottle({ maxAttempts: 5, windowMs: 60_000, lockMs: 30_000 }, () => now);
    // Counted before the password check: the attempts of one burst add up even while none has failed yet.
    for (let i = 0; i < 5; i++) expect(throttle.attempt('kythuat')).toBe(0);
    expect(throttle.attempt('kythuat')).toBe(30_000);
    expect(throttle.attempt('kythuat')).toBe(30_000);
    expect(throttle.attempt('lanhdao')).toBe(0);
    now = 29_999;
    expect(throttle.retryAfter('kythuat')).toBe(1);
    now = 30_000;
    expect(throttle.attempt('kythuat')).toBe(0);
  });

  it('forgets attempts older than the window and after a success', () => {
    let now = 0;
    const throttle = new LoginThrottle({ maxAttempts: 3, windowMs: 10_000, lockMs: 5_000 }, () => now);
    throttle.attempt('a');
    throttle.attempt('a');
    now = 10_001;
    expect(throttle.attempt('a')).toBe(0);
    expect(throttle.attempt('a')).toBe(0);
    throttle.recordSuccess('a');
    expect(throttle.attempt('a')).toBe(0);
    expect(throttle.attempt('a')).toBe(0);
    expect(throttle.attempt('a')).toBe(0);
    expect(throttle.attempt('a')).toBe(5_000);
  });

  it('keeps a bounded number of names, so random names cannot fill memory', () => {
    const throttle = new LoginThrottle({ maxAttempts: 3, windowMs: 10_000, lockMs: 5_000 }, () => 0);
    for (let i = 0; i < 20_000; i++) throttle.attempt(`guess-${i}`);
    // The newest names are still counted; the oldest were dropped.
    throttle.attempt('guess-19999');
    throttle.attempt('guess-19999');
    expect(throttle.attempt('guess-19999')).toBe(5_000);
  });
});

describe('roles', () => {
  it('let only leaders and cleared officers read denouncers’ identities', () => {
    expect(roles.filter((role) => can(role, 'identities.read')).sort()).toEqual(['leader', 'officer-confidential']);
  });

  it('let only administrators manage accounts', () => {
    expect(roles.filter((role) => can(role, 'users.manage'))).toEqual(['admin']);
  });
});

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Strict, Secure under TLS, and reads back', () => {
    const header = sessionCookie('tok/en+=', { secure: true, maxAgeSeconds: 60 });
    expect(header).toBe('diemcau_session=tok%2Fen%2B%3D; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure');
    expect(readCookie('a=1; diemcau_session=tok%2Fen%2B%3D; b=2', 'diemcau_session')).toBe('tok/en+=');
    expect(readCookie('a=1', 'diemcau_session')).toBeUndefined();
  });
});
