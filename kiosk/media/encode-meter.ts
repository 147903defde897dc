/**
 * The encoder's output as measured, for the health report and central monitoring. The program
 * pipeline has an `identity` right after the encoder; its `stats` property counts the buffers (one
 * per encoded frame) and bytes that passed. The binding hands that GstStructure over as its string
 * form, which `parseIdentityStats` reads. Pure: the worker samples, this works out the figures.
 */

export interface EncodeCounters {
  buffers: number;
  bytes: number;
}

export interface EncodeFigures {
  /** Frames encoded per second over the last sample window. */
  fps: number;
  /** Encoded video, kilobits per second over the last sample window. */
  bitrateKbps: number;
  /** Frames encoded since the program started. */
  frames: number;
  /**
   * The most frames the program has fallen short of real time since its first frame: moments the
   * camera showed that were never encoded because the board could not keep up. 0 on a healthy room.
   */
  droppedFrames: number;
}

/** `application/x-identity-stats, num-bytes=(guint64)123, num-buffers=(guint64)4;` → counters, or undefined. */
export function parseIdentityStats(text: unknown): EncodeCounters | undefined {
  if (typeof text !== 'string') return undefined;
  const field = (name: string) => {
    const match = new RegExp(`${name}=\\(guint64\\)(\\d+)`).exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const bytes = field('num-bytes');
  const buffers = field('num-buffers');
  return bytes === undefined || buffers === undefined ? undefined : { buffers, bytes };
}

/**
 * Jitter between the program's clock and the sampling timer: a shortfall below this many frames is
 * the encoder's in-flight frames, not a loss.
 */
const IN_FLIGHT_FRAMES = 2;

/** Works out the figures from successive counter samples of one program pipeline. */
export class EncodeMeter {
  #first: { atMs: number; buffers: number } | undefined;
  #last: { atMs: number; counters: EncodeCounters } | undefined;
  #figures: EncodeFigures = { fps: 0, bitrateKbps: 0, frames: 0, droppedFrames: 0 };

  constructor(private readonly plannedFps: number) {}

  sample(atMs: number, counters: EncodeCounters): EncodeFigures {
    const last = this.#last;
    // A counter going back means another pipeline: start over rather than report nonsense.
    if (last && (counters.buffers < last.counters.buffers || counters.bytes < last.counters.bytes || atMs <= last.atMs))
      this.#reset();
    if (!this.#first && counters.buffers > 0) this.#first = { atMs, buffers: counters.buffers };
    const previous = this.#last;
    this.#last = { atMs, counters };
    if (!previous || !this.#first) {
      this.#figures = { ...this.#figures, frames: counters.buffers };
      return this.#figures;
    }
    const seconds = (atMs - previous.atMs) / 1000;
    const expected = this.#first.buffers + ((atMs - this.#first.atMs) / 1000) * this.plannedFps;
    this.#figures = {
      fps: round1((counters.buffers - previous.counters.buffers) / seconds),
      bitrateKbps: Math.round(((counters.bytes - previous.counters.bytes) * 8) / 1000 / seconds),
      frames: counters.buffers,
      droppedFrames: Math.max(this.#figures.droppedFrames, Math.floor(expected - counters.buffers - IN_FLIGHT_FRAMES)),
    };
    return this.#figures;
  }

  #reset(): void {
    this.#first = undefined;
    this.#last = undefined;
    this.#figures = { fps: 0, bitrateKbps: 0, frames: 0, droppedFrames: 0 };
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
