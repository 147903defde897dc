import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { backoffDelay } from '../../hal/core/backoff.js';
import type { AppEvents, EventBus } from '../core/event-bus.js';
import { fileModes } from '../core/file-modes.js';
import type { Logger } from '../core/logger.js';
import {
  ANCHOR_RECEIPT_FILE,
  checkReceiptSignature,
  receiptFileBytes,
  type AnchorPayload,
  type AnchorReceipt,
} from '../evidence/anchor-receipt.js';
import { canonicalJson } from '../evidence/canonical-json.js';
import { writeFileAtomic } from '../evidence/files.js';
import type { Database } from '../store/database.js';
import { buildAnchor, buildNotaryRequest, parseNotaryReply } from './nats/anchor.js';
import { parseNotaryPublicKey } from './keys/notary-key.js';
import { ANCHORS_STREAM, anchorMessageId, subjects } from './nats/subjects.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * Evidence anchoring, the room's side (kiosk/evidence/ANCHORING.md). Each sealed recording's anchor
 * is queued in SQLite first, then published to central's append-only stream (message id
 * `room:anchor:<recording>`, so a replay is dropped), then its receipt is asked of central's notary
 * with the stream sequence, checked against the configured notary keys, and written beside the
 * manifest. A room offline at the seal, or restarted, carries on from the step it reached.
 */
export const anchorsMigrationSql = `
  CREATE TABLE fleet_anchors (
    recording_id  TEXT PRIMARY KEY,
    dir           TEXT NOT NULL,
    anchor        TEXT NOT NULL,
    queued_at     TEXT NOT NULL,
    stream_seq    INTEGER,
    receipt_at    TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
  ) STRICT;
`;

export interface PendingAnchor {
  recordingId: string;
  dir: string;
  anchor: AnchorPayload;
  streamSeq: number | null;
  attempts: number;
}

/** The queue of anchors not yet receipted. */
export class AnchorQueue {
  constructor(private readonly db: Database) {}

  /** Once per recording: a second seal event for the same recording changes nothing. */
  async add(dir: string, anchor: AnchorPayload, at = new Date().toISOString()): Promise<void> {
    await this.db.run(
      'INSERT OR IGNORE INTO fleet_anchors (recording_id, dir, anchor, queued_at) VALUES (?, ?, ?, ?)',
      [anchor.recordingId, dir, JSON.stringify(anchor), at],
    );
  }

  async pending(limit = 50): Promise<PendingAnchor[]> {
    const rows = await this.db.all<{
      recording_id: string;
      dir: string;
      anchor: string;
      stream_seq: number | null;
      attempts: number;
    }>(
      'SELECT recording_id, dir, anchor, stream_seq, attempts FROM fleet_anchors WHERE receipt_at IS NULL ORDER BY queued_at, recording_id LIMIT ?',
      [limit],
    );
    return rows.map((r) => ({
      recordingId: r.recording_id,
      dir: r.dir,
      anchor: JSON.parse(r.anchor) as AnchorPayload,
      streamSeq: r.stream_seq,
      attempts: r.attempts,
    }));
  }

  async published(recordingId: string, streamSeq: number | null): Promise<void> {
    await this.db.run('UPDATE fleet_anchors SET stream_seq = ? WHERE recording_id = ?', [streamSeq, recordingId]);
  }

  async receipted(recordingId: string, at = new Date().toISOString()): Promise<void> {
    await this.db.run('UPDATE fleet_anchors SET receipt_at = ?, last_error = NULL WHERE recording_id = ?', [
      at,
      recordingId,
    ]);
  }

  async failed(recordingId: string, error: string): Promise<void> {
    await this.db.run('UPDATE fleet_anchors SET attempts = attempts + 1, last_error = ? WHERE recording_id = ?', [
      error.slice(0, 500),
      recordingId,
    ]);
  }

  async remove(recordingId: string): Promise<void> {
    await this.db.run('DELETE FROM fleet_anchors WHERE recording_id = ?', [recordingId]);
  }
}

