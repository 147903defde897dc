import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { notaryKeyFrom, RECEIPT_FORMAT, signReceipt, type NotaryKey } from '../../kiosk/evidence/anchor-receipt.js';
import {
  buildNotaryReply,
  parseAnchorMessage,
  parseNotaryRequest,
  type NotaryErrorCode,
  type NotaryReply,
} from '../../kiosk/fleet/nats/anchor.js';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { ANCHORS_STREAM, parseSubject, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Central's notary (công chứng neo): answers a room's `diemcau.v1.notary.<room>.receipt` request
 * with a receipt signed by the notary key, for the anchor the stream holds at the sequence the room
 * names. It signs only what the stream stored, on that room's own anchor subject (which the server
 * lets no other room publish), with the stream's own time: a room cannot have a receipt for
 * something central never received, nor for another room. Stateless, so any number of monitoring
 * instances serve it (one queue group), and a room that was offline simply asks again.
 */
export interface NotaryOptions {
  notaryKey: NotaryKey;
  /** Structured logs (pino): room, seq and outcome, never a payload. */
  logger?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const QUEUE_GROUP = 'diemcau-notary';

export async function loadNotaryKey(file: string): Promise<NotaryKey> {
  const pem = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the notary key ${file}: ${error.code ?? error.message}`);
  });
  return notaryKeyFrom(createPrivateKey(pem));
}

/**
 * Serves notary requests on `nc` (the monitoring credential: it reads the stream by sequence and
 * answers once on the request's reply subject). Resolves once subscribed, to a function that drains
 * the subscription: the monitoring service's plug-in hook.
 */
export async function serveNotary(nc: NatsConnection, options: NotaryOptions): Promise<() => Promise<void>> {
  const jsm = await jetstreamManager(nc);
  const pending = new Set<Promise<void>>();
  const subscription = nc.subscribe(subjects.allNotaryReceipts, {
    queue: QUEUE_GROUP,
    callback: (error, msg) => {
      if (error || !msg.reply) return;
      const work = answer(jsm, msg, options).finally(() => pending.delete(work));
      pending.add(work);
    },
  });
  await nc.flush();
  return async () => {
    await subscription.drain().catch(() => undefined);
    await Promise.allSettled([...pending]);
  };
}

async function answer(jsm: JetStreamManager, msg: Msg, { notaryKey, logger }: NotaryOptions): Promise<void> {
  const refuse = (code: NotaryErrorCode, message: string, detail: object = {}): NotaryReply => {
    logger?.warn({ subject: msg.subject, code, ...detail }, 'notary request refused');
    return { v: 1, ok: false, error: { code, message } };
  };
  let reply: NotaryReply;
  try {
    reply = await decide();
  } catch (error) {
    reply = refuse('failed', 'the notary could not read the anchor; ask again later', { err: describeError(error) });
  }
  msg.respond(buildNotaryReply(reply));

  async function decide(): Promise<NotaryReply> {
    const where = parseSubject(msg.subject);
    if (where?.kind !== 'notary-receipt') return refuse('malformed', 'not a notary subject');
    const request = parseNotaryRequest(msg.data);
    if (!request.ok) return refuse(request.code, request.error, { room: where.roomId });
    const { streamSeq, recordingId } = request.value;
    const stored = await jsm.streams.getMessage(ANCHORS_STREAM, { seq: streamSeq }).catch((error: unknown) => {
      // 10037: no message at that sequence; anything else is central's problem, and retried.
      if ((error as { code?: number })?.code === 10037 || /no message found/i.test(String(describeError(error))))
        return null;
      throw error;
    });
    if (!stored)
      return refuse('not-found', `the anchors stream holds nothing at ${streamSeq}`, { room: where.roomId, streamSeq });
    if (stored.subject !== subjects.anchor(where.roomId))
      return refuse('wrong-room', `message ${streamSeq} is not this room's anchor`, { room: where.roomId, streamSeq });
    const parsed = parseAnchorMessage(stored.subject, stored.data);
    if (!parsed.ok)
      return refuse('failed', `message ${streamSeq} is not an anchor: ${parsed.error}`, {
        room: where.roomId,
        streamSeq,
      });
    if (parsed.value.anchor.recordingId !== recordingId)
      return refuse('not-found', `message ${streamSeq} anchors another recording`, { room: where.roomId, streamSeq });
    const receipt = signReceipt(
      {
        format: RECEIPT_FORMAT,
        room: where.roomId,
        stream: ANCHORS_STREAM,
        streamSeq,
        receivedAt: stored.time.toISOString(),
        anchor: parsed.value.anchor,
      },
      notaryKey,
    );
    logger?.info({ room: where.roomId, streamSeq, recordingId }, 'anchor receipt signed');
    return { v: 1, ok: true, receipt };
  }
}

/**
 * The notary on its own connection (tests, or a central without the monitoring service):
 * connects with the monitoring credential and serves until stopped.
 */
export async function startNotary(options: {
  servers: string | string[];
  caFile: string;
  seedFile: string;
  notaryKeyFile: string;
  logger?: NotaryOptions['logger'];
}): Promise<{ stop(): Promise<void> }> {
  const notaryKey = await loadNotaryKey(options.notaryKeyFile);
  const nc = await connectVerified({
    servers: options.servers,
    user: await readUserCredential(options.seedFile),
    caFile: options.caFile,
    options: { name: 'diemcau-notary', maxReconnectAttempts: -1, reconnectTimeWait: 250 },
  });
  const stopServing = await serveNotary(nc, { notaryKey, ...(options.logger ? { logger: options.logger } : {}) });
  return {
    async stop() {
      await stopServing();
      await nc.close().catch(() => undefined);
    },
  };
}
