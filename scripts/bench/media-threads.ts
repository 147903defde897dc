import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100;

/** CPU seconds of every thread of a process, by thread id, with the thread's name (15 characters at most). */
export async function threadCpu(pid: number): Promise<Map<number, { name: string; seconds: number }>> {
  const threads = new Map<number, { name: string; seconds: number }>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    // A thread can end between the listing and the read.
    const text = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined);
    if (!text) continue;
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: utime and stime are fields 14 and 15 (1-based) of the whole line → 11 and 12 here.
    threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
  }
  return threads;
}

/** CPU spent between two samples, summed by thread name (x264's own threads carry the name of the thread that made them). */
export function cpuByName(
  before: ReadonlyMap<number, { seconds: number }>,
  after: ReadonlyMap<number, { name: string; seconds: number }>,
): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [tid, thread] of after) {
    const spent = thread.seconds - (before.get(tid)?.seconds ?? 0);
    byName.set(thread.name, (byName.get(thread.name) ?? 0) + spent);
  }
  return byName;
}

/**
 * What each queue of a set of launch strings starts, in creation order: GStreamer names unnamed
 * queues queue0, queue1… per process, and every queue's thread is named after its source pad.
 * The stage is told by what the branch does after the queue.
 */
export function queueStages(launches: readonly string[]): string[] {
  const stages: string[] = [];
  for (const line of launches.join('\n').split('\n')) {
    const parts = line.split(' ! ');
    parts.forEach((part, i) => {
      if (!/^queue(\s|$)/.test(part.trim()) || /\bname=/.test(part)) return;
      stages.push(stageOfBranch(parts.slice(i + 1).join(' ! '), line));
    });
  }
  return stages;
}

function stageOfBranch(after: string, line: string): string {
  if (/x264enc|video-encoder/.test(after)) return 'encode';
  if (/jpegenc|preview/.test(after)) return 'preview';
  if (/stream-mux/.test(after)) return 'stream mux + UDP';
  if (/recorder\./.test(after)) return 'recorder mux + file';
  if (/intervideosink|interaudiosink/.test(after)) return 'remote decode + normalise';
  if (/mix-audio|audio/.test(line)) return 'audio';
  if (/mix-video/.test(after)) return 'picture-in-picture';
  return 'other';
}

/** The stage a thread works for, from its name; unknown names (Node, libuv, V8, GLib) are the host's. */
export function stageOfThread(name: string, queues: readonly string[]): string {
  const queue = /^queue(\d+):/.exec(name);
  if (queue) return queues[Number(queue[1])] ?? 'other';
  if (/^multifilesrc|^v4l2src|^videotestsrc|^tcpclientsrc|^rtspsrc/.test(name)) return 'camera decode + normalise';
  // rtspsrc's receivers and decodebin's queues and decoder threads serve the camera and the remote feed alike.
  if (/^udpsrc|^rtpjitterbuffer|^rtpsession|^rtpbin|^multiqueue|^avdec|^h264parse|^rtph264depay/.test(name))
    return 'RTSP receive + decode (camera and remote)';
  if (/^intervideosrc/.test(name)) return 'program video (hop, slate, clock, caption)';
  if (/^audiotestsrc|^alsasrc|^pulsesrc|^interaudiosrc|^mix-audio|^queue_audio/.test(name)) return 'audio';
  if (/^stream-mux|^udpsink/.test(name)) return 'stream mux + UDP';
  if (/^queue_video|^recorder|^splitmux|^matroskamux|^filesink/.test(name)) return 'recorder mux + file';
  return 'host (node/gst-launch, IPC, GLib)';
}