export function anchorOf(sealed: AppEvents['recordingSealed'][0]): AnchorPayload {
  return {
    v: 1,
    at: sealed.at,
    recordingId: sealed.recordingId,
    ...(sealed.sessionId ? { sessionId: sealed.sessionId } : {}),
    manifestSha256: sealed.manifestSha256,
    signingKeyFingerprint: sealed.signingKeyFingerprint,
    auditHead: sealed.auditHead,
  };
}

/** Why a receipt the notary sent is not written: it must be for exactly this anchor, signed by a trusted key. Pure. */
export function receiptProblem(
  receipt: AnchorReceipt,
  expected: { roomId: string; streamSeq: number; anchor: AnchorPayload },
  trusted: readonly KeyObject[],
): string | undefined {
  if (receipt.room !== expected.roomId) return `the receipt is for room ${receipt.room}`;
  if (receipt.stream !== ANCHORS_STREAM || receipt.streamSeq !== expected.streamSeq)
    return `the receipt is for ${receipt.stream} ${receipt.streamSeq}, not ${ANCHORS_STREAM} ${expected.streamSeq}`;
  if (canonicalJson(receipt.anchor) !== canonicalJson(expected.anchor))
    return 'the receipt is for another anchor than the one published';
  if (trusted.length === 0) return 'no notary key is configured (fleet.notaryKeys): the receipt cannot be checked';
  const signature = checkReceiptSignature(receipt, trusted);
  if (!signature.ok)
    return signature.why === 'untrusted-notary'
      ? `signed by ${receipt.notary.fingerprint}, which is not in fleet.notaryKeys`
      : 'its signature does not hold';
  return undefined;
}

const WARN_AFTER_ATTEMPTS = 5;

/** Not worth asking again now: the answer would be the same until central or the config changes. */
class AnchorRefused extends Error {
  override name = 'AnchorRefused';
}

export interface RoomAnchoringOptions {
  db: Database;
  bus: EventBus;
  logger: Logger;
  roomId: string;
  /** `fleet.notaryKeys` (validated by the config schema). */
  notaryKeys: readonly string[];
  /** The connection while the link is up, else undefined. */
  link: () => NatsConnection | undefined;
  timeoutMs?: number;
}

export class RoomAnchoring {
  readonly #queue: AnchorQueue;
  readonly #trusted: KeyObject[];
  #disposers: (() => void)[] = [];
  #running = false;
  #working: Promise<void> | undefined;
  #again = false;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  #js: { nc: NatsConnection; js: JetStreamClient } | undefined;

  constructor(private readonly options: RoomAnchoringOptions) {
    this.#queue = new AnchorQueue(options.db);
    this.#trusted = options.notaryKeys.map(parseNotaryPublicKey);
  }

  start(): void {
    const { bus, logger } = this.options;
    this.#running = true;
    if (this.#trusted.length === 0)
      logger.warn('fleet.notaryKeys is empty: anchors are published, but no receipt can be accepted');
    this.#disposers.push(
      bus.on('recordingSealed', (sealed) => {
        void this.#queue.add(sealed.dir, anchorOf(sealed)).then(
          () => this.kick(),
          (error: Error) =>
            logger.error(
              { recordingId: sealed.recordingId, err: error.message },
              'cannot queue the anchor of a sealed recording',
            ),
        );
      }),
    );
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearTimeout(this.#retry);
    await this.#working?.catch(() => undefined);
  }

  /** Works through the queue now (a seal, the link coming up); one pass at a time. */
  kick(): void {
    this.#again = true;
    this.#working ??= this.#drain()
      .catch((error: unknown) => this.options.logger.error({ err: describeError(error) }, 'anchors not sent'))
      .finally(() => {
        this.#working = undefined;
      });
  }

  /** Resolves when the queue is worked through as far as it can be now (tests, shutdown). */
  idle(): Promise<void> {
    return this.#working ?? Promise.resolve();
  }

