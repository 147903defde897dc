import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { silentLogger } from '../../../../hal/core/driver.js';
import { PtzBusyError, PtzCommandError, PtzNotConnectedError, PtzTimeoutError } from '../../../../hal/ptz/errors.js';
import * as visca from '../../../../hal/ptz/visca/protocol.js';
import { ViscaSession, type SessionExchange } from '../../../../hal/ptz/visca/session.js';
import { h } from '../helpers/wait.js';

/**
 * The session's rules with no line at all: the test plays the camera by feeding decoded replies,
 * and time is fake so timeouts are exact. (Pure logic: nothing here stands in for a real device.)
 */
describe('VISCA session', () => {
  let sent: string[];
  let unresponsive: string[];
  let session: ViscaSession;
  const reply = (bytes: string) => session.receive(visca.decodeReply(h(bytes)));
  const flush = () => vi.advanceTimersByTimeAsync(0);

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    unresponsive = [];
    session = new ViscaSession({
      send: (exchange: SessionExchange) => void sent.push(exchange.name),
      recovery: () => visca.ifClear(1),
      ackTimeoutMs: 500,
      slowCompletionTimeoutMs: 5000,
      onUnresponsive: (reason) => unresponsive.push(reason),
      maxQueued: 2,
      logger: silentLogger,
      device: 'ptz',
    });
    session.open();
  });

  afterEach(() => {
    session.close('test over');
    vi.useRealTimers();
  });

  it('resolves a command on ACK then Completion of the same socket', async () => {
    const done = session.request(visca.panTiltHome(1));
    await flush();
    reply('90 41 FF');
    reply('90 52 FF'); // another socket's Completion is not ours
    let settled = false;
    void done.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    reply('90 51 FF');
    await expect(done).resolves.toEqual(Buffer.alloc(0));
  });

  it('keeps one command in flight and sends the next only after the first completes', async () => {
    const first = session.request(visca.panTiltStop(1));
    const second = session.request(visca.preset(1, 'set', 2));
    await flush();
    expect(sent).toEqual(['Pan-tiltDrive Stop']);
    reply('90 41 FF');
    reply('90 51 FF');
    await first;
    await flush();
    expect(sent).toEqual(['Pan-tiltDrive Stop', 'CAM_Memory set 2']);
    reply('90 51 FF');
    await second;
  });

  it('refuses more than maxQueued waiting commands, and rejects them all when closed', async () => {
    const inFlight = session.request(visca.panTiltHome(1));
    await flush();
    const queued = [session.request(visca.panTiltHome(1)), session.request(visca.panTiltHome(1))];
    const outcomes = Promise.allSettled([inFlight, ...queued]);
    await expect(session.request(visca.panTiltHome(1))).rejects.toBeInstanceOf(PtzBusyError);
    session.close('done');
    for (const outcome of await outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(PtzNotConnectedError);
    }
  });

  it('times out waiting for ACK, never re-sends, and clears before the next command', async () => {
    const move = session.request(visca.panTiltDrive(1, 'left', 'stop', 1, 1));
    const failed = expect(move).rejects.toBeInstanceOf(PtzTimeoutError);
    await vi.advanceTimersByTimeAsync(500);
    await failed;
    expect(sent).toEqual(['Pan-tiltDrive left/stop']);
    const next = session.request(visca.panTiltStop(1));
    await flush();
    expect(sent).toEqual(['Pan-tiltDrive left/stop', 'IF_Clear']);
    reply('90 51 FF'); // the late Completion of the timed-out move does not clear anything
    await flush();
    expect(sent).toHaveLength(2);
    reply('90 50 FF');
    await flush();
    expect(sent.at(-1)).toBe('Pan-tiltDrive Stop');
    reply('90 41 FF');
    reply('90 51 FF');
    await next;
  });

  it('gives a slow command the long Completion timeout after its ACK', async () => {
    const recall = session.request(visca.preset(1, 'recall', 1));
    await flush();
    reply('90 41 FF');
    await vi.advanceTimersByTimeAsync(4000);
    reply('90 51 FF');
    await expect(recall).resolves.toBeDefined();
  });

  it('maps an error before ACK and an error on the command socket after ACK', async () => {
    const first = session.request(visca.panTiltHome(1));
    await flush();
    reply('90 60 02 FF');
    await expect(first).rejects.toMatchObject({ reason: 'syntax', code: 2 });
    const second = session.request(visca.panTiltHome(1));
    await flush();
    reply('90 50 FF'); // IF_Clear done
    await flush();
    reply('90 41 FF');
    reply('90 62 04 FF'); // cancel of another socket: not ours
    reply('90 61 41 FF');
    const error = await second.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PtzCommandError);
    expect(error).toMatchObject({ reason: 'not-executable' });
  });

  it('returns inquiry data and ignores empty Completions meanwhile', async () => {
    const inquiry = session.request(visca.zoomPositionInquiry(1));
    await flush();
    reply('90 51 FF');
    reply('90 50 01 02 03 04 FF');
    expect(visca.decodeZoomPosition(await inquiry)).toBe(0x1234);
  });

  it('reports the camera unresponsive when the recovery packet itself times out', async () => {
    const first = expect(session.request(visca.panTiltHome(1))).rejects.toBeInstanceOf(PtzTimeoutError);
    await vi.advanceTimersByTimeAsync(500);
    await first;
    const second = session.request(visca.panTiltHome(1));
    const failed = expect(second).rejects.toThrow(/does not answer .*IF_Clear/);
    await vi.advanceTimersByTimeAsync(500);
    await failed;
    expect(sent).toEqual(['Pan-tiltDrive Home', 'IF_Clear']);
    expect(unresponsive).toEqual(['camera did not answer IF_Clear']);
  });

  it('rejects at once when the session is closed', async () => {
    session.close('unplugged');
    await expect(session.request(visca.panTiltHome(1))).rejects.toBeInstanceOf(PtzNotConnectedError);
  });
});
