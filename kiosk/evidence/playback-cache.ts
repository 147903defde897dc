import { spawn } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { concatList, playbackFileName, remuxArguments } from './playback.js';

/** A copy nobody has asked a byte of for this long is deleted: it is a second copy of the evidence. */
const IDLE_MS = 10 * 60_000;
const SWEEP_MS = 60_000;
const PARTIAL = '.partial';

export interface PlaybackCacheOptions {
  /** Under the data dir, beside the recordings (same disk, same owner); emptied at start and stop. */
  dir: string;
  logger: Logger;
  ffmpeg?: string;
}

/**
 * The recordings remuxed for the browser (playback.ts), kept while they are being watched so the
 * player can seek with Range requests. A copy is as confidential as its recording: the route checks
 * the role on every request, and the copy is deleted after IDLE_MS unused, when the daemon starts
 * (one left by a crash) and when it stops.
 */
export class PlaybackCache implements Service {
  readonly name = 'playback-cache';
  /** Last request per copy, by file name. */
  readonly #used = new Map<string, number>();
  /** Remuxes under way, by file name: a second request for the same copy waits for the first. */
  readonly #making = new Map<string, Promise<string>>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: PlaybackCacheOptions) {}

  async start(): Promise<void> {
    await rm(this.options.dir, { recursive: true, force: true });
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    this.#sweeper = setInterval(() => void this.sweep(Date.now() - IDLE_MS), SWEEP_MS);
    this.#sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.allSettled(this.#making.values());
    this.#used.clear();
    await rm(this.options.dir, { recursive: true, force: true });
  }

  /** How many remuxes run now (each holds an ffmpeg). */
  get remuxing(): number {
    return this.#making.size;
  }

  /** The path of the recording's MP4, remuxed from `segments` (absolute paths, with their hashes) if not there yet. */
  async file(recordingId: string, segments: readonly { path: string; sha256: string }[]): Promise<string> {
    const name = playbackFileName(
      recordingId,
      segments.map((s) => s.sha256),
    );
    const path = join(this.options.dir, name);
    if (this.#used.has(name) && !this.#making.has(name)) {
      this.#used.set(name, Date.now());
      return path;
    }
    let making = this.#making.get(name);
    if (!making) {
      making = this.#remux(
        recordingId,
        segments.map((s) => s.path),
        path,
      ).finally(() => this.#making.delete(name));
      this.#making.set(name, making);
    }
    await making;
    this.#used.set(name, Date.now());
    // An older copy of the same recording (before it gained a segment) is no longer served.
    for (const other of this.#used.keys())
      if (other !== name && other.startsWith(`${recordingId}-`)) await this.#remove(other);
    return path;
  }

  /** Deletes every copy not asked for since `before` (ms). */
  async sweep(before: number): Promise<void> {
    for (const [name, at] of this.#used) if (at < before && !this.#making.has(name)) await this.#remove(name);
  }

  async #remove(name: string): Promise<void> {
    this.#used.delete(name);
    await rm(join(this.options.dir, name), { force: true });
  }

  #remux(recordingId: string, paths: readonly string[], path: string): Promise<string> {
    const partial = path + PARTIAL;
    return new Promise<void>((resolve, reject) => {
      const child = spawn(this.options.ffmpeg ?? 'ffmpeg', remuxArguments(partial), {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
      child.once('error', reject);
      child.once('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${errors.trim()}`)),
      );
      child.stdin.end(concatList(paths));
    }).then(
      async () => {
        await rename(partial, path);
        return path;
      },
      async (error: Error) => {
        await rm(partial, { force: true });
        this.options.logger.error({ recording: recordingId, err: error.message }, 'playback remux failed');
        throw error;
      },
    );
  }
}
