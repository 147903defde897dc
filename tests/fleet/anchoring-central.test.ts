import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection, Status } from '@nats-io/nats-core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { checkReceiptSignature, type AnchorPayload } from '../../kiosk/evidence/anchor-receipt.js';
import { buildAnchor, buildNotaryRequest, parseNotaryReply } from '../../kiosk/fleet/nats/anchor.js';
import { parseNotaryPublicKey } from '../../kiosk/fleet/keys/notary-key.js';
import { connectRoom, connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { ANCHORS_STREAM, anchorMessageId, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral, type InitCentralResult } from '../../scripts/central/central-dir.js';
import { startNatsServer, type RunningNatsServer } from '../../scripts/central/nats-process.js';
import { startNotary } from '../../scripts/central/notary.js';
import { ensureCentralStreams } from '../../scripts/central/streams.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

const hex = (c: string) => c.repeat(64);
const anchorFor = (recordingId: string, seq = 1): AnchorPayload => ({
  v: 1,
  at: new Date().toISOString(),
  recordingId,
  manifestSha256: hex('a'),
  signingKeyFingerprint: `sha256:${hex('b')}`,
  auditHead: { seq, hash: hex('c') },
});

/**
 * The anchors stream and the notary against the real nats-server: append-only whoever asks, a
 * room anchors only as itself, the notary signs only what the stream holds on the asking room's subject.
 */
describe('evidence anchors at central monitoring (real nats-server)', () => {
  let dir: string;
  let central: InitCentralResult;
  let server: RunningNatsServer;
  let url: string;
  let admin: NatsConnection;
  let notary: { stop(): Promise<void> };
  const open: NatsConnection[] = [];

  const room = async (roomId: string) => {
    const nc = await connectRoom({
      servers: url,
      credential: { roomId, user: await readUserCredential(central.layout.roomSeedFile(roomId)) },
      caFile: central.layout.caFile,
      options: { reconnect: false },
    });
    open.push(nc);
    return nc;
  };
  const publishAnchor = (nc: NatsConnection, roomId: string, anchor: AnchorPayload) =>
    jetstream(nc).publish(subjects.anchor(roomId), buildAnchor(anchor), {
      msgID: anchorMessageId(roomId, anchor.recordingId),
      expect: { streamName: ANCHORS_STREAM },
      timeout: 5000,
    });
  const askNotary = async (nc: NatsConnection, roomId: string, streamSeq: number, recordingId: string) => {
    const reply = parseNotaryReply(
      (
        await nc.request(subjects.notaryReceipt(roomId), buildNotaryRequest({ v: 1, streamSeq, recordingId }), {
          timeout: 5000,
        })
      ).data,
    );
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  };

  beforeAll(async () => {
    dir = await makeTempDir('anchors');
    central = await initCentral({
      dir,
      rooms: ['room-a', 'room-b'],
      websocket: { host: '127.0.0.1', port: -1 },
      client: { host: '127.0.0.1', port: -1 },
    });
    server = await startNatsServer({ configFile: central.layout.configFile });
    url = `wss://127.0.0.1:${server.websocketPort}`;
    admin = await connectVerified({
      servers: url,
      user: await readUserCredential(central.layout.adminSeedFile),
      caFile: central.layout.caFile,
    });
    open.push(admin);
    await ensureCentralStreams(admin);
    notary = await startNotary({
      servers: url,
      caFile: central.layout.caFile,
      seedFile: central.layout.monitoringSeedFile,
      notaryKeyFile: central.layout.notaryKeyFile,
    });
  });
  afterAll(async () => {
    await notary?.stop();
    for (const nc of open) await nc.close().catch(() => undefined);
    await server?.stop();
    await removeTempDir(dir);
  });

  it('keeps the notary key private in the central folder, the same across init runs, its public half exported', async () => {
    expect((await stat(central.layout.notaryKeyFile)).mode & 0o777).toBe(0o600);
    const again = await initCentral({ dir, rooms: ['room-a', 'room-b'] });
    expect(again.notary).toEqual(central.notary);
    expect(again.notary.publicKey).toMatch(/^N/);
    expect(parseNotaryPublicKey(again.notary.pem).export({ format: 'jwk' }).x).toBe(
      parseNotaryPublicKey(again.notary.publicKey).export({ format: 'jwk' }).x,
    );
  });

  it('stores an anchor once (a replay is a duplicate of the same sequence) and the notary signs it', async () => {
    const a = await room('room-a');
    const anchor = anchorFor('rec-1');
    const first = await publishAnchor(a, 'room-a', anchor);
    const replay = await publishAnchor(a, 'room-a', anchor);
    expect(first.duplicate).toBe(false);
    expect(replay).toMatchObject({ duplicate: true, seq: first.seq, stream: ANCHORS_STREAM });
    const reply = await askNotary(a, 'room-a', first.seq, 'rec-1');
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.receipt).toMatchObject({ room: 'room-a', stream: ANCHORS_STREAM, streamSeq: first.seq, anchor });
    expect(checkReceiptSignature(reply.receipt, [parseNotaryPublicKey(central.notary.publicKey)])).toEqual({
      ok: true,
    });
    // The receipt's time is the stream's, not the room's.
    const stored = await (await jetstreamManager(admin)).streams.getMessage(ANCHORS_STREAM, { seq: first.seq });
    expect(reply.receipt.receivedAt).toBe(stored!.time.toISOString());
    // Asked again: the same bytes (Ed25519 is deterministic, the time is the stream's).
    expect(await askNotary(a, 'room-a', first.seq, 'rec-1')).toEqual(reply);
  });

  it('measures an anchor and its receipt: bytes on the wire, publish-to-receipt round trip (printed, not asserted)', async () => {
    const a = await room('room-a');
    const times: number[] = [];
    let receiptBytes = 0;
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      const { seq } = await publishAnchor(a, 'room-a', anchorFor(`measure-${i}`, i));
      const reply = await askNotary(a, 'room-a', seq, `measure-${i}`);
      times.push(performance.now() - started);
      if (!reply.ok) throw new Error(reply.error.message);
      receiptBytes = JSON.stringify(reply.receipt, null, 2).length + 1;
    }
    times.sort((x, y) => x - y);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    const info = await (await jetstreamManager(admin)).streams.info(ANCHORS_STREAM);
    console.log(
      `anchor ${buildAnchor(anchorFor('measure-0')).byteLength} B on the wire, receipt file ${receiptBytes} B, stream ${(info.state.bytes / info.state.messages).toFixed(0)} B per anchor stored; publish + receipt over wss: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (n=${times.length})`,
    );
    expect(times).toHaveLength(200);
  });

  it('refuses delete and purge of the anchors stream even to the admin credential, and an update cannot lift that', async () => {
    const a = await room('room-a');
    const { seq } = await publishAnchor(a, 'room-a', anchorFor('rec-2'));
    const jsm = await jetstreamManager(admin);
    await expect(jsm.streams.deleteMessage(ANCHORS_STREAM, seq)).rejects.toThrow('message delete not permitted');
    await expect(jsm.streams.deleteMessage(ANCHORS_STREAM, seq, false)).rejects.toThrow('message delete not permitted');
    await expect(jsm.streams.purge(ANCHORS_STREAM)).rejects.toThrow('stream purge not permitted');
    await expect(jsm.streams.purge(ANCHORS_STREAM, { filter: subjects.anchor('room-a') })).rejects.toThrow(
      'stream purge not permitted',
    );
    const info = await jsm.streams.info(ANCHORS_STREAM);
    await expect(
      jsm.streams.update(ANCHORS_STREAM, { ...info.config, deny_delete: false, deny_purge: false }),
    ).rejects.toThrow('stream configuration update can not cancel deny message deletes');
    expect((await jsm.streams.info(ANCHORS_STREAM)).config).toMatchObject({
      deny_delete: true,
      deny_purge: true,
      max_age: 0,
    });
    expect(await jsm.streams.getMessage(ANCHORS_STREAM, { seq })).toMatchObject({
      seq,
      subject: subjects.anchor('room-a'),
    });
    // Nor can the stream be deleted whole: the server's permissions deny that API to every credential.
    await expect(jsm.streams.delete(ANCHORS_STREAM)).rejects.toThrow(/permission|timeout/i);
    expect((await jsm.streams.info(ANCHORS_STREAM)).state.messages).toBeGreaterThan(0);
    // ensureCentralStreams again (an upgrade's set-up run) keeps it as it is.
    await ensureCentralStreams(admin);
    expect(await jsm.streams.getMessage(ANCHORS_STREAM, { seq })).toMatchObject({ seq });
  });

  it('lets a room anchor only as itself, and have only its own anchors notarised', async () => {
    const a = await room('room-a');
    const errors: Extract<Status, { type: 'error' }>['error'][] = [];
    void (async () => {
      for await (const status of a.status()) if (status.type === 'error') errors.push(status.error);
    })();
    // Publishing on room-b's anchor subject: the server refuses (the JetStream ack never comes).
    await expect(publishAnchor(a, 'room-b', anchorFor('forged'))).rejects.toThrow(
      `Permissions Violation for Publish to "${subjects.anchor('room-b')}"`,
    );
    await waitFor('the permission violation', () =>
      errors.some((e) => (e as { subject?: string }).subject === subjects.anchor('room-b')),
    );
    // Asking room-b's notary subject: refused by the server too.
    await expect(
      a.request(subjects.notaryReceipt('room-b'), buildNotaryRequest({ v: 1, streamSeq: 1, recordingId: 'rec-1' }), {
        timeout: 2000,
      }),
    ).rejects.toThrow(`Permissions Violation for Publish to "${subjects.notaryReceipt('room-b')}"`);
    // room-b asking its own notary subject for room-a's anchor: refused by the notary.
    const b = await room('room-b');
    const { seq } = await publishAnchor(a, 'room-a', anchorFor('rec-3'));
    expect(await askNotary(b, 'room-b', seq, 'rec-3')).toMatchObject({ ok: false, error: { code: 'wrong-room' } });
    // A sequence the stream does not hold, or another recording's: refused.
    expect(await askNotary(a, 'room-a', 999_999, 'rec-3')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await askNotary(a, 'room-a', seq, 'rec-other')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // A room cannot read the stream itself.
    await expect(
      jetstreamManager(a, { checkAPI: false }).then((m) => m.streams.getMessage(ANCHORS_STREAM, { seq })),
    ).rejects.toThrow(`Permissions Violation for Publish to "$JS.API.STREAM.MSG.GET.${ANCHORS_STREAM}"`);
  });
});
