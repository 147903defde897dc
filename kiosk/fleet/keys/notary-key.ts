import { createPublicKey, type KeyObject } from 'node:crypto';
import { publicKeyFromServerStyle } from './nkey.js';

/**
 * A trusted notary public key as config lists it (`fleet.notaryKeys`): a PEM SubjectPublicKeyInfo,
 * or the one-line nkey text form `N…` that `scripts/central` prints. Throws saying which it is not.
 */
export function parseNotaryPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('N')) {
    const key = publicKeyFromServerStyle(trimmed);
    if (!key) throw new Error('not a notary public key (N…, checksum included)');
    return key;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(trimmed);
  } catch {
    throw new Error('neither a PEM public key nor a notary key N…');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`the notary key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}
