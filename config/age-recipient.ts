import { bech32 } from '@scure/base';

/**
 * An X25519 recipient as `age-keygen` prints it: `age1` and 58 bech32 characters (32 bytes and a
 * checksum). Post-quantum (`age1pq1…`) and tag recipients are refused: Debian 12's age 1.1 cannot
 * decrypt them. The bech32 checksum and the key's length are checked with the bech32 codec age itself
 * uses (@scure/base), so validating a config does not load the age library (~8 MiB).
 */
export function ageRecipientProblem(publicKey: string): string | undefined {
  if (/^age1(pq|tag)/.test(publicKey))
    return "a post-quantum or tag age recipient, which Debian's age 1.1 cannot decrypt: give an X25519 key (age1…, from age-keygen)";
  if (!/^age1[02-9ac-hj-np-z]{58}$/.test(publicKey))
    return 'not an age public key: expected age1 followed by 58 lower-case bech32 characters, as printed by age-keygen';
  try {
    const { prefix, bytes } = bech32.decodeToBytes(publicKey);
    if (prefix !== 'age' || bytes.length !== 32) throw new Error('not an X25519 key');
  } catch {
    return "not a valid age public key (bad checksum): copy it again from age-keygen's output";
  }
  return undefined;
}
