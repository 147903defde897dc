import { describe, expect, it } from 'vitest';
import { ageRecipientProblem } from '../../config/age-recipient.js';
import { decideEncryption, type EncryptionRequest } from '../../kiosk/evidence/export-policy.js';
import { readFileSync } from 'node:fs';
import { defaultConfigPath, parseConfig } from '../../config/load.js';

// A real X25519 recipient (age-keygen), and the same with its last character changed (bad checksum).
const KEY = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const recipients = [{ name: 'Thanh tra tỉnh', publicKey: KEY }];
const passphrase = 'một cụm mật khẩu dài';

describe('decideEncryption', () => {
  it.each<[string, { confidential: boolean; role: string; request: EncryptionRequest; configured: boolean }, unknown]>([
    [
      'plain recording, plain copy',
      { confidential: false, role: 'technician', request: { encrypt: false }, configured: false },
      { ok: true, to: undefined },
    ],
    [
      'plain recording, asked encrypted',
      { confidential: false, role: 'technician', request: { encrypt: true }, configured: true },
      { ok: true, to: { kind: 'recipients', recipients } },
    ],
    [
      'plain recording, asked encrypted, nobody to encrypt to',
      { confidential: false, role: 'technician', request: { encrypt: true }, configured: false },
      { ok: false, refusal: 'no-recipients' },
    ],
    [
      'confidential, technician: to the recipients',
      { confidential: true, role: 'technician', request: { encrypt: false }, configured: true },
      { ok: true, to: { kind: 'recipients', recipients } },
    ],
    [
      'confidential, technician, no recipient',
      { confidential: true, role: 'technician', request: { encrypt: false }, configured: false },
      { ok: false, refusal: 'no-recipients', message: expect.not.stringContaining('passphrase') },
    ],
    [
      'confidential, technician chooses a passphrase',
      { confidential: true, role: 'technician', request: { encrypt: true, passphrase }, configured: true },
      { ok: false, refusal: 'passphrase-forbidden', message: expect.stringContaining('identities.read') },
    ],
    [
      'plain recording, technician chooses a passphrase',
      { confidential: false, role: 'technician', request: { encrypt: true, passphrase }, configured: false },
      { ok: false, refusal: 'passphrase-forbidden' },
    ],
    [
      'confidential, admin chooses a passphrase',
      { confidential: true, role: 'admin', request: { encrypt: true, passphrase }, configured: false },
      { ok: false, refusal: 'passphrase-forbidden' },
    ],
    [
      'the CLI or an unknown role',
      { confidential: true, role: 'root-ish', request: { encrypt: true, passphrase }, configured: false },
      { ok: false, refusal: 'passphrase-forbidden' },
    ],
    [
      'confidential, leader, no recipient: told a passphrase is possible',
      { confidential: true, role: 'leader', request: { encrypt: false }, configured: false },
      { ok: false, refusal: 'no-recipients', message: expect.stringContaining('or give a passphrase') },
    ],
    [
      'confidential, leader with a passphrase',
      {
        confidential: true,
        role: 'leader',
        request: { encrypt: true, passphrase, scryptWorkFactor: 12 },
        configured: true,
      },
      { ok: true, to: { kind: 'passphrase', passphrase, scryptWorkFactor: 12 } },
    ],
    [
      'confidential, cleared officer with a passphrase',
      { confidential: true, role: 'officer-confidential', request: { encrypt: false, passphrase }, configured: false },
      { ok: true, to: { kind: 'passphrase', passphrase } },
    ],
    [
      'leader, short passphrase',
      { confidential: true, role: 'leader', request: { encrypt: true, passphrase: 'ngắn quá' }, configured: true },
      { ok: false, refusal: 'passphrase-too-short' },
    ],
  ])('%s', (_name, input, expected) => {
    expect(
      decideEncryption({
        recordingId: 'rec-1',
        confidential: input.confidential,
        role: input.role,
        request: input.request,
        recipients: input.configured ? recipients : [],
      }),
    ).toMatchObject(expected as object);
  });
});

describe('evidence.export.recipients in the config', () => {
  const base = JSON.parse(readFileSync(defaultConfigPath(), 'utf8')) as Record<string, unknown>;
  it('is empty by default', () => {
    expect(parseConfig(base).evidence.export).toEqual({ recipients: [], timeoutSeconds: 7200 });
  });

  it('accepts an age X25519 key', () => {
    expect(parseConfig({ ...base, evidence: { export: { recipients } } }).evidence.export.recipients).toEqual(
      recipients,
    );
  });

  it.each([
    ['a typo (bad checksum)', `${KEY.slice(0, -1)}q`, 'bad checksum'],
    [
      'an SSH key',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
      'not an age public key',
    ],
    [
      'a secret key pasted by mistake',
      'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
      'not an age public key',
    ],
    ['upper case', KEY.toUpperCase(), 'not an age public key'],
    ['a post-quantum key', `age1pq1${'q'.repeat(60)}`, 'post-quantum'],
  ])('refuses %s with a clear config error', (_name, publicKey, message) => {
    expect(() =>
      parseConfig({ ...base, evidence: { export: { recipients: [{ name: 'Thanh tra', publicKey }] } } }),
    ).toThrow(new RegExp(`evidence\\.export\\.recipients\\.0\\.publicKey: .*${message}`));
  });

  it('refuses the same key twice and a recipient without a name', () => {
    expect(() =>
      parseConfig({ ...base, evidence: { export: { recipients: [...recipients, ...recipients] } } }),
    ).toThrow('listed twice');
    expect(() => parseConfig({ ...base, evidence: { export: { recipients: [{ publicKey: KEY }] } } })).toThrow(
      'evidence.export.recipients.0.name',
    );
  });

  it('ageRecipientProblem accepts a key and explains the rest', () => {
    expect(ageRecipientProblem(KEY)).toBeUndefined();
    expect(ageRecipientProblem('age1')).toContain('58');
  });
});
