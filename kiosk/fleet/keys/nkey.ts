import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Authenticator } from '@nats-io/nats-core';

/**
 * NATS nkey users (Ed25519 keys in NATS's text encoding: base32 of prefix, key and CRC-16) on
 * node:crypto. The reference library signs in pure JavaScript (measured here: 12 ms to make a key,
 * 14 ms to load a seed, 28 ms per signature, on every connect); node:crypto does each in well under a
 * millisecond, which matters on a Raspberry Pi and for a central folder with 10,000 rooms.
 * Tests check it against @nats-io/nkeys both ways.
 */

const PREFIX_SEED = 18 << 3;
const PREFIX_USER = 20 << 3;
/** `N…`: nkeys' server prefix, used for central's notary key (anchor receipts): not a user, so never mistaken for a credential. */
const PREFIX_SERVER = 13 << 3;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** DER of an Ed25519 PKCS#8 private key, up to the 32 bytes of its seed. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface NkeyUser {
  /** `U…`: what the server's config lists. */
  publicKey: string;
  sign(data: Uint8Array): Uint8Array;
}

/** A user from its seed (`SU…`); throws saying what it is when it is not one. */
export function userFromSeed(seed: string | Uint8Array): NkeyUser {
  const text = (typeof seed === 'string' ? seed : new TextDecoder().decode(seed)).trim();
  const raw = decodeChecked(text);
  if (raw?.length !== 34 || (raw[0]! & 0xf8) !== PREFIX_SEED) throw new Error('the credential is not an nkey seed');
  const role = ((raw[0]! & 0x07) << 5) | ((raw[1]! & 0xf8) >> 3);
  if (role !== PREFIX_USER) throw new Error('the credential is an nkey seed, but not a user seed (SU…)');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, raw.subarray(2)]),
    format: 'der',
    type: 'pkcs8',
  });
  return userOf(privateKey);
}

/** A new user: its seed (secret) and public key. */
export function generateUser(): { seed: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const rawSeed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const seed = encodeChecked(
    Buffer.concat([Buffer.from([PREFIX_SEED | (PREFIX_USER >> 5), (PREFIX_USER & 31) << 3]), rawSeed]),
  );
  return { seed, publicKey: userOf(privateKey).publicKey };
}

/** Whether `key` is a well-formed user public key (`U…`, checksum included). Pure. */
export function isUserPublicKey(key: string): boolean {
  const raw = decodeChecked(key);
  return raw !== undefined && raw.length === 33 && raw[0] === PREFIX_USER;
}

/** An Ed25519 public key in nkeys' text encoding with the server prefix (`N…`). */
export function serverStylePublicKey(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return encodeChecked(Buffer.concat([Buffer.from([PREFIX_SERVER]), raw]));
}

/** The Ed25519 key of an `N…` public key; undefined when the text is not one (checksum included). */
export function publicKeyFromServerStyle(text: string): KeyObject | undefined {
  const raw = decodeChecked(text.trim());
  if (raw?.length !== 33 || raw[0] !== PREFIX_SERVER) return undefined;
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') },
    format: 'jwk',
  });
}

/** Answers the server's nonce with this user's signature: the seed never leaves the process. */
export function nkeyAuthenticator(user: NkeyUser): Authenticator {
  return (nonce?: string) => ({
    nkey: user.publicKey,
    sig: nonce ? Buffer.from(user.sign(new TextEncoder().encode(nonce))).toString('base64') : '',
  });
}

function userOf(privateKey: KeyObject): NkeyUser {
  const rawPublic = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x ?? '', 'base64url');
  return {
    publicKey: encodeChecked(Buffer.concat([Buffer.from([PREFIX_USER]), rawPublic])),
    sign: (data) => new Uint8Array(sign(null, data, privateKey)),
  };
}

function encodeChecked(payload: Uint8Array): string {
  const crc = crc16(payload);
  return base32Encode(Buffer.concat([payload, Buffer.from([crc & 0xff, crc >> 8])]));
}

function decodeChecked(text: string): Buffer | undefined {
  const raw = base32Decode(text);
  if (!raw || raw.length < 3) return undefined;
  const payload = raw.subarray(0, raw.length - 2);
  return raw.readUInt16LE(raw.length - 2) === crc16(payload) ? payload : undefined;
}

/** CRC-16/XMODEM, as nkeys use it. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Buffer | undefined {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
