import { execFile } from 'node:child_process';
import { chmod, cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';
import { ANCHOR_RECEIPT_FILE, parseReceipt } from '../../kiosk/evidence/anchor-receipt.js';
import { generateDeviceKey } from '../../kiosk/evidence/device-key.js';
import { sha256Hex } from '../../kiosk/core/hashing.js';
import { parseManifest } from '../../kiosk/evidence/manifest.js';
import { writeSignedManifest } from '../../kiosk/evidence/seal.js';
import { Database } from '../../kiosk/store/database.js';
import { startCentral, type Central } from '../support/central.js';
import { daemonsPerTest, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';
import { addConsoleUser, call, login, sessionBody } from '../session/helpers.js';

const password = 'mat-khau-thu-nghiem';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `diemcau verify` from the build, with arguments. */
function verifyCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(projectRoot(), 'dist', 'kiosk', 'cli.js'), 'verify', ...args],
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout: stdout + stderr }),
    ),
  );
}

interface Room {
  dir: string;
  configPath: string;
  daemon: DaemonHandle;
  officer: string;
  technician: string;
}

/**
 * Evidence anchoring end to end: the built daemon in simulation records real sessions against a
 * real nats-server with the notary serving; the receipts land beside the manifests, and the
 * verifier catches a re-signed folder and deleted audit rows.
 */
