import { describe, expect, it } from 'vitest';
import { createAccount, createUser, fromPublic, fromSeed } from '@nats-io/nkeys';
import { generateUser, isUserPublicKey, nkeyAuthenticator, userFromSeed } from '../../kiosk/fleet/keys/nkey.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Our node:crypto nkeys against the reference library (@nats-io/nkeys), both ways. */
describe('nkey users on node:crypto', () => {
  it('a seed we generate is read by the reference library as the same user', () => {
    for (let i = 0; i < 5; i++) {
      const ours = generateUser();
      expect(ours.seed).toMatch(/^SU[A-Z2-7]{56}$/);
      expect(ours.publicKey).toMatch(/^U[A-Z2-7]{55}$/);
      expect(fromSeed(new TextEncoder().encode(ours.seed)).getPublicKey()).toBe(ours.publicKey);
    }
  });

  it('a seed the reference library generates is read by us as the same user, and our signatures verify there', () => {
    for (let i = 0; i < 5; i++) {
      const theirs = createUser();
      const ours = userFromSeed(theirs.getSeed());
      expect(ours.publicKey).toBe(theirs.getPublicKey());
      const nonce = new TextEncoder().encode(`nonce-${i}-ÿ`);
      expect(Buffer.from(ours.sign(nonce))).toEqual(Buffer.from(theirs.sign(nonce)));
      expect(fromPublic(ours.publicKey).verify(nonce, ours.sign(nonce))).toBe(true);
    }
  });

  it('answers a nonce the way nats.js does', () => {
    const theirs = createUser();
    const auth = nkeyAuthenticator(userFromSeed(text(theirs.getSeed())))('bm9uY2U');
    expect(auth).toEqual({
      nkey: theirs.getPublicKey(),
      sig: Buffer.from(theirs.sign(new TextEncoder().encode('bm9uY2U'))).toString('base64'),
    });
  });

  it('refuses what is not a user seed, saying what it is', () => {
    expect(() => userFromSeed(text(createAccount().getSeed()))).toThrow(/nkey seed, but not a user seed/);
    expect(() => userFromSeed('not a seed')).toThrow(/not an nkey seed/);
    const seed = generateUser().seed;
    const flipped = seed.slice(0, 10) + (seed[10] === 'A' ? 'B' : 'A') + seed.slice(11);
    expect(() => userFromSeed(flipped)).toThrow(/not an nkey seed/);
    expect(() => userFromSeed(generateUser().publicKey)).toThrow(/not an nkey seed/);
    expect(userFromSeed(`  ${seed}\n`).publicKey).toBe(userFromSeed(seed).publicKey);
  });

  it('tells a user public key from anything else', () => {
    expect(isUserPublicKey(createUser().getPublicKey())).toBe(true);
    expect(isUserPublicKey(createAccount().getPublicKey())).toBe(false);
    const key = createUser().getPublicKey();
    expect(isUserPublicKey(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(isUserPublicKey('UABC')).toBe(false);
    expect(isUserPublicKey(generateUser().seed)).toBe(false);
  });
});
