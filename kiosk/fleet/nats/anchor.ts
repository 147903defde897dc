import { z } from 'zod';
import { anchorPayload, anchorReceipt, type AnchorPayload, type AnchorReceipt } from '../../evidence/anchor-receipt.js';
import { decode, encode, type Decoded } from './codec.js';
import { parseSubject } from './subjects.js';

/**
 * Evidence anchoring on the wire (schema.md, "Anchors"): the anchor a room publishes to JetStream
 * at each seal, and the request/reply by which it gets the notary's signed receipt for it. The
 * payload and receipt shapes are the evidence folder's (kiosk/evidence/anchor-receipt.ts), so the
 * standalone verifier reads exactly what travelled.
 */
export type { AnchorPayload, AnchorReceipt };

export const buildAnchor = (anchor: AnchorPayload): Uint8Array => encode('anchor', anchorPayload, anchor);

/** An anchor as the stream holds it; the room comes from the subject, which the server's permissions vouch for. */
export function parseAnchorMessage(
  subject: string,
  data: Uint8Array | string,
): Decoded<{ roomId: string; anchor: AnchorPayload }> {
  const where = parseSubject(subject);
  if (where?.kind !== 'anchor') return { ok: false, code: 'malformed', error: `${subject} is not an anchor subject` };
  const decoded = decode('anchor', anchorPayload, data);
  return decoded.ok ? { ok: true, value: { roomId: where.roomId, anchor: decoded.value } } : decoded;
}

/** The room's request: "sign the anchor you hold at this stream sequence"; the recording id guards against a wrong seq. */
export const notaryRequest = z
  .object({ v: z.literal(1), streamSeq: z.number().int().min(1), recordingId: anchorPayload.shape.recordingId })
  .strict();
export type NotaryRequest = z.infer<typeof notaryRequest>;

export const notaryErrorCodes = [
  'malformed',
  'too-large',
  'unsupported-version',
  'not-found',
  'wrong-room',
  'failed',
] as const;
export type NotaryErrorCode = (typeof notaryErrorCodes)[number];

export const notaryReply = z.discriminatedUnion('ok', [
  z.object({ v: z.literal(1), ok: z.literal(true), receipt: anchorReceipt }).strict(),
  z
    .object({
      v: z.literal(1),
      ok: z.literal(false),
      error: z.object({ code: z.enum(notaryErrorCodes), message: z.string().max(500) }).strict(),
    })
    .strict(),
]);
export type NotaryReply = z.infer<typeof notaryReply>;

export const buildNotaryRequest = (request: NotaryRequest): Uint8Array =>
  encode('notaryRequest', notaryRequest, request);
export const parseNotaryRequest = (data: Uint8Array | string): Decoded<NotaryRequest> =>
  decode('notaryRequest', notaryRequest, data);
export const buildNotaryReply = (reply: NotaryReply): Uint8Array => encode('notaryReply', notaryReply, reply);
export const parseNotaryReply = (data: Uint8Array | string): Decoded<NotaryReply> =>
  decode('notaryReply', notaryReply, data);
