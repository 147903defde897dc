import { readdir, readlink } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HEARTBEAT } from '../../kiosk/media/pipelines/channels.js';
import { SupervisedPipeline } from '../../kiosk/media/worker/supervised-pipeline.js';
import { waitFor } from '../support/wait.js';
import { quietLogger } from './helpers.js';

/** Open sockets of this process: GStreamer's GstPoll makes a socketpair per bus and buffer pool. */
async function openSockets(): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith('socket:')).length;
}

const OUTAGES = 8;
let pipeline: SupervisedPipeline | undefined;

afterEach(() => {
  pipeline?.stop();
  pipeline = undefined;
});

describe('a supervised capture that keeps going down (a camera that stalls now and then on a loaded board)', () => {
  it('is replayed as it is, so the worker does not grow with every outage', async () => {
    const outages: number[] = [];
    // A live source that ends after 2 s, once its heartbeat has said it is up: up, down, up, down...
    pipeline = new SupervisedPipeline({
      name: 'camera',
      launch: `videotestsrc is-live=true num-buffers=60 ! video/x-raw,width=160,height=120,framerate=30/1 ! progressreport name=${HEARTBEAT} update-freq=1 silent=true ! fakesink sync=true`,
      heartbeat: true,
      backoff: { initialMs: 200, maxMs: 200, factor: 1, jitter: 0 },
      logger: quietLogger(),
      onDown: (_reason, wasUp) => {
        if (wasUp) void openSockets().then((sockets) => outages.push(sockets));
      },
      onUp: () => undefined,
    });
    await pipeline.start();
    await waitFor(`${OUTAGES} outages of a source that was up`, () => outages.length >= OUTAGES, 120_000, 100);

    // Counts after the second outage and after the last: a rebuild per outage added two every time.
    expect(outages.at(-1)!).toBeLessThanOrEqual(outages[1]!);
    expect(pipeline.builds).toBe(1);
  }, 150_000);
});