describe('evidence anchoring: daemon, central monitoring and the verifier', () => {
  const daemons = daemonsPerTest();
  let central: Central;

  beforeEach(async () => {
    central = await startCentral();
  });
  afterEach(async () => {
    await central.close();
  });

  const recordings = (room: Room) => join(room.dir, 'data', 'recordings');
  const folderOf = (room: Room, recordingId: string) => join(recordings(room), recordingId);

  async function openRoom(name: string): Promise<Room> {
    const dir = await daemons.folder(name);
    const configPath = writeTestConfig(dir, (config) => {
      config.fleet = central.fleetConfig();
    });
    await addConsoleUser(configPath, 'canbo', 'officer', password);
    await addConsoleUser(configPath, 'kythuat', 'technician', password);
    return startRoom(dir, configPath);
  }

  async function startRoom(dir: string, configPath: string): Promise<Room> {
    const daemon = await daemons.start(configPath, { readyTimeoutMs: 40_000 });
    return {
      dir,
      configPath,
      daemon,
      officer: await login(daemon.consoleUrl, 'canbo', password),
      technician: await login(daemon.consoleUrl, 'kythuat', password),
    };
  }

  /** Scheduled, started, recorded for `seconds`, ended (and so sealed). */
  async function recordSession(room: Room, seconds = 3): Promise<string> {
    const created = await call('POST', `${room.daemon.consoleUrl}/api/schedule`, sessionBody(), room.officer);
    expect(created.status, created.text).toBe(201);
    const sessionId: string = created.json.session.id;
    const started = await call('POST', `${room.daemon.kioskUrl}/api/session/${sessionId}/start`);
    expect(started.status, started.text).toBe(200);
    const recordingId: string = started.json.session.recordingId;
    await sleep(seconds * 1000);
    await waitFor(`a segment of ${recordingId}`, async () =>
      (await readdir(folderOf(room, recordingId)).catch(() => [])).some((n) => n.endsWith('.mkv')),
    );
    const ended = await call('POST', `${room.daemon.kioskUrl}/api/session/${sessionId}/end`, { reason: 'hết giờ' });
    expect(ended.status, ended.text).toBe(200);
    await waitFor(`${recordingId} sealed`, () =>
      stat(join(folderOf(room, recordingId), 'manifest.json')).then(
        () => true,
        () => false,
      ),
    );
    return recordingId;
  }

  const receiptOf = async (room: Room, recordingId: string) => {
    const parsed = parseReceipt(await readFile(join(folderOf(room, recordingId), ANCHOR_RECEIPT_FILE)));
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.receipt;
  };
  const waitForReceipt = (room: Room, recordingId: string, timeoutMs = 30_000) =>
    waitFor(
      `the anchor receipt of ${recordingId}`,
      () =>
        stat(join(folderOf(room, recordingId), ANCHOR_RECEIPT_FILE)).then(
          () => receiptOf(room, recordingId),
          () => undefined,
        ),
      timeoutMs,
    );

  it('anchors each of two sessions; verify says anchored, catches a re-signed copy and audit rows deleted after anchoring', async () => {
    const room = await openRoom('anchor-two');
    await waitFor('the room connected to central', () => central.state());
    const first = await recordSession(room);
    const firstReceipt = await waitForReceipt(room, first);
    // Audit entries before the second seal: the technician views and verifies the first recording.
    for (const path of [`/api/evidence/recordings/${first}`, `/api/evidence/recordings/${first}`])
      expect((await call('GET', `${room.daemon.consoleUrl}${path}`, undefined, room.technician)).status).toBe(200);
    expect(
      (await call('POST', `${room.daemon.consoleUrl}/api/evidence/recordings/${first}/verify`, {}, room.technician))
        .status,
    ).toBe(200);
    const second = await recordSession(room);
    const secondReceipt = await waitForReceipt(room, second);

    // What was anchored is what the folder holds; two anchors, two stream messages.
    for (const [recordingId, receipt] of [
      [first, firstReceipt],
      [second, secondReceipt],
    ] as const) {
      const manifestRaw = await readFile(join(folderOf(room, recordingId), 'manifest.json'));
      const manifest = parseManifest(manifestRaw);
      if (!manifest.ok) throw new Error(manifest.problem);
      expect(receipt).toMatchObject({
        room: 'sim-room',
        stream: 'DIEMCAU_ANCHORS',
        anchor: {
          recordingId,
          manifestSha256: sha256Hex(manifestRaw),
          signingKeyFingerprint: manifest.manifest.publicKey.fingerprint,
        },
      });
      // Read-only like the rest of the sealed folder, and the folder closed again.
      expect((await stat(join(folderOf(room, recordingId), ANCHOR_RECEIPT_FILE))).mode & 0o777).toBe(0o440);
      expect((await stat(folderOf(room, recordingId))).mode & 0o777).toBe(0o550);
    }
    expect(secondReceipt.streamSeq).toBeGreaterThan(firstReceipt.streamSeq);
    // The second anchor covers the three audit entries written between the seals.
    expect(secondReceipt.anchor.auditHead.seq).toBeGreaterThanOrEqual(firstReceipt.anchor.auditHead.seq + 3);
    // No title, case or person crossed the wire in an anchor.
    const anchors = central.captured().filter((m) => m.subject === 'diemcau.v1.room.sim-room.anchor');
    expect(anchors).toHaveLength(2);
    for (const anchor of anchors) expect(anchor.data).not.toContain('Tiếp công dân');

    // The device's own verifier, with the config (notary keys, audit log): anchored, audit log matches.
    const ok = await verifyCli(folderOf(room, second), '--config', room.configPath);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('anchored: room sim-room, DIEMCAU_ANCHORS #');
    expect(ok.stdout).toContain('audit log matches its anchor');
    // On another machine, with only the folder: the receipt is reported, its signature not checked.
    const bare = await verifyCli(folderOf(room, second));
    expect(bare.code, bare.stdout).toBe(0);
    expect(bare.stdout).toContain('signature not checked');

    // The folder copied and re-signed with another device key: on its own it verifies (that is the attack)...
    const copy = join(room.dir, 'resigned');
    await cp(folderOf(room, second), copy, { recursive: true });
    await chmod(copy, 0o750);
    for (const name of await readdir(copy)) await chmod(join(copy, name), 0o640);
    const original = parseManifest(await readFile(join(copy, 'manifest.json')));
    if (!original.ok) throw new Error(original.problem);
    const m = original.manifest;
    await writeSignedManifest(
      copy,
      {
        device: m.device,
        recording: m.recording,
        segments: m.segments.map(({ index: _i, chain: _c, ...segment }) => segment),
        events: m.events,
        createdAt: m.createdAt,
      },
      generateDeviceKey(),
    );
    const notaryKeyFile = join(room.dir, 'notary.pub');
    await writeFile(notaryKeyFile, `${central.notaryPublicKey}\n`);
    const withoutReceipt = join(room.dir, 'resigned-no-receipt');
    await cp(copy, withoutReceipt, { recursive: true });
    await rm(join(withoutReceipt, ANCHOR_RECEIPT_FILE));
    const unanchored = await verifyCli(withoutReceipt, '--notary-key', notaryKeyFile);
    expect(unanchored.code, unanchored.stdout).toBe(0);
    expect(unanchored.stdout).toContain('not anchored yet');
    // On the device, even without its receipt, it differs from the anchor the device queued...
    const againstQueue = await verifyCli(withoutReceipt, '--config', room.configPath);
    expect(againstQueue.code, againstQueue.stdout).toBe(1);
    expect(againstQueue.stdout).toContain('the device anchored it as signed by');
    expect(againstQueue.stdout).toContain('the device received its anchor receipt at');
    // ...and with its receipt it fails anywhere.
    const resigned = await verifyCli(copy, '--notary-key', notaryKeyFile);
    expect(resigned.code, resigned.stdout).toBe(1);
    expect(resigned.stdout).toContain('anchor-receipt.json: anchor-mismatch: anchored as signed by');
    expect(resigned.stdout).toContain('the folder was re-signed with another key');
    expect(resigned.stdout).toContain('anchor MISMATCH');

    // The newest audit rows deleted behind the daemon's back (its triggers dropped first): the chain
    // left is intact on its own, the anchor shows what is gone.
    await room.daemon.stop();
    const db = await Database.open(join(room.dir, 'data', 'diemcau.sqlite'));
    await db.exec('DROP TRIGGER audit_log_no_delete');
    await db.run('DELETE FROM audit_log WHERE seq >= ?', [secondReceipt.anchor.auditHead.seq]);
    await db.close();
    const truncated = await verifyCli(folderOf(room, second), '--config', room.configPath);
    expect(truncated.code, truncated.stdout).toBe(1);
    expect(truncated.stdout).toContain('audit_log: audit-tampered:');
    expect(truncated.stdout).toContain('audit log rows deleted or rewritten after anchoring');
    // The first recording was anchored before those rows were written: nothing it vouched for is gone.
    expect((await verifyCli(folderOf(room, first), '--config', room.configPath)).code).toBe(0);
  }, 240_000);

  it('a room offline at the seal gets its receipt after reconnecting, and after a restart', async () => {
    let room = await openRoom('anchor-offline');
    await waitFor('the room connected to central', () => central.state());
    await central.stopServer();
    const first = await recordSession(room);
    // Sealed while central is down: queued, reported as not anchored yet.
    const waiting = await verifyCli(folderOf(room, first), '--config', room.configPath);
    expect(waiting.code, waiting.stdout).toBe(0);
    expect(waiting.stdout).toContain('not anchored yet: queued since');
    await central.startServer();
    await waitForReceipt(room, first, 60_000);

    // Sealed offline, then the daemon killed before central came back: the queue in SQLite survives.
    await central.stopServer();
    const second = await recordSession(room);
    await room.daemon.stop('SIGKILL');
    await central.startServer();
    room = await startRoom(room.dir, room.configPath);
    const receipt = await waitForReceipt(room, second, 60_000);
    expect(receipt.anchor.recordingId).toBe(second);
    const verified = await verifyCli(folderOf(room, second), '--config', room.configPath);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain('anchored: room sim-room');
  }, 240_000);
});