  async #drain(): Promise<void> {
    while (this.#again && this.#running) {
      this.#again = false;
      let failed = false;
      for (const pending of await this.#queue.pending()) {
        const nc = this.options.link();
        if (!nc || !this.#running) return;
        try {
          await this.#anchor(nc, pending);
        } catch (error) {
          failed = true;
          const message = describeError(error);
          await this.#queue.failed(pending.recordingId, message);
          // A link that is down is routine; an anchor still failing after a few tries (no notary serving?) is worth a warning, once.
          const level =
            error instanceof AnchorRefused ? 'error' : pending.attempts + 1 === WARN_AFTER_ATTEMPTS ? 'warn' : 'debug';
          this.options.logger[level](
            { recordingId: pending.recordingId, attempts: pending.attempts + 1, err: message },
            'recording not anchored yet',
          );
        }
      }
      if (failed) this.#retryLater();
      else this.#failures = 0;
    }
  }

  async #anchor(nc: NatsConnection, pending: PendingAnchor): Promise<void> {
    const { roomId, timeoutMs = 5000, logger } = this.options;
    let streamSeq = pending.streamSeq;
    if (streamSeq === null) {
      if (this.#js?.nc !== nc) this.#js = { nc, js: jetstream(nc) };
      const ack = await this.#js.js.publish(subjects.anchor(roomId), buildAnchor(pending.anchor), {
        msgID: anchorMessageId(roomId, pending.recordingId),
        expect: { streamName: ANCHORS_STREAM },
        timeout: timeoutMs,
      });
      streamSeq = ack.seq;
      await this.#queue.published(pending.recordingId, streamSeq);
    }
    const answer = await nc.request(
      subjects.notaryReceipt(roomId),
      buildNotaryRequest({ v: 1, streamSeq, recordingId: pending.recordingId }),
      { timeout: timeoutMs },
    );
    const reply = parseNotaryReply(answer.data);
    if (!reply.ok) throw new AnchorRefused(`the notary's reply does not parse: ${reply.error}`);
    if (!reply.value.ok) {
      // The stream no longer holds it (recreated, or a wrong seq): publish again, the duplicate window or a new copy answers.
      if (reply.value.error.code === 'not-found' || reply.value.error.code === 'wrong-room')
        await this.#queue.published(pending.recordingId, null);
      throw new Error(`the notary refused: ${reply.value.error.code}: ${reply.value.error.message}`);
    }
    const receipt = reply.value.receipt;
    const problem = receiptProblem(receipt, { roomId, streamSeq, anchor: pending.anchor }, this.#trusted);
    if (problem) throw new AnchorRefused(`receipt not accepted: ${problem}`);
    const written = await writeReceipt(pending.dir, receipt);
    if (!written) {
      logger.warn({ recordingId: pending.recordingId }, 'the recording folder is gone: its anchor receipt is not kept');
      await this.#queue.remove(pending.recordingId);
      return;
    }
    await this.#queue.receipted(pending.recordingId);
    logger.info(
      { recordingId: pending.recordingId, streamSeq, notary: receipt.notary.fingerprint },
      'recording anchored at central monitoring',
    );
  }

  #retryLater(): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(
      () => this.kick(),
      backoffDelay(this.#failures++, { initialMs: 1000, maxMs: 5 * 60_000, factor: 2, jitter: 0.2 }),
    );
    this.#retry.unref?.();
  }
}

/**
 * Writes the receipt into a sealed (read-only) folder: the folder is opened for the write and
 * closed again, the file made read-only like the rest. The manifest does not list it: `verify`
 * knows it as the one file written after the seal. False when the folder no longer exists.
 */
export async function writeReceipt(dir: string, receipt: AnchorReceipt): Promise<boolean> {
  try {
    await chmod(dir, fileModes.recordingDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const path = join(dir, ANCHOR_RECEIPT_FILE);
    // Written writable, then made read-only: a temporary file left by a crash can be overwritten next time.
    await writeFileAtomic(path, receiptFileBytes(receipt), fileModes.recordingFile);
    await chmod(path, fileModes.sealedFile);
  } finally {
    await chmod(dir, fileModes.sealedDir);
  }
  return true;
}
