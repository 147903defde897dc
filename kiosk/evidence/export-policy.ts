import { can, roles, type Role } from '../auth/roles.js';
import type { AgeRecipient, AgeTarget } from './encryption.js';

/**
 * Who an export is encrypted to, decided from the recording, the request and the caller (pure).
 *
 * Confidential recordings (denunciations, tố cáo) leave the device only as age files. By default
 * they are encrypted to the room's configured recipients (the authority that may open them), so
 * whoever carries the drive, the technician included, cannot open them. Choosing a passphrase is
 * for a caller who may see denouncers' identities anyway (`identities.read`): a passphrase chosen by
 * a technician would let the technician decrypt the copy.
 */
export const MIN_PASSPHRASE_LENGTH = 12;

export interface EncryptionRequest {
  /** Encrypt even a recording that is not confidential. */
  encrypt: boolean;
  passphrase?: string;
  scryptWorkFactor?: number;
}

export type EncryptionRefusal = 'passphrase-forbidden' | 'passphrase-too-short' | 'no-recipients';

export type EncryptionDecision =
  | { ok: true; to: AgeTarget | undefined }
  | { ok: false; refusal: EncryptionRefusal; message: string };

export const mayChoosePassphrase = (role: string): boolean =>
  (roles as readonly string[]).includes(role) && can(role as Role, 'identities.read');

export function decideEncryption(input: {
  recordingId: string;
  confidential: boolean;
  request: EncryptionRequest;
  role: string;
  recipients: readonly AgeRecipient[];
}): EncryptionDecision {
  const { recordingId, confidential, request, role, recipients } = input;
  if (request.passphrase !== undefined) {
    if (!mayChoosePassphrase(role)) {
      return {
        ok: false,
        refusal: 'passphrase-forbidden',
        message: `role ${role} may not choose an export passphrase (it needs the identities.read right): ${recipients.length ? 'export without a passphrase, encrypted to the configured recipients' : 'ask a leader to export it'}`,
      };
    }
    if ([...request.passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
      return {
        ok: false,
        refusal: 'passphrase-too-short',
        message: `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`,
      };
    }
    return {
      ok: true,
      to: {
        kind: 'passphrase',
        passphrase: request.passphrase,
        ...(request.scryptWorkFactor === undefined ? {} : { scryptWorkFactor: request.scryptWorkFactor }),
      },
    };
  }
  if (!confidential && !request.encrypt) return { ok: true, to: undefined };
  if (recipients.length === 0) {
    const what = confidential
      ? `recording ${recordingId} is confidential and leaves the device only encrypted, but`
      : 'an encrypted export was asked for, but';
    return {
      ok: false,
      refusal: 'no-recipients',
      message: `${what} no recipient is configured for this room (evidence.export.recipients: the authority's age public keys)${mayChoosePassphrase(role) ? '; or give a passphrase' : ''}`,
    };
  }
  return { ok: true, to: { kind: 'recipients', recipients: [...recipients] } };
}
